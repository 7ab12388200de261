package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.ews.config.MetricsConfig;
import org.ews.tables.Gold;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * The watchlist at one month, from the screens each 12-month window passed. An item is listed from the first window
 * it passes and stays listed until it has failed {@code drop_after_months} windows in a row: one weak month does not
 * drop it, so the list does not flicker. It is therefore listed at month A exactly when its latest pass on or before A
 * is less than {@code drop_after_months} months old; passes closer together than that form one listing, whose first
 * pass is {@code first_seen}. The list is derived from the passes alone, so any run that sees the same windows
 * publishes the same list.
 */
public final class Watchlist {
    private Watchlist() {}

    private static final String IDX = "_idx";
    private static final String SPELL = "_spell";
    private static final String FIRST_IDX = "_first_idx";
    private static final String LAST_IDX = "_last_idx";

    /**
     * @param windows the 12-month dependency rows (reporter, hs6, month, screens and the metrics tiers test), any
     *                months; those after {@code asOf} are ignored
     */
    public static Dataset<Row> at(Dataset<Row> windows, LocalDate asOf, MetricsConfig.Watchlist settings) {
        int keep = settings.dropAfterMonths();
        Column asOfDate = lit(java.sql.Date.valueOf(asOf));
        WindowSpec item = Window.partitionBy(col(REPORTER), col(HS6), col(SCREEN)).orderBy(col(IDX));
        Dataset<Row> passes = windows.where(col(MONTH).leq(asOfDate))
                .select(col(REPORTER), col(HS6), col(MONTH), explode(col(SCREENS)).as(SCREEN))
                .withColumn(IDX, Periods.monthIndex(col(MONTH)));
        Column startsListing = coalesce(col(IDX).minus(lag(col(IDX), 1).over(item)).gt(keep), lit(true));
        Dataset<Row> spells = passes
                .withColumn(SPELL, sum(startsListing.cast("int")).over(item.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .groupBy(col(REPORTER), col(HS6), col(SCREEN), col(SPELL))
                .agg(min(MONTH).as(FIRST_SEEN), max(MONTH).as(LAST_SEEN), min(IDX).as(FIRST_IDX), max(IDX).as(LAST_IDX));
        Dataset<Row> latest = spells.withColumn("_latest", row_number().over(
                        Window.partitionBy(col(REPORTER), col(HS6), col(SCREEN)).orderBy(col(SPELL).desc())))
                .where(col("_latest").equalTo(1));

        Column a = Periods.monthIndex(asOfDate);
        Column listed = col(LAST_IDX).gt(a.minus(keep));
        Column status = when(listed.and(col(FIRST_IDX).equalTo(a)), lit(Gold.STATUS_NEW))
                .when(listed, lit(Gold.STATUS_CONTINUING))
                .when(col(LAST_IDX).equalTo(a.minus(keep)), lit(Gold.STATUS_DROPPED));
        Dataset<Row> current = windows.where(col(MONTH).equalTo(asOfDate)).drop(SCREENS, MONTH);
        return latest.withColumn(WATCH_STATUS, status).where(col(WATCH_STATUS).isNotNull())
                .join(current, ProductDependency.seq(java.util.List.of(REPORTER, HS6)), "left")
                .withColumn(TIER, when(col(WATCH_STATUS).notEqual(Gold.STATUS_DROPPED), Screens.tier(settings.tiers())))
                .withColumn(AS_OF_MONTH, asOfDate);
    }
}
