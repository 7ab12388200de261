package org.ews.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.ews.bench.BenchLanding;
import org.ews.bench.BenchReport;
import org.ews.bench.BenchSizes;
import org.ews.bench.PeerMain;
import org.ews.bench.Peers;
import org.ews.bench.StepResult;
import org.ews.bench.StepRunner;
import org.ews.config.EwsConfig;
import org.ews.run.EwsException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/ews bench --scale LINES}: generates (or reuses) landing zones of LINES and LINES/10 declaration lines plus
 * one new day, then runs and times, each as a separate {@code bin/ews} process (JVM start included): the full backfill
 * of the history into a fresh warehouse, one nightly of the new day on top of it, the same two on the 10× smaller
 * history, and the peer ({@link org.ews.bench.Peer}) when it is in the build. Writes {@code OUT/results.json}, prints a
 * table and the targets with met / NOT MET. A failing step stops the bench (exit 1, naming it); the results so
 * far are still written.
 */
final class BenchCommand {
    private BenchCommand() {}

    static final String DEFAULT_OUT = "bench";
    /** Set by bin/ews: the launcher every step runs through. */
    static final String LAUNCHER_PROPERTY = "ews.launcher";

    private record Setup(long scale, Path dir, long seed, boolean keep, EwsConfig config, List<String> passOn, Path launcher,
                         Peers.Found peer) {}

    static Commands.Prepared prepare(Args a, Map<String, String> env) {
        Commands.noWords("bench", a);
        long scale = a.number("scale", -1);
        if (a.get("scale") == null) {
            throw new UsageException("'bench' needs --scale LINES (make bench: 1000000)");
        }
        if (scale < BenchSizes.MIN_SCALE || scale > BenchSizes.MAX_SCALE) {
            throw new UsageException(String.format(Locale.ROOT, "--scale must be from %,d to %,d lines, got %,d",
                    BenchSizes.MIN_SCALE, BenchSizes.MAX_SCALE, scale));
        }
        Path dir = Path.of(a.get("out") == null ? DEFAULT_OUT : a.writableDir("out"));
        long seed = a.number("seed", 42);
        EwsConfig config = Commands.loadConfig(a, env); // a bad setting is a usage error before anything is generated
        List<String> passOn = new ArrayList<>();
        if (a.get("config") != null) {
            passOn.addAll(List.of("--config", a.get("config")));
        }
        a.settings().forEach((k, v) -> passOn.addAll(List.of("--set", k + "=" + v)));
        Setup s = new Setup(scale, dir, seed, a.flag("keep"), config, passOn, launcher(), Peers.find());
        long small = BenchSizes.smallScale(scale);
        long day = BenchSizes.dayLines(scale);
        String plan = String.format(Locale.ROOT, "bench at %,d lines (history %s..%s, %d lines a day per reporter; %,d-line "
                        + "history at %d) and a new day %s of about %,d lines (%d a day per reporter), seed %d, into %s, "
                        + "each step through %s; peer: %s%s",
                scale, BenchSizes.HISTORY_FROM, BenchSizes.HISTORY_TO, BenchSizes.historyLinesPerDay(scale), small,
                BenchSizes.historyLinesPerDay(small), BenchSizes.NEW_DAY, day, BenchSizes.dayLinesPerDay(day), seed, dir,
                s.launcher(), s.peer().available() ? s.peer().name() : "not available (" + s.peer().unavailable() + ")",
                s.keep() ? "; warehouses kept" : "");
        return new Commands.Prepared(plan, out -> run(s, out));
    }

