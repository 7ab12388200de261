package org.ews.run;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ews.quality.QualityGate;
import org.ews.tables.TableSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.ews.tables.Columns.RUN_ID;

/**
 * A stage's slice replacements, each stamped with the run id, and their row counts for the stage summary. With a
 * {@link QualityGate}, the rows of a table that has quality rules are checked before they are written: a failed
 * error-level rule throws and the table is left as it was.
 */
public final class StageWrites {
    private final RunContext ctx;
    private final QualityGate gate;
    private final Map<String, Long> rows = new LinkedHashMap<>();

    public StageWrites(RunContext ctx) {
        this(ctx, null);
    }

    public StageWrites(RunContext ctx, QualityGate gate) {
        this.ctx = ctx;
        this.gate = gate;
    }

    /** Replaces the rows of {@code slices} (a SQL predicate; null: the whole table) with those of {@code data} in it. */
    public void replace(TableSpec spec, Dataset<Row> data, String slices) {
        Dataset<Row> rows = slices == null ? data : data.where(expr(slices));
        if (gate == null || !gate.guards(spec)) {
            this.rows.put(spec.qualifiedName(), ctx.warehouse().replace(spec, rows.withColumn(RUN_ID, lit(ctx.runId())), slices));
            return;
        }
        // Checked, then written from the same rows: cached here unless they are read from a cache already (the cubes).
        boolean cache = data.storageLevel().equals(StorageLevel.NONE());
        Dataset<Row> checked = cache ? rows.persist(StorageLevel.MEMORY_AND_DISK()) : rows;
        try {
            gate.check(spec, checked, slices == null ? "all rows" : slices);
            this.rows.put(spec.qualifiedName(), ctx.warehouse().replace(spec, checked.withColumn(RUN_ID, lit(ctx.runId())), slices));
        } finally {
            if (cache) {
                checked.unpersist();
            }
        }
    }

    public long total() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rows(TableSpec spec) {
        return rows.getOrDefault(spec.qualifiedName(), 0L);
    }

    public List<String> tables() {
        return new ArrayList<>(rows.keySet());
    }

    /** "trade_monthly 917, firm_trade_monthly 1,204". */
    public String describe() {
        return rows.entrySet().stream().map(e -> e.getKey().replaceFirst("^[a-z]+\\.", "") + " " + String.format("%,d", e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
