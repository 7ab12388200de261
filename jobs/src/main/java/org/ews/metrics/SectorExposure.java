package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Column;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;

import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.spark.ColumnLists.cols;
import static org.ews.spark.ColumnLists.seq;
import static org.ews.tables.Columns.*;

/**
 * Products aggregated to strategic sectors through the HS6 -> sector bridge. A product in two sectors counts in each
 * by its weight (the weights of one HS6 add up to 1), so sector totals add up to the total of their products. HHI and
 * the top supplier are over the sector's supplier countries, from the weighted values.
 */
public final class SectorExposure {
    private SectorExposure() {}

    private static final List<String> KEYS = List.of(REPORTER, SECTOR, YEAR);
    private static final org.apache.spark.sql.types.DecimalType WEIGHT_TYPE = org.apache.spark.sql.types.DataTypes.createDecimalType(19, 18);

    /**
     * Value times the bridge weight as a decimal (weights to 18 decimals, the product to 18: decimal(38,18)), so sums
     * over it are exact, equal the weighted sums of their products, and do not depend on the order Spark adds rows in.
     * Rounding to money's 6 decimals happens once, on write.
     */
    static Column weighted() {
        return col(VALUE_USD).multiply(col(WEIGHT).cast(WEIGHT_TYPE));
    }

    /**
     * @param trade       monthly or finer trade rows: reporter, flow, hs6, partner, year, value_usd
     * @param bridge      hs6, sector, weight
     * @param products    the year's product dependency rows: reporter, hs6, year, screens
     * @param firms       the year's firm exposure rows: reporter, parent_firm_id, sector, year, is_exposed
     */
    public static Dataset<Row> measure(Dataset<Row> trade, Dataset<Row> bridge, Dataset<Row> products, Dataset<Row> firms,
                                       Concentration concentration, String dependentScreen) {
        Dataset<Row> b = broadcast(bridge.select(HS6, SECTOR, WEIGHT));
        Dataset<Row> weighted = trade.join(b, HS6).withColumn(VALUE_USD, weighted());
        Dataset<Row> imports = weighted.where(col(FLOW).equalTo(Silver.FLOW_IMPORT));
        Dataset<Row> byPartner = imports.groupBy(col(REPORTER), col(SECTOR), col(YEAR), col(PARTNER)).agg(sum(VALUE_USD).as(VALUE_USD));
        Dataset<Row> productCount = imports.where(col(VALUE_USD).gt(0)).groupBy(cols(KEYS)).agg(countDistinct(HS6).as(PRODUCTS));
        Dataset<Row> exports = weighted.where(col(FLOW).equalTo(Silver.FLOW_EXPORT)).groupBy(cols(KEYS)).agg(sum(VALUE_USD).as(EXPORT_VALUE_USD));
        Dataset<Row> dependent = products.where(array_contains(col(SCREENS), dependentScreen)).join(b, HS6)
                .groupBy(cols(KEYS)).agg(countDistinct(HS6).as(DEPENDENT_PRODUCTS));
        Dataset<Row> groups = firms.groupBy(cols(KEYS)).agg(count(lit(1)).as(FIRMS),
                sum(when(col(IS_EXPOSED), 1).otherwise(0)).cast("long").as(FIRMS_EXPOSED));
        return concentration.measure(byPartner, KEYS)
                .join(productCount, seq(KEYS))
                .join(exports, seq(KEYS), "left")
                .join(dependent, seq(KEYS), "left")
                .join(groups, seq(KEYS), "left")
                .withColumn(EXPORT_VALUE_USD, coalesce(col(EXPORT_VALUE_USD), lit(0).cast(Bronze.NUMBER)))
                .withColumn(DEPENDENT_PRODUCTS, coalesce(col(DEPENDENT_PRODUCTS), lit(0L)))
                .withColumn(FIRMS, coalesce(col(FIRMS), lit(0L)))
                .withColumn(FIRMS_EXPOSED, coalesce(col(FIRMS_EXPOSED), lit(0L)));
    }
}
