package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.spark.Warehouse;
import org.ews.tables.Silver;

import java.util.List;

import static org.ews.tables.Columns.*;

/**
 * The HS6 -> sector bridge (hs6, sector, weight) as the gold stages use it: read once on the driver, in a fixed
 * order, so that it can be part of a stage's settings fingerprint, and turned back into a small frame to join.
 */
public record SectorBridge(List<Row> rows) {
    private static final StructType SCHEMA = new StructType().add(HS6, DataTypes.StringType).add(SECTOR, DataTypes.StringType)
            .add(WEIGHT, DataTypes.DoubleType);

    public static SectorBridge read(Warehouse wh) {
        return new SectorBridge(wh.read(Silver.HS6_SECTORS).select(HS6, SECTOR, WEIGHT).orderBy(HS6, SECTOR).collectAsList());
    }

    public Dataset<Row> frame(SparkSession spark) {
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** Its rows as text, for fingerprints. */
    public List<String> describe() {
        return rows.stream().map(Row::toString).toList();
    }
}
