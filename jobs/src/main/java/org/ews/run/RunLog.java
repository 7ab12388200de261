package org.ews.run;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.tables.Ops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.ews.tables.Columns.RUN_ID;
import static org.ews.tables.Columns.STAGE;

/**
 * Writes one {@code ops.runs} row per stage of a run, replacing any row of the same (run_id, stage): a retry never
 * doubles it. A stage's row reads {@code running} from its start, so a run killed in it (SIGKILL, power loss) leaves
 * {@code running}, never {@code succeeded}; the next run that holds the warehouse's lock marks such rows
 * {@code abandoned}. A stage's end and the next stage's start are one commit.
 */
public final class RunLog {
    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ABANDONED = "abandoned";

    private RunLog() {}

    /** The first stage of a run starts. */
    public static void started(RunContext ctx, String stage, Instant started) {
        write(ctx, List.of(row(ctx, stage, RUNNING, started, null, null, null, null, null)));
    }

    /** {@code r} ended well; {@code next} (null at the end of the run) starts at {@code finished}. */
    public static void succeeded(RunContext ctx, StageResult r, Instant started, Instant finished, String next) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(ctx, r.stage(), SUCCEEDED, started, finished, r.rowsIn(), r.rowsQuarantined(), r.rowsOut(), r.detail()));
        if (next != null) {
            rows.add(row(ctx, next, RUNNING, finished, null, null, null, null, null));
        }
        write(ctx, rows);
    }

    public static void succeeded(RunContext ctx, StageResult r, Instant started, Instant finished) {
        succeeded(ctx, r, started, finished, null);
    }

    public static void failed(RunContext ctx, String stage, Instant started, Instant finished, String message) {
        write(ctx, List.of(row(ctx, stage, FAILED, started, finished, null, null, null, message)));
    }

    /**
     * Marks {@code abandoned} every stage another run left {@code running}. Called by a run that holds the warehouse's
     * lock, so no other run can be in progress: such a row is a run whose process died. Returns how many rows.
     */
    public static long abandonUnfinished(RunContext ctx) {
        if (!ctx.warehouse().exists(Ops.RUNS)) {
            return 0;
        }
        Column open = col(Ops.STATUS).equalTo(RUNNING).and(col(RUN_ID).notEqual(ctx.runId()));
        List<Row> rows = ctx.warehouse().read(Ops.RUNS).where(open)
                .select(RUN_ID, STAGE, Ops.STARTED_AT, Ops.DATE_FROM, Ops.DATE_TO).collectAsList();
        if (rows.isEmpty()) {
            return 0;
        }
        String note = "abandoned: the process ended before this stage finished (killed, or its machine stopped); found by run "
                + ctx.runId() + " at " + Instant.now() + ". Tables are as the last commit before it left them: rerun its dates";
        Map<String, Column> set = new LinkedHashMap<>();
        set.put(Ops.STATUS, lit(ABANDONED));
        set.put(Ops.MESSAGE, lit(note));
        DeltaTable.forPath(ctx.spark(), ctx.warehouse().location(Ops.RUNS)).update(open, set);
        for (Row r : rows) {
            LOG.warn("ops.runs: run {} left stage {} unfinished (started {}); marked abandoned. Rerun its dates: {}..{}",
                    r.getString(0), r.getString(1), r.getTimestamp(2), r.getDate(3), r.getDate(4));
        }
        return rows.size();
    }

    private static Row row(RunContext ctx, String stage, String status, Instant started, Instant finished,
                           Long in, Long quarantined, Long out, String message) {
        return RowFactory.create(ctx.runId(), Date.valueOf(ctx.to()), Date.valueOf(ctx.from()), Date.valueOf(ctx.to()),
                stage, status, Timestamp.from(started), finished == null ? null : Timestamp.from(finished), in, quarantined, out, message);
    }

    private static void write(RunContext ctx, List<Row> rows) {
        String stages = String.join(", ", rows.stream().map(r -> "'" + r.getString(4) + "'").toList());
        ctx.warehouse().replace(Ops.RUNS, ctx.spark().createDataFrame(rows, Ops.RUNS.columns()),
                RUN_ID + " = '" + ctx.runId() + "' AND " + STAGE + " IN (" + stages + ")");
    }
}
