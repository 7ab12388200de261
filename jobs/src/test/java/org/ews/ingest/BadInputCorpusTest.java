package org.ews.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.config.EwsConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The bad-input corpus ({@code src/test/resources/corpus}): every kind of bad row, bad file and schema drift the
 * contract can meet, one small file per case, against the outcomes written by hand in {@code corpus/EXPECTED.txt}.
 * Read with the reader and checked with the rules directly (fast, every mismatch listed at once), then once more as a
 * whole landing day through the launcher's ingest, where the quarantine, bronze and ops.runs must agree with the table.
 */
@ExtendWith(SharedSpark.class)
class BadInputCorpusTest {
    static final LocalDate LANDING_DATE = LocalDate.parse("2024-03-01");
    private static final Path CORPUS = corpusDir();

    /** One record's fate: {@code row} null for a whole-file entry, {@code code} null when accepted. */
    record Outcome(Long row, String code, List<String> mentions) {
        String label() {
            return (row == null ? "file" : row.toString()) + "=" + (code == null ? "ok" : code);
        }
    }

    record Case(String file, String reporter, List<Outcome> expected) {
        /** The name it lands under: the corpus path flattened, its suffix (the format) kept. */
        String landedName() {
            return file.replace('/', '-');
        }
    }

    private static List<Case> cases;

    @BeforeAll
    static void readManifest() {
        cases = manifest();
    }

