package org.ews.run;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.tables.Ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.ews.tables.Columns.RUN_ID;
import static org.ews.tables.Columns.STAGE;

/** Writes one {@code ops.runs} row per stage of a run, replacing any row of the same (run_id, stage): a retry never doubles it. */
public final class RunLog {
    private RunLog() {}

    public static void succeeded(RunContext ctx, StageResult r, Instant started, Instant finished) {
        write(ctx, r.stage(), "succeeded", started, finished, r.rowsIn(), r.rowsQuarantined(), r.rowsOut(), r.detail());
    }

    public static void failed(RunContext ctx, String stage, Instant started, Instant finished, String message) {
        write(ctx, stage, "failed", started, finished, null, null, null, message);
    }

    private static void write(RunContext ctx, String stage, String status, Instant started, Instant finished,
                              Long in, Long quarantined, Long out, String message) {
        Row row = RowFactory.create(ctx.runId(), Date.valueOf(ctx.to()), Date.valueOf(ctx.from()), Date.valueOf(ctx.to()),
                stage, status, Timestamp.from(started), Timestamp.from(finished), in, quarantined, out, message);
        ctx.warehouse().replace(Ops.RUNS, ctx.spark().createDataFrame(List.of(row), Ops.RUNS.columns()),
                RUN_ID + " = '" + ctx.runId() + "' AND " + STAGE + " = '" + stage + "'");
    }
}
