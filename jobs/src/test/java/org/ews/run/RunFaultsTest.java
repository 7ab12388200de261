package org.ews.run;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.generate.LandingGenerator;
import org.ews.spark.Warehouse;
import org.ews.tables.Ops;
import org.ews.testing.FaultyFileSystem;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees when storage fails or another run holds the warehouse, through the launcher's entry point
 * ({@code Main.run}: its exit code and stderr). Storage faults come from {@link FaultyFileSystem} ({@code faulty://}),
 * since as root no chmod denies anything.
 */
@ExtendWith(SharedSpark.class)
class RunFaultsTest {
    private static Path landing;

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result ews(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result ews(String... args) {
        return ews(TestEnv.ENV, args);
    }

    /** Two landing days, three reporters, a few lines each: enough for every stage to have work. */
    @BeforeAll
    static void landing(@TempDir Path shared) {
        landing = shared.resolve("landing");
        LandingGenerator.builder().out(landing).from(LocalDate.parse("2024-01-01")).to(LocalDate.parse("2024-01-02"))
                .linesPerDay(4).seed(3).referenceDir(Path.of("../conf/reference")).build().run();
    }

    private static Configuration hadoop() {
        return SharedSpark.session().sparkContext().hadoopConfiguration();
    }

    private static void faults(String key, String... paths) {
        FaultyFileSystem.settings().forEach(hadoop()::set);
        hadoop().set(key, String.join(",", paths));
    }

    @AfterEach
    void noFaults() {
        hadoop().unset(FaultyFileSystem.DENY);
        hadoop().unset(FaultyFileSystem.FULL);
    }

    private static String faulty(Path p) {
        return FaultyFileSystem.uri(p);
    }

    private static List<String> tablesIn(Path warehouse) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (String schema : List.of("bronze", "silver", "gold")) {
            Path s = warehouse.resolve(schema);
            if (Files.isDirectory(s)) {
                try (var l = Files.list(s)) {
                    l.filter(t -> Files.isDirectory(t.resolve("_delta_log"))).forEach(t -> out.add(schema + "." + t.getFileName()));
                }
            }
        }
        return out;
    }

    @Test
    void anUnreadableLandingDirectoryStopsTheRunNamingIt() throws Exception {
        Path denied = landing.resolve("customs/reporter=KR");
        faults(FaultyFileSystem.DENY, denied.toString());
        Path wh = dir.resolve("wh");
        Result r = ews("nightly", "--date", "2024-01-02", "--landing", faulty(landing), "--warehouse", wh.toString(), "--run-id", "denied-dir");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("ews nightly: cannot read landing directory " + faulty(denied).replace("faulty://", "faulty:")),
                r.err());
        assertTrue(r.err().contains("permission denied") && r.err().contains("nothing was written"), r.err());
        assertEquals(List.of(), tablesIn(wh), "nothing written");
        Row run = SharedSpark.session().read().format("delta").load(wh.resolve("ops/runs").toString()).head();
        assertEquals("failed", run.getAs("status"));
    }

    @Test
    void aLandingFileThatMayNotBeReadStopsTheRunNamingIt() throws Exception {
        Path file;
        try (var files = Files.list(landing.resolve("customs/reporter=US/date=2024-01-02"))) {
            file = files.findFirst().orElseThrow();
        }
        faults(FaultyFileSystem.DENY, file.toString());
        Path wh = dir.resolve("wh");
        Result r = ews("nightly", "--date", "2024-01-02", "--landing", faulty(landing), "--warehouse", wh.toString());
        assertEquals(1, r.exit(), r.err());
        // Not quarantined as an unreadable file: the day would be published without it.
        assertTrue(r.err().startsWith("ews nightly: ingest failed: cannot read landing file " + faulty(file).replace("faulty://", "faulty:")
                + ": permission denied (Permission denied: user="), r.err());
        assertEquals(List.of(), tablesIn(wh));
    }

    /** The disk fills while ingest writes bronze.customs_lines' data files (in Spark tasks), its log still writable. */
    @Test
    void aFullDiskStopsTheRunNamingTheTableAndItsPathAndPublishesNothing() throws Exception {
        Path wh = dir.resolve("wh");
        faults(FaultyFileSystem.FULL, wh.resolve("bronze/customs_lines/landing_date=").toString());
        Map<String, String> env = new HashMap<>(TestEnv.ENV);
        env.put("EWS_PUBLISH_REPORT_ON_RUN", "true"); // a bulletin would be published if the run got that far
        Result r = ews(env, "backfill", "--from", "2024-01-01", "--to", "2024-01-02", "--landing", landing.toString(),
                "--warehouse", faulty(wh), "--run-id", "full-disk");
        assertEquals(1, r.exit(), r.err());
        String table = faulty(wh) + "/bronze/customs_lines";
        assertTrue(r.err().startsWith("ews backfill: cannot write bronze.customs_lines at " + table
                + " (nothing of this write was committed): disk full (No space left on device)"), r.err());
        SparkSession spark = SharedSpark.session();
        assertEquals(0, spark.read().format("delta").load(wh.resolve("bronze/customs_lines").toString()).count(), "no partial write visible");
        assertTrue(tablesIn(wh).stream().noneMatch(t -> t.startsWith("silver.") || t.startsWith("gold.")), tablesIn(wh).toString());
        assertFalse(Files.exists(dir.resolve("reports")), "no bulletin");
        Map<String, String> status = new TreeMap<>();
        spark.read().format("delta").load(wh.resolve("ops/runs").toString()).collectAsList()
                .forEach(x -> status.put(x.getAs("stage"), x.getAs("status") + ": " + x.getAs("message")));
        assertTrue(status.get("ingest").startsWith("failed: cannot write bronze.customs_lines"), status.toString());
        assertEquals(1, status.size(), "no later stage ran: " + status);
    }

    @Test
    void aWarehouseWhoseDiskIsFullIsNotStartedOn() throws Exception {
        Path wh = dir.resolve("wh");
        faults(FaultyFileSystem.FULL, wh.toString());
        Result r = ews("nightly", "--date", "2024-01-02", "--landing", landing.toString(), "--warehouse", faulty(wh));
        assertEquals(1, r.exit(), r.err());
        String lock = faulty(wh) + "/_ews/run.lock";
        assertTrue(r.err().startsWith("ews nightly: cannot take the run lock " + lock + ": disk full (No space left on device)"), r.err());
        assertEquals(List.of(), tablesIn(wh));
    }

    /** A lock held by a live run elsewhere: what an operator's manual run meets while Airflow runs. */
    private static byte[] lockHeldElsewhere(Path wh) throws Exception {
        Path lock = wh.resolve("_ews/run.lock");
        Files.createDirectories(lock.getParent());
        Instant now = Instant.now();
        byte[] json = new RunLock.Holder("scheduled__2024-01-02T02:00:00+00:00", "conform 2024-01-02", "airflow-worker-3", 31337,
                null, null, now.minusSeconds(95), now.minusSeconds(5)).toJson();
        Files.write(lock, json);
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(now.minusSeconds(5))); // when the holder last wrote it
        return json;
    }

    @Test
    void writersAreRefusedWhileAnotherRunHoldsTheWarehouseAndReadersAreNot() throws Exception {
        Path wh = dir.resolve("wh");
        Files.createDirectories(wh);
        byte[] held = lockHeldElsewhere(wh);
        for (String[] writer : List.of(
                new String[]{"nightly", "--date", "2024-01-02"},
                new String[]{"backfill", "--from", "2024-01-01", "--to", "2024-01-02"},
                new String[]{"ingest", "--date", "2024-01-02"},
                new String[]{"publish", "--date", "2024-01-02"},
                new String[]{"maintain"})) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(writer), writer[0].equals("maintain")
                    ? java.util.stream.Stream.of("--warehouse", wh.toString())
                    : java.util.stream.Stream.of("--landing", landing.toString(), "--warehouse", wh.toString())).toArray(String[]::new);
            Result r = ews(args);
            assertEquals(3, r.exit(), writer[0] + ": " + r.err());
            assertTrue(r.err().startsWith("ews " + writer[0] + ": the warehouse is in use by run scheduled__2024-01-02T02:00:00+00:00 "
                    + "(conform 2024-01-02) on host airflow-worker-3, pid 31337, started "), r.err());
            assertTrue(r.err().contains("last heartbeat 5 s ago") || r.err().contains("last heartbeat 6 s ago"), r.err());
            // --dry-run checks only: it neither takes nor needs the lock.
            String[] dry = java.util.Arrays.copyOf(args, args.length + 1);
            dry[args.length] = "--dry-run";
            assertEquals(0, ews(dry).exit(), writer[0] + " --dry-run");
        }
        assertEquals(List.of(), tablesIn(wh), "nothing written");
        assertFalse(Files.exists(wh.resolve("ops")), "not even ops.runs");

        // Readers neither take nor wait for it.
        Result sql = ews("sql", "--warehouse", wh.toString(), "--format", "csv", "SELECT 1 AS one");
        assertEquals(0, sql.exit(), sql.err());
        Files.createDirectories(dir.resolve("other"));
        Result compare = ews("compare", "--warehouse", wh.toString(), "--against", dir.resolve("other").toString());
        assertNotEquals(3, compare.exit(), compare.err());
        assertTrue(compare.err().contains("nothing was compared"), compare.err());
        assertArrayEquals(held, Files.readAllBytes(wh.resolve("_ews/run.lock")), "the lock is as the other run wrote it");
    }

    @Test
    void aStageAKilledRunLeftRunningIsMarkedAbandonedByTheNextRun() throws Exception {
        Path wh = dir.resolve("wh");
        SparkSession spark = SharedSpark.session();
        Warehouse w = new Warehouse(spark, wh.toString());
        // What a run killed in conform leaves: ingest succeeded, conform running, and its lock (its pid is gone).
        Instant t = Instant.parse("2024-01-03T02:00:00Z");
        List<Row> rows = List.of(
                RowFactory.create("killed", Date.valueOf("2024-01-02"), Date.valueOf("2024-01-02"), Date.valueOf("2024-01-02"),
                        "ingest", "succeeded", Timestamp.from(t), Timestamp.from(t.plusSeconds(30)), 10L, 0L, 10L, "fixture"),
                RowFactory.create("killed", Date.valueOf("2024-01-02"), Date.valueOf("2024-01-02"), Date.valueOf("2024-01-02"),
                        "conform", "running", Timestamp.from(t.plusSeconds(30)), null, null, null, null, null));
        w.replace(Ops.RUNS, spark.createDataFrame(rows, Ops.RUNS.columns()), null);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(wh.resolve("_ews"));
        Files.write(wh.resolve("_ews/run.lock"), new RunLock.Holder("killed", "nightly 2024-01-02", ThisHost.name(), gone.pid(),
                ThisHost.pidNamespace(), null, t, t.plusSeconds(40)).toJson());

        Result r = ews("publish", "--date", "2024-01-02", "--warehouse", wh.toString(), "--run-id", "next");
        assertEquals(0, r.exit(), r.err());
        Map<String, Row> byStage = new TreeMap<>();
        spark.read().format("delta").load(wh.resolve("ops/runs").toString()).collectAsList()
                .forEach(x -> byStage.put(x.getAs("run_id") + " " + x.getAs("stage"), x));
        assertEquals("succeeded", byStage.get("killed ingest").getAs("status"), "a stage that ended stays as it ended");
        Row abandoned = byStage.get("killed conform");
        assertEquals("abandoned", abandoned.getAs("status"));
        assertTrue(((String) abandoned.getAs("message")).contains("found by run next"), (String) abandoned.getAs("message"));
        assertEquals("succeeded", byStage.get("next publish").getAs("status"));
        assertFalse(Files.exists(wh.resolve("_ews/run.lock")), "released at the end");
    }
}
