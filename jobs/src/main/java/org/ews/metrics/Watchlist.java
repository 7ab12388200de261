package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.ews.config.MetricsConfig;
import org.ews.tables.Gold;

import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.spark.ColumnLists.seq;
import static org.ews.tables.Columns.*;

/**
 * The watchlist at one month, from the screens each 12-month window passed. An item is listed from the first window it
 * passes and stays listed until it has failed {@code drop_after_months} windows in a row, so one weak month does not
 * drop it and the list does not flicker: it is listed at month A exactly when its latest pass on or before A is less
 * than {@code drop_after_months} months old. Status compares the list at A with the list published before it (at the
 * previous as-of month, which may be several months back after an outage): {@code new} (not listed then, or its current
 * listing began since), {@code continuing}, {@code dropped} (listed then, not now). The list is derived from the passes alone, so any run that sees the same windows publishes the same.
 */
public final class Watchlist {
    private Watchlist() {}

    private static final String IDX = "_idx";
    private static final String SPELL = "_spell";
    private static final String SPELL_START = "_spell_start";
    private static final String LAST_IDX = "_last_idx";
    private static final String LAST_IDX_BEFORE = "_last_idx_before";

    /**
     * @param windows        the 12-month dependency rows (reporter, hs6, month, screens and the metrics tiers test), any
     *                       months; those after {@code asOf} are ignored
     * @param previousAsOf   the as-of month of the list published before this one (earlier than {@code asOf})
     */
    public static Dataset<Row> at(Dataset<Row> windows, LocalDate asOf, LocalDate previousAsOf, MetricsConfig.Watchlist settings) {
        int keep = settings.dropAfterMonths();
        Column asOfDate = lit(java.sql.Date.valueOf(asOf));
        Column a = Periods.monthIndex(asOfDate);
        Column p = Periods.monthIndex(lit(java.sql.Date.valueOf(previousAsOf)));
        List<String> item = List.of(REPORTER, HS6, SCREEN);
        WindowSpec inOrder = Window.partitionBy(col(REPORTER), col(HS6), col(SCREEN)).orderBy(col(IDX));

        Dataset<Row> passes = windows.where(col(MONTH).leq(asOfDate))
                .select(col(REPORTER), col(HS6), col(MONTH), explode(col(SCREENS)).as(SCREEN))
                .withColumn(IDX, Periods.monthIndex(col(MONTH)));
        // Passes closer together than drop_after_months belong to one listing; its first pass is first_seen.
        Column startsListing = coalesce(col(IDX).minus(lag(col(IDX), 1).over(inOrder)).gt(keep), lit(true));
        Dataset<Row> items = passes
                .withColumn(SPELL, sum(startsListing.cast("int")).over(inOrder.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .withColumn(SPELL_START, min(col(MONTH)).over(Window.partitionBy(col(REPORTER), col(HS6), col(SCREEN), col(SPELL))))
                .groupBy(col(REPORTER), col(HS6), col(SCREEN))
                .agg(max(col(IDX)).as(LAST_IDX), max(when(col(IDX).leq(p), col(IDX))).as(LAST_IDX_BEFORE),
                        max(col(MONTH)).as(LAST_SEEN), max_by(col(SPELL_START), col(IDX)).as(FIRST_SEEN));

        Column listedNow = col(LAST_IDX).gt(a.minus(keep));
        Column listedBefore = coalesce(col(LAST_IDX_BEFORE).gt(p.minus(keep)), lit(false));
        // A listing that began after the previous list (the item left and came back in between) is new too.
        Column enteredSince = col(FIRST_SEEN).gt(lit(java.sql.Date.valueOf(previousAsOf)));
        Column status = when(listedNow.and(not(listedBefore).or(enteredSince)), lit(Gold.STATUS_NEW))
                .when(listedNow, lit(Gold.STATUS_CONTINUING))
                .when(listedBefore, lit(Gold.STATUS_DROPPED));
        Dataset<Row> current = windows.where(col(MONTH).equalTo(asOfDate)).drop(SCREENS, MONTH);
        // A listed item whose latest window has no imports (a supply stop) has no figures to grade: no tier.
        Column graded = col(WATCH_STATUS).notEqual(Gold.STATUS_DROPPED).and(col(IMPORT_VALUE_USD).isNotNull());
        return items.withColumn(WATCH_STATUS, status).where(col(WATCH_STATUS).isNotNull())
                .join(current, seq(List.of(REPORTER, HS6)), "left")
                .withColumn(TIER, when(graded, Screens.tier(settings.tiers())))
                .withColumn(AS_OF_MONTH, asOfDate);
    }
}