    /** bin/ews passes itself; run from elsewhere (tests, an IDE), the launcher of the checkout in the working folder. */
    static Path launcher() {
        String set = System.getProperty(LAUNCHER_PROPERTY);
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        for (Path p : List.of(Path.of("bin", "ews"), Path.of("..", "bin", "ews"))) {
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new UsageException("bench runs every step through bin/ews: start it as 'bin/ews bench' (make bench)");
    }

    private static void run(Setup s, PrintStream out) {
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Path logs = s.dir().resolve("logs");
        Path json = s.dir().resolve("results.json");
        StepRunner runner = new StepRunner(logs, Path.of("").toAbsolutePath());
        List<BenchLanding.Zone> zones = java.util.Collections.synchronizedList(new ArrayList<>());
        List<StepResult> steps = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.function.BiFunction<String, String, BenchReport.Results> results = (failedStep, failure) -> new BenchReport.Results(
                s.scale(), s.seed(), machine(List.copyOf(steps), loadAtStart), List.copyOf(zones), List.copyOf(steps),
                s.peer().available() ? s.peer().name() : null, s.peer().available() ? null : s.peer().unavailable(),
                failedStep, failure, started, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        // Interrupted (Ctrl-C, kill): the running step is stopped, and what was measured so far is still written.
        Thread onSignal = new Thread(() -> {
            String step = runner.currentStep();
            runner.stopCurrent();
            write(json, results.apply(step == null ? "interrupted" : step, "the bench was interrupted (a signal); the step was stopped"));
            System.err.println("ews bench: interrupted" + (step == null ? "" : " during step " + step) + "; results so far in " + json);
        }, "bench-interrupted");
        Runtime.getRuntime().addShutdownHook(onSignal);

        String failedStep = null;
        String failure = null;
        long small = BenchSizes.smallScale(s.scale());
        long dayLines = BenchSizes.dayLines(s.scale());
        Path bigRun = s.dir().resolve("run-" + s.scale());
        Path smallRun = s.dir().resolve("run-" + small);
        try {
            Path reference = Path.of(s.config().paths().reference());
            try {
                zones.add(BenchLanding.prepare(s.dir().resolve("landing-" + s.scale()),
                        BenchLanding.Params.forScale(s.scale(), dayLines, s.seed()), reference, out::println));
                zones.add(BenchLanding.prepare(s.dir().resolve("landing-" + small),
                        BenchLanding.Params.forScale(small, dayLines, s.seed()), reference, out::println));
            } catch (RuntimeException e) {
                throw new StepFailure("landing", "cannot generate the landing zones: " + org.ews.Messages.firstLine(String.valueOf(e.getMessage())));
            }
            BenchLanding.delete(bigRun);
            BenchLanding.delete(smallRun);
            Path bigLanding = zones.get(0).dir();
            Path smallLanding = zones.get(1).dir();
            Path bigWarehouse = bigRun.resolve("warehouse");
            Path smallWarehouse = smallRun.resolve("warehouse");
            String history = BenchSizes.HISTORY_FROM + ".." + BenchSizes.HISTORY_TO;
            String day = BenchSizes.NEW_DAY.toString();

            StepResult backfill = step(runner, steps, out, BenchReport.BACKFILL, "(1) full backfill " + history + ", fresh warehouse",
                    ews(s, "backfill", bigLanding, bigWarehouse, "--from", BenchSizes.HISTORY_FROM.toString(), "--to", BenchSizes.HISTORY_TO.toString()));
            peerSteps(s, runner, steps, out, BenchReport.PEER_FULL, "(4) peer: full recompute " + history, bigLanding,
                    BenchSizes.HISTORY_TO, bigRun, bigWarehouse, backfill.lines());
            StepResult nightly = step(runner, steps, out, BenchReport.NIGHTLY, "(2) nightly " + day + " on the backfill",
                    ews(s, "nightly", bigLanding, bigWarehouse, "--date", day));
            peerSteps(s, runner, steps, out, BenchReport.PEER_NIGHTLY, "(4) peer: full recompute " + BenchSizes.HISTORY_FROM + ".." + day,
                    bigLanding, BenchSizes.NEW_DAY, bigRun, bigWarehouse, sum(backfill.lines(), nightly.lines()));
            step(runner, steps, out, BenchReport.BACKFILL_SMALL, "set-up of (3): backfill of the 10x smaller history",
                    ews(s, "backfill", smallLanding, smallWarehouse, "--from", BenchSizes.HISTORY_FROM.toString(), "--to", BenchSizes.HISTORY_TO.toString()));
            step(runner, steps, out, BenchReport.NIGHTLY_SMALL, "(3) nightly " + day + " on the 10x smaller history",
                    ews(s, "nightly", smallLanding, smallWarehouse, "--date", day));
        } catch (StepFailure f) {
            failedStep = f.step;
            failure = f.getMessage();
        } catch (RuntimeException unexpected) {
            // Not a signal: without this the hook would still run at exit and report the bench as interrupted.
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook reports
            }
            throw unexpected;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // interrupted while finishing: the hook writes the results and says so
            return;
        }
        BenchReport.Results done = results.apply(failedStep, failure);
        write(json, done);
        out.println();
        out.print(BenchReport.table(done));
        out.println("written: " + json + " (logs: " + logs + ")");
        if (failedStep != null) {
            throw new EwsException("bench step '" + failedStep + "' failed: " + failure + "; results so far in " + json);
        }
        if (!s.keep()) {
            BenchLanding.delete(bigRun);
            BenchLanding.delete(smallRun);
            out.println("warehouses deleted (--keep keeps them); landing zones kept for reuse in " + s.dir());
        } else {
            out.println("warehouses kept: " + bigRun.resolve("warehouse") + ", " + smallRun.resolve("warehouse"));
        }
    }

    /** Synchronized: the shutdown hook of an interrupted bench and the run it interrupted may both write. */
    private static synchronized void write(Path json, BenchReport.Results results) {
        try {
            Files.createDirectories(json.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), BenchReport.json(results));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json, e);
        }
    }

    private static final class StepFailure extends RuntimeException {
        final String step;

        StepFailure(String step, String message) {
            super(message);
            this.step = step;
        }
    }

    /** Runs one step; a failure is recorded and stops the bench. */
    private static StepResult step(StepRunner runner, List<StepResult> steps, PrintStream out, String name, String what,
                                   List<String> command) {
        out.println("step " + name + ": " + what);
        StepResult r = runner.run(name, what, command);
        return record(steps, out, r);
    }

    private static StepResult record(List<StepResult> steps, PrintStream out, StepResult r) {
        steps.add(r);
        out.println(String.format(Locale.ROOT, "  %s: exit %s in %s s%s%s (log: %s)", r.status(), r.exitCode(),
                r.wallSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.wallSeconds()),
                r.lines() == null ? "" : String.format(Locale.ROOT, ", %,d lines", r.lines()),
                r.peakHeapMb() == null ? "" : String.format(Locale.ROOT, ", heap %,.0f MB at peak, %s live", r.peakHeapMb(),
                        r.liveHeapMb() == null ? "-" : String.format(Locale.ROOT, "%,.0f MB", r.liveHeapMb())), r.log()));
        if (!r.ok()) {
            throw new StepFailure(r.name(), "exit " + r.exitCode() + ": " + r.note() + " (log: " + r.log() + ")");
        }
        return r;
    }

    /**
     * The peer's timed recompute over FROM..to, then its untimed check against our warehouse over the same dates; both
     * recorded as skipped, visibly, when the peer is not in the build.
     */
    private static void peerSteps(Setup s, StepRunner runner, List<StepResult> steps, PrintStream out, String name, String what,
                                  Path landing, LocalDate to, Path runDir, Path warehouse, Long lines) {
        if (!s.peer().available()) {
            out.println("step " + name + ": peer: not available (" + s.peer().unavailable() + ")");
            steps.add(StepResult.skipped(name, what, "peer: not available (" + s.peer().unavailable() + ")"));
            return;
        }
        Path work = runDir.resolve(name);
        out.println("step " + name + ": " + what + " (" + s.peer().name() + ")");
        record(steps, out, runner.run(name, what + " (" + s.peer().name() + ")", peer("recompute", s.peer().type().getName(),
                landing.toString(), BenchSizes.HISTORY_FROM.toString(), to.toString(), work.toString())).withLines(lines));
        String check = name + "-check";
        out.println("step " + check + ": the peer's rows against ours (untimed)");
        StepResult c = runner.run(check, "the peer's rows against ours in " + warehouse + " (not timed)",
                peer("check", s.peer().type().getName(), work.toString(), warehouse.toString()));
        if (c.exitCode() != null && c.exitCode() == PeerMain.NOT_CHECKED) {
            c = new StepResult(c.name(), c.what(), StepResult.SKIPPED, c.command(), c.exitCode(), c.wallSeconds(), null,
                    c.peakHeapMb(), c.liveHeapMb(), c.maxHeapMb(), c.log(), "the peer does not compare its rows with ours");
            steps.add(c);
            out.println("  skipped: " + c.note());
            return;
        }
        record(steps, out, c);
    }

    /** A launcher command: bin/ews VERB --landing L --warehouse W ARGS... plus the bench's --config and --set. */
    private static List<String> ews(Setup s, String verb, Path landing, Path warehouse, String... args) {
        List<String> c = new ArrayList<>(List.of(s.launcher().toString(), verb));
        c.addAll(List.of(args));
        c.addAll(List.of("--landing", landing.toString(), "--warehouse", warehouse.toString(), "--run-id", "bench-" + verb));
        c.addAll(s.passOn());
        return c;
    }

    /** The peer's JVM: this JVM's java, options and classpath (bin/ews's), running PeerMain. */
    private static List<String> peer(String... args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-D" + ProcessMetrics.PROPERTY + "=")).forEach(c::add);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerMain.class.getName()));
        c.addAll(List.of(args));
        return c;
    }

    private static Long sum(Long a, Long b) {
        return a == null || b == null ? null : a + b;
    }

    /**
     * Cores and memory of this machine, the heap the steps ran with, and the load average (1 minute) when the bench
     * started and ended: the cores are shared, and a load above them at the start means others were running too.
     */
    static Map<String, Object> machine(List<StepResult> steps, double loadAtStart) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_mb", os.getTotalMemorySize() / (1024 * 1024));
        }
        m.put("step_max_heap_mb", steps.stream().map(StepResult::maxHeapMb).filter(java.util.Objects::nonNull).findFirst().orElse(null));
        m.put("ews_java_opts", System.getenv().getOrDefault("EWS_JAVA_OPTS", "-Xmx8g (bin/ews default)"));
        m.put("load_average_start", loadAtStart < 0 ? null : BenchReport.round(loadAtStart, 2));
        double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        m.put("load_average_end", loadAtEnd < 0 ? null : BenchReport.round(loadAtEnd, 2));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }
}
