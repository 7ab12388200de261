package org.ews.publish;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.config.PublishConfig;

import java.io.Serializable;
import java.util.Collection;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Primary statistical disclosure control of customs microdata, as official trade statistics apply it: a cell (a
 * published figure and what it sums) is confidential when fewer than {@code min_traders} distinct firms make it up (the
 * threshold rule: with two, each can work out the other's figure) or when one firm makes up more than
 * {@code max_dominance_share} of its value (the dominance rule: the total is essentially that firm's). A confidential
 * cell's figures are withheld and the cell marked with its reason, never dropped.
 *
 * <p>The rule is applied twice from this one class: to single cells on the driver ({@link #reason(long, double)}), and
 * to whole tables of cells in Spark ({@link #cells}, {@link #reasonColumn}); {@code DisclosureRuleTest} holds both to
 * the same hand-worked cases.
 */
public final class DisclosureRule implements Serializable {
    public static final String TRADERS = "cell_traders";
    public static final String TOP_TRADER_SHARE = "cell_top_trader_share";
    public static final String REASON = "suppression_reason";

    private final int minTraders;
    private final double maxDominanceShare;

    public DisclosureRule(PublishConfig.Disclosure settings) {
        this.minTraders = settings.minTraders();
        this.maxDominanceShare = settings.maxDominanceShare();
    }

    /** Why a cell of {@code traders} firms, the largest with {@code topShare} of its value, is confidential; empty if it is not. */
    public Optional<String> reason(long traders, double topShare) {
        if (traders < minTraders) {
            return Optional.of(thresholdReason());
        }
        if (topShare > maxDominanceShare) {
            return Optional.of(dominanceReason());
        }
        return Optional.empty();
    }

    /** The reason for a cell given each firm's value in it (a firm may appear several times: its values add up). */
    public Optional<String> reason(Collection<? extends java.util.Map.Entry<String, Double>> firmValues) {
        java.util.Map<String, Double> byFirm = new java.util.HashMap<>();
        firmValues.forEach(e -> byFirm.merge(e.getKey(), e.getValue(), Double::sum));
        double total = byFirm.values().stream().mapToDouble(Double::doubleValue).sum();
        double top = byFirm.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return reason(byFirm.size(), total > 0 ? top / total : 0);
    }

    public String thresholdReason() {
        return "fewer than " + minTraders + " traders";
    }

    public String dominanceReason() {
        return "one trader above " + Math.round(maxDominanceShare * 100) + "% of the value";
    }

    /** The rule as a Spark column over a cell's distinct traders and top trader share: the reason, or null. */
    public Column reasonColumn(Column traders, Column topShare) {
        return when(traders.lt(minTraders), lit(thresholdReason()))
                .when(topShare.gt(maxDominanceShare), lit(dominanceReason()));
    }

    /**
     * The cells of {@code firmRows} (one row per firm and part of a cell, with its value in {@code valueColumn}) grouped
     * by {@code keys}: each key with {@link #TRADERS}, {@link #TOP_TRADER_SHARE} and {@link #REASON} (null: publishable).
     */
    public Dataset<Row> cells(Dataset<Row> firmRows, String firmColumn, String valueColumn, String... keys) {
        Column[] byFirm = new Column[keys.length + 1];
        Column[] byCell = new Column[keys.length];
        for (int i = 0; i < keys.length; i++) {
            byFirm[i] = col(keys[i]);
            byCell[i] = col(keys[i]);
        }
        byFirm[keys.length] = col(firmColumn);
        return firmRows.groupBy(byFirm).agg(sum(col(valueColumn).cast("double")).as("firm_value"))
                .groupBy(byCell).agg(count(lit(1)).as(TRADERS), max("firm_value").as("top_value"), sum("firm_value").as("total_value"))
                .withColumn(TOP_TRADER_SHARE, when(col("total_value").gt(0), col("top_value").divide(col("total_value"))).otherwise(lit(0.0)))
                .withColumn(REASON, reasonColumn(col(TRADERS), col(TOP_TRADER_SHARE)))
                .drop("top_value", "total_value");
    }
}
