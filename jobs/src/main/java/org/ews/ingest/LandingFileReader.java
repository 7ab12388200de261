package org.ews.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Reads one landing file into {@link RawRows}, in a Spark task, streaming. Reading files ourselves rather
 * than through Spark's CSV source is what gives every rejected row its exact record number and its text as
 * received, and lets each file carry its own header order, as the contract allows.
 *
 * <p>A file that cannot be read whole (truncated gzip, corrupt parquet, no header, a header without a
 * required column, an unsupported format) yields exactly one row: a file-level problem with a null
 * {@code source_row}. Compressed and parquet files are therefore read once to the end before any row is
 * emitted, so that a file is either used whole or rejected whole.
 */
public final class LandingFileReader implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_DETAIL = 300;

    /** The driver's Hadoop settings (file systems, credentials), shipped once per executor, not per task. */
    private final org.apache.spark.broadcast.Broadcast<HashMap<String, String>> hadoopSettings;
    private final int maxLinesPerRecord;
    private transient Configuration hadoop;

    private LandingFileReader(org.apache.spark.broadcast.Broadcast<HashMap<String, String>> hadoopSettings,
                              int maxLinesPerRecord) {
        this.hadoopSettings = hadoopSettings;
        this.maxLinesPerRecord = maxLinesPerRecord;
    }

    public static LandingFileReader create(org.apache.spark.sql.SparkSession spark, int maxLinesPerRecord) {
        HashMap<String, String> settings = new HashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> settings.put(e.getKey(), e.getValue()));
        return new LandingFileReader(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(settings), maxLinesPerRecord);
    }

    public Iterator<Row> read(LandingFile file) {
        RowMaker rows = new RowMaker(file);
        if (file.format() == FileFormat.UNSUPPORTED) {
            return List.of(rows.fileProblem("unsupported_format",
                    "not a file ending in .csv, .csv.gz, .jsonl, .jsonl.gz or .parquet")).iterator();
        }
        if (file.feed().byReporter() && (file.reporter() == null || !file.reporter().matches("[A-Z]{2}"))) {
            return List.of(rows.fileProblem("bad_reporter",
                    "folder reporter=" + file.reporter() + " is not an ISO alpha-2 code")).iterator();
        }
        try {
            Path path = new Path(file.path());
            FileSystem fs = path.getFileSystem(hadoop());
            if (fs.getFileStatus(path).getLen() == 0) {
                return List.of(rows.fileProblem("empty_file", "file is empty (no header)")).iterator();
            }
            if (file.format() == FileFormat.PARQUET) {
                return ParquetRows.open(hadoop(), path, rows);
            }
            if (file.format().gzip()) {
                readToEnd(fs, path, true); // a truncated gzip must not leave half its rows in bronze
            }
            Reader text = new InputStreamReader(open(fs, path, file.format().gzip()), StandardCharsets.UTF_8);
            return file.format().csv() ? CsvRows.open(text, rows, maxLinesPerRecord) : new JsonlRows(text, rows);
        } catch (IOException | RuntimeException e) {
            if (org.ews.run.Failures.permissionDenied(e)) {
                // Not bad data but a setup fault: passing the file over would publish the day without it.
                throw new org.ews.run.EwsException("cannot read landing file " + file.path() + ": "
                        + org.ews.run.Failures.describeIo(e) + "; nothing was written. Fix its permissions and rerun the dates", e);
            }
            return List.of(rows.fileProblem("unreadable_file", describe(e))).iterator();
        }
    }

    private Configuration hadoop() {
        if (hadoop == null) {
            hadoop = new Configuration(false);
            hadoopSettings.value().forEach(hadoop::set);
        }
        return hadoop;
    }

    private static InputStream open(FileSystem fs, Path path, boolean gzip) throws IOException {
        InputStream in = fs.open(path, 1 << 16);
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static void readToEnd(FileSystem fs, Path path, boolean gzip) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = open(fs, path, gzip)) {
            while (in.read(buf) >= 0) {
                // only checking that the whole stream decodes
            }
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof java.io.EOFException || m.contains("Unexpected end of ZLIB")) {
            m = "truncated gzip (" + m + ")";
        } else if (m.contains("Not in GZIP format")) {
            m = "not a gzip file (" + m + ")";
        }
        return clip(org.ews.Messages.firstLine(m));
    }

    static String clip(String s) {
        return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * Rows of one file, produced on demand. Resources are released as soon as the input ends, not when the
     * task ends: a task reads hundreds of files, and a parser's buffers held until then exhaust the heap.
     * The task-completion listener covers a task that stops early (failure, LIMIT).
     */
    abstract static class StreamingRows implements Iterator<Row>, Closeable {
        private Row next;
        private boolean done;

        /** The next row, or null at the end of the input. */
        protected abstract Row advance() throws IOException;

        /** Releases the file's resources; called once, at the end or when the task ends. */
        protected abstract void release() throws IOException;

        StreamingRows registerWithTask() {
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly());
            }
            return this;
        }

        @Override
        public final boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = advance();
                } catch (IOException e) {
                    closeQuietly();
                    throw new IllegalStateException(e.getMessage(), e);
                }
                if (next == null) {
                    closeQuietly();
                }
            }
            return next != null;
        }

        @Override
        public final Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }

        @Override
        public final void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            if (done) {
                return;
            }
            done = true;
            try {
                release();
            } catch (IOException ignored) {
                // a stream we only read: nothing is lost by a failed close
            }
        }
    }

    /** Normalises a header name: BOM, case, spaces and dashes, so that "Declaration ID" finds declaration_id. */
    static String normaliseName(String name) {
        if (name == null) {
            return "";
        }
        return name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
    }

    /** Builds rows of {@link RawRows#schema} for one file. */
    static final class RowMaker {
        private final LandingFile file;
        private final Date landingDate;
        private final List<String> columns;
        private int[] positions;        // contract column -> position in the file's fields, -1 if absent
        private String[] extraNames;    // position -> name of an unknown column, null if known
        private int width;

        RowMaker(LandingFile file) {
            this.file = file;
            this.landingDate = file.landingDate() == null ? null : Date.valueOf(file.landingDate());
            this.columns = file.feed().columns();
        }

        /** Maps the file's field names; returns a file-level problem, or null when the header is usable. */
        String[] header(String[] names) {
            Map<String, Integer> seen = new LinkedHashMap<>();
            if (java.util.Arrays.stream(names).anyMatch(n -> n != null && n.indexOf('\r') >= 0)) {
                // Lines split on \n only: a file whose lines end in CR alone is one line, header and rows together.
                return new String[]{"bad_header", "the header holds a carriage return: the file's lines end in CR alone "
                        + "(old Mac line ends), so the whole file reads as one line; resend it with LF or CRLF line ends"};
            }
            for (int i = 0; i < names.length; i++) {
                String n = normaliseName(names[i]);
                if (n.isEmpty()) {
                    return new String[]{"bad_header", "column " + (i + 1) + " of the header has no name"};
                }
                if (seen.put(n, i) != null) {
                    return new String[]{"bad_header", "column '" + n + "' appears twice in the header"};
                }
            }
            List<String> missing = new ArrayList<>();
            for (String r : file.feed().requiredColumns()) {
                if (!seen.containsKey(r)) {
                    missing.add(r);
                }
            }
            if (!missing.isEmpty()) {
                String joined = String.join(",", names);
                String first = names.length == 0 || names[0] == null ? "" : names[0].replace("\uFEFF", "").trim();
                String hint = joined.indexOf('\u0000') >= 0 || joined.indexOf('\uFFFD') >= 0
                        ? "; the file is not UTF-8 text (UTF-16, or another encoding?)"
                        : first.startsWith("{") || first.startsWith("[")
                        ? "; the file looks like JSON, not CSV (JSON lines belong in a .jsonl file)"
                        : names.length == 1 && (names[0].contains(";") || names[0].contains("\t") || names[0].contains("|"))
                        ? "; the file does not look comma-separated" : "";
                return new String[]{"missing_column", "header lacks required column(s) " + String.join(", ", missing)
                        + " (header: " + clip(joined.replace("\u0000", "")) + ")" + hint};
            }
            positions = new int[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                positions[c] = seen.getOrDefault(columns.get(c), -1);
            }
            extraNames = new String[names.length];
            seen.forEach((n, i) -> extraNames[i] = columns.contains(n) ? null : n);
            width = names.length;
            return null;
        }

        int width() {
            return width;
        }

        Row fileProblem(String code, String detail) {
            return make(null, null, code, detail, new String[0]);
        }

        Row row(long number, String text, String code, String detail, String[] fields) {
            return make(number, text, code, detail, fields);
        }

        /** A JSON object: its own field names, mapped the same way as a header. */
        Row jsonRow(long number, String text, Map<String, String> values) {
            Object[] v = leading(number, text, null, null);
            Map<String, String> extras = null;
            for (Map.Entry<String, String> e : values.entrySet()) {
                int c = columns.indexOf(e.getKey());
                if (c >= 0) {
                    v[RawRows.LEADING + c] = e.getValue();
                } else {
                    extras = extras == null ? new LinkedHashMap<>() : extras;
                    extras.put(e.getKey(), e.getValue());
                }
            }
            v[v.length - 1] = scalaMap(extras);
            return RowFactory.create(v);
        }

        /** Spark's external Row wants a Scala map for MAP columns. */
        private static Object scalaMap(Map<String, String> m) {
            return m == null ? null : scala.collection.JavaConverters.mapAsScalaMapConverter(m).asScala();
        }

        private Object[] leading(Long number, String text, String code, String detail) {
            Object[] v = new Object[RawRows.LEADING + columns.size() + 1];
            v[0] = file.reporter();
            v[1] = landingDate;
            v[2] = file.path();
            v[3] = number;
            v[4] = text;
            v[5] = code;
            v[6] = detail;
            return v;
        }

        private Row make(Long number, String text, String code, String detail, String[] fields) {
            Object[] v = leading(number, text, code, detail);
            if (positions != null) {
                for (int c = 0; c < positions.length; c++) {
                    int p = positions[c];
                    v[RawRows.LEADING + c] = p >= 0 && p < fields.length ? fields[p] : null;
                }
                Map<String, String> extras = null;
                for (int p = 0; p < Math.min(fields.length, extraNames.length); p++) {
                    if (extraNames[p] != null && fields[p] != null) {
                        extras = extras == null ? new LinkedHashMap<>() : extras;
                        extras.put(extraNames[p], fields[p]);
                    }
                }
                v[v.length - 1] = scalaMap(extras);
            }
            return RowFactory.create(v);
        }
    }

    /**
     * CSV with a header, RFC 4180 quoting, LF or CRLF line ends. Records are assembled from physical lines: a
     * record continues over the next line only while a quoted field is open (a value holding a newline), judged
     * the way the parser judges it (a quote opens a field only at the field's start; {@code ""} inside quotes is
     * a quote). A field may span at most {@code maxLines} lines: a quote that never closes would otherwise
     * swallow the rest of the file into one value, so past the limit its first line is quarantined alone and
     * the lines after it are read again as rows.
     */
    static final class CsvRows extends StreamingRows {
        private static final int MAX_CHARS_PER_COLUMN = 100_000;
        private static final int MAX_COLUMNS = 4096;
        private Reader in;
        private final char[] buffer = new char[1 << 16];
        private int pos;
        private int end;
        private final java.util.ArrayDeque<String> replay = new java.util.ArrayDeque<>();
        private final CsvParser parser;
        private final RowMaker rows;
        private final int maxLines;
        private long number;

        private CsvRows(Reader text, RowMaker rows, int maxLines) {
            this.in = text;
            this.rows = rows;
            this.maxLines = maxLines;
            this.parser = new CsvParser(parserSettings());
        }

        /** The parser's settings: values kept exactly as received, one record per call. */
        static CsvParserSettings parserSettings() {
            CsvParserSettings s = new CsvParserSettings();
            s.getFormat().setLineSeparator("\n");
            s.setInputBufferSize(8192);
            s.setMaxCharsPerColumn(MAX_CHARS_PER_COLUMN);
            s.setMaxColumns(MAX_COLUMNS);
            s.setNullValue(null);
            s.setEmptyValue(null);
            s.setIgnoreLeadingWhitespaces(false);
            s.setIgnoreTrailingWhitespaces(false);
            s.setNormalizeLineEndingsWithinQuotes(false); // keep values as received
            // Each record is parsed on its own; univocity's default starts a reader thread per parse (one per row).
            s.setReadInputOnSeparateThread(false);
            return s;
        }

        static Iterator<Row> open(Reader text, RowMaker rows, int maxLines) throws IOException {
            CsvRows csv = new CsvRows(text, rows, maxLines);
            Record headerRecord = csv.nextRecord();
            String[] header = headerRecord == null || headerRecord.unbalanced() ? null : csv.parseOne(headerRecord.text());
            String[] problem = headerRecord == null ? new String[]{"empty_file", "file has no header row"}
                    : header == null ? new String[]{"bad_header", "the header is not one CSV record (a quote that never closes?)"}
                    : rows.header(header);
            if (problem != null) {
                csv.release();
                return List.of(rows.fileProblem(problem[0], problem[1])).iterator();
            }
            return csv.registerWithTask();
        }

        /** A record's text (lines joined by \n); unbalanced: only its first line, whose quote never closed. */
        private record Record(String text, boolean unbalanced) {}

        /** The next record, or null at the end of the input. */
        private Record nextRecord() throws IOException {
            String first = nextLine();
            while (first != null && (first.isEmpty() || first.equals("\r"))) {
                first = nextLine();
            }
            if (first == null) {
                return null;
            }
            if (!endsInsideQuotes(first, false)) {
                return new Record(withoutCarriageReturn(first), false);
            }
            StringBuilder record = new StringBuilder(first);
            List<String> more = new ArrayList<>();
            boolean open = true;
            while (open && more.size() < maxLines - 1) {
                String line = nextLine();
                if (line == null) {
                    break;
                }
                more.add(line);
                record.append('\n').append(line);
                open = endsInsideQuotes(line, true);
            }
            if (!open) {
                return new Record(withoutCarriageReturn(record.toString()), false);
            }
            for (int i = more.size() - 1; i >= 0; i--) {
                replay.addFirst(more.get(i));
            }
            return new Record(withoutCarriageReturn(first), true);
        }

        /**
         * Whether a quoted field is still open at the end of {@code line}, given whether one was open at its start.
         * Mirrors the parser: a quote opens a field only as its first character; inside quotes {@code ""} is a
         * literal quote and a single quote closes the field; a quote anywhere else is a literal character.
         */
        static boolean endsInsideQuotes(String line, boolean openAtStart) {
            boolean inQuotes = openAtStart;
            boolean fieldStart = !openAtStart;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (inQuotes) {
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            i++;
                        } else {
                            inQuotes = false;
                        }
                    }
                } else if (c == ',') {
                    fieldStart = true;
                } else {
                    inQuotes = c == '"' && fieldStart;
                    fieldStart = false;
                }
            }
            return inQuotes;
        }

        /** One physical line, split on \n only, so that a \r inside a quoted value survives. */
        private String nextLine() throws IOException {
            if (!replay.isEmpty()) {
                return replay.pollFirst();
            }
            StringBuilder partial = null; // a line longer than what is left of the buffer
            while (true) {
                if (pos == end) {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        return partial == null || partial.length() == 0 ? null : partial.toString();
                    }
                    pos = 0;
                    end = n;
                }
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                if (pos < end) {
                    String line = partial == null ? new String(buffer, start, pos - start)
                            : partial.append(buffer, start, pos - start).toString();
                    pos++;
                    return line;
                }
                partial = partial == null ? new StringBuilder() : partial;
                partial.append(buffer, start, pos - start);
            }
        }

        /** A CRLF file's record ends in \r: that is the line end, not data. */
        private static String withoutCarriageReturn(String text) {
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        /** The record's fields, or null unless the text is exactly one CSV record. */
        private String[] parseOne(String text) {
            String[] plain = splitPlain(text);
            if (plain != null) {
                return plain;
            }
            List<String[]> records = parser.parseAll(new java.io.StringReader(text));
            return records.size() == 1 ? records.get(0) : null;
        }

        /**
         * The fields of one record split as the parser splits it (RFC 4180: a quote opens a field only as its
         * first character, {@code ""} inside quotes is a quote, an empty field is null), or null when the parser
         * must decide: a quote elsewhere, text after a closing quote, a quote that does not close, a leading
         * {@code #} (its comment marker), a byte-order mark, control characters outside quotes, or a record past
         * its column or length limits. Nearly every landed line takes this path: building a parser input per
         * record cost more than reading the file.
         */
        static String[] splitPlain(String text) {
            int length = text.length();
            if (length == 0 || length > MAX_CHARS_PER_COLUMN || text.charAt(0) == '#' || text.charAt(0) == '\uFEFF') {
                return null;
            }
            List<String> fields = new ArrayList<>(32);
            StringBuilder quoted = null;
            int i = 0;
            while (true) {
                if (i < length && text.charAt(i) == '"') {
                    quoted = quoted == null ? new StringBuilder() : quoted;
                    quoted.setLength(0);
                    int j = i + 1;
                    while (true) {
                        if (j >= length) {
                            return null;
                        }
                        char c = text.charAt(j);
                        if (c == '"') {
                            if (j + 1 < length && text.charAt(j + 1) == '"') {
                                quoted.append('"');
                                j += 2;
                                continue;
                            }
                            j++;
                            break;
                        }
                        quoted.append(c);
                        j++;
                    }
                    fields.add(quoted.length() == 0 ? null : quoted.toString());
                    if (j == length) {
                        break;
                    }
                    if (text.charAt(j) != ',') {
                        return null;
                    }
                    i = j + 1;
                } else {
                    int j = i;
                    while (j < length) {
                        char c = text.charAt(j);
                        if (c == ',') {
                            break;
                        }
                        if (c == '"' || c < ' ') {
                            return null;
                        }
                        j++;
                    }
                    fields.add(j == i ? null : text.substring(i, j));
                    if (j == length) {
                        break;
                    }
                    i = j + 1;
                }
                if (fields.size() >= MAX_COLUMNS) {
                    return null;
                }
            }
            return fields.toArray(new String[0]);
        }

        @Override
        protected Row advance() throws IOException {
            Record record = nextRecord();
            if (record == null) {
                return null;
            }
            number++;
            String text = record.text();
            if (record.unbalanced()) {
                return rows.row(number, text, "unbalanced_quote", "a quoted field opened on this line does not close within "
                        + maxLines + " lines (ingest.max_lines_per_record); the lines after it are read as rows again", new String[0]);
            }
            String[] fields;
            try {
                fields = parseOne(text);
            } catch (TextParsingException e) {
                return rows.row(number, clip(text), "unparsable_row", clip(e.getMessage()), new String[0]);
            }
            if (fields == null) {
                return rows.row(number, text, "unparsable_row", "the text is not exactly one CSV record", new String[0]);
            }
            if (fields.length < rows.width()) {
                return rows.row(number, text, "short_row", "row has " + fields.length + " fields, header has " + rows.width(), fields);
            }
            if (fields.length > rows.width()) {
                return rows.row(number, text, "long_row", "row has " + fields.length + " fields, header has " + rows.width(), fields);
            }
            if (text.indexOf('\uFFFD') >= 0) {
                return rows.row(number, text, "invalid_encoding", "row holds bytes that are not UTF-8", fields);
            }
            return rows.row(number, text, null, null, fields);
        }

        @Override
        protected void release() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }

    /** One JSON object per line; field names mapped like a CSV header; numbers kept exactly as text. */
    static final class JsonlRows extends StreamingRows {
        private static final ObjectMapper JSON = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
        private BufferedReader in;
        private final RowMaker rows;
        private long number;

        JsonlRows(Reader text, RowMaker rows) {
            this.in = new BufferedReader(text, 1 << 16);
            this.rows = rows;
            registerWithTask();
        }

        @Override
        protected Row advance() throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    return parse(line);
                }
            }
            return null;
        }

        @Override
        protected void release() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }

        private Row parse(String line) {
            String l = number == 1 ? line.replace("\uFEFF", "") : line;
            if (l.indexOf('\uFFFD') >= 0) {
                return rows.row(number, line, "invalid_encoding", "line holds bytes that are not UTF-8", new String[0]);
            }
            JsonNode node;
            try {
                node = JSON.readTree(l);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return rows.row(number, line, "unparsable_json", clip(e.getOriginalMessage()), new String[0]);
            }
            if (node == null || !node.isObject()) {
                return rows.row(number, line, "unparsable_json", "line is not a JSON object", new String[0]);
            }
            Map<String, String> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> values.put(normaliseName(f.getKey()), text(f.getValue())));
            return rows.jsonRow(number, line, values);
        }

        private static String text(JsonNode v) {
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isNumber()) {
                return v.decimalValue().toPlainString();
            }
            return v.isValueNode() ? v.asText() : v.toString();
        }
    }

    /** Parquet through parquet-hadoop's Group API; columns of any primitive type become text. */
    static final class ParquetRows {
        private ParquetRows() {}

        static Iterator<Row> open(Configuration conf, Path path, RowMaker rows) throws IOException {
            // First pass: the whole file must decode before any of it is used.
            List<Type> fields;
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
                Group g = r.read();
                fields = g == null ? null : g.getType().getFields();
                while (g != null) {
                    g = r.read();
                }
            }
            if (fields == null) {
                return List.<Row>of().iterator();
            }
            String[] names = fields.stream().map(Type::getName).toArray(String[]::new);
            String[] problem = rows.header(names);
            if (problem != null) {
                return List.of(rows.fileProblem(problem[0], problem[1])).iterator();
            }
            ParquetReader<Group> opened = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
            return new StreamingRows() {
                private ParquetReader<Group> reader = opened;
                private long number;

                @Override
                protected Row advance() throws IOException {
                    Group g = reader.read();
                    if (g == null) {
                        return null;
                    }
                    number++;
                    String[] values = new String[names.length];
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < names.length; i++) {
                        values[i] = value(g, i, fields.get(i));
                        text.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i] == null ? "" : values[i]);
                    }
                    return rows.row(number, text.toString(), null, null, values);
                }

                @Override
                protected void release() throws IOException {
                    if (reader != null) {
                        reader.close();
                        reader = null;
                    }
                }
            }.registerWithTask();
        }

        private static String value(Group g, int i, Type type) {
            if (g.getFieldRepetitionCount(i) == 0) {
                return null;
            }
            if (!type.isPrimitive()) {
                return g.getGroup(i, 0).toString();
            }
            PrimitiveType p = type.asPrimitiveType();
            LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
            if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                return LocalDate.ofEpochDay(g.getInteger(i, 0)).toString();
            }
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                BigInteger unscaled = switch (p.getPrimitiveTypeName()) {
                    case INT32 -> BigInteger.valueOf(g.getInteger(i, 0));
                    case INT64 -> BigInteger.valueOf(g.getLong(i, 0));
                    default -> new BigInteger(g.getBinary(i, 0).getBytes());
                };
                return new BigDecimal(unscaled, d.getScale()).toPlainString();
            }
            return switch (p.getPrimitiveTypeName()) {
                case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getBinary(i, 0).toStringUsingUTF8();
                case INT32 -> Integer.toString(g.getInteger(i, 0));
                case INT64 -> Long.toString(g.getLong(i, 0));
                case FLOAT -> BigDecimal.valueOf(g.getFloat(i, 0)).toPlainString();
                case DOUBLE -> BigDecimal.valueOf(g.getDouble(i, 0)).toPlainString();
                case BOOLEAN -> Boolean.toString(g.getBoolean(i, 0));
                default -> g.getValueToString(i, 0);
            };
        }
    }
}
