package org.ews.reliability;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;
import org.ews.testing.Dirs;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills {@code bin/ews backfill} (SIGKILL, a real child process) at three points of a backfill over a small generated
 * landing zone, reruns it each time on the same warehouse, and finally runs two backfills of the same range at once on
 * it: one must refuse with the lock's message (exit 3), the other complete. Every bronze, silver and gold table must
 * then equal those of a clean, uninterrupted backfill into another warehouse (run alongside, to save time), compared by
 * {@code bin/ews compare} ({@code WarehouseComparison}, run ids left out).
 *
 * <p>The kill points are found from what the process itself shows, never by sleeping: (1) its stderr line saying ingest
 * ended (bronze committed, conform starting); (2) during publish: the bulletin's staging folder or the bulletin itself
 * appearing beside the warehouse; (3) in the middle of metrics: a new Delta commit of gold.trade_monthly (the stage's
 * first table; six more and the stage's state follow). The chain goes 1, 2, 3 so that kill 3 meets the incremental
 * metrics state a completed stage wrote. What each kill left (ops.runs, the stage state, the lock, the bulletin) is
 * checked before the next run starts. Writes a report to target/reliability/report.txt.
 */
@Tag("reliability")
class KillAndRerunTest {
    private static final String FROM = "2023-12-28";
    private static final String TO = "2024-01-12";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
    /** Our own log lines (not Spark's or Delta's), for the report. */
    private static final Pattern OURS = Pattern.compile(" (INFO|WARN|ERROR) +(Pipeline|RunLock|RunLog): ");

    private final Path repo = Path.of("..").toAbsolutePath().normalize();
    private final Path root = Path.of("target", "reliability").toAbsolutePath();
    private final Path logs = root.resolve("logs");
    private final List<Launched> launched = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private final long t0 = System.nanoTime();

    @AfterEach
    void stopAll() throws IOException {
        launched.forEach(Launched::close);
        Files.createDirectories(root);
        Files.writeString(root.resolve("report.txt"), report.toString(), StandardCharsets.UTF_8);
        System.out.print(report);
    }

    private void say(String line) {
        report.append(String.format("[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, line));
    }

    private Launched backfill(String name, Path warehouse, String runId) {
        Map<String, String> env = Map.of("EWS_JAVA_OPTS", "-Xmx3g");
        Launched p = Launched.start(name, repo, logs, env, List.of("backfill", "--from", FROM, "--to", TO,
                "--landing", root.resolve("landing").toString(), "--warehouse", warehouse.toString(), "--run-id", runId));
        launched.add(p);
        say(name + ": started bin/ews backfill --from " + FROM + " --to " + TO + " --warehouse " + root.relativize(warehouse)
                + " --run-id " + runId + " (pid " + p.pid() + ")");
        return p;
    }

    private void killed(Launched p, String point) {
        int exit = p.kill();
        assertEquals(137, exit, "SIGKILL");
        say(p.name + ": killed (kill -9) " + point + " at " + String.format("%.1f", p.seconds()) + " s, exit " + exit);
        p.errLines(OURS).forEach(l -> say("    " + l.replaceFirst("^\\S+ \\S+ ", "")));
    }

    private void finished(Launched p) {
        int exit = p.waitFor(RUN_TIMEOUT);
        say(p.name + ": exit " + exit + " after " + String.format("%.1f", p.seconds()) + " s");
        p.errLines(OURS).forEach(l -> say("    " + l.replaceFirst("^\\S+ \\S+ ", "")));
        assertEquals(0, exit, p.name + ":\n" + p.err());
    }

    private static long lastVersion(Path table) {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(log)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
        } catch (IOException e) {
            return -1; // listing while Delta renames a file in: try again at the next poll
        }
    }

    private static SparkSession spark() {
        return SharedSpark.session();
    }

    private static Map<String, String> runs(Path wh, String runId) {
        Map<String, String> status = new TreeMap<>();
        Path t = wh.resolve("ops/runs");
        if (lastVersion(t) < 0) {
            return status;
        }
        spark().read().format("delta").load(t.toString()).where("run_id = '" + runId + "'").collectAsList()
                .forEach(r -> status.put(r.getAs("stage"), r.getAs("status")));
        return status;
    }

    private static Map<String, String> stageState(Path wh) {
        Map<String, String> by = new TreeMap<>();
        Path t = wh.resolve("ops/stage_state");
        if (lastVersion(t) >= 0) {
            spark().read().format("delta").load(t.toString()).collectAsList()
                    .forEach(r -> by.put(r.getAs("stage"), r.getAs("run_id") + "@v" + r.getAs("source_version")));
        }
        return by;
    }

    private static String lockHolder(Path wh) {
        Path lock = wh.resolve("_ews/run.lock");
        try {
            return Files.exists(lock) ? Files.readString(lock).replaceAll("\\s+", " ") : "(none)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String bulletin(Path reports) {
        Path b = reports.resolve(TO);
        if (!Files.exists(b)) {
            return "reports/" + TO + " absent";
        }
        return "reports/" + TO + (Files.exists(b.resolve("manifest.json")) ? " complete (manifest.json present)" : " INCOMPLETE");
    }

    @Test
    void killedThreeTimesThenRaced() throws Exception {
        assertTrue(Files.isRegularFile(repo.resolve("jobs/target/ews-jobs.jar")), "run 'make build' first (make reliability does)");
        Dirs.delete(root);
        GenerationSummary landing = LandingGenerator.builder().out(root.resolve("landing")).from(LocalDate.parse(FROM))
                .to(LocalDate.parse(TO)).linesPerDay(5).seed(5).referenceDir(repo.resolve("conf/reference")).build().run();
        say("landing: " + landing.describe());
        // This JVM's Spark (for reading ops.runs between kills) starts while the first runs do, not after the first kill.
        java.util.concurrent.CompletableFuture<SparkSession> session = java.util.concurrent.CompletableFuture.supplyAsync(SharedSpark::session);
        Path clean = root.resolve("clean/warehouse");
        Path wh = root.resolve("chain/warehouse");
        Path reports = root.resolve("chain/reports");

        // The clean run goes alongside the chain: two processes on 2 cores cost less than one after the other.
        Launched cleanRun = backfill("clean", clean, "clean");

        // Kill 1: ingest has committed bronze; conform is starting.
        Launched r1 = backfill("kill-1", wh, "kill-1");
        r1.awaitErr(Pattern.compile("Pipeline: .* ingest +rows in"), RUN_TIMEOUT);
        killed(r1, "right after its stderr said ingest ended");
        session.join();
        assertTrue(lockHolder(wh).contains("\"run_id\" : \"kill-1\"") && lockHolder(wh).contains("\"pid\" : " + r1.pid()),
                "the killed run's lock stays: " + lockHolder(wh));
        say("  lock left: " + lockHolder(wh));
        Map<String, String> k1 = runs(wh, "kill-1");
        say("  ops.runs kill-1: " + k1);
        assertEquals("succeeded", k1.get("ingest"));
        assertEquals("running", k1.get("conform"), "the killed stage reads running, never succeeded");
        assertEquals(2, k1.size(), k1.toString());

        // Kill 2: during publish, when the bulletin's staging folder (or the bulletin) appears beside the warehouse.
        Launched r2 = backfill("kill-2", wh, "kill-2");
        r2.await("the bulletin being written", RUN_TIMEOUT, () -> Files.exists(reports.resolve("." + TO + ".writing"))
                || Files.exists(reports.resolve(TO)));
        killed(r2, "during publish, as the bulletin was being written");
        assertTrue(r2.err().contains("Took over the run lock") && r2.err().contains("from run kill-1"), "WARN on takeover");
        Map<String, String> k2 = runs(wh, "kill-2");
        say("  ops.runs kill-1: " + runs(wh, "kill-1") + "; kill-2: " + k2);
        assertEquals("abandoned", runs(wh, "kill-1").get("conform"), "marked by kill-2, which held the lock");
        assertEquals("running", k2.get("publish"));
        assertEquals(List.of("anomalies", "conform", "ingest", "metrics"),
                k2.entrySet().stream().filter(e -> e.getValue().equals("succeeded")).map(Map.Entry::getKey).toList());
        Map<String, String> stateAfter2 = stageState(wh);
        say("  ops.stage_state: " + stateAfter2 + "; " + bulletin(reports));
        assertFalse(bulletin(reports).contains("INCOMPLETE"), "a reader never sees half a bulletin");

        // Kill 3: in the middle of metrics, when gold.trade_monthly gets a new commit (six tables and the state to go).
        Path monthly = wh.resolve("gold/trade_monthly");
        long before = lastVersion(monthly);
        Launched r3 = backfill("kill-3", wh, "kill-3");
        r3.await("a new commit of gold.trade_monthly after v" + before, RUN_TIMEOUT, () -> lastVersion(monthly) > before);
        killed(r3, "in the middle of metrics, right after gold.trade_monthly v" + lastVersion(monthly) + " was committed");
        Map<String, String> stateAfter3 = stageState(wh);
        say("  ops.runs kill-2: " + runs(wh, "kill-2") + "; kill-3: " + runs(wh, "kill-3") + "; ops.stage_state: " + stateAfter3);
        assertEquals("abandoned", runs(wh, "kill-2").get("publish"));
        assertEquals("running", runs(wh, "kill-3").get("metrics"));
        assertEquals(stateAfter2, stateAfter3, "the killed metrics stage left the state as it was: the rerun starts from there");

        finished(cleanRun);

        // Two runs of the same range at once: one takes the lock (over kill-3's), the other is refused.
        Launched a = backfill("race-a", wh, "race-a");
        Launched b = backfill("race-b", wh, "race-b");
        int exitA = a.waitFor(RUN_TIMEOUT);
        int exitB = b.waitFor(RUN_TIMEOUT);
        Launched winner = exitA == 0 ? a : b;
        Launched loser = winner == a ? b : a;
        int loserExit = winner == a ? exitB : exitA;
        say(winner.name + ": exit 0 after " + String.format("%.1f", winner.seconds()) + " s");
        winner.errLines(OURS).forEach(l -> say("    " + l.replaceFirst("^\\S+ \\S+ ", "")));
        say(loser.name + ": exit " + loserExit + " after " + String.format("%.1f", loser.seconds()) + " s; stderr:");
        loser.err().lines().forEach(l -> say("    " + l));
        assertEquals(3, loserExit, loser.err());
        assertEquals(0, winner == a ? exitA : exitB, winner.err());
        String refusal = loser.err().lines().filter(l -> l.startsWith("ews backfill: ")).findFirst().orElse("");
        assertTrue(refusal.startsWith("ews backfill: the warehouse is in use by run " + winner.name + " (backfill " + FROM + ".." + TO
                + ") on host ") && refusal.contains(", pid " + winner.pid() + ", started "), loser.err());
        assertTrue(winner.err().contains("Took over the run lock") && winner.err().contains("from run kill-3"), winner.err());
        assertEquals("(none)", lockHolder(wh), "released at the end");
        assertTrue(bulletin(reports).contains("complete"), bulletin(reports));

        Map<String, String> all = new TreeMap<>();
        for (String id : List.of("kill-1", "kill-2", "kill-3", winner.name, loser.name)) {
            all.put(id, runs(wh, id).toString());
        }
        say("ops.runs: " + all);
        assertEquals(Map.of("ingest", "succeeded", "conform", "abandoned"), runs(wh, "kill-1"));
        assertEquals("abandoned", runs(wh, "kill-3").get("metrics"));
        assertEquals(5, runs(wh, winner.name).values().stream().filter("succeeded"::equals).count());
        assertEquals(Map.of(), runs(wh, loser.name), "the refused run wrote nothing, not even ops.runs");

        // Every bronze, silver and gold table against the clean run.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"compare", "--warehouse", wh.toString(), "--against", clean.toString(),
                        "--schemas", "bronze,silver,gold"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("EWS_PATHS_REFERENCE", repo.resolve("conf/reference").toString()));
        say("bin/ews compare --warehouse chain/warehouse --against clean/warehouse --schemas bronze,silver,gold: exit " + exit);
        out.toString(StandardCharsets.UTF_8).lines().forEach(l -> say("    " + l));
        assertEquals(0, exit, out + "\n" + err);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("compared 18 tables: 18 same, 0 different"), out.toString());
        List<Row> lines = spark().read().format("delta").load(wh.resolve("silver/trade_lines").toString()).groupBy().count().collectAsList();
        say("silver.trade_lines rows: " + lines.get(0).getLong(0) + " (the generator wrote " + landing.totalLines() + " lines)");
    }
}
