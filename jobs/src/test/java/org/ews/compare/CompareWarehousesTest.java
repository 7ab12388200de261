package org.ews.compare;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.ews.cli.Main;
import org.ews.compare.WarehouseComparison.Precision;
import org.ews.compare.WarehouseComparison.Status;
import org.ews.compare.WarehouseComparison.TableResult;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bin/ews compare} on tiny hand-made warehouses: two gold tables (trade_monthly with decimals and a double,
 * anomaly_coverage with counts), written through their specs. Every expected count and example is read off the
 * fixtures below.
 */
@ExtendWith(SharedSpark.class)
class CompareWarehousesTest {
    @TempDir
    static Path dir;

    private static final SparkSession spark = SharedSpark.session();
    private static Warehouse a;
    /** A's rows under another run id. */
    private static Warehouse same;
    /** trade_monthly: KR/854232/JP's value 200 → 201. anomaly_coverage: the KR/I/hs6/854232 row three times, not once. */
    private static Warehouse changed;
    /** trade_monthly: 0.1 + 0.2 written as 0.3; anomaly_coverage missing. */
    private static Warehouse rounded;
    /** trade_monthly with value_usd a double, written without its spec. */
    private static Warehouse retyped;

    private static Row trade(String hs6, String partner, String valueUsd, double share, String runId) {
        return RowFactory.create("KR", "I", hs6, partner, Date.valueOf("2024-01-01"), 2024, new BigDecimal(valueUsd), null, null,
                2L, 3L, 1L, share, true, runId);
    }

    private static List<Row> trades(String runId, String jpValue, double usShare) {
        return List.of(trade("854232", "CN", "100.5", 0.5, runId), trade("854232", "JP", jpValue, 0.25, runId),
                trade("870380", "US", "300", usShare, runId));
    }

    private static Row coverage(String seriesKey, long series, String runId) {
        return RowFactory.create("KR", "I", "hs6", seriesKey, Date.valueOf("2024-01-01"), series, series - 1, 1L, 0L, 0L, runId);
    }

    private static Warehouse warehouse(String name, List<Row> trades, List<Row> coverage) {
        Warehouse w = new Warehouse(spark, dir.resolve(name).toString());
        if (trades != null) {
            w.overwrite(Gold.TRADE_MONTHLY, spark.createDataFrame(trades, Gold.TRADE_MONTHLY.columns()));
        }
        if (coverage != null) {
            w.overwrite(Gold.ANOMALY_COVERAGE, spark.createDataFrame(coverage, Gold.ANOMALY_COVERAGE.columns()));
        }
        return w;
    }

    @BeforeAll
    static void warehouses() {
        double sum = 0.1 + 0.2; // 0.30000000000000004
        a = warehouse("a", trades("run-a", "200", sum), List.of(coverage("854232", 3, "run-a"), coverage("870380", 2, "run-a")));
        same = warehouse("same", trades("run-b", "200", sum), List.of(coverage("854232", 3, "run-b"), coverage("870380", 2, "run-b")));
        changed = warehouse("changed", trades("run-c", "201", sum), List.of(coverage("854232", 3, "run-c"),
                coverage("854232", 3, "run-c"), coverage("854232", 3, "run-c"), coverage("870380", 2, "run-c")));
        rounded = warehouse("rounded", trades("run-d", "200", 0.3), null);
        retyped = new Warehouse(spark, dir.resolve("retyped").toString());
        spark.createDataFrame(trades("run-e", "200", sum), Gold.TRADE_MONTHLY.columns())
                .withColumn("value_usd", col("value_usd").cast(DataTypes.DoubleType))
                .write().format("delta").save(retyped.location(Gold.TRADE_MONTHLY));
    }

    private static TableResult result(List<TableResult> results, TableSpec table) {
        return results.stream().filter(r -> r.table().equals(table)).findFirst().orElseThrow();
    }

