package org.ews.generate;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Number formatting and CSV helpers shared by the writers; hand-rolled because String.format is too slow per cell. */
final class Text {
    private Text() {
    }

    private static final long[] POW10 = {1, 10, 100, 1000, 10000, 100000, 1000000};

    /** Fixed-point decimal without exponent; identical output on every JVM, unlike Double.toString. */
    static String fixed(double v, int scale) {
        long scaled = Math.round(Math.abs(v) * POW10[scale]);
        String sign = v < 0 && scaled != 0 ? "-" : "";
        if (scale == 0) {
            return sign + scaled;
        }
        long intPart = scaled / POW10[scale];
        long frac = scaled % POW10[scale];
        String f = Long.toString(frac);
        StringBuilder sb = new StringBuilder(24).append(sign).append(intPart).append('.');
        for (int i = f.length(); i < scale; i++) {
            sb.append('0');
        }
        return sb.append(f).toString();
    }

    static double round(double v, int scale) {
        return Math.round(v * POW10[scale]) / (double) POW10[scale];
    }

    /** RFC 4180: quote only when needed, double embedded quotes. */
    static void appendCsvField(StringBuilder sb, String s) {
        if (s == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    static String csvLine(List<String> fields, String eol) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendCsvField(sb, fields.get(i));
        }
        return sb.append(eol).toString();
    }

    /** Reads a small CSV (reference or bundled table) with '#' comment lines; first row is the header. */
    static List<String[]> readCsv(Reader reader) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setComment('#');
        settings.setHeaderExtractionEnabled(false);
        settings.setMaxCharsPerColumn(100_000);
        settings.setMaxColumns(512);
        settings.setNullValue("");
        settings.setEmptyValue("");
        CsvParser parser = new CsvParser(settings);
        List<String[]> rows = new ArrayList<>(parser.parseAll(reader));
        return rows;
    }

    static List<String[]> readCsv(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<String[]> readResource(String name) {
        String path = "/ews/generate/" + name;
        try (InputStream in = Text.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled table " + path);
            }
            return readCsv(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int column(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("column '" + name + "' not found in header " + String.join(",", header));
    }
}
