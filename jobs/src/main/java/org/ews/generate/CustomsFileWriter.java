package org.ews.generate;

import org.ews.tables.Columns;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one reporter-day's rows into the landing layout in the reporter's formats, and records every bad row it
 * writes with its file and record number, because only the writer knows where a row ends up.
 */
final class CustomsFileWriter {
    private final Path out;
    private final TruthWriter truth;
    private long files;
    private long badRows;

    CustomsFileWriter(Path out, TruthWriter truth) {
        this.out = out;
        this.truth = truth;
    }

    long filesWritten() {
        return files;
    }

    long badRowsWritten() {
        return badRows;
    }

    private Path dayDir(Reporter r, java.time.LocalDate date) throws IOException {
        Path d = out.resolve("customs/reporter=" + r.name() + "/date=" + date);
        Files.createDirectories(d);
        return d;
    }

    private String relative(Path file) {
        return out.relativize(file).toString().replace('\\', '/');
    }

    void csvGz(Reporter r, java.time.LocalDate date, String name, List<CustomsRow> rows, String eol)
            throws IOException {
        Path file = dayDir(r, date).resolve(name);
        try (OutputStream os = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                1 << 16)) {
            os.write(csvBytes(r, rows, eol, relative(file)));
        }
        files++;
    }

    /**
     * A valid gzip stream cut part-way, as a transfer that died leaves it. Its rows are never part of the truth.
     */
    void truncatedCsvGz(Reporter r, java.time.LocalDate date, List<CustomsRow> rows) throws IOException {
        Path file = dayDir(r, date).resolve("part-9999.csv.gz");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream os = new GZIPOutputStream(buf)) {
            os.write(csvBytes(r, rows, "\n", null));
        }
        byte[] all = buf.toByteArray();
        Files.write(file, java.util.Arrays.copyOf(all, all.length * 11 / 20));
        truth.brokenFile(relative(file), "truncated_gzip");
        files++;
    }

    private byte[] csvBytes(Reporter r, List<CustomsRow> rows, String eol, String sourceFile) throws IOException {
        List<String> columns = r.columns;
        int[] idx = columns.stream().mapToInt(LandingColumns::customsIndex).toArray();
        StringBuilder sb = new StringBuilder(rows.size() * 160 + 200);
        sb.append(String.join(",", columns)).append(eol);
        long recordNo = 0;
        for (CustomsRow row : rows) {
            recordNo++;
            int n = idx.length;
            if (row.bad == BadRowKind.short_row) {
                n = idx.length - 1 - (int) (recordNo % 3);
            }
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Text.appendCsvField(sb, row.values[idx[i]]);
            }
            if (row.bad == BadRowKind.long_row) {
                sb.append(",EXTRA");
                if (recordNo % 2 == 0) {
                    sb.append(',');
                }
            }
            sb.append(eol);
            if (row.bad != null && sourceFile != null) {
                truth.badRow(sourceFile, recordNo, row.bad, row.badColumn);
                badRows++;
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One JSON object a line; counts and amounts as JSON numbers when they are numbers, as US extracts do. */
    void jsonl(Reporter r, java.time.LocalDate date, String name, List<CustomsRow> rows) throws IOException {
        Path file = dayDir(r, date).resolve(name);
        String source = relative(file);
        List<String> columns = r.columns;
        StringBuilder sb = new StringBuilder(rows.size() * 300);
        long lineNo = 0;
        for (CustomsRow row : rows) {
            lineNo++;
            sb.append('{');
            for (int i = 0; i < columns.size(); i++) {
                String col = columns.get(i);
                String v = row.values[LandingColumns.customsIndex(col)];
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(col).append("\":");
                if (v == null || v.isEmpty()) {
                    sb.append("null");
                } else if (isJsonNumberColumn(col) && v.matches("-?\\d+(\\.\\d+)?")) {
                    sb.append(v);
                } else {
                    jsonString(sb, v);
                }
            }
            sb.append("}\n");
            if (row.bad != null) {
                truth.badRow(source, lineNo, row.bad, row.badColumn);
                badRows++;
            }
        }
        Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        files++;
    }

    private static boolean isJsonNumberColumn(String col) {
        return col.equals(Columns.LINE_NO) || col.equals(Columns.VERSION)
                || col.equals(Columns.VALUE) || col.equals(Columns.QUANTITY)
                || col.equals(Columns.NET_WEIGHT_KG);
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** All columns as UTF-8 strings: the JP monthly extract is a string dump, typing is ingest's job. */
    void parquet(Reporter r, java.time.LocalDate date, String name, List<CustomsRow> rows) throws IOException {
        Path file = dayDir(r, date).resolve(name);
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (String col : r.columns) {
            b.optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(col);
        }
        MessageType schema = b.named("customs_line");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Files.deleteIfExists(file);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalFile(file))
                .withType(schema)
                .withConf(new Configuration(false))
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (CustomsRow row : rows) {
                Group g = groups.newGroup();
                for (String col : r.columns) {
                    String v = row.values[LandingColumns.customsIndex(col)];
                    if (v != null && !v.isEmpty()) {
                        g.append(col, v);
                    }
                }
                w.write(g);
            }
        }
        files++;
    }

    /** A plain local file for parquet: no Hadoop FileSystem, hence no .crc side files. */
    private record LocalFile(Path path) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return createOrOverwrite(blockSizeHint);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    os.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] bytes, int off, int len) throws IOException {
                    os.write(bytes, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    os.flush();
                }

                @Override
                public void close() throws IOException {
                    os.close();
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
