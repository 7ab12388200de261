package org.ews.run;

import org.ews.Messages;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs stages in order for one {@link RunContext}. Each stage's commits carry the run id, dates and stage
 * in Delta's commit {@code userMetadata}, so {@code DESCRIBE HISTORY} reads as a lineage log; each stage
 * has one {@code ops.runs} row, {@code running} from its start (so a killed run never reads as succeeded), and ends
 * with one log line. The first failing stage stops the run.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    private Pipeline() {}

    /**
     * What the pipeline asks of the warehouse's run lock: whether this run holds it ({@code exclusive}: then no other run
     * can be in progress, and stages other runs left {@code running} in {@code ops.runs} are theirs to mark abandoned), and
     * a check before each stage that fails if the lock was taken over.
     */
    public record Guard(boolean exclusive, Runnable check, java.util.function.BooleanSupplier lost) {
        /** No lock (tests, evaluate): nothing marked, nothing checked. */
        public static final Guard NONE = new Guard(false, () -> {}, () -> false);

        public static Guard of(RunLock lock) {
            return lock == null ? NONE : new Guard(true, lock::checkHeld, lock::lost);
        }
    }

    public static List<StageResult> run(RunContext ctx, List<Stage> stages) {
        return run(ctx, stages, Guard.NONE);
    }

    public static List<StageResult> run(RunContext ctx, List<Stage> stages, Guard guard) {
        List<StageResult> results = new ArrayList<>();
        Instant started = Instant.now();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            ctx.spark().conf().set(COMMIT_METADATA, commitMetadata(ctx, stage.name()));
            ctx.spark().sparkContext().setJobGroup(ctx.runId(), stage.name() + " " + ctx.describeDates(), false);
            try {
                if (i == 0) {
                    if (guard.exclusive()) {
                        RunLog.abandonUnfinished(ctx);
                    }
                    RunLog.started(ctx, stage.name(), started);
                }
                guard.check().run();
                StageResult r = stage.run(ctx);
                Instant finished = Instant.now();
                r = r.withSeconds(Duration.between(started, finished).toMillis() / 1000.0);
                RunLog.succeeded(ctx, r, started, finished, i + 1 < stages.size() ? stages.get(i + 1).name() : null);
                LOG.info("{} {}", ctx.describeDates(), r.summaryLine());
                results.add(r);
                started = finished;
            } catch (Exception e) { // Spark and Delta throw checked AnalysisExceptions from Scala, undeclared
                String message = message(e);
                // A run that lost its lock writes nothing more, not even its failure: the warehouse is another run's now.
                if (!guard.lost().getAsBoolean()) {
                    try {
                        RunLog.failed(ctx, stage.name(), started, Instant.now(), message);
                    } catch (Exception logFailure) {
                        e.addSuppressed(logFailure);
                    }
                }
                throw e instanceof EwsException ew ? ew : new EwsException(stage.name() + " failed: " + message, e);
            } finally {
                ctx.spark().conf().unset(COMMIT_METADATA);
            }
        }
        return results;
    }

    /**
     * The cause in one line: our own message where the chain holds one (Spark wraps a task's exception in its own); a
     * storage failure said as such, with the path the storage names; else the exception's class and first line.
     */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EwsException) {
                return t.getMessage();
            }
        }
        if (Failures.io(e).isPresent()) {
            return Failures.describeIo(e);
        }
        return e.getClass().getSimpleName() + ": " + Messages.firstLine(e.getMessage());
    }

    private static String commitMetadata(RunContext ctx, String stage) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("run_id", ctx.runId());
        m.put("run_date", ctx.to().toString());
        m.put("date_from", ctx.from().toString());
        m.put("stage", stage);
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
