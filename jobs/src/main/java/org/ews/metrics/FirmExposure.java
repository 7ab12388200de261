package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.tables.Silver;

import java.util.List;

import static org.apache.spark.sql.functions.*;
import static org.ews.spark.ColumnLists.cols;
import static org.ews.spark.ColumnLists.seq;
import static org.ews.tables.Columns.*;

/**
 * Each firm group's (ultimate parent's) own imports of a sector: how concentrated its supply is. A group whose sector
 * imports come mostly from one country, above a materiality floor, is exposed: the firms a disruption hits first.
 */
public final class FirmExposure {
    private FirmExposure() {}

    private static final List<String> KEYS = List.of(REPORTER, PARENT_FIRM_ID, SECTOR, YEAR);

    /**
     * @param firmTrade rows with reporter, flow, hs6, partner, year, firm_id, parent_firm_id, value_usd
     * @param bridge    hs6, sector, weight
     */
    public static Dataset<Row> measure(Dataset<Row> firmTrade, Dataset<Row> bridge, Concentration concentration,
                                       double exposedShare, double minImportUsd) {
        Dataset<Row> imports = firmTrade.where(col(FLOW).equalTo(Silver.FLOW_IMPORT))
                .join(broadcast(bridge.select(HS6, SECTOR, WEIGHT)), HS6)
                .withColumn(VALUE_USD, SectorExposure.weighted());
        Dataset<Row> byPartner = imports.groupBy(col(REPORTER), col(PARENT_FIRM_ID), col(SECTOR), col(YEAR), col(PARTNER))
                .agg(sum(VALUE_USD).as(VALUE_USD));
        Dataset<Row> counts = imports.where(col(VALUE_USD).gt(0)).groupBy(cols(KEYS))
                .agg(countDistinct(FIRM_ID).as(FIRMS), countDistinct(HS6).as(PRODUCTS));
        return concentration.measure(byPartner, KEYS)
                .join(counts, seq(KEYS))
                .withColumn(IS_EXPOSED, col(TOP_PARTNER_SHARE).geq(exposedShare).and(col(IMPORT_VALUE_USD).geq(minImportUsd)));
    }
}