    static Path corpusDir() {
        try {
            return Path.of(Objects.requireNonNull(BadInputCorpusTest.class.getClassLoader().getResource("corpus/EXPECTED.txt"),
                    "corpus/EXPECTED.txt on the test class path").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> manifest() {
        List<Case> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(CORPUS.resolve("EXPECTED.txt"), StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] words = l.split("\\s+");
                List<Outcome> outcomes = new ArrayList<>();
                for (String w : Arrays.copyOfRange(words, 2, words.length)) {
                    if (w.equals("none")) {
                        continue;
                    }
                    String[] rowAndRest = w.split("=", 2);
                    String[] codeAndText = rowAndRest[1].split("/", 2);
                    List<String> mentions = codeAndText.length < 2 ? List.of()
                            : Arrays.stream(codeAndText[1].split("\\|")).map(s -> s.replace('~', ' ')).toList();
                    outcomes.add(new Outcome(rowAndRest[0].equals("file") ? null : Long.parseLong(rowAndRest[0]),
                            codeAndText[0].equals("ok") ? null : codeAndText[0], mentions));
                }
                out.add(new Case(words[0], words[1], outcomes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The corpus as one landing day: customs/reporter=R/date=2024-03-01/<flattened name>. */
    static Path land(Path root, List<Case> cases) {
        for (Case c : cases) {
            Path target = root.resolve("customs/reporter=" + c.reporter() + "/date=" + LANDING_DATE + "/" + c.landedName());
            try {
                Files.createDirectories(target.getParent());
                Files.copy(CORPUS.resolve(c.file()), target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    @TempDir
    Path dir;

    @Test
    void everyFileOfTheCorpusHasItsExpectedOutcomeAndEveryCaseItsFile() throws IOException {
        TreeSet<String> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile).map(p -> CORPUS.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("EXPECTED.txt") && !p.equals("README.md") && !p.equals(".gitattributes"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> listed = cases.stream().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, listed, "corpus files and EXPECTED.txt lines");
        assertEquals(cases.size(), listed.size(), "a file listed twice in EXPECTED.txt");
        assertEquals(cases.size(), cases.stream().map(Case::landedName).distinct().count());
    }

    @Test
    void eachCaseEndsAsWrittenInTheManifest() {
        SparkSession spark = SharedSpark.session();
        Path landing = land(dir.resolve("landing"), cases);
        LandingFileReader reader = LandingFileReader.create(spark, EwsConfig.defaults().ingest().maxLinesPerRecord());
        List<Row> raw = new ArrayList<>();
        for (Case c : cases) {
            Path p = landing.resolve("customs/reporter=" + c.reporter() + "/date=" + LANDING_DATE + "/" + c.landedName());
            reader.read(new LandingFile(Feed.CUSTOMS, c.reporter(), LANDING_DATE, p.toUri().toString(),
                    FileFormat.of(p.getFileName().toString()))).forEachRemaining(raw::add);
        }
        List<Row> checked = CustomsRules.validate(spark.createDataFrame(raw, RawRows.schema(Feed.CUSTOMS)),
                EwsConfig.defaults().ingest().maxFilingLagDays()).collectAsList();
        Map<String, List<Row>> byFile = new TreeMap<>();
        for (Row r : checked) {
            String source = r.getAs("source_file");
            byFile.computeIfAbsent(source.substring(source.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(r);
        }

        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            List<Row> rows = new ArrayList<>(byFile.getOrDefault(c.landedName(), List.of()));
            rows.sort(java.util.Comparator.comparing(r -> r.<Long>getAs("source_row") == null ? 0L : r.<Long>getAs("source_row")));
            List<String> actual = rows.stream().map(r -> outcome(r).label()).toList();
            List<String> expected = c.expected().stream().map(Outcome::label).toList();
            if (!actual.equals(expected)) {
                mismatches.add(c.file() + "\n    expected " + expected + "\n    got      " + actual + "\n    reasons  "
                        + rows.stream().map(r -> String.valueOf(r.<String>getAs("reason"))).toList());
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                String reason = rows.get(i).getAs("reason");
                for (String m : c.expected().get(i).mentions()) {
                    if (reason == null || !reason.contains(m)) {
                        mismatches.add(c.file() + " " + c.expected().get(i).label() + ": reason should mention '" + m + "': " + reason);
                    }
                }
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + cases.size() + " cases differ:\n" + String.join("\n", mismatches));

        // Values, where the case is about what a value becomes rather than whether the row passes.
        Map<String, Row> ok = new LinkedHashMap<>();
        byFile.forEach((file, rows) -> rows.stream().filter(r -> r.getAs("reason_code") == null)
                .forEach(r -> ok.put(file + "#" + r.getAs("source_row"), r)));
        String q = "row-embedded-newlines-quotes.csv#";
        assertEquals("Line one\nline two", ok.get(q + 1).getAs("trader_name"));
        assertEquals("He said \"no\"", ok.get(q + 2).getAs("trader_name"));
        assertEquals("Pipe 12\" x 4", ok.get(q + 3).getAs("trader_name"));
        assertEquals("ACME, Inc.", ok.get(q + 4).getAs("trader_name"));
        assertEquals("Line one\r\nline two", ok.get(q + 5).getAs("trader_name"), "a line end inside quotes is kept as received");
        assertEquals("Q8", ok.get(q + 8).getAs("declaration_id"), "the line after an unclosed quote is read again");
        assertEquals("OK1", ok.get("row-bom.csv#1").getAs("declaration_id"), "the byte-order mark is not part of the first name");
        assertAmount("12.5", ok.get("row-crlf.csv#1").getAs("net_weight_kg"));
        assertNull(ok.get("row-crlf.csv#3").getAs("net_weight_kg"), "an empty last field before CRLF is empty, not \\r");
        assertEquals("Müller GmbH", ok.get("row-non-utf8.csv#5").getAs("trader_name"));
        assertAmount("12", ok.get("row-unparsable-number.csv#14").getAs("value"));
        assertAmount("1000", ok.get("row-jsonl-lines.jsonl#7").getAs("value"), "JSON's 1e3 is the number 1000");
        assertEquals("X", ok.get("row-unknown-code.csv#4").getAs("flow"));
        assertEquals("USD", ok.get("row-unknown-code.csv#11").getAs("currency"));
        assertEquals("EUR", ok.get("drift-columns-reordered.csv#1").getAs("currency"));
        assertAmount("1000.50", ok.get("drift-columns-reordered.csv#1").getAs("value"));
        assertEquals("OK1", ok.get("drift-columns-reordered.csv#1").getAs("declaration_id"));
        assertEquals(java.sql.Date.valueOf("2024-02-28"), ok.get("drift-header-case-and-spacing.csv#1").getAs("declaration_date"));
        assertAmount("12.5", ok.get("drift-header-case-and-spacing.csv#1").getAs("net_weight_kg"));
        assertEquals(1, (int) ok.get("drift-optional-columns-missing.csv#1").getAs("version"), "version defaults to 1");
        assertNull(ok.get("drift-optional-columns-missing.csv#1").getAs("quantity"));
        assertEquals(Map.of("port_code", "PUS", "customs_office", "Busan"), javaMap(ok.get("drift-extra-columns.csv#1")));
        assertNull(ok.get("drift-extra-columns.csv#2").getAs("extra_columns"), "empty extra values are not kept");
        assertEquals("J1", ok.get("drift-jsonl-other-names.jsonl#1").getAs("declaration_id"));
        assertEquals("ACME", ok.get("drift-jsonl-other-names.jsonl#1").getAs("trader_name"));
        assertEquals(Map.of("port_code", "PUS"), javaMap(ok.get("drift-jsonl-other-names.jsonl#1")));
        Row parquet = ok.get("drift-parquet-typed-reordered.parquet#1");
        assertAmount("1000.50", parquet.getAs("value"));
        assertAmount("2.5", parquet.getAs("quantity"));
        assertEquals(java.sql.Date.valueOf("2024-02-28"), parquet.getAs("declaration_date"));
        assertEquals(Map.of("port_code", "PUS"), javaMap(parquet));
    }

    /**
     * The corpus as one landing day through {@code bin/ews ingest}: the gate's limits are lifted (the corpus is nearly all
     * bad on purpose), and then every record lands exactly once, in bronze or in the quarantine, as the table says.
     */
    @Test
    void theWholeCorpusThroughIngestLandsEveryRecordOnceAsTheManifestSays() {
        Path landing = land(dir.resolve("landing"), cases);
        Path warehouse = BadInputWarehouse.get();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"ingest", "--date", LANDING_DATE.toString(), "--landing", landing.toString(),
                        "--warehouse", warehouse.toString(), "--run-id", "corpus", "--set", "ingest.max_bad_row_share=1",
                        "--set", "ingest.max_unreadable_files=1000"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                org.ews.testing.TestEnv.ENV);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        TreeSet<String> expectedBad = new TreeSet<>();
        TreeSet<String> expectedGood = new TreeSet<>();
        for (Case c : cases) {
            for (Outcome o : c.expected()) {
                String key = c.landedName() + "#" + (o.row() == null ? "file" : o.row());
                if (o.code() == null) {
                    expectedGood.add(key);
                } else {
                    expectedBad.add(key + " " + o.code());
                }
            }
        }
        SparkSession spark = SharedSpark.session();
        Dataset<Row> quarantine = spark.read().format("delta").load(warehouse.resolve("bronze/quarantine").toUri().toString())
                .where(col("run_id").equalTo("corpus"));
        TreeSet<String> bad = quarantine.collectAsList().stream().map(r -> key(r) + " " + r.getAs("reason_code"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expectedBad, bad);
        assertEquals(expectedBad.size(), quarantine.count(), "one quarantine row per bad record");
        Dataset<Row> lines = spark.read().format("delta").load(warehouse.resolve("bronze/customs_lines").toUri().toString())
                .where(col("run_id").equalTo("corpus"));
        TreeSet<String> good = lines.collectAsList().stream().map(BadInputCorpusTest::key).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expectedGood, good);
        assertEquals(expectedGood.size(), lines.count());

        Row run = spark.read().format("delta").load(warehouse.resolve("ops/runs").toUri().toString())
                .where(col("run_id").equalTo("corpus").and(col("stage").equalTo("ingest"))).head();
        assertEquals("succeeded", run.getAs("status"));
        assertEquals(expectedGood.size() + expectedBad.size(), (long) run.getAs("rows_in"));
        assertEquals(expectedGood.size(), (long) run.getAs("rows_out"));
        assertEquals(expectedBad.size(), (long) run.getAs("rows_quarantined"));
    }

    private static String key(Row r) {
        String source = r.getAs("source_file");
        Long row = r.getAs("source_row");
        return source.substring(source.lastIndexOf('/') + 1) + "#" + (row == null ? "file" : row);
    }

    private static Outcome outcome(Row r) {
        return new Outcome(r.getAs("source_row"), r.getAs("reason_code"), List.of());
    }

    private static Map<String, String> javaMap(Row r) {
        scala.collection.Map<String, String> m = r.getAs("extra_columns");
        return m == null ? null : scala.collection.JavaConverters.mapAsJavaMapConverter(m).asJava();
    }

    private static void assertAmount(String expected, Object actual) {
        assertAmount(expected, actual, "");
    }

    private static void assertAmount(String expected, Object actual, String why) {
        assertNotNull(actual, "expected " + expected + " " + why);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual), "expected " + expected + ", got " + actual + " " + why);
    }
}
