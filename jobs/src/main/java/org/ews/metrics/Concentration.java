package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.ews.config.EwsConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Supplier concentration of a slice's imports (DOMAIN.md §2), the same way at every level (product, sector, firm
 * group): shares {@code s_c} = imports from country c / imports of the slice; HHI = sum of s_c squared; top and second
 * supplier; concern share = sum of s_c over the concern group; extra-bloc share = 1 - sum of s_c over the reporter's
 * own bloc. All in Spark column functions: window functions over the slice, then one aggregation. Values must be decimals (money),
 * so that totals are exact whatever order the rows are added in.
 *
 * @param concern the concern group's ISO alpha-2 codes
 * @param blocs   bloc name to member codes; a reporter inside one gets an extra-bloc share, others null
 */
public record Concentration(List<String> concern, Map<String, List<String>> blocs) {
    private static final String TOTAL = "_total";
    private static final String SHARE = "_share";
    private static final String RANK = "_rank";
    private static final org.apache.spark.sql.types.DecimalType EXACT = org.apache.spark.sql.types.DataTypes.createDecimalType(38, 18);

    public static Concentration of(EwsConfig config) {
        Map<String, List<String>> blocs = new java.util.LinkedHashMap<>();
        config.metrics().blocs().forEach(b -> blocs.put(b, config.countryGroup(b)));
        return new Concentration(config.countryGroup(config.metrics().concernGroup()), blocs);
    }

    /**
     * One row per {@code keys} with positive imports: {@code import_value_usd}, {@code partners}, top and second
     * partner with value and share, {@code hhi}, {@code concern_share} and {@code extra_bloc_share}.
     *
     * @param byPartner one row per {@code keys} and {@code partner} with the imports in {@code value_usd}; {@code keys}
     *                  must include {@code reporter}
     */
    public Dataset<Row> measure(Dataset<Row> byPartner, List<String> keys) {
        Column[] keyCols = keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        WindowSpec slice = Window.partitionBy(keyCols);
        // Ties go to the first code alphabetically, so the top partner never depends on row order.
        Dataset<Row> shares = byPartner.where(col(VALUE_USD).gt(0))
                .withColumn(TOTAL, sum(col(VALUE_USD)).over(slice))
                .withColumn(SHARE, col(VALUE_USD).cast("double").divide(col(TOTAL).cast("double")))
                .withColumn(RANK, row_number().over(slice.orderBy(col(VALUE_USD).desc(), col(PARTNER).asc())));
        List<Column> aggs = new ArrayList<>(List.of(
                sum(VALUE_USD).as(IMPORT_VALUE_USD),
                count(lit(1)).as(PARTNERS),
                max(when(col(RANK).equalTo(1), col(PARTNER))).as(TOP_PARTNER),
                max(when(col(RANK).equalTo(1), col(VALUE_USD))).as(TOP_PARTNER_VALUE_USD),
                max(when(col(RANK).equalTo(1), col(SHARE))).as(TOP_PARTNER_SHARE),
                max(when(col(RANK).equalTo(2), col(PARTNER))).as(SECOND_PARTNER),
                max(when(col(RANK).equalTo(2), col(SHARE))).as(SECOND_PARTNER_SHARE),
                exactSum(col(SHARE).multiply(col(SHARE))).as(HHI),
                coalesce(exactSum(when(col(PARTNER).isin(concern.toArray()), col(SHARE))), lit(0.0)).as(CONCERN_SHARE),
                extraBlocShare().as(EXTRA_BLOC_SHARE)));
        return shares.groupBy(keyCols).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }

    /**
     * A sum of per-row doubles that does not depend on the order Spark adds them in: each term is rounded to 18
     * decimals and added as a decimal (exact), so an incremental run and a full recompute, which split the rows
     * differently, publish the same bits.
     */
    private static Column exactSum(Column term) {
        return sum(term.cast(EXACT)).cast("double");
    }

    /** 1 - the share from the reporter's own bloc (the first configured that holds it); null for a reporter in none. */
    private Column extraBlocShare() {
        Column out = lit(null).cast("double");
        List<List<String>> inOrder = new ArrayList<>(blocs.values());
        java.util.Collections.reverse(inOrder); // built inside out, so the first configured bloc is tested first
        for (List<String> members : inOrder) {
            Column fromBloc = coalesce(exactSum(when(col(PARTNER).isin(members.toArray()), col(SHARE))), lit(0.0));
            out = when(col(REPORTER).isin(members.toArray()), lit(1.0).minus(fromBloc)).otherwise(out);
        }
        return out;
    }
}
