package org.ews.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured step of the benchmark: a separate process, timed from its start to its exit (JVM start included).
 *
 * @param name       the step's fixed name ({@link BenchReport#BACKFILL}, ...)
 * @param what       what it runs, for a person
 * @param status     {@link #OK}, {@link #FAILED} or {@link #SKIPPED} (with the reason in {@code note})
 * @param command    the command line
 * @param exitCode   the process's exit code; null when skipped
 * @param wallSeconds from process start to exit, as measured by the harness
 * @param lines      declaration lines the step processed (rows read by ingest, from the run's summary); null if unknown
 * @param peakHeapMb sum of the heap pools' peaks of that process ({@code EWS_METRICS_FILE}); null if not written
 * @param liveHeapMb the largest heap left after a collection; null if none ran or not written
 * @param maxHeapMb  the process's -Xmx
 * @param log        its stdout and stderr
 * @param note       why it failed or was skipped, or what a person should know
 */
public record StepResult(String name, String what, String status, List<String> command, Integer exitCode, Double wallSeconds,
                         Long lines, Double peakHeapMb, Double liveHeapMb, Double maxHeapMb, String log, String note) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public static StepResult skipped(String name, String what, String note) {
        return new StepResult(name, what, SKIPPED, List.of(), null, null, null, null, null, null, null, note);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** Lines per wall second; null without lines or time. */
    public Double linesPerSecond() {
        return lines == null || wallSeconds == null || wallSeconds <= 0 ? null : lines / wallSeconds;
    }

    public StepResult withLines(Long lines) {
        return new StepResult(name, what, status, command, exitCode, wallSeconds, lines, peakHeapMb, liveHeapMb, maxHeapMb, log, note);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("what", what);
        m.put("status", status);
        m.put("exit_code", exitCode);
        m.put("wall_s", BenchReport.round(wallSeconds, 2));
        m.put("lines", lines);
        m.put("lines_per_s", BenchReport.round(linesPerSecond(), 0));
        m.put("peak_heap_mb", peakHeapMb);
        m.put("peak_live_heap_mb", liveHeapMb);
        m.put("max_heap_mb", maxHeapMb);
        m.put("command", command);
        m.put("log", log);
        m.put("note", note);
        return m;
    }
}
