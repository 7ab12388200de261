package org.ews.ingest;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.config.EwsConfig;
import org.ews.testing.Dirs;
import org.ews.testing.SharedSpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Property-based tests of ingest on mutated customs files (jqwik): valid rows with fields dropped, duplicated, swapped,
 * replaced by garbage (quotes, line breaks, delimiters, byte-order marks, bytes that are not UTF-8, huge, negative and
 * impossible numbers and dates), in files with BOMs, CRLF, blank lines, reordered, missing and extra columns.
 *
 * <ul>
 *   <li>the reader never throws, and every line of a file ends in exactly one record: the records' texts are the file's
 *       lines, each once, in order (or the whole file is one file-level entry);</li>
 *   <li>the rules never throw, keep every record as exactly one row, and accept only rows that meet the contract;</li>
 *   <li>through the launcher's ingest, {@code rows_in = rows_out + rows_quarantined}, and bronze and the quarantine
 *       hold exactly those counts.</li>
 * </ul>
 * The reader is tested on bytes (cheap: many tries); the rules on a small DataFrame per try on the shared session; the
 * whole stage a few times only.
 */
class BadInputPropertiesTest {
    static final LocalDate LANDING = LocalDate.parse("2024-03-01");
    static final List<String> COLUMNS = Feed.CUSTOMS.columns();
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"), "ews-properties");

    // ---- what a file is made of ---------------------------------------------------------------------------------------

    /** How a row is damaged: the kind, two positions (taken modulo the row's width) and a value for the kinds that need one. */
    enum Kind { DROP, DUPLICATE, SWAP, REPLACE_RAW, REPLACE_QUOTED, APPEND_RAW, INSERT_RAW_INTO }

    record Mutation(Kind kind, int i, int j, String garbage) {}

    record RowSpec(List<String> fields, List<Mutation> mutations, boolean blankLineAfter) {}

    /** How the header differs from the contract's. */
    enum HeaderShape { CONTRACT, SHUFFLED, UPPER_CASE_WITH_SPACES, OPTIONAL_DROPPED, REQUIRED_DROPPED, EXTRA_COLUMN }

    record FileSpec(boolean bom, boolean crlf, HeaderShape header, long shuffleSeed, List<RowSpec> rows) {}

    /** Garbage a field may become. Characters U+E000..U+E003 stand for bytes that are not UTF-8 (see {@link #bytes}). */
    static final List<String> GARBAGE = List.of("", " ", "\"", "\"\"", "a\"b", "\"unclosed", "x\ny", "x\r\ny", "\r", ",", ",,",
            ";", "\t", "|", "\uFEFF", "\uFEFFD1", "-1", "-0", "-0.0001", "+7", "1e5", "1,000.00", "NaN", "Infinity",
            "99999999999999999999999", "123456789012345678.1234567", "0", "0x1F", "2023-02-29", "2024-02-30", "9999-12-31",
            "0000-00-00", "2024-13-45", "24-03-01", "2024-03-02", "1900-01-01", "\u0000", "null", "NULL", "N/A", "Z", "i",
            "85A231", "8504", "US$", "usd", "한성반도체", "\uE000", "M\uE000ller", "\uE001", "\uE002x", "\uE003",
            "x".repeat(1000), " 12 ", "\"12\"", "'12'", "{\"a\":1}", "[", "\\", "\\\"", "\u2028", "\u00A0");

    static Arbitrary<List<String>> validRow() {
        Arbitrary<String> id = Arbitraries.strings().withCharRange('A', 'Z').numeric().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> lineNo = Arbitraries.integers().between(1, 999).map(String::valueOf);
        Arbitrary<String> version = Arbitraries.of("", "1", "2", "3");
        Arbitrary<String> flow = Arbitraries.of("I", "X", "i", "x");
        Arbitrary<String> date = Arbitraries.integers().between(0, 700).map(d -> LANDING.minusDays(d).toString());
        Arbitrary<String> hs = Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(10);
        Arbitrary<String> partner = Arbitraries.of("CN", "CHN", "China", "JP", "Viet Nam", "DE");
        Arbitrary<String> traderId = Arbitraries.of("", "123-45-67890", "356-84-85498");
        Arbitrary<String> name = Arbitraries.of("ACME Co", "Hanseong Semicon", "주식회사 한성반도체", "\"ACME, Inc.\"", "Pipe 12\" x 4");
        Arbitrary<String> value = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000000000")).ofScale(2)
                .map(BigDecimal::toPlainString);
        Arbitrary<String> currency = Arbitraries.of("USD", "KRW", "EUR", "jpy");
        Arbitrary<String> quantity = Arbitraries.of("", "1", "2.5", "1000");
        Arbitrary<String> unit = Arbitraries.of("", "KG", "U", "TNE");
        Arbitrary<String> weight = Arbitraries.of("", "0.5", "12", "3000.125");
        return Combinators.combine(List.of(id, lineNo, version, flow, date, hs, partner, traderId, name, value, currency,
                quantity, unit, weight)).as(ArrayList::new);
    }

