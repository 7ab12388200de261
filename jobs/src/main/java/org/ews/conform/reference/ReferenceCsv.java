package org.ews.conform.reference;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small CSV files of reference data: read whole, first row the header, every cell a string ("" for empty; never null,
 * so Namibia's alpha-2 code "NA" stays the text NA); written as RFC 4180 with '\n' line ends.
 */
final class ReferenceCsv {
    private ReferenceCsv() {}

    /** A parsed file: its header and its data rows, each padded to the header's width. */
    record Table(Path file, List<String> header, List<String[]> rows) {
        /** Index of a column; a clear error naming the file when it is missing. */
        int column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(file + ": column '" + name + "' not found in header " + header);
            }
            return i;
        }
    }

    static Table read(Path file) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setComment('\0');
        settings.setHeaderExtractionEnabled(false);
        settings.setMaxCharsPerColumn(100_000);
        settings.setMaxColumns(512);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setSkipEmptyLines(true);
        List<String[]> all;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            all = new CsvParser(settings).parseAll(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty file, a header row is required");
        }
        List<String> header = new ArrayList<>();
        for (String h : all.get(0)) {
            header.add(h == null ? "" : h.trim().replace("\uFEFF", ""));
        }
        List<String[]> rows = new ArrayList<>(all.size() - 1);
        for (String[] r : all.subList(1, all.size())) {
            String[] padded = Arrays.copyOf(r, Math.max(r.length, header.size()));
            for (int i = 0; i < padded.length; i++) {
                if (padded[i] == null) {
                    padded[i] = "";
                }
            }
            rows.add(padded);
        }
        return new Table(file, List.copyOf(header), rows);
    }

    static String line(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i) == null ? "" : fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.append('\n').toString();
    }

    static void write(Path file, List<String> header, List<List<String>> rows) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(line(header));
                for (List<String> r : rows) {
                    w.write(line(r));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
