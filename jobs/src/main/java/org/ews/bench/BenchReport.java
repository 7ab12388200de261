package org.ews.bench;

import org.ews.sql.SqlCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The benchmark's results: the targets judged against the measured steps, {@code results.json}'s content and
 * the short table the command prints. Plain Java over {@link StepResult}s, so it is tested on canned figures.
 */
public final class BenchReport {
    private BenchReport() {}

    /** (1) the full backfill over the history, into a fresh warehouse. */
    public static final String BACKFILL = "backfill";
    /** (2) one nightly run of the new day on top of it. */
    public static final String NIGHTLY = "nightly";
    /** Set-up of (3): the backfill of the 10× smaller history (timed, not a target). */
    public static final String BACKFILL_SMALL = "backfill-small";
    /** (3) the same nightly on the 10× smaller history. */
    public static final String NIGHTLY_SMALL = "nightly-small";
    /** (4) the peer's full recompute over the history (what the backfill is compared with). */
    public static final String PEER_FULL = "peer-full";
    /** (4) the peer's full recompute over the history and the new day (what the nightly is compared with). */
    public static final String PEER_NIGHTLY = "peer-nightly";

    public static final String MET = "met";
    public static final String NOT_MET = "NOT MET";
    public static final String NOT_MEASURED = "not measured";

