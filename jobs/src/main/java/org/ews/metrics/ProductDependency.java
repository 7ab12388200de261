package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.spark.ColumnLists.cols;
import static org.ews.spark.ColumnLists.seq;
import static org.ews.tables.Columns.*;

/**
 * Import dependency of each product (reporter x HS6) over a period: a calendar year, or the 12 months ending at a
 * month. Imports are the {@code I} flow by origin; exports the {@code X} flow, which gives substitutability
 * (imports / exports) and the trade balance.
 */
public final class ProductDependency {
    private ProductDependency() {}

    private static final String MONTHS_LATER = "_months_later";

    /**
     * One row per reporter, HS6 and {@code period} with imports: the trade's value, kilograms, exports and
     * {@link Concentration} columns, {@code import_export_ratio} and {@code trade_balance_usd}.
     *
     * @param trade rows with reporter, flow, hs6, partner, {@code period}, value_usd and quantity_kg (any finer grain)
     */
    public static Dataset<Row> measure(Dataset<Row> trade, String period, Concentration concentration, double noExportsRatio) {
        List<String> keys = List.of(REPORTER, HS6, period);
        List<String> byPartner = new ArrayList<>(keys);
        byPartner.add(PARTNER);
        Dataset<Row> imports = trade.where(col(FLOW).equalTo(Silver.FLOW_IMPORT)).groupBy(cols(byPartner))
                .agg(sum(VALUE_USD).as(VALUE_USD), sum(QUANTITY_KG).as(QUANTITY_KG));
        Dataset<Row> kilograms = imports.groupBy(cols(keys)).agg(sum(QUANTITY_KG).as(IMPORT_QUANTITY_KG));
        Dataset<Row> exports = trade.where(col(FLOW).equalTo(Silver.FLOW_EXPORT)).groupBy(cols(keys)).agg(sum(VALUE_USD).as(EXPORT_VALUE_USD));
        scala.collection.Seq<String> on = seq(keys);
        Column exported = coalesce(col(EXPORT_VALUE_USD), lit(0).cast(Bronze.NUMBER));
        return concentration.measure(imports, keys)
                .join(kilograms, on)
                .join(exports, on, "left")
                .withColumn(EXPORT_VALUE_USD, exported)
                .withColumn(IMPORT_EXPORT_RATIO, when(exported.gt(0),
                        col(IMPORT_VALUE_USD).cast("double").divide(exported.cast("double"))).otherwise(lit(noExportsRatio)))
                .withColumn(TRADE_BALANCE_USD, exported.minus(col(IMPORT_VALUE_USD)));
    }

    /**
     * Monthly trade restated as trade of the 12-month windows ending at each month up to {@code lastEnd}: each month's
     * row counts in the windows ending at it and at the 11 months after it, with {@code month} the window's end.
     */
    public static Dataset<Row> windows(Dataset<Row> monthly, LocalDate lastEnd) {
        Column end = add_months(col(MONTH), col(MONTHS_LATER));
        return monthly.withColumn(MONTHS_LATER, explode(sequence(lit(0), lit(11))))
                .where(end.leq(lit(java.sql.Date.valueOf(lastEnd))))
                .select(col(REPORTER), col(FLOW), col(HS6), col(PARTNER), end.as(MONTH), col(VALUE_USD), col(QUANTITY_KG));
    }

}
