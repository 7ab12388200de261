package org.ews.tables;

import org.apache.spark.sql.types.DataTypes;

import java.util.List;
import java.util.Map;

import static org.ews.tables.Columns.RUN_ID;
import static org.ews.tables.Columns.STAGE;
import static org.ews.tables.TableSpec.column;
import static org.ews.tables.TableSpec.columns;

/** Operational tables: what ran, when, on what, with which counts. */
public final class Ops {
    private Ops() {}

    public static final String RUN_DATE = "run_date";
    public static final String DATE_FROM = "date_from";
    public static final String DATE_TO = "date_to";
    public static final String STATUS = "status";
    public static final String STARTED_AT = "started_at";
    public static final String FINISHED_AT = "finished_at";
    public static final String ROWS_IN = "rows_in";
    public static final String ROWS_QUARANTINED = "rows_quarantined";
    public static final String ROWS_OUT = "rows_out";
    public static final String MESSAGE = "message";

    public static final TableSpec RUNS = new TableSpec("ops", "runs",
            "One row per stage of one run: what it processed and how it ended. rows_in = rows_out + rows_quarantined for ingest.",
            columns(
                    column(RUN_ID, DataTypes.StringType, "Run identifier (UTC start time and a random suffix, or --run-id)"),
                    column(RUN_DATE, DataTypes.DateType, "The run's --date; for a backfill, the last date of the range"),
                    column(DATE_FROM, DataTypes.DateType, "First landing date the run processed"),
                    column(DATE_TO, DataTypes.DateType, "Last landing date the run processed"),
                    column(STAGE, DataTypes.StringType, "Stage: ingest, conform, metrics, anomalies, publish"),
                    column(STATUS, DataTypes.StringType, "running (from the stage's start), succeeded, failed, or abandoned (its process died while it ran; marked by the next run)"),
                    column(STARTED_AT, DataTypes.TimestampType, "Stage start (UTC)"),
                    column(FINISHED_AT, DataTypes.TimestampType, "Stage end (UTC)"),
                    column(ROWS_IN, DataTypes.LongType, "Rows read (an unreadable file counts as one)"),
                    column(ROWS_QUARANTINED, DataTypes.LongType, "Rows sent to bronze.quarantine"),
                    column(ROWS_OUT, DataTypes.LongType, "Rows written to the stage's main table"),
                    column(MESSAGE, DataTypes.StringType, "Per-feed detail, or the cause of a failure")),
            List.of(),
            Map.of());

    public static final String SOURCE_TABLE = "source_table";
    public static final String SOURCE_TABLE_ID = "source_table_id";
    public static final String SOURCE_VERSION = "source_version";
    public static final String CLOSED_THROUGH = "closed_through";
    public static final String PREVIOUS_CLOSED_THROUGH = "previous_closed_through";
    public static final String FIRST_MONTHS = "first_months";
    public static final String CONFIG_FINGERPRINT = "config_fingerprint";
    public static final String UPDATED_AT = "updated_at";

    public static final TableSpec STAGE_STATE = new TableSpec("ops", "stage_state",
            "Where each incremental stage has got to: the version of its source table it has consumed, the months it treats as closed and a fingerprint of the settings its tables were computed with. A stage reads only what changed since; a new fingerprint or a recreated source table means a full recompute.",
            columns(
                    column(STAGE, DataTypes.StringType, "Stage: metrics, anomalies"),
                    column(SOURCE_TABLE, DataTypes.StringType, "Table the stage reads changes from (schema.table)"),
                    column(SOURCE_TABLE_ID, DataTypes.StringType, "Delta table id of source_table: a table recreated under the same name has another"),
                    column(SOURCE_VERSION, DataTypes.LongType, "Delta version of source_table the stage's tables reflect"),
                    column(CLOSED_THROUGH, DataTypes.DateType, "Latest month the stage treated as closed (first day); never moves back"),
                    column(PREVIOUS_CLOSED_THROUGH, DataTypes.DateType, "closed_through before it last moved: the as-of month of the previously published list, which statuses compare against"),
                    column(FIRST_MONTHS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DateType), "Each reporter's first month of data, as the stage's tables reflect it"),
                    column(CONFIG_FINGERPRINT, DataTypes.StringType, "SHA-256 of the code version, settings and reference data the stage's figures depend on"),
                    column(RUN_ID, DataTypes.StringType, "Run that wrote the state"),
                    column(UPDATED_AT, DataTypes.TimestampType, "When (UTC)")),
            List.of(),
            Map.of());
}
