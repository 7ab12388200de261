package org.ews.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ews.cli.ProcessMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one step as a process of its own ({@code bin/ews ...}, or the peer's JVM), its stdout and stderr into
 * {@code logs/<step>.log}, with {@value ProcessMetrics#ENV} pointing at {@code logs/<step>.metrics.json}; then reads the
 * lines ingest read from the run's summary and the peak heap from the metrics file.
 */
public final class StepRunner {
    private final Path logs;
    private final Path workingDir;
    /** The step's process while it runs, so an interrupted bench can stop it rather than leave it running. */
    private volatile Process current;
    private volatile String currentStep;
    /** Set once the bench is being stopped: no further step starts. */
    private volatile boolean stopped;

    public StepRunner(Path logs, Path workingDir) {
        this.logs = logs;
        this.workingDir = workingDir;
    }

    public StepResult run(String name, String what, List<String> command) {
        Path log = logs.resolve(name + ".log");
        Path metrics = logs.resolve(name + ".metrics.json");
        if (stopped) {
            return new StepResult(name, what, StepResult.FAILED, command, null, null, null, null, null, null, null,
                    "not started: the bench is being stopped");
        }
        try {
            Files.createDirectories(logs);
            Files.deleteIfExists(metrics); // a step that dies before writing must not show an earlier run's figures
            ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put(ProcessMetrics.ENV, metrics.toAbsolutePath().toString());
            long start = System.nanoTime();
            Process p = pb.start();
            current = p;
            currentStep = name;
            int exit;
            try {
                exit = p.waitFor();
            } finally {
                current = null;
                currentStep = null;
            }
            double wall = (System.nanoTime() - start) / 1e9;
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Optional<JsonNode> m = readMetrics(metrics);
            return new StepResult(name, what, exit == 0 ? StepResult.OK : StepResult.FAILED, command, exit, wall,
                    ingestRowsIn(text).orElse(null), number(m, "peak_heap_mb"), number(m, "peak_live_heap_mb"),
                    number(m, "max_heap_mb"), log.toString(), exit == 0 ? null : lastErrorLine(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run step " + name + " (" + String.join(" ", command) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during step " + name, e);
        }
    }

    /** The name of the step running now; null between steps. */
    public String currentStep() {
        return currentStep;
    }

    /** Stops the step that is running, if any (SIGTERM, then SIGKILL after 10 s); for the bench's shutdown hook. */
    public void stopCurrent() {
        stopped = true;
        Process p = current;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ingest row of a run's summary ({@code org.ews.run.RunSummary}): "  ingest   1,234   1,200   34   5.6". */
    private static final Pattern INGEST_ROW = Pattern.compile("(?m)^\\s+ingest\\s+([\\d,]+)\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d.]+\\s*$");

    /** Rows read by the ingest stage, from the summary a run prints; empty without one. */
    public static Optional<Long> ingestRowsIn(String output) {
        Matcher m = INGEST_ROW.matcher(output);
        return m.find() ? Optional.of(Long.parseLong(m.group(1).replace(",", ""))) : Optional.empty();
    }

    /** The launcher's one-line reason ("ews nightly: ..."), else the last non-blank line. */
    static String lastErrorLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("ews ")) {
                return lines.get(i);
            }
        }
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }

    private static Optional<JsonNode> readMetrics(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Double number(Optional<JsonNode> m, String field) {
        return m.map(n -> n.get(field)).filter(JsonNode::isNumber).map(JsonNode::doubleValue).orElse(null);
    }
}
