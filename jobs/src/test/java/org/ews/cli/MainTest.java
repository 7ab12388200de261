package org.ews.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The launcher's words and exit codes; nothing here starts Spark. */
class MainTest {
    private record Result(int exit, String out, String err) {}

    private static Result ews(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result ews(String... args) {
        return ews(Map.of(), args);
    }

    @Test
    void helpListsTheCommandsThatExistAndNoOthers() {
        Result r = ews("--help");
        assertEquals(0, r.exit());
        for (String c : Commands.names()) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " missing from help:\n" + r.out());
        }
        // Every command of the contract (CONTRACT.md section 1) exists; a misspelt one is refused, not guessed.
        for (String contract : new String[]{"nightly", "backfill", "ingest", "conform", "metrics", "anomalies", "publish", "sql",
                "generate", "report", "maintain"}) {
            assertTrue(Commands.names().contains(contract), contract);
        }
        assertEquals(2, ews("publsh", "--date", "2024-01-01").exit(), "an unknown command is a usage error");
        assertEquals(2, ews().exit(), "no command is a usage error");
    }

    @Test
    void aDryRunChecksEverythingButStartsNothing() {
        // No Spark may start: the warehouse does not exist and nothing may be created there.
        java.nio.file.Path nowhere = java.nio.file.Path.of("target", "tmp", "dry-run-" + System.nanoTime());
        Result ok = ews(org.ews.testing.TestEnv.CLUSTER_SECRETS, "conform", "--date", "2025-12-01", "--warehouse", nowhere.toString(), "--config", "../conf/cluster.yaml",
                "--run-id", "scheduled__2025-12-02T02:00:00+00:00", "--dry-run");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("ews conform (dry run): would run conform for 2025-12-01, run id scheduled__2025-12-02T02:00:00+00:00, "
                + "landing s3a://ews-landing/prod, warehouse " + nowhere + "\n", ok.out());
        assertFalse(java.nio.file.Files.exists(nowhere), "a dry run wrote the warehouse");

        Result range = ews("backfill", "--from", "2025-01-01", "--to", "2025-01-31", "--dry-run");
        assertEquals(0, range.exit(), range.err());
        assertTrue(range.out().contains("would run ingest → conform → metrics → anomalies → publish for 2025-01-01..2025-01-31"),
                range.out());

        // Each of these fails without --dry-run too; with it, the same one line and exit 2.
        assertEquals(2, ews("conformx", "--date", "2025-12-01", "--dry-run").exit());
        Result option = ews("metrics", "--datex", "2025-12-01", "--dry-run");
        assertEquals(2, option.exit());
        assertTrue(option.err().startsWith("ews metrics: unknown option --datex"), option.err());
        assertEquals(2, ews("anomalies", "--dry-run").exit(), "--date is required");
        assertEquals(2, ews("publish", "--date", "2025-12-01", "stray", "--dry-run").exit());
        Result setting = ews("ingest", "--date", "2025-12-01", "--set", "ingest.max_bad_row_share=2", "--dry-run");
        assertEquals(2, setting.exit(), "a bad setting is caught by the dry run: " + setting.out());
        assertTrue(setting.err().contains("ingest.max_bad_row_share"), setting.err());
        assertTrue(ews("maintain", "--help").out().contains("--dry-run"));
        Result helpToo = ews("ingest", "--date", "2025-12-01", "--help", "--dry-run");
        assertEquals(2, helpToo.exit(), "a task carrying --help must not pass the DAG check: " + helpToo.out());
        // Airflow's run ids: scheduled__<time>, manual__<time>, and ~ which its default pattern allows.
        assertEquals(0, ews("ingest", "--date", "2025-12-01", "--run-id", "manual__2025-12-02T10:11:12.345+00:00~x", "--dry-run").exit());
    }

    @Test
    void usageErrorsExitTwoWithOneLineNamingTheProblem() {
        Result unknownOption = ews("ingest", "--date", "2024-01-01", "--warehose", "w");
        assertEquals(2, unknownOption.exit());
        assertTrue(unknownOption.err().contains("unknown option --warehose for 'ingest'"), unknownOption.err());
        assertEquals(1, unknownOption.err().lines().count());

        Result badDate = ews("nightly", "--date", "2024-13-01");
        assertEquals(2, badDate.exit());
        assertTrue(badDate.err().contains("--date '2024-13-01' is not a date YYYY-MM-DD"), badDate.err());

        Result runId = ews("ingest", "--date", "2024-01-01", "--run-id", "x' OR '1'='1");
        assertEquals(2, runId.exit());
        assertTrue(runId.err().contains("--run-id"), runId.err());

        Result missing = ews("backfill", "--from", "2024-01-01");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("'backfill' needs --to"), missing.err());
    }

    @Test
    void configErrorsExitTwoBeforeAnyWork() {
        Result r = ews(Map.of("EWS_SPARK_SHUFFLE_PARTITIONS", "0"), "ingest", "--date", "2024-01-01");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("config key 'spark.shuffle_partitions' must be at least 1"), r.err());
        Result set = ews("ingest", "--date", "2024-01-01", "--set", "ingest.max_bad_row_share=lots");
        assertEquals(2, set.exit());
        assertTrue(set.err().contains("'ingest.max_bad_row_share' expects a number, got 'lots'"), set.err());
    }

    @Test
    void commandHelpShowsTheOptionsItTakesAndNoOthers() {
        Result r = ews("backfill", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("usage: bin/ews backfill --from YYYY-MM-DD --to YYYY-MM-DD"), r.out());
        assertTrue(r.out().contains("--run-id ID"), r.out());
        Result sql = ews("sql", "--help");
        assertTrue(sql.out().contains("--format F"), sql.out());
        assertFalse(sql.out().contains("--landing"), "sql takes no --landing: " + sql.out());
        assertFalse(sql.out().contains("--run-id"), sql.out());
        assertEquals(2, ews("sql", "--landing", "x", "SELECT 1").exit());
        Result compare = ews("compare", "--help");
        assertTrue(compare.out().contains("--against DIR") && compare.out().contains("--schemas S,S,...")
                && compare.out().contains("--digits N"), compare.out());
        assertFalse(compare.out().contains("--landing"), compare.out());
        assertEquals(2, ews("compare", "--against", "x", "--run-id", "r").exit(), "compare takes no --run-id");
    }

    @Test
    void wrongWordsAreUsageErrorsBeforeSparkStarts() {
        Result range = ews("backfill", "--from", "2024-03-02", "--to", "2024-03-01");
        assertEquals(2, range.exit());
        assertTrue(range.err().contains("--from 2024-03-02 is after --to 2024-03-01"), range.err());
        Result format = ews("sql", "--format", "xml", "SELECT 1");
        assertEquals(2, format.exit());
        assertTrue(format.err().contains("--format 'xml' is not one of table, csv, json"), format.err());
        Result warehouse = ews("sql", "--warehouse", "/nonexistent/warehouse", "SELECT 1");
        assertEquals(2, warehouse.exit());
        assertTrue(warehouse.err().contains("warehouse /nonexistent/warehouse does not exist"), warehouse.err());
        assertFalse(new java.io.File("/nonexistent/warehouse").exists(), "nothing was created");
    }

    @Test
    void serveRefusesABadPortOrAMissingWarehouseBeforeSparkStarts() {
        Result port = ews("serve", "--port", "70000");
        assertEquals(2, port.exit());
        assertTrue(port.err().contains("--port must be from 1 to 65535, got 70000"), port.err());
        Result warehouse = ews("serve", "--warehouse", "/nonexistent/warehouse");
        assertEquals(2, warehouse.exit());
        assertTrue(warehouse.err().contains("warehouse /nonexistent/warehouse does not exist"), warehouse.err());
        Result help = ews("serve", "--help");
        assertTrue(help.out().contains("--port N"), help.out());
        assertFalse(help.out().contains("--landing"), help.out());
    }

    @Test
    void aWarehousePathWithASpaceIsFound(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path wh = java.nio.file.Files.createDirectories(dir.resolve("my warehouse"));
        assertTrue(Commands.localWarehouseExists(wh.toString()));
        assertFalse(Commands.localWarehouseExists(dir.resolve("no such").toString()));
    }
}
