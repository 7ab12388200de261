package org.ews.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.testing.Landing;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/** Ingest through the launcher's entry point, against Delta tables in a temporary warehouse. */
@ExtendWith(SharedSpark.class)
class IngestStageTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private Result ews(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.ENV);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Rows without their run id, maps as JSON so that rows can be compared as sets. */
    private static Dataset<Row> comparable(Dataset<Row> rows) {
        Dataset<Row> r = rows.drop("run_id");
        return java.util.Arrays.asList(r.columns()).contains("extra_columns")
                ? r.withColumn("extra_columns", org.apache.spark.sql.functions.to_json(col("extra_columns"))) : r;
    }

    private Dataset<Row> table(Path warehouse, String schemaTable) {
        return SharedSpark.session().read().format("delta").load(warehouse.resolve(schemaTable.replace('.', '/')).toUri().toString());
    }

    /**
     * KR: 4 good rows and 6 bad ones, one of each kind below; US: 2 good rows in a gzip, 1 good and 1 bad JSON line,
     * and a truncated gzip of 2,000 rows; firms: 2 good, 1 bad; ownership: 1 good, 1 bad.
     * In: 10 + 2 + 2 + 1 (the broken file) + 3 + 2 = 20 rows; out: 4 + 2 + 1 + 2 + 1 = 10; quarantined: 6 + 1 + 1 + 1 + 1 = 10.
     */
    private Landing landingWithBadInput(Path root) {
        Landing l = new Landing(root);
        l.customs("KR", "2024-03-01", "part-0001.csv", HEADER + "\n"
                + "K1,1,1,I,2024-03-01,8542.31.00,CN,123-45-67890,\"Samsung Electronics Co., Ltd.\",1000.50,KRW,10,U,1.5\n"
                + "K1,2,1,I,2024-02-28,250410,China,,(주)포스코,2000,KRW,500,KG,500\n"
                + "K2,1,2,X,2024-03-01,848620,CHN,,SK hynix,3000,USD,1,U,\n"
                + "K3,1,1,I,2024-03-01,282520,CN,,LG Chem,4000,KRW,2,TNE,\n"
                + "B1,1,1,Z,2024-03-01,250410,CN,,ACME,10,KRW,,,\n"              // bad_flow
                + "B2,1,1,I,2024-02-30,250410,CN,,ACME,10,KRW,,,\n"              // impossible_date
                + "B3,1,1,I,2024-03-01,85A231,CN,,ACME,10,KRW,,,\n"              // malformed_hs
                + "B4,1,1,I,2024-03-01,250410,CN,,ACME,-5,KRW,,,\n"              // negative_value
                + "B5,1,1,I,2024-03-01,250410,CN,,ACME,10\n"                     // short_row
                + "B6,1,1,I,2024-03-01,250410,CN,,,10,KRW,,,\n");                // missing_required
        l.customsGzip("US", "2024-03-01", "part-0001.csv.gz",
                "flow,declaration_id,line_no,declaration_date,hs_code,partner_country,trader_name,value,currency,port_code\n"
                        + "I,U1,1,2024-03-01,854232,TWN,Micron,5.5,USD,LAX\nI,U2,1,2024-02-29,280530,CN,MP Materials,7,USD,LGB\n", 0);
        StringBuilder many = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 2000; i++) {
            many.append("T").append(i).append(",1,1,I,2024-03-01,854232,TW,,X,").append(i).append(",USD,,,\n");
        }
        l.customsGzip("US", "2024-03-01", "part-9999.csv.gz", many.toString(), 4000);
        l.customs("US", "2024-03-01", "part-0002.jsonl",
                "{\"declaration_id\":\"J1\",\"line_no\":1,\"flow\":\"X\",\"declaration_date\":\"2024-03-01\",\"hs_code\":\"848620\","
                        + "\"partner_country\":\"CN\",\"trader_name\":\"Applied Materials\",\"value\":123.45,\"currency\":\"USD\"}\n"
                        + "{\"declaration_id\":\"J2\",\"line_no\":1,\"flow\":\"X\"}\n");      // missing_required
        l.firms("2024-03-01", "firm_id,name,country,registration_number\nF1,Samsung Electronics,KR,124-81-00998\n"
                + "F2,SK hynix,KR,126-81-12345\nF3,,KR,1\n");
        l.ownership("2024-03-01", "parent_firm_id,child_firm_id,ownership_pct\nF1,F2,50\nF2,F2,10\n");
        return l;
    }

    @Test
    void quarantinesExactlyTheBadRowsAndTheBrokenFileAndARerunChangesNothing() {
        Path warehouse = dir.resolve("wh");
        Landing landing = landingWithBadInput(dir.resolve("landing"));
        String[] args = {"ingest", "--date", "2024-03-01", "--landing", landing.root().toString(), "--warehouse",
                warehouse.toString(), "--run-id", "run-1"};
        Result first = ews(args);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("ingest"), first.out());

        Dataset<Row> quarantine = table(warehouse, "bronze.quarantine");
        Map<String, Long> byReason = quarantine.groupBy("reason_code").count().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        assertEquals(Map.of("bad_flow", 1L, "impossible_date", 1L, "malformed_hs", 1L, "negative_value", 1L,
                "short_row", 1L, "missing_required", 3L, "self_ownership", 1L, "unreadable_file", 1L), byReason);
        Row broken = quarantine.where(col("reason_code").equalTo("unreadable_file")).head();
        assertTrue(broken.<String>getAs("source_file").endsWith("part-9999.csv.gz"));
        assertNull(broken.getAs("source_row"));
        assertTrue(broken.<String>getAs("reason").contains("truncated gzip"), broken.<String>getAs("reason"));
        Row shortRow = quarantine.where(col("reason_code").equalTo("short_row")).head();
        assertEquals(9L, (long) shortRow.getAs("source_row"));
        assertEquals("B5,1,1,I,2024-03-01,250410,CN,,ACME,10", shortRow.getAs("row_text"));
        assertEquals("KR", shortRow.getAs("reporter"));

        Dataset<Row> lines = table(warehouse, "bronze.customs_lines");
        assertEquals(List.of("J1", "K1", "K1", "K2", "K3", "U1", "U2"), lines.orderBy("declaration_id", "line_no")
                .select("declaration_id").collectAsList().stream().map(r -> r.getString(0)).toList());
        assertEquals("{port_code -> LAX}".replace(" -> ", "="), lines.where(col("declaration_id").equalTo("U1"))
                .select("extra_columns").head().getJavaMap(0).toString().replace(" -> ", "="));
        assertEquals(2, table(warehouse, "bronze.firms").count());
        assertEquals(1, table(warehouse, "bronze.ownership").count());

        Row run = table(warehouse, "ops.runs").where(col("run_id").equalTo("run-1")).head();
        assertEquals("succeeded", run.getAs("status"));
        assertEquals(20L, (long) run.getAs("rows_in"));
        assertEquals(10L, (long) run.getAs("rows_out"));
        assertEquals(10L, (long) run.getAs("rows_quarantined"));

        Dataset<Row> linesBefore = comparable(lines).localCheckpoint();
        Dataset<Row> quarantineBefore = comparable(quarantine).localCheckpoint();
        args[args.length - 1] = "run-2";
        Result second = ews(args);
        assertEquals(0, second.exit(), second.err());
        SharedSpark.assertSameRows(linesBefore, comparable(table(warehouse, "bronze.customs_lines")));
        SharedSpark.assertSameRows(quarantineBefore, comparable(table(warehouse, "bronze.quarantine")));
        assertEquals(List.of("run-2"), table(warehouse, "bronze.customs_lines").select("run_id").distinct()
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        Row rerun = table(warehouse, "ops.runs").where(col("run_id").equalTo("run-2")).head();
        assertEquals(List.of(20L, 10L, 10L), List.of(rerun.<Long>getAs("rows_in"), rerun.<Long>getAs("rows_out"),
                rerun.<Long>getAs("rows_quarantined")));
    }

    @Test
    void aMostlyBadDayFailsTheRunAndLeavesEveryTableAsItWas() {
        Path warehouse = dir.resolve("wh");
        Landing l = new Landing(dir.resolve("landing"));
        StringBuilder good = new StringBuilder(HEADER).append('\n');
        StringBuilder bad = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 300; i++) {
            // 5 of 300 bad (1.7%) passes; 100 of 300 (33%) is above max_bad_row_share = 5%.
            good.append("A").append(i).append(",1,1,").append(i < 5 ? "Q" : "I").append(",2024-03-02,250410,CN,,ACME,10,KRW,,,\n");
            bad.append("A").append(i).append(",1,1,").append(i % 3 == 0 ? "Q" : "I").append(",2024-03-02,250410,CN,,ACME,10,KRW,,,\n");
        }
        l.customs("KR", "2024-03-01", "a.csv", good.toString().replace("2024-03-02", "2024-03-01"));
        Path day2 = l.customs("KR", "2024-03-02", "a.csv", good.toString());
        String[] common = {"--landing", l.root().toString(), "--warehouse", warehouse.toString()};
        assertEquals(0, ews(concat(new String[]{"backfill", "--from", "2024-03-01", "--to", "2024-03-02"}, common)).exit());
        Dataset<Row> linesBefore = comparable(table(warehouse, "bronze.customs_lines")).localCheckpoint();
        Dataset<Row> quarantineBefore = comparable(table(warehouse, "bronze.quarantine")).localCheckpoint();
        assertEquals(590, linesBefore.count());
        assertEquals(10, quarantineBefore.count());

        // The feed re-sends 2024-03-02, now mostly broken: the rerun must fail and change nothing.
        Landing.write(day2, bad.toString());
        Result failed = ews(concat(new String[]{"nightly", "--date", "2024-03-02", "--run-id", "bad-day"}, common));
        assertEquals(1, failed.exit());
        assertEquals(1, failed.err().lines().count(), "one line on stderr: " + failed.err());
        assertTrue(failed.err().contains("customs KR 2024-03-02: 100 of 300 rows quarantined (33.3%: bad_flow 100)"), failed.err());
        SharedSpark.assertSameRows(linesBefore, comparable(table(warehouse, "bronze.customs_lines")));
        SharedSpark.assertSameRows(quarantineBefore, comparable(table(warehouse, "bronze.quarantine")));
        Row run = table(warehouse, "ops.runs").where(col("run_id").equalTo("bad-day")).head();
        assertEquals("failed", run.getAs("status"));
        assertTrue(run.<String>getAs("message").contains("max_bad_row_share"));

        // The operator may accept the day by raising the limit for one run.
        Result forced = ews(concat(new String[]{"ingest", "--date", "2024-03-02", "--set", "ingest.max_bad_row_share=0.5"}, common));
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(295 + 200, table(warehouse, "bronze.customs_lines").count());
        assertEquals(5 + 100, table(warehouse, "bronze.quarantine").count());
    }

    @Test
    void aRerunKeepsTheBronzeRowsOfSlicesWhoseFilesAreGone() {
        Path warehouse = dir.resolve("wh");
        Landing l = new Landing(dir.resolve("landing"));
        l.customs("KR", "2024-03-01", "a.csv", HEADER + "\nK1,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n");
        Path us = l.customs("US", "2024-03-01", "a.csv", HEADER + "\nU1,1,1,I,2024-03-01,250410,CN,,ACME,10,USD,,,\n");
        String[] args = {"ingest", "--date", "2024-03-01", "--landing", l.root().toString(), "--warehouse", warehouse.toString()};
        assertEquals(0, ews(args).exit());
        // The US file is archived away; KR re-sends its day with two lines.
        assertTrue(us.toFile().delete());
        l.customs("KR", "2024-03-01", "a.csv", HEADER + "\nK2,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n"
                + "K3,1,1,I,2024-03-01,250410,CN,,ACME,10,KRW,,,\n");
        assertEquals(0, ews(args).exit());
        assertEquals(List.of("K2", "K3", "U1"), table(warehouse, "bronze.customs_lines").orderBy("declaration_id")
                .select("declaration_id").collectAsList().stream().map(r -> r.getString(0)).toList());
    }

    @Test
    void backfillReadsTheRangeInOnePassAndANightlyRerunReplacesOnlyItsDate() {
        Path warehouse = dir.resolve("wh");
        Landing l = new Landing(dir.resolve("landing"));
        for (String d : List.of("2024-03-01", "2024-03-02", "2024-03-03")) {
            l.customs("KR", d, "a.csv", HEADER + "\nD" + d + ",1,1,I," + d + ",250410,CN,,ACME,10,KRW,,,\n");
            l.customs("JP", d, "a.csv", HEADER + "\nE" + d + ",1,1,I," + d + ",250410,CN,,ACME,10,JPY,,,\n");
        }
        l.customs("KR", "2024-03-04", "a.csv", HEADER + "\nOUT,1,1,I,2024-03-04,250410,CN,,ACME,10,KRW,,,\n");
        String[] common = {"--landing", l.root().toString(), "--warehouse", warehouse.toString()};
        Result backfill = ews(concat(new String[]{"backfill", "--from", "2024-03-01", "--to", "2024-03-03"}, common));
        assertEquals(0, backfill.exit(), backfill.err());
        assertEquals(6, table(warehouse, "bronze.customs_lines").count(), "3 dates x 2 reporters, not the 4th date");

        // The KR file of 03-02 is amended in place; rerunning that date replaces exactly that date.
        l.customs("KR", "2024-03-02", "a.csv", HEADER + "\nNEW1,1,1,I,2024-03-02,250410,CN,,ACME,10,KRW,,,\n"
                + "NEW2,1,1,I,2024-03-02,250410,CN,,ACME,10,KRW,,,\n");
        assertEquals(0, ews(concat(new String[]{"nightly", "--date", "2024-03-02"}, common)).exit());
        List<String> ids = table(warehouse, "bronze.customs_lines").orderBy("declaration_id").select("declaration_id")
                .collectAsList().stream().map(r -> r.getString(0)).toList();
        assertEquals(List.of("D2024-03-01", "D2024-03-03", "E2024-03-01", "E2024-03-02", "E2024-03-03", "NEW1", "NEW2"), ids);
    }

    @Test
    void tablesAreAddressableByNameWithCommentsFromAFreshCatalog() {
        Path warehouse = dir.resolve("wh");
        Landing landing = landingWithBadInput(dir.resolve("landing"));
        assertEquals(0, ews("ingest", "--date", "2024-03-01", "--landing", landing.root().toString(),
                "--warehouse", warehouse.toString()).exit());
        SparkSession spark = SharedSpark.session();
        spark.sql("DROP TABLE IF EXISTS bronze.customs_lines"); // external: the files stay
        Result sql = ews("sql", "--warehouse", warehouse.toString(), "--format", "csv",
                "SELECT reporter, count(*) AS n FROM bronze.customs_lines GROUP BY reporter ORDER BY reporter");
        assertEquals(0, sql.exit(), sql.err());
        assertEquals("reporter,n\r\nKR,4\r\nUS,3\r\n", sql.out());
        String comment = spark.sql("DESCRIBE TABLE EXTENDED bronze.quarantine").where(col("col_name").equalTo("reason"))
                .head().getString(2);
        assertTrue(comment.startsWith("Why the row was rejected"), comment);
    }

    @Test
    void theSnapshotInForceIsLoadedOnceAndNotGatedAgainByLaterRuns() {
        Landing l = new Landing(dir.resolve("landing"));
        StringBuilder firms = new StringBuilder("firm_id,name,country\n");
        for (int i = 0; i < 300; i++) {
            firms.append("F").append(i).append(",Firm ").append(i).append(",").append(i % 3 == 0 ? "Korea" : "KR").append('\n');
        }
        l.firms("2024-03-01", firms.toString());                                // 100 of 300 rows bad: 33%
        l.customs("KR", "2024-03-02", "a.csv", HEADER + "\nK1,1,1,I,2024-03-02,250410,CN,,ACME,10,KRW,,,\n");
        l.customs("KR", "2024-03-03", "a.csv", HEADER + "\nK2,1,1,I,2024-03-03,250410,CN,,ACME,10,KRW,,,\n");

        // A fresh warehouse whose first run is 2024-03-02 needs the registry in force then: the 03-01 snapshot.
        Path fresh = dir.resolve("fresh");
        String[] first = {"nightly", "--date", "2024-03-02", "--landing", l.root().toString(), "--warehouse", fresh.toString()};
        Result blocked = ews(first);
        assertEquals(1, blocked.exit(), "the snapshot in force is gated like any input");
        assertTrue(blocked.err().contains("firms 2024-03-01: 100 of 300 rows quarantined"), blocked.err());
        Result accepted = ews(concat(first, new String[]{"--set", "ingest.max_bad_row_share=0.5"}));
        assertEquals(0, accepted.exit(), accepted.err());
        assertEquals(200, table(fresh, "bronze.firms").where(col("snapshot_date").equalTo("2024-03-01")).count());

        // The next night does not reload that snapshot, so the override is not needed again.
        Result next = ews("nightly", "--date", "2024-03-03", "--landing", l.root().toString(), "--warehouse", fresh.toString());
        assertEquals(0, next.exit(), next.err());
        assertTrue(next.out().contains("firms 0 files"), next.out());
        assertEquals(2, table(fresh, "bronze.customs_lines").count());
    }

    @Test
    void aSparkErrorEndsTheRunWithOneLineAndAFailedRunRow() {
        Path warehouse = dir.resolve("wh");
        Landing landing = landingWithBadInput(dir.resolve("landing"));
        // Something else left a Delta table of another shape where bronze.customs_lines belongs.
        SharedSpark.session().sql("SELECT 1 AS unrelated").write().format("delta")
                .save(warehouse.resolve("bronze/customs_lines").toUri().toString());
        Result r = ews("ingest", "--date", "2024-03-01", "--landing", landing.root().toString(),
                "--warehouse", warehouse.toString(), "--run-id", "clash");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ews ingest: ingest failed: DeltaAnalysisException"), r.err());
        Row run = table(warehouse, "ops.runs").where(col("run_id").equalTo("clash")).head();
        assertEquals("failed", run.getAs("status"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
