package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;
import org.ews.testing.GeneratedRun;
import org.ews.testing.Dirs;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Gold on generated data ({@link GeneratedRun}), judged two ways. Against the generator's truth: the product metrics
 * recomputed here in plain Java from {@code truth/lines.csv.gz} (every valid line at its final version, with its true
 * partner and USD value), and sector totals as the bridge-weighted sums of their products. And against itself: the
 * incremental runs (backfill, a nightly run that relinks history, a backfill that closes a month) must leave exactly
 * what one full recompute over the same silver leaves.
 */
@ExtendWith(SharedSpark.class)
class MetricsAgainstGeneratedTruthTest {
    private final SparkSession spark = SharedSpark.session();

    /** Imports by (reporter, hs6, year) and partner, in USD, from the truth file. */
    private static Map<String, Map<String, Double>> truthImports(Path truth) throws IOException {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(truth)),
                StandardCharsets.UTF_8))) {
            List<String> header = List.of(in.readLine().split(","));
            int reporter = header.indexOf("reporter"), flow = header.indexOf("flow"), date = header.indexOf("declaration_date"),
                    hs6 = header.indexOf("hs6"), partner = header.indexOf("partner_iso2"), value = header.indexOf("value_usd");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",", -1);
                if (f[flow].equals("I")) {
                    out.computeIfAbsent(f[reporter] + " " + f[hs6] + " " + f[date].substring(0, 4), k -> new TreeMap<>())
                            .merge(f[partner], Double.parseDouble(f[value]), Double::sum);
                }
            }
        }
        return out;
    }

    @Test
    void productMetricsEqualAnIndependentComputationFromTheTruthLines() throws IOException {
        GeneratedRun run = GeneratedRun.get();
        Map<String, Map<String, Double>> truth = truthImports(run.landing().resolve("truth/lines.csv.gz"));
        List<String> concern = EwsConfig.defaults().countryGroup("concern");
        Map<String, Row> gold = new HashMap<>();
        spark.read().format("delta").load(run.table("gold", "product_dependency")).collectAsList()
                .forEach(r -> gold.put(r.getAs("reporter") + " " + r.getAs("hs6") + " " + r.getAs("year"), r));
        assertEquals(truth.keySet(), new java.util.TreeSet<>(gold.keySet()), "one gold row per product and year with imports");
        assertTrue(truth.size() > 100, "enough products to judge: " + truth.size());
        for (Map.Entry<String, Map<String, Double>> e : truth.entrySet()) {
            double total = e.getValue().values().stream().mapToDouble(Double::doubleValue).sum();
            double hhi = 0, top = 0, concernShare = 0;
            for (Map.Entry<String, Double> p : e.getValue().entrySet()) {
                double s = p.getValue() / total;
                hhi += s * s;
                top = Math.max(top, s);
                concernShare += concern.contains(p.getKey()) ? s : 0;
            }
            Row g = gold.get(e.getKey());
            assertEquals(hhi, g.getAs("hhi"), 1e-6, "hhi " + e.getKey());
            assertEquals(top, g.getAs("top_partner_share"), 1e-6, "top share " + e.getKey());
            assertEquals(concernShare, g.getAs("concern_share"), 1e-6, "concern share " + e.getKey());
            assertEquals(e.getValue().size(), (long) g.getAs("partners"), "partners " + e.getKey());
            // JPY and KRW are declared in whole units, so silver's USD may differ from the truth by cents per line.
            assertEquals(total, ((java.math.BigDecimal) g.getAs("import_value_usd")).doubleValue(), 1e-6 * total + 1.0, "imports " + e.getKey());
        }
    }

    @Test
    void sectorTotalsAreTheWeightedSumsOfTheirProducts() {
        GeneratedRun run = GeneratedRun.get();
        Dataset<Row> products = spark.read().format("delta").load(run.table("gold", "product_dependency"));
        Dataset<Row> bridge = spark.read().format("delta").load(run.table("silver", "hs6_sectors"));
        Map<String, Double> expected = new TreeMap<>();
        products.join(bridge, "hs6").select("reporter", "sector", "year", "import_value_usd", "weight").collectAsList()
                .forEach(r -> expected.merge(r.getString(0) + " " + r.getString(1) + " " + r.getInt(2),
                        ((java.math.BigDecimal) r.get(3)).doubleValue() * r.getDouble(4), Double::sum));
        Map<String, Double> actual = new TreeMap<>();
        spark.read().format("delta").load(run.table("gold", "sector_exposure")).collectAsList()
                .forEach(r -> actual.put(r.getAs("reporter") + " " + r.getAs("sector") + " " + r.getAs("year"),
                        ((java.math.BigDecimal) r.getAs("import_value_usd")).doubleValue()));
        assertEquals(expected.keySet(), actual.keySet());
        // Exact decimals in gold, doubles here: equal to the double's precision.
        expected.forEach((k, v) -> assertEquals(v, actual.get(k), Math.max(1e-6, 1e-12 * v), k));
    }

    @Test
    void incrementalRunsLeaveWhatOneFullRecomputeLeaves() throws IOException {
        GeneratedRun run = GeneratedRun.get();
        Path full = run.warehouse().resolveSibling("wh-full");
        Dirs.delete(full);
        Dirs.copy(run.warehouse().resolve("silver"), full.resolve("silver"));
        String out = GeneratedRun.ews("metrics", "--date", GeneratedRun.LAST_DATE, "--landing", run.landing().toString(),
                "--warehouse", full.toString());
        assertTrue(out.contains("full recompute"), out);
        for (TableSpec t : Gold.ALL) {
            assertTrue(t == Gold.WATCHLIST || spark.read().format("delta").load(run.table(t.schema(), t.name())).count() > 0,
                    t.qualifiedName() + " is empty");
        }
        List<String> differences = GoldTables.differences(
                t -> spark.read().format("delta").load(run.table(t.schema(), t.name())),
                t -> spark.read().format("delta").load(full.resolve(t.schema()).resolve(t.name()).toUri().toString()));
        assertEquals(List.of(), differences);
        // The last incremental run closed December: its cube rows say so, and windows end there.
        Dataset<Row> monthly = spark.read().format("delta").load(run.table("gold", "trade_monthly"));
        assertEquals(0, monthly.where(col("month").equalTo(java.sql.Date.valueOf("2023-12-01")).and(col("is_closed_month").equalTo(false))).count());
        assertTrue(spark.read().format("delta").load(run.table("gold", "product_dependency_12m"))
                .where(col("month").equalTo(java.sql.Date.valueOf("2023-12-01"))).count() > 0);
    }

}