    @Test
    void identicalRowsUnderAnotherRunIdAreTheSame() {
        List<TableResult> results = WarehouseComparison.compare(a, same, Tables.ALL.stream().filter(t -> t.schema().equals("gold")).toList(),
                Precision.EXACT);
        assertEquals(9, results.size());
        TableResult trade = result(results, Gold.TRADE_MONTHLY);
        assertEquals(new TableResult(Gold.TRADE_MONTHLY, Status.SAME, 3L, 3L, 0, 0, List.of(), List.of(), List.of("run_id"), ""), trade);
        TableResult coverage = result(results, Gold.ANOMALY_COVERAGE);
        assertEquals(Status.SAME, coverage.status());
        assertEquals(2L, coverage.rowsA());
        assertEquals(2L, coverage.rowsB());
        // The seven gold tables neither warehouse has are absent, and that is no difference.
        assertEquals(7, results.stream().filter(r -> r.status() == Status.ABSENT).count());
        assertFalse(results.stream().anyMatch(r -> r.status().isDifference()));
    }

    @Test
    void oneChangedValueIsOneRowOnlyInEachWithTheRowsShown() {
        TableResult r = WarehouseComparison.compare(a, changed, Gold.TRADE_MONTHLY, Precision.EXACT);
        assertEquals(Status.ROWS_DIFFER, r.status());
        assertEquals(3L, r.rowsA());
        assertEquals(3L, r.rowsB());
        assertEquals(1, r.onlyA());
        assertEquals(1, r.onlyB());
        String row = "reporter=KR flow=I hs6=854232 partner=JP month=2024-01-01 year=2024 value_usd=%s quantity_kg=null "
                + "value_usd_with_kg=null declarations=2 lines=3 traders=1 top_trader_share=0.25 is_closed_month=true";
        assertEquals(List.of(String.format(row, "200.000000")), r.examplesA());
        assertEquals(List.of(String.format(row, "201.000000")), r.examplesB());
    }

    @Test
    void duplicatesCountAsDifferences() {
        TableResult r = WarehouseComparison.compare(a, changed, Gold.ANOMALY_COVERAGE, Precision.EXACT);
        // As sets the two are equal; as multisets B holds the 854232 row twice more.
        assertEquals(Status.ROWS_DIFFER, r.status());
        assertEquals(2L, r.rowsA());
        assertEquals(4L, r.rowsB());
        assertEquals(0, r.onlyA());
        assertEquals(2, r.onlyB());
        assertEquals(List.of(), r.examplesA());
        assertEquals(List.of("reporter=KR flow=I level=hs6 series_key=854232 month=2024-01-01 series=3 series_judged=2 "
                + "series_immaterial=1 series_short_history=0 findings=0  (2 copies)"), r.examplesB());
        // And the other way round.
        TableResult back = WarehouseComparison.compare(changed, a, Gold.ANOMALY_COVERAGE, Precision.EXACT);
        assertEquals(2, back.onlyA());
        assertEquals(0, back.onlyB());
    }

    @Test
    void aTableMissingOnOneSideDiffers() {
        TableResult r = WarehouseComparison.compare(a, rounded, Gold.ANOMALY_COVERAGE, Precision.EXACT);
        assertEquals(Status.MISSING_IN_B, r.status());
        assertTrue(r.status().isDifference());
        assertEquals(2L, r.rowsA());
        assertNull(r.rowsB());
        TableResult back = WarehouseComparison.compare(rounded, a, Gold.ANOMALY_COVERAGE, Precision.EXACT);
        assertEquals(Status.MISSING_IN_A, back.status());
    }

    @Test
    void doublesCompareExactlyUnlessDigitsAreGiven() {
        TableResult exact = WarehouseComparison.compare(a, rounded, Gold.TRADE_MONTHLY, Precision.EXACT);
        assertEquals(Status.ROWS_DIFFER, exact.status(), "0.30000000000000004 is not 0.3");
        assertEquals(1, exact.onlyA());
        assertEquals(1, exact.onlyB());
        assertTrue(exact.examplesA().get(0).contains("top_trader_share=0.30000000000000004"), exact.examplesA().toString());
        assertTrue(exact.examplesB().get(0).contains("top_trader_share=0.3 "), exact.examplesB().toString());
        // 15 significant digits: both are 3.00000000000000e-01; 17 tell them apart.
        assertEquals(Status.SAME, WarehouseComparison.compare(a, rounded, Gold.TRADE_MONTHLY, new Precision(15)).status());
        assertEquals(Status.ROWS_DIFFER, WarehouseComparison.compare(a, rounded, Gold.TRADE_MONTHLY, new Precision(17)).status());
        // Rounding doubles does not hide a changed decimal.
        TableResult changedValue = WarehouseComparison.compare(a, changed, Gold.TRADE_MONTHLY, new Precision(3));
        assertEquals(1, changedValue.onlyA());
        assertTrue(changedValue.examplesA().get(0).contains("value_usd=200.000000 ") && changedValue.examplesA().get(0)
                .contains("top_trader_share=2.50e-01 "), changedValue.examplesA().toString());
    }

