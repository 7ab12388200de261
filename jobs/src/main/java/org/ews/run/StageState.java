package org.ews.run;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.spark.Warehouse;
import org.ews.tables.Ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.STAGE;

/**
 * Where an incremental stage has got to ({@code ops.stage_state}): the source table version its tables reflect, the
 * months it treats as closed and the fingerprint of the settings they were computed with. Written last, after every
 * table of the stage: a run that dies half-way leaves the old state, so its rerun redoes the same slices.
 */
public record StageState(String stage, String sourceTable, long sourceVersion, LocalDate closedThrough, String fingerprint) {

    public static Optional<StageState> read(Warehouse wh, String stage) {
        if (!wh.exists(Ops.STAGE_STATE)) {
            return Optional.empty();
        }
        List<Row> rows = wh.read(Ops.STAGE_STATE).where(col(STAGE).equalTo(stage))
                .select(Ops.SOURCE_TABLE, Ops.SOURCE_VERSION, Ops.CLOSED_THROUGH, Ops.CONFIG_FINGERPRINT).collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row r = rows.get(0);
        return Optional.of(new StageState(stage, r.getString(0), r.getLong(1), r.getDate(2).toLocalDate(), r.getString(3)));
    }

    public void write(RunContext ctx) {
        Row row = RowFactory.create(stage, sourceTable, sourceVersion, Date.valueOf(closedThrough), fingerprint, ctx.runId(),
                Timestamp.from(Instant.now()));
        ctx.warehouse().replace(Ops.STAGE_STATE, ctx.spark().createDataFrame(List.of(row), Ops.STAGE_STATE.columns()),
                STAGE + " = '" + stage + "'");
    }
}
