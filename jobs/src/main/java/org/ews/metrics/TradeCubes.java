package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.spark.ColumnLists.cols;
import static org.ews.spark.ColumnLists.seq;
import static org.ews.tables.Columns.*;

/** Declaration lines summed to monthly cubes: by product and partner, and by product, partner and declaring firm. */
public final class TradeCubes {
    private TradeCubes() {}

    private static final List<String> CELL = List.of(REPORTER, FLOW, HS6, PARTNER, MONTH);

    /** reporter x flow x hs6 x partner x month x firm: value, kilograms, declarations, lines; with the firm's parent. */
    public static Dataset<Row> byFirm(Dataset<Row> lines) {
        return lines.groupBy(col(REPORTER), col(FLOW), col(HS6), col(PARTNER), col(MONTH), col(FIRM_ID), col(PARENT_FIRM_ID))
                .agg(sum(VALUE_USD).as(VALUE_USD), sum(QUANTITY_KG).as(QUANTITY_KG),
                        countDistinct(DECLARATION_ID).as(DECLARATIONS), count(lit(1)).as(LINES))
                .withColumn(YEAR, year(col(MONTH)));
    }

    /**
     * reporter x flow x hs6 x partner x month: value, kilograms and the value of the lines that declared them (for unit
     * values), declarations, lines, distinct firms and the largest firm's share (confidentiality tests), and whether
     * the month is closed.
     *
     * @param byFirm {@link #byFirm} of the same lines
     */
    public static Dataset<Row> monthly(Dataset<Row> lines, Dataset<Row> byFirm, LocalDate closedThrough) {
        Column hasKg = col(QUANTITY_KG).isNotNull();
        Dataset<Row> cells = lines.groupBy(cols(CELL)).agg(
                sum(VALUE_USD).as(VALUE_USD),
                sum(QUANTITY_KG).as(QUANTITY_KG),
                sum(when(hasKg, col(VALUE_USD))).as(VALUE_USD_WITH_KG),
                countDistinct(DECLARATION_ID).as(DECLARATIONS),
                count(lit(1)).as(LINES),
                countDistinct(FIRM_ID).as(TRADERS));
        Dataset<Row> topFirm = byFirm.groupBy(cols(CELL)).agg(max(VALUE_USD).as("_top_firm_value"));
        return cells.join(topFirm, seq(CELL))
                .withColumn(TOP_TRADER_SHARE, when(col(VALUE_USD).gt(0),
                        col("_top_firm_value").cast("double").divide(col(VALUE_USD).cast("double"))))
                .drop("_top_firm_value")
                .withColumn(YEAR, year(col(MONTH)))
                .withColumn(IS_CLOSED_MONTH, col(MONTH).leq(lit(java.sql.Date.valueOf(closedThrough))));
    }
}