    @Test
    void anotherColumnTypeIsASchemaDifference() {
        TableResult r = WarehouseComparison.compare(a, retyped, Gold.TRADE_MONTHLY, Precision.EXACT);
        assertEquals(Status.SCHEMA_DIFFERS, r.status());
        assertEquals("types: value_usd decimal(24,6) in A, double in B", r.schemaDifference());
        assertEquals(3L, r.rowsB());
    }

    @Test
    void mapsCompareByTheirEntriesInAnyOrder() {
        var schema = new org.apache.spark.sql.types.StructType().add("id", DataTypes.IntegerType)
                .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType));
        var left = spark.createDataFrame(List.of(RowFactory.create(1, scala.collection.immutable.Map$.MODULE$.<String, Integer>empty()
                .updated("x", 1).updated("y", 2))), schema);
        var right = spark.createDataFrame(List.of(RowFactory.create(1, scala.collection.immutable.Map$.MODULE$.<String, Integer>empty()
                .updated("y", 2).updated("x", 1))), schema);
        var fields = List.of(schema.fields());
        assertEquals(0, WarehouseComparison.comparable(left, fields, Precision.EXACT)
                .exceptAll(WarehouseComparison.comparable(right, fields, Precision.EXACT)).count());
    }

    @Test
    void doublesInsideArraysOfStructsAreRoundedToo() {
        // The shape of gold.trend_anomalies.top_partners: array<struct<id, observed double>>.
        var element = new org.apache.spark.sql.types.StructType().add("id", DataTypes.StringType).add("observed", DataTypes.DoubleType);
        var schema = new org.apache.spark.sql.types.StructType().add("top", DataTypes.createArrayType(element));
        var fields = List.of(schema.fields());
        var left = spark.createDataFrame(List.of(RowFactory.create(List.of(RowFactory.create("CN", 0.1 + 0.2)))), schema);
        var right = spark.createDataFrame(List.of(RowFactory.create(List.of(RowFactory.create("CN", 0.3)))), schema);
        assertEquals(1, WarehouseComparison.comparable(left, fields, Precision.EXACT)
                .exceptAll(WarehouseComparison.comparable(right, fields, Precision.EXACT)).count());
        assertEquals(0, WarehouseComparison.comparable(left, fields, new Precision(15))
                .exceptAll(WarehouseComparison.comparable(right, fields, new Precision(15))).count());
        assertEquals("[{\"id\":\"CN\",\"observed\":\"3.00000000000000e-01\"}]",
                WarehouseComparison.comparable(left, fields, new Precision(15)).selectExpr("to_json(top)").head().getString(0));
    }

    private record Run(int exit, String out, String err) {}

    private static Run ews(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                TestEnv.ENV);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandExitsOneNamingTheTablesThatDifferAndZeroWhenAllAreTheSame() {
        Run ok = ews("compare", "--warehouse", dir.resolve("a").toString(), "--against", dir.resolve("same").toString());
        assertEquals(0, ok.exit(), ok.err());
        List<String> lines = ok.out().lines().toList();
        assertTrue(lines.contains("gold.trade_monthly           rows 3 / 3  same"), ok.out());
        assertTrue(lines.contains("gold.anomaly_coverage        rows 2 / 2  same"), ok.out());
        assertTrue(lines.contains("gold.watchlist               absent from both"), ok.out());
        assertEquals("compared 9 tables: 2 same, 0 different, 7 absent from both (run_id left out)", lines.get(lines.size() - 1));

        Run differ = ews("compare", "--warehouse", dir.resolve("a").toString(), "--against", dir.resolve("changed").toString());
        assertEquals(1, differ.exit(), differ.out());
        assertEquals("ews compare: 2 of 9 tables differ: gold.trade_monthly, gold.anomaly_coverage\n", differ.err());
        List<String> out = differ.out().lines().toList();
        int at = out.indexOf("gold.trade_monthly           rows 3 / 3  differ: 1 row only in A, 1 only in B");
        assertTrue(at >= 0, differ.out());
        assertTrue(out.get(at + 1).startsWith("    A  reporter=KR flow=I hs6=854232 partner=JP ") && out.get(at + 1).contains("value_usd=200.000000"));
        assertTrue(out.get(at + 2).startsWith("    B  reporter=KR flow=I hs6=854232 partner=JP ") && out.get(at + 2).contains("value_usd=201.000000"));
        assertTrue(out.contains("gold.anomaly_coverage        rows 2 / 4  differ: 0 rows only in A, 2 only in B"), differ.out());
        assertEquals("compared 9 tables: 0 same, 2 different, 7 absent from both (run_id left out)", out.get(out.size() - 1));

        Run missing = ews("compare", "--warehouse", dir.resolve("rounded").toString(), "--against", dir.resolve("a").toString(),
                "--digits", "15");
        assertEquals(1, missing.exit(), missing.out());
        assertEquals("ews compare: 1 of 9 tables differ: gold.anomaly_coverage\n", missing.err());
        assertTrue(missing.out().contains("gold.anomaly_coverage        rows - / 2  differ: missing in A\n"), missing.out());
        assertTrue(missing.out().contains("gold.trade_monthly           rows 3 / 3  same\n"), missing.out());
        assertTrue(missing.out().endsWith("(run_id left out; doubles to 15 significant digits)\n"), missing.out());

        Run nothing = ews("compare", "--warehouse", dir.resolve("a").toString(), "--against", dir.resolve("same").toString(),
                "--schemas", "silver");
        assertEquals(1, nothing.exit(), "two warehouses without a silver table are not the same: " + nothing.out());
        assertEquals("ews compare: none of the 5 tables (silver) is in either warehouse: nothing was compared\n", nothing.err());
    }

    @Test
    void wrongWordsAreRefusedBeforeSparkStarts() {
        String wa = dir.resolve("a").toString();
        Run noAgainst = ews("compare", "--warehouse", wa);
        assertEquals(2, noAgainst.exit());
        assertEquals("ews compare: 'compare' needs --against\n", noAgainst.err());
        Run nowhere = ews("compare", "--warehouse", wa, "--against", "/nonexistent/warehouse");
        assertEquals(2, nowhere.exit());
        assertEquals("ews compare: warehouse /nonexistent/warehouse does not exist (set --against)\n", nowhere.err());
        Run noA = ews("compare", "--warehouse", "/nonexistent/warehouse", "--against", wa);
        assertEquals(2, noA.exit());
        assertTrue(noA.err().contains("warehouse /nonexistent/warehouse does not exist (set --warehouse)"), noA.err());
        Run itself = ews("compare", "--warehouse", wa, "--against", wa + "/");
        assertEquals(2, itself.exit());
        assertTrue(itself.err().contains("--against names the same warehouse as --warehouse"), itself.err());
        Run schema = ews("compare", "--warehouse", wa, "--against", dir.resolve("same").toString(), "--schemas", "gold,platinum");
        assertEquals(2, schema.exit());
        assertTrue(schema.err().contains("--schemas takes schemas from bronze, silver, gold, ops"), schema.err());
        Run digits = ews("compare", "--warehouse", wa, "--against", dir.resolve("same").toString(), "--digits", "18");
        assertEquals(2, digits.exit());
        assertTrue(digits.err().contains("--digits must be from 1 to 17"), digits.err());
        Run dry = ews("compare", "--warehouse", wa, "--against", dir.resolve("same").toString(), "--schemas", "gold,silver", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertEquals("ews compare (dry run): would run compare 14 tables (silver, gold) of " + wa + " against " + dir.resolve("same")
                + ", values exactly\n", dry.out());
    }
}
