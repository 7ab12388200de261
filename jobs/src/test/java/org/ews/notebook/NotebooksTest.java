package org.ews.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.testing.GeneratedRun;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * CI runs every analyst notebook: each {@code notebooks/*.ipynb} goes through {@code bin/ews notebook} against the
 * shared generated warehouse (2023-11-01..2024-01-10) and must exit 0 with a CSV for every SQL cell; for each notebook
 * one cell's CSV is compared with a query this test writes itself through the DataFrame API. A notebook added without
 * such a check fails here until one is written.
 */
@ExtendWith(SharedSpark.class)
class NotebooksTest {
    private static final Path NOTEBOOKS = Path.of("..", "notebooks");
    private static final String DATE = GeneratedRun.LAST_DATE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GeneratedRun run;
    private static SparkSession spark;
    private static String reporter;
    private static String hs6;

    /** Per notebook: the slug (heading) of the cell checked, and the check of its CSV rows. */
    private static final Map<String, Map.Entry<String, BiConsumer<List<String>, List<Map<String, String>>>>> CHECKS = Map.of(
            "01-exposure-overview", Map.entry("sector-exposure-in-the-year", NotebooksTest::sectorExposure),
            "02-product-drilldown", Map.entry("suppliers-over-the-last-12-months", NotebooksTest::suppliers),
            "03-monthly-alerts", Map.entry("what-was-judged", NotebooksTest::coverage),
            "04-firm-exposure", Map.entry("exposure-by-sector", NotebooksTest::firmExposure));

    @BeforeAll
    static void warehouse() {
        run = GeneratedRun.get();
        spark = SharedSpark.session();
        // The reporter and strategic product with the largest imports in the data: they have suppliers, windows, groups.
        Dataset<Row> strategic = spark.read().format("delta").load(run.table("silver", "hs6_sectors")).select("hs6").distinct();
        Row top = gold("trade_monthly").where("flow = 'I'").join(strategic, "hs6").groupBy("reporter", "hs6")
                .agg(sum("value_usd").as("v")).orderBy(desc("v"), asc("reporter"), asc("hs6")).first();
        reporter = top.getString(0);
        hs6 = top.getString(1);
    }

    private static Dataset<Row> gold(String table) {
        return spark.read().format("delta").load(run.table("gold", table));
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsOnTheGeneratedWarehouse() throws Exception {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            notebooks = files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 4, "notebooks found: " + notebooks);
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> runAndCheck(nb)));
    }

    private void runAndCheck(Path notebook) throws Exception {
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        assertTrue(CHECKS.containsKey(name), name + " has no independent check in NotebooksTest");
        JsonNode source = JSON.readTree(notebook.toFile());
        List<Integer> sqlCells = new ArrayList<>();
        List<String> declared = new ArrayList<>();
        int n = 0;
        for (JsonNode cell : source.path("cells")) {
            n++;
            String text = Notebook.text(cell.path("source"));
            if (cell.path("cell_type").asText().equals("code") && text.stripLeading().startsWith("%%sql")) {
                sqlCells.add(n);
            }
            cell.path("metadata").path("tags").forEach(t -> {
                if (t.asText().equals("parameters")) {
                    text.lines().map(l -> l.split("=")[0].strip()).filter(k -> !k.startsWith("#") && !k.isEmpty()).forEach(declared::add);
                }
            });
        }
        assertTrue(declared.contains("date"), name + ": the parameters cell assigns date");

        Path out = Path.of("target", "notebooks-test", name);
        List<String> args = new ArrayList<>(List.of("notebook", notebook.toString(), "--warehouse", run.warehouse().toString(),
                "--out", out.toString(), "--param", "date=" + DATE));
        if (declared.contains("reporter")) {
            args.addAll(List.of("--param", "reporter=" + reporter));
        }
        if (declared.contains("hs6")) {
            args.addAll(List.of("--param", "hs6=" + hs6));
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int exit = Main.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), TestEnv.ENV);
        System.out.print(stdout.toString(StandardCharsets.UTF_8));
        System.out.printf("%s: exit %d in %.1f s%n", name, exit, (System.nanoTime() - t0) / 1e9);
        assertEquals(0, exit, name + ": " + stderr.toString(StandardCharsets.UTF_8));

        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        List<Integer> ran = new ArrayList<>();
        Map<String, JsonNode> bySlug = new HashMap<>();
        for (JsonNode c : manifest.path("cells")) {
            ran.add(c.path("cell").asInt());
            bySlug.putIfAbsent(c.path("slug").asText(), c);
            Path csv = out.resolve(c.path("csv").asText());
            assertTrue(c.path("csv").asText().startsWith(String.format("%02d-", c.path("cell").asInt())), c.toString());
            assertTrue(Files.isRegularFile(csv), "no CSV for cell " + c.path("cell") + " of " + name);
            List<String> header = new ArrayList<>();
            c.path("columns").forEach(col -> header.add(col.asText()));
            Csv parsed = csv(csv);
            assertEquals(header, parsed.header(), csv.toString());
            assertEquals(c.path("rows").asLong(), parsed.rows().size(), csv.toString());
            c.path("charts").forEach(svg -> assertTrue(Files.isRegularFile(out.resolve(svg.asText())), svg.asText()));
        }
        assertEquals(sqlCells, ran, name + ": every SQL cell ran and wrote a CSV");
        assertTrue(Files.isRegularFile(out.resolve(name + ".html")));
        assertEquals(sqlCells.size(), countExecuted(JSON.readTree(out.resolve(name + ".ipynb").toFile())));

        var check = CHECKS.get(name);
        JsonNode cell = bySlug.get(check.getKey());
        assertNotNull(cell, name + ": no cell under the heading slug " + check.getKey() + " (slugs: " + bySlug.keySet() + ")");
        Csv csv = csv(out.resolve(cell.path("csv").asText()));
        check.getValue().accept(csv.header(), csv.rows());
    }

    private static int countExecuted(JsonNode executed) {
        int k = 0;
        for (JsonNode c : executed.path("cells")) {
            k += c.path("execution_count").isInt() ? 1 : 0;
        }
        return k;
    }

    private record Csv(List<String> header, List<Map<String, String>> rows) {}

    private static Csv csv(Path file) throws Exception {
        CsvParserSettings s = new CsvParserSettings();
        s.getFormat().setLineSeparator("\r\n");
        s.setNullValue("");
        s.setMaxCharsPerColumn(-1);
        List<String[]> lines = new CsvParser(s).parseAll(Files.newBufferedReader(file, StandardCharsets.UTF_8));
        List<String> header = List.of(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String[] l : lines.subList(1, lines.size())) {
            Map<String, String> r = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                r.put(header.get(i), i < l.length ? l[i] : "");
            }
            rows.add(r);
        }
        return new Csv(header, rows);
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    /** Sector exposure in the year of the date: the same rows and the same total imports as the table holds. */
    private static void sectorExposure(List<String> header, List<Map<String, String>> rows) {
        Dataset<Row> year = gold("sector_exposure").where("year = 2024");
        assertTrue(year.count() > 0, "the generated warehouse has sector exposure for 2024");
        assertEquals(year.count(), rows.size());
        BigDecimal expected = year.agg(sum("import_value_usd")).first().getDecimal(0);
        BigDecimal actual = rows.stream().map(r -> dec(r.get("import_value_usd"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, expected.compareTo(actual), "sum of import_value_usd: " + expected + " vs " + actual);
        Map<String, String> hhi = new TreeMap<>();
        year.collectAsList().forEach(r -> hhi.put(r.getAs("reporter") + "/" + r.getAs("sector"), String.valueOf((Double) r.getAs("hhi"))));
        Map<String, String> got = new TreeMap<>();
        rows.forEach(r -> got.put(r.get("reporter") + "/" + r.get("sector"), String.valueOf(Double.parseDouble(r.get("hhi")))));
        assertEquals(hhi, got);
    }

    /** Suppliers over the 12 months to the date: imports by partner, summed here from the monthly cube. */
    private static void suppliers(List<String> header, List<Map<String, String>> rows) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        gold("trade_monthly")
                .where(col("reporter").equalTo(reporter).and(col("flow").equalTo("I")).and(col("hs6").equalTo(hs6))
                        .and(col("month").gt(lit("2023-01-01").cast("date"))).and(col("month").leq(lit(DATE).cast("date"))))
                .groupBy("partner").agg(sum("value_usd")).collectAsList()
                .forEach(r -> expected.put(r.getString(0), r.getDecimal(1)));
        assertFalse(expected.isEmpty(), reporter + " " + hs6 + " has imports");
        Map<String, BigDecimal> actual = new TreeMap<>();
        rows.forEach(r -> actual.put(r.get("partner"), dec(r.get("value_usd"))));
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((p, v) -> assertEquals(0, v.compareTo(actual.get(p)), p + ": " + v + " vs " + actual.get(p)));
        double shares = rows.stream().mapToDouble(r -> Double.parseDouble(r.get("share"))).sum();
        assertEquals(1.0, shares, 1e-9);
    }

    /** What was judged: series judged per reporter, flow and level in the latest judged month up to the date. */
    private static void coverage(List<String> header, List<Map<String, String>> rows) {
        Dataset<Row> coverage = spark.read().format("delta").load(run.table("gold", "anomaly_coverage"));
        Row month = coverage.where(col("month").leq(lit("2024-01-01").cast("date"))).agg(max("month")).first();
        assertFalse(month.isNullAt(0), "the generated warehouse has a judged month");
        Map<String, Long> expected = new TreeMap<>();
        coverage.where(col("month").equalTo(month.get(0))).groupBy("reporter", "flow", "level").agg(sum("series_judged"), count(lit(1)))
                .collectAsList().forEach(r -> expected.put(r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2) + " " + r.getLong(4),
                        r.getLong(3)));
        Map<String, Long> actual = new TreeMap<>();
        rows.forEach(r -> {
            assertEquals(month.get(0).toString(), r.get("month"));
            actual.put(r.get("reporter") + "/" + r.get("flow") + "/" + r.get("level") + " " + r.get("products_or_sectors"),
                    Long.parseLong(r.get("series_judged")));
        });
        assertEquals(expected, actual);
    }

    /** Exposure by sector: groups and exposed groups of the reporter in the year, counted here from the table. */
    private static void firmExposure(List<String> header, List<Map<String, String>> rows) {
        Map<String, String> expected = new TreeMap<>();
        gold("firm_exposure").where(col("reporter").equalTo(reporter).and(col("year").equalTo(2024)))
                .groupBy("sector").agg(count(lit(1)), sum(when(col("is_exposed"), 1).otherwise(0)))
                .collectAsList().forEach(r -> expected.put(r.getString(0), r.getLong(1) + " groups, " + r.getLong(2) + " exposed"));
        assertFalse(expected.isEmpty(), reporter + " has firm exposure in 2024");
        Map<String, String> actual = new TreeMap<>();
        rows.forEach(r -> actual.put(r.get("sector"), r.get("groups") + " groups, " + r.get("exposed_groups") + " exposed"));
        assertEquals(expected, actual);
    }
}
