package org.ews.anomalies;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * The groups the detectors judge, one row each, built from the monthly cubes with Spark's own aggregations: every
 * reporter x flow x HS6 with its cells, the firms behind them and the mirror exports of other loaded reporters; and
 * every reporter x flow x sector with its partner cells weighted through the HS6 -> sector bridge. One shuffle per
 * level; the months of each group travel together to one task, where {@link JudgeGroups} makes them dense.
 */
final class AnomalyInputs {
    private AnomalyInputs() {}

    static final String CELLS = "_cells";
    static final String FIRM_CELLS = "_firm_cells";
    static final String MIRROR_CELLS = "_mirror_cells";
    static final String KG = "kg";
    static final String VALUE_WITH_KG = "value_with_kg";
    static final String VALUE = "value";

    static final StructType CELL = new StructType().add(PARTNER, DataTypes.StringType).add(MONTH, DataTypes.DateType)
            .add(VALUE, DataTypes.DoubleType).add(KG, DataTypes.DoubleType).add(VALUE_WITH_KG, DataTypes.DoubleType)
            .add(DECLARATIONS, DataTypes.DoubleType);
    static final StructType FIRM_CELL = new StructType().add(PARTNER, DataTypes.StringType).add(FIRM_ID, DataTypes.StringType)
            .add(MONTH, DataTypes.DateType).add(VALUE, DataTypes.DoubleType);
    static final StructType MIRROR_CELL = new StructType().add(PARTNER, DataTypes.StringType).add(MONTH, DataTypes.DateType)
            .add(VALUE, DataTypes.DoubleType).add(DECLARATIONS, DataTypes.DoubleType);

    private static final List<String> PRODUCT = List.of(REPORTER, FLOW, HS6);

    /**
     * @param cube      gold.trade_monthly rows of the months to read
     * @param firms     gold.firm_trade_monthly rows of the same months
     * @param reporters every reporter loaded: their exports to each other are mirror data
     * @param bridge    hs6, sector, weight
     */
    static Dataset<Row> groups(Dataset<Row> cube, Dataset<Row> firms, List<String> reporters, Dataset<Row> bridge) {
        Column value = col(VALUE_USD).cast("double");
        Dataset<Row> cells = cube.groupBy(col(REPORTER), col(FLOW), col(HS6)).agg(inOrder(struct(col(PARTNER), col(MONTH),
                value.as(VALUE), coalesce(col(QUANTITY_KG).cast("double"), lit(0.0)).as(KG),
                coalesce(col(VALUE_USD_WITH_KG).cast("double"), lit(0.0)).as(VALUE_WITH_KG),
                col(DECLARATIONS).cast("double").as(DECLARATIONS))).as(CELLS));
        Dataset<Row> firmCells = firms.groupBy(col(REPORTER), col(FLOW), col(HS6)).agg(inOrder(struct(col(PARTNER),
                col(FIRM_ID), col(MONTH), col(VALUE_USD).cast("double").as(VALUE))).as(FIRM_CELLS));
        Dataset<Row> mirror = cube.where(col(FLOW).equalTo("X").and(col(PARTNER).isin(reporters.toArray())))
                .select(col(PARTNER).as(REPORTER), lit("I").as(FLOW), col(HS6), col(REPORTER).as(PARTNER), col(MONTH),
                        value.as(VALUE), col(DECLARATIONS).cast("double").as(DECLARATIONS))
                .groupBy(col(REPORTER), col(FLOW), col(HS6))
                .agg(inOrder(struct(col(PARTNER), col(MONTH), col(VALUE), col(DECLARATIONS))).as(MIRROR_CELLS));
        scala.collection.Seq<String> keys = org.ews.spark.ColumnLists.seq(PRODUCT);
        Dataset<Row> products = cells.join(firmCells, keys, "left").join(mirror, keys, "left")
                .select(col(REPORTER), col(FLOW), lit(SeriesGroup.LEVEL_HS6).as(LEVEL), col(HS6).as(SERIES_KEY),
                        col(CELLS), col(FIRM_CELLS), col(MIRROR_CELLS));

        Column weight = col(WEIGHT);
        Dataset<Row> sectors = cube.join(broadcast(bridge), HS6)
                .groupBy(col(REPORTER), col(FLOW), col(SECTOR), col(PARTNER), col(MONTH))
                .agg(sum(value.multiply(weight).cast(EXACT)).cast("double").as(VALUE), sum(col(DECLARATIONS)).cast("double").as(DECLARATIONS))
                .groupBy(col(REPORTER), col(FLOW), col(SECTOR))
                .agg(inOrder(struct(col(PARTNER), col(MONTH), col(VALUE), lit(0.0).as(KG), lit(0.0).as(VALUE_WITH_KG),
                        col(DECLARATIONS))).as(CELLS))
                .select(col(REPORTER), col(FLOW), lit(SeriesGroup.LEVEL_SECTOR).as(LEVEL), col(SECTOR).as(SERIES_KEY), col(CELLS),
                        lit(null).cast(new ArrayType(FIRM_CELL, true)).as(FIRM_CELLS),
                        lit(null).cast(new ArrayType(MIRROR_CELL, true)).as(MIRROR_CELLS));
        return products.unionByName(sectors);
    }

    /**
     * A sum of per-row doubles that does not depend on the order Spark adds them in (each term as an 18-decimal
     * decimal, added exactly), as the metrics do: a cluster and a local run, which split the rows differently, then
     * judge the same bits.
     */
    private static final org.apache.spark.sql.types.DecimalType EXACT = org.apache.spark.sql.types.DataTypes.createDecimalType(38, 18);

    /**
     * The collected cells sorted (by partner, then month, ...): collect_list keeps the order rows arrive in, which
     * depends on partitioning, and the judge adds a month's cells in list order, so the same data on another cluster
     * would give other last bits and, at a threshold, another verdict.
     */
    private static Column inOrder(Column cell) {
        return array_sort(collect_list(cell));
    }
}
