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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.STAGE;

/**
 * Where an incremental stage has got to ({@code ops.stage_state}): the source table (and its Delta id) and version its
 * tables reflect, the months it treats as closed, each reporter's first month of data, and the fingerprint of the
 * settings they were computed with. Written last, after every table of the stage: a run that dies half-way leaves the
 * old state, so its rerun redoes the same slices from the same starting point.
 */
public record StageState(String stage, String sourceTable, String sourceTableId, long sourceVersion, LocalDate closedThrough,
                         LocalDate previousClosedThrough, Map<String, LocalDate> firstMonths, String fingerprint) {

    /** The months closed by the run date, or the stage's earlier closure if later: rerunning an old date never reopens a month. */
    public static LocalDate closedThrough(Optional<StageState> previous, LocalDate byRunDate) {
        return previous.isPresent() && previous.get().closedThrough().isAfter(byRunDate) ? previous.get().closedThrough() : byRunDate;
    }

    public static Optional<StageState> read(Warehouse wh, String stage) {
        if (!wh.exists(Ops.STAGE_STATE)) {
            return Optional.empty();
        }
        List<Row> rows = wh.read(Ops.STAGE_STATE).where(col(STAGE).equalTo(stage))
                .select(Ops.SOURCE_TABLE, Ops.SOURCE_TABLE_ID, Ops.SOURCE_VERSION, Ops.CLOSED_THROUGH,
                        Ops.PREVIOUS_CLOSED_THROUGH, Ops.FIRST_MONTHS, Ops.CONFIG_FINGERPRINT).collectAsList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row r = rows.get(0);
        Map<String, LocalDate> firsts = new TreeMap<>();
        r.<String, Date>getJavaMap(5).forEach((k, v) -> firsts.put(k, v.toLocalDate()));
        return Optional.of(new StageState(stage, r.getString(0), r.getString(1), r.getLong(2), r.getDate(3).toLocalDate(),
                r.getDate(4).toLocalDate(), firsts, r.getString(6)));
    }

    public void write(RunContext ctx) {
        Map<String, Date> firsts = new TreeMap<>();
        firstMonths.forEach((k, v) -> firsts.put(k, Date.valueOf(v)));
        Row row = RowFactory.create(stage, sourceTable, sourceTableId, sourceVersion, Date.valueOf(closedThrough),
                Date.valueOf(previousClosedThrough), scala.collection.JavaConverters.mapAsScalaMap(firsts), fingerprint,
                ctx.runId(), Timestamp.from(Instant.now()));
        ctx.warehouse().replace(Ops.STAGE_STATE, ctx.spark().createDataFrame(List.of(row), Ops.STAGE_STATE.columns()),
                STAGE + " = '" + stage + "'");
    }
}
