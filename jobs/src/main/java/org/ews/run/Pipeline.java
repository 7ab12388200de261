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
 * ends with one log line and one {@code ops.runs} row. The first failing stage stops the run.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    private Pipeline() {}

    public static List<StageResult> run(RunContext ctx, List<Stage> stages) {
        List<StageResult> results = new ArrayList<>();
        for (Stage stage : stages) {
            Instant started = Instant.now();
            ctx.spark().conf().set(COMMIT_METADATA, commitMetadata(ctx, stage.name()));
            ctx.spark().sparkContext().setJobGroup(ctx.runId(), stage.name() + " " + ctx.describeDates(), false);
            try {
                StageResult r = stage.run(ctx);
                Instant finished = Instant.now();
                r = r.withSeconds(Duration.between(started, finished).toMillis() / 1000.0);
                RunLog.succeeded(ctx, r, started, finished);
                LOG.info("{} {}", ctx.describeDates(), r.summaryLine());
                results.add(r);
            } catch (Exception e) { // Spark and Delta throw checked AnalysisExceptions from Scala, undeclared
                String message = e instanceof EwsException ? e.getMessage() : e.getClass().getSimpleName() + ": " + Messages.firstLine(e.getMessage());
                try {
                    RunLog.failed(ctx, stage.name(), started, Instant.now(), message);
                } catch (Exception logFailure) {
                    e.addSuppressed(logFailure);
                }
                throw e instanceof EwsException ew ? ew : new EwsException(stage.name() + " failed: " + message, e);
            } finally {
                ctx.spark().conf().unset(COMMIT_METADATA);
            }
        }
        return results;
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