    static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 20), Arbitraries.of(GARBAGE)).as(Mutation::new);
    }

    static Arbitrary<RowSpec> rowSpec() {
        return Combinators.combine(validRow(), mutation().list().ofMaxSize(3), Arbitraries.of(false, false, false, true))
                .as(RowSpec::new);
    }

    @Provide
    static Arbitrary<FileSpec> files() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true),
                Arbitraries.of(HeaderShape.class).injectDuplicates(0.5), Arbitraries.longs(), rowSpec().list().ofMaxSize(8))
                .as(FileSpec::new);
    }

    // ---- rendering a file ---------------------------------------------------------------------------------------------

    /** The file's columns in order: the contract's, changed as the header shape says. */
    static List<String> columns(FileSpec f) {
        List<String> cols = new ArrayList<>(COLUMNS);
        switch (f.header()) {
            case SHUFFLED -> java.util.Collections.shuffle(cols, new java.util.Random(f.shuffleSeed()));
            case OPTIONAL_DROPPED -> cols.removeAll(List.of("version", "trader_id", "quantity", "quantity_unit", "net_weight_kg"));
            case REQUIRED_DROPPED -> cols.remove("value");
            case EXTRA_COLUMN -> cols.add(3, "port_code");
            default -> { }
        }
        return cols;
    }

    static String headerLine(FileSpec f) {
        List<String> cols = columns(f);
        if (f.header() == HeaderShape.UPPER_CASE_WITH_SPACES) {
            cols = cols.stream().map(c -> c.toUpperCase(Locale.ROOT).replace('_', ' ')).toList();
        }
        return String.join(",", cols);
    }

    /** One row's text: the valid values in the file's column order, then the damage. */
    static String rowLine(FileSpec f, RowSpec r) {
        List<String> cols = columns(f);
        List<String> fields = new ArrayList<>();
        for (String c : cols) {
            int i = COLUMNS.indexOf(c);
            fields.add(i >= 0 ? r.fields().get(i) : "PUS");
        }
        for (Mutation m : r.mutations()) {
            int n = fields.size();
            switch (m.kind()) {
                case DROP -> {
                    if (n > 0) {
                        fields.remove(m.i() % n);
                    }
                }
                case DUPLICATE -> {
                    if (n > 0) {
                        fields.add(m.i() % n, fields.get(m.i() % n));
                    }
                }
                case SWAP -> {
                    if (n > 1) {
                        java.util.Collections.swap(fields, m.i() % n, m.j() % n);
                    }
                }
                case REPLACE_RAW -> {
                    if (n > 0) {
                        fields.set(m.i() % n, m.garbage());
                    }
                }
                case REPLACE_QUOTED -> {
                    if (n > 0) {
                        fields.set(m.i() % n, "\"" + m.garbage().replace("\"", "\"\"") + "\"");
                    }
                }
                case APPEND_RAW -> fields.add(m.garbage());
                case INSERT_RAW_INTO -> {
                    if (n > 0) {
                        String v = fields.get(m.i() % n);
                        int at = v.isEmpty() ? 0 : m.j() % (v.length() + 1);
                        fields.set(m.i() % n, v.substring(0, at) + m.garbage() + v.substring(at));
                    }
                }
            }
        }
        return String.join(",", fields);
    }

    static byte[] bytes(FileSpec f) {
        String eol = f.crlf() ? "\r\n" : "\n";
        StringBuilder s = new StringBuilder(f.bom() ? "\uFEFF" : "").append(headerLine(f)).append(eol);
        for (RowSpec r : f.rows()) {
            s.append(rowLine(f, r)).append(eol);
            if (r.blankLineAfter()) {
                s.append(eol);
            }
        }
        return encode(s.toString());
    }

    /** UTF-8, except the stand-in characters U+E000..U+E003, which become bytes that are not UTF-8. */
    static byte[] encode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\uE000' -> out.write(0xFC);                                 // Latin-1 u-umlaut
                case '\uE001' -> out.writeBytes(new byte[]{(byte) 0xC0, (byte) 0xAF}); // overlong '/'
                case '\uE002' -> out.write(0x80);                                 // a lone continuation byte
                case '\uE003' -> out.writeBytes(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a surrogate
                default -> {
                    int cp = Character.codePointAt(s, i);
                    if (Character.charCount(cp) == 2) {
                        i++;
                    }
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out.toByteArray();
    }

    // ---- reading ------------------------------------------------------------------------------------------------------

    private static LandingFileReader reader;

    static synchronized LandingFileReader reader() {
        if (reader == null) {
            reader = LandingFileReader.create(SharedSpark.session(), EwsConfig.defaults().ingest().maxLinesPerRecord());
        }
        return reader;
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> read(Path file, String reporter) {
        List<Row> rows = new ArrayList<>();
        reader().read(new LandingFile(Feed.CUSTOMS, reporter, LANDING, file.toUri().toString(),
                FileFormat.of(file.getFileName().toString()))).forEachRemaining(rows::add);
        return rows;
    }

    static int field(String name) {
        return RawRows.schema(Feed.CUSTOMS).fieldIndex(name);
    }

    /** Lines without carriage returns, blank ones dropped: what the records of a file must add up to. */
    static List<String> nonBlankLines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.replace("\r", "").split("\n", -1)) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    static String decoded(byte[] content) {
        try (InputStreamReader r = new InputStreamReader(new java.io.ByteArrayInputStream(content), StandardCharsets.UTF_8)) {
            StringBuilder s = new StringBuilder();
            char[] buf = new char[4096];
            for (int n; (n = r.read(buf)) >= 0; ) {
                s.append(buf, 0, n);
            }
            return s.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- properties ---------------------------------------------------------------------------------------------------

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void theReaderNeverThrowsAndEveryLineEndsInExactlyOneRecord(@ForAll("files") FileSpec spec) {
        byte[] content = bytes(spec);
        Path file = write(TMP.resolve("reader").resolve("a.csv"), content);
        List<Row> rows = read(file, "KR"); // throws on a failure to read: the property fails with it

        boolean fileLevel = rows.size() == 1 && rows.get(0).isNullAt(field("source_row"));
        if (fileLevel) {
            assertNotNull(rows.get(0).getString(field(RawRows.PROBLEM_CODE)), "a file-level entry has a reason");
            return;
        }
        assertTrue(spec.header() != HeaderShape.REQUIRED_DROPPED, "a header without a required column rejects the file");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i + 1L, r.getLong(field("source_row")), "records are numbered 1, 2, ... without gaps");
            texts.add(r.getString(field("row_text")));
        }
        // Every physical line after the header is in exactly one record's text, in order; none is lost or read twice.
        // (Carriage returns aside: a record drops the one that ends it and keeps those inside its quoted values.)
        List<String> lines = nonBlankLines(decoded(content));
        List<String> body = lines.subList(1, lines.size());
        assertEquals(body, nonBlankLines(String.join("\n", texts)));
    }

    @Provide
    static Arbitrary<List<String>> jsonLines() {
        Arbitrary<String> line = Combinators.combine(validRow(), Arbitraries.of(GARBAGE), Arbitraries.integers().between(0, 16),
                Arbitraries.of(0, 1, 2, 3)).as((values, garbage, at, how) -> {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < COLUMNS.size(); i++) {
                String v = i == at && how == 1 ? garbage : values.get(i);
                s.append(i == 0 ? "" : ",").append('"').append(COLUMNS.get(i)).append("\":\"")
                        .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")).append('"');
            }
            String json = s.append('}').toString();
            return switch (how) {
                case 2 -> json.substring(0, Math.min(at * 7, json.length()));    // cut short
                case 3 -> json.substring(0, Math.min(at * 5, json.length())) + garbage + json.substring(Math.min(at * 5, json.length()));
                default -> json;
            };
        });
        return line.list().ofMaxSize(8);
    }

    @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
    void aJsonLinesFileGivesOneRowPerNonBlankLine(@ForAll("jsonLines") List<String> lines) {
        byte[] content = encode(String.join("\n", lines) + "\n");
        List<Row> rows = read(write(TMP.resolve("reader").resolve("a.jsonl"), content), "US");
        long expected = decoded(content).lines().filter(l -> !l.isBlank()).count();
        assertEquals(expected, rows.size(), "one row per non-blank line");
        for (Row r : rows) {
            assertFalse(r.isNullAt(field("source_row")), "no file-level entry for a file that is not empty: " + r);
        }
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void theRulesKeepEveryRowAndAcceptOnlyRowsThatMeetTheContract(@ForAll("files") FileSpec spec) {
        Path file = write(TMP.resolve("rules").resolve("a.csv"), bytes(spec));
        List<Row> raw = read(file, "KR");
        SparkSession spark = SharedSpark.session();
        List<Row> checked = CustomsRules.validate(spark.createDataFrame(raw, RawRows.schema(Feed.CUSTOMS)),
                EwsConfig.defaults().ingest().maxFilingLagDays()).collectAsList();
        assertEquals(raw.size(), checked.size(), "every record is exactly one row, accepted or quarantined");
        assertEquals(raw.stream().map(r -> r.isNullAt(field("source_row")) ? -1L : r.getLong(field("source_row"))).sorted().toList(),
                checked.stream().map(r -> r.<Long>getAs("source_row") == null ? -1L : r.<Long>getAs("source_row")).sorted().toList());
        Date landing = Date.valueOf(LANDING);
        Date oldest = Date.valueOf(LANDING.minusDays(EwsConfig.defaults().ingest().maxFilingLagDays()));
        for (Row r : checked) {
            String code = r.getAs("reason_code");
            assertEquals(code == null, r.getAs("reason") == null, "a reason with every reason code: " + r);
            if (code != null) {
                assertTrue(r.<String>getAs("reason").startsWith(code + ": "), r.<String>getAs("reason"));
                continue;
            }
            String what = "accepted " + r.getAs("row_text");
            for (String c : List.of("declaration_id", "flow", "hs_code", "partner_country", "trader_name", "currency")) {
                assertFalse(r.<String>getAs(c) == null || r.<String>getAs(c).isBlank(), c + " of " + what);
            }
            assertTrue(r.<Integer>getAs("line_no") >= 1 && r.<Integer>getAs("version") >= 1, what);
            assertTrue(List.of("I", "X").contains(r.<String>getAs("flow")), what);
            Date d = r.getAs("declaration_date");
            assertTrue(d != null && !d.after(landing) && !d.before(oldest), what);
            assertTrue(r.<String>getAs("hs_code").replaceAll("[.\\s]", "").matches("[0-9]{6,10}"), what);
            assertTrue(r.<String>getAs("currency").matches("[A-Z]{3}"), what);
            assertTrue(r.<BigDecimal>getAs("value").signum() >= 0, what);
            for (String c : List.of("quantity", "net_weight_kg")) {
                BigDecimal v = r.getAs(c);
                assertTrue(v == null || v.signum() >= 0, c + " of " + what);
            }
            assertTrue(r.<String>getAs("row_text").indexOf('\uFFFD') < 0, "no accepted row holds bytes that were not UTF-8: " + what);
        }
    }

    @Provide
    static Arbitrary<List<FileSpec>> landingDays() {
        return files().list().ofMinSize(1).ofMaxSize(3);
    }

    private static int ingestRuns;

    /**
     * A landing day of mutated files through the launcher's ingest (the gate's limits lifted): what ops.runs says came in
     * is what the reader finds in the files, and it all went out or into the quarantine. Two tries, each a run into
     * the warehouse the corpus test uses too (a first run creates every table, which costs more than the run itself):
     * the day's slices of DE, FR and GB (the corpus has none) are replaced each time, and each try judges the rows its
     * own run id wrote.
     */
    @Property(tries = 2, shrinking = ShrinkingMode.OFF)
    void throughIngestRowsInIsRowsOutPlusRowsQuarantined(@ForAll("landingDays") List<FileSpec> day) throws IOException {
        Path warehouse = BadInputWarehouse.get();
        ingestRuns++;
        String runId = "prop-" + ingestRuns;
        Path landing = TMP.resolve("ingest-landing");
        Dirs.delete(landing);
        long records = 0;
        for (int i = 0; i < day.size(); i++) {
            String name = "part-" + i + (i == 2 ? ".csv.gz" : ".csv");
            byte[] content = i == 2 ? gzip(bytes(day.get(i))) : bytes(day.get(i));
            Path file = write(landing.resolve("customs/reporter=" + REPORTERS.get(i) + "/date=" + LANDING + "/" + name), content);
            records += read(file, REPORTERS.get(i)).size();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"ingest", "--date", LANDING.toString(), "--landing", landing.toString(),
                        "--warehouse", warehouse.toString(), "--run-id", runId, "--set", "ingest.max_bad_row_share=1",
                        "--set", "ingest.max_unreadable_files=1000"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.ENV);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        SparkSession spark = SharedSpark.session();
        Row run = spark.read().format("delta").load(warehouse.resolve("ops/runs").toUri().toString())
                .where(col("stage").equalTo("ingest").and(col("run_id").equalTo(runId))).head();
        long in = run.getAs("rows_in");
        long out = run.getAs("rows_out");
        long quarantined = run.getAs("rows_quarantined");
        assertEquals(records, in, "rows_in is every record the files hold (a file-level problem counts one)");
        assertEquals(in, out + quarantined, "rows_in = rows_out + rows_quarantined");
        assertEquals(out, spark.read().format("delta").load(warehouse.resolve("bronze/customs_lines").toUri().toString())
                .where(col("run_id").equalTo(runId)).count());
        assertEquals(quarantined, spark.read().format("delta").load(warehouse.resolve("bronze/quarantine").toUri().toString())
                .where(col("run_id").equalTo(runId)).count());
    }

    private static final List<String> REPORTERS = List.of("DE", "FR", "GB");

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }
}
