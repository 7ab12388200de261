package org.ews.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.Type;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the landing zone back with ordinary parsers (univocity, Jackson, parquet's Group reader), independently of
 * the generator's own writers, so the tests check what a consumer will actually see.
 */
final class LandingFiles {
    private LandingFiles() {
    }

    /** One record of a customs file: the header it was read under and its fields (null where absent). */
    record Rec(String file, long row, List<String> header, String[] fields, Map<String, String> byName) {
        String get(String column) {
            String v = byName.get(column);
            return v == null ? "" : v;
        }
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static String rel(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static List<String[]> csv(InputStream in) {
        CsvParserSettings st = new CsvParserSettings();
        st.setLineSeparatorDetectionEnabled(true);
        st.setIgnoreLeadingWhitespaces(false);
        st.setIgnoreTrailingWhitespaces(false);
        st.setNullValue("");
        st.setEmptyValue("");
        st.setMaxColumns(100);
        st.setSkipEmptyLines(true);
        return new CsvParser(st).parseAll(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    static List<String[]> csvGz(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return csv(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Rec> customs(Path root, Path file) throws IOException {
        String name = file.getFileName().toString();
        String rel = rel(root, file);
        List<Rec> out = new ArrayList<>();
        if (name.endsWith(".csv.gz")) {
            List<String[]> rows = csvGz(file);
            List<String> header = List.of(rows.get(0));
            for (int i = 1; i < rows.size(); i++) {
                String[] f = rows.get(i);
                Map<String, String> m = new LinkedHashMap<>();
                for (int c = 0; c < Math.min(f.length, header.size()); c++) {
                    m.put(header.get(c), f[c]);
                }
                out.add(new Rec(rel, i, header, f, m));
            }
        } else if (name.endsWith(".jsonl")) {
            ObjectMapper om = new ObjectMapper();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    JsonNode node = om.readTree(line);
                    Map<String, String> m = new LinkedHashMap<>();
                    List<String> header = new ArrayList<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        header.add(e.getKey());
                        m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
                    }
                    out.add(new Rec(rel, n, header, m.values().toArray(new String[0]), m));
                }
            }
        } else if (name.endsWith(".parquet")) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(file.toUri())).build()) {
                Group g;
                long n = 0;
                while ((g = reader.read()) != null) {
                    n++;
                    Map<String, String> m = new LinkedHashMap<>();
                    List<String> header = new ArrayList<>();
                    for (Type t : g.getType().getFields()) {
                        header.add(t.getName());
                        int idx = g.getType().getFieldIndex(t.getName());
                        m.put(t.getName(), g.getFieldRepetitionCount(idx) == 0 ? "" : g.getString(idx, 0));
                    }
                    out.add(new Rec(rel, n, header, m.values().toArray(new String[0]), m));
                }
            }
        } else {
            throw new IllegalStateException("unexpected customs file " + file);
        }
        return out;
    }
}