    /** One target of the issue: {@code value comparison limit} is met. */
    public record Target(String id, String text, Double value, String comparison, double limit, String status) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("target", text);
            m.put("value", round(value, 3));
            m.put("comparison", comparison);
            m.put("limit", limit);
            m.put("status", status);
            return m;
        }
    }

    /** Everything results.json holds. {@code failedStep} null: every step that ran succeeded. */
    public record Results(long scale, long seed, Map<String, Object> machine, List<BenchLanding.Zone> zones,
                          List<StepResult> steps, String peer, String peerNote, String failedStep, String failure,
                          String startedAt, String finishedAt) {}

    public static List<Target> targets(List<StepResult> steps) {
        Optional<StepResult> backfill = ok(steps, BACKFILL);
        Optional<StepResult> nightly = ok(steps, NIGHTLY);
        Optional<StepResult> small = ok(steps, NIGHTLY_SMALL);
        Optional<StepResult> peerFull = ok(steps, PEER_FULL);
        Optional<StepResult> peerNightly = ok(steps, PEER_NIGHTLY);
        List<Target> t = new ArrayList<>();
        t.add(judge("backfill_lines_per_s", "full backfill >= 100,000 declaration lines/s (ingest to publish, JVM start included)",
                backfill.map(StepResult::linesPerSecond).orElse(null), ">=", 100_000, v -> v >= 100_000));
        t.add(judge("nightly_wall_s", "nightly of the new day <= 60 s wall, JVM start included",
                nightly.map(StepResult::wallSeconds).orElse(null), "<=", 60, v -> v <= 60));
        t.add(judge("nightly_vs_small_history", "nightly <= 1.5 x the same nightly on the 10x smaller history",
                ratio(nightly, small), "<=", 1.5, v -> v <= 1.5));
        t.add(judge("nightly_vs_peer", "nightly faster than the peer's full recompute (history + new day)",
                ratio(nightly, peerNightly), "<", 1.0, v -> v < 1.0));
        t.add(judge("backfill_vs_peer", "full backfill within 3 x the peer's full recompute of the history",
                ratio(backfill, peerFull), "<=", 3.0, v -> v <= 3.0));
        // What the driver needs, not what G1 let it fill: the heap in use just before a collection grows with -Xmx
        // (an 8 GB heap is filled up to about 8 GB before it is collected); the heap left after one does not.
        Double heap = backfill.isPresent() && nightly.isPresent() && backfill.get().liveHeapMb() != null
                && nightly.get().liveHeapMb() != null ? Math.max(backfill.get().liveHeapMb(), nightly.get().liveHeapMb()) : null;
        t.add(judge("peak_driver_heap_mb", "peak driver heap of backfill and nightly <= 4 GB (4,096 MB live after a collection)",
                heap, "<=", 4096, v -> v <= 4096));
        return t;
    }

    /** Our wall seconds over the peer's, for the backfill (full) and the nightly; null where either did not run. */
    public static Map<String, Double> ratios(List<StepResult> steps) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("full_ours_over_peer", round(ratio(ok(steps, BACKFILL), ok(steps, PEER_FULL)), 3));
        m.put("nightly_ours_over_peer", round(ratio(ok(steps, NIGHTLY), ok(steps, PEER_NIGHTLY)), 3));
        return m;
    }

    public static Map<String, Object> json(Results r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scale", r.scale());
        m.put("seed", r.seed());
        m.put("started_at", r.startedAt());
        m.put("finished_at", r.finishedAt());
        m.put("result", r.failedStep() == null ? "completed" : "failed");
        m.put("failed_step", r.failedStep());
        m.put("failure", r.failure());
        m.put("machine", r.machine());
        List<Map<String, Object>> zones = new ArrayList<>();
        r.zones().forEach(z -> zones.add(z.toMap()));
        m.put("landing", zones);
        List<Map<String, Object>> steps = new ArrayList<>();
        r.steps().forEach(s -> steps.add(s.toMap()));
        m.put("steps", steps);
        Map<String, Object> peer = new LinkedHashMap<>();
        peer.put("name", r.peer());
        peer.put("available", r.peer() != null);
        peer.put("note", r.peerNote());
        m.put("peer", peer);
        m.put("ratios", ratios(r.steps()));
        List<Map<String, Object>> targets = new ArrayList<>();
        targets(r.steps()).forEach(t -> targets.add(t.toMap()));
        m.put("targets", targets);
        return m;
    }

    /** The short fixed-width table: one row per step, the ratios to the peer, then the targets. */
    public static String table(Results r) {
        String nl = "\n";
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "ews bench at %,d lines (seed %d) on %s cores%s%n", r.scale(), r.seed(),
                r.machine().getOrDefault("cores", "?"), r.machine().get("load_average_start") == null ? ""
                        : ", load average " + r.machine().get("load_average_start") + " at the start"));
        List<String[]> rows = new ArrayList<>();
        for (StepResult x : r.steps()) {
            rows.add(new String[]{x.name(), x.what(), x.status(), count(x.lines()), fixed(x.wallSeconds(), 1),
                    count(x.linesPerSecond()), count(x.peakHeapMb()), count(x.liveHeapMb()),
                    x.exitCode() == null ? "-" : x.exitCode().toString()});
        }
        s.append(SqlCommand.aligned(new String[]{"step", "what", "status", "lines", "wall s", "lines/s", "heap MB peak", "live", "exit"},
                rows, 60, nl));
        if (r.peer() == null) {
            s.append("peer: not available").append(r.peerNote() == null ? "" : " (" + r.peerNote() + ")").append(nl);
        } else {
            Map<String, Double> ratio = ratios(r.steps());
            s.append("ours/").append(r.peer()).append(" wall: full ").append(fixed(ratio.get("full_ours_over_peer"), 2))
                    .append(", nightly ").append(fixed(ratio.get("nightly_ours_over_peer"), 2)).append(nl);
        }
        List<String[]> t = new ArrayList<>();
        for (Target x : targets(r.steps())) {
            t.add(new String[]{x.text(), x.value() == null ? "-" : fixed(x.value(), x.value() >= 100 ? 0 : 2),
                    x.comparison() + " " + plain(x.limit()), x.status()});
        }
        s.append("targets (the issue's, set for 10M lines):").append(nl);
        s.append(SqlCommand.aligned(new String[]{"target", "value", "limit", "status"}, t, 100, nl));
        if (r.failedStep() != null) {
            s.append("FAILED at step ").append(r.failedStep()).append(": ").append(r.failure()).append(nl);
        }
        return s.toString();
    }

    private static Optional<StepResult> ok(List<StepResult> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name) && s.ok()).findFirst();
    }

    private static Double ratio(Optional<StepResult> ours, Optional<StepResult> other) {
        if (ours.isEmpty() || other.isEmpty() || ours.get().wallSeconds() == null || other.get().wallSeconds() == null
                || other.get().wallSeconds() <= 0) {
            return null;
        }
        return ours.get().wallSeconds() / other.get().wallSeconds();
    }

    private static Target judge(String id, String text, Double value, String comparison, double limit, Predicate<Double> met) {
        return new Target(id, text, value, comparison, limit, value == null ? NOT_MEASURED : met.test(value) ? MET : NOT_MET);
    }

    public static Double round(Double v, int digits) {
        if (v == null) {
            return null;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String count(Number v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,d", Math.round(v.doubleValue()));
    }

    private static String fixed(Double v, int digits) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.valueOf(v);
    }
}
