package org.ews.conform;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.ews.conform.reference.CountryKey;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * The line-level rules of conform, each a pure {@code Dataset<Row> → Dataset<Row>} step over bronze customs lines:
 * which version is in force, HS6 and edition, ISO partner, USD value, kilograms. A line that cannot be conformed gets
 * a {@link #reasonCode} and {@link #reason} (first failing rule wins) instead of being dropped.
 */
public final class TradeLineRules {
    private TradeLineRules() {}

    public static final String UNKNOWN_PARTNER = "unknown_partner";
    public static final String MISSING_FX_RATE = "missing_fx_rate";
    public static final String VALUE_OUT_OF_RANGE = "value_out_of_range";
    public static final String QUANTITY_OUT_OF_RANGE = "quantity_out_of_range";

    /** The contract's landing columns of a customs line: what a quarantine row shows of it. */
    public static final List<String> LANDING_COLUMNS = List.of(DECLARATION_ID, LINE_NO, VERSION, FLOW, DECLARATION_DATE,
            HS_CODE, PARTNER_COUNTRY, TRADER_ID, TRADER_NAME, VALUE, CURRENCY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG);

    private static final String PARTNER_KEY = "partner_key";
    private static final String BATCH_RANK = "batch_rank";

    /**
     * One row per (reporter, declaration_id, line_no): the highest version; among equal versions the first to land,
     * so an identical resend on a later date changes nothing, in a backfill as in nightly runs.
     */
    public static Dataset<Row> latestVersions(Dataset<Row> lines) {
        return lines.withColumn(BATCH_RANK, row_number().over(Window.partitionBy(col(REPORTER), col(DECLARATION_ID), col(LINE_NO))
                        .orderBy(col(VERSION).desc(), col(LANDING_DATE).asc(), col(SOURCE_FILE).asc(), col(SOURCE_ROW).asc())))
                .where(col(BATCH_RANK).equalTo(1)).drop(BATCH_RANK);
    }

    /**
     * {@code hs6}: the first six digits of the national code, whatever its punctuation ("8542.31.00", "8542 31 0000",
     * "85423100"); {@code hs_national} keeps all its digits. {@code hs_edition}: the newest configured edition in force
     * on the declaration date (ingest already rejected codes of other than 6-10 digits).
     */
    public static Dataset<Row> withHsCodes(Dataset<Row> lines, Map<String, String> editionsFrom) {
        Column national = regexp_replace(col(HS_CODE), "[^0-9]", "");
        Column edition = lit(null).cast(DataTypes.StringType);
        List<Map.Entry<String, String>> oldestFirst = editionsFrom.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder())).toList();
        for (Map.Entry<String, String> e : oldestFirst) {
            edition = when(col(DECLARATION_DATE).geq(to_date(lit(e.getValue()))), lit(e.getKey())).otherwise(edition);
        }
        return lines.withColumn(HS_NATIONAL, national)
                .withColumn(HS6, substring(national, 1, 6))
                .withColumn(HS_EDITION, edition);
    }

    /**
     * ISO alpha-2 partner from whatever the declaration says: codes, numeric codes, names as statistics write them.
     * Spellings are few, so they are normalised once each (on the distinct values), then joined back; no match
     * leaves {@code partner} null, which {@link #withReasons} turns into a quarantine reason: never a guess.
     */
    public static Dataset<Row> withPartner(Dataset<Row> lines, Dataset<Row> partnerAliases) {
        UserDefinedFunction key = udf((UDF1<String, String>) CountryKey::normalize, DataTypes.StringType);
        Dataset<Row> spellings = lines.select(col(PARTNER_COUNTRY)).distinct()
                .withColumn(PARTNER_KEY, key.apply(col(PARTNER_COUNTRY)));
        Dataset<Row> resolved = spellings.join(broadcast(partnerAliases),
                        spellings.col(PARTNER_KEY).equalTo(partnerAliases.col(ReferenceData.ALIAS)), "left")
                .select(spellings.col(PARTNER_COUNTRY), partnerAliases.col(ReferenceData.ISO2).as(PARTNER));
        return lines.join(broadcast(resolved), lines.col(PARTNER_COUNTRY).eqNullSafe(resolved.col(PARTNER_COUNTRY)), "left")
                .drop(resolved.col(PARTNER_COUNTRY));
    }

    /**
     * {@code month} (first day of the declaration month) and {@code value_usd} at that month's rate. USD needs no
     * rate. A missing rate leaves {@code fx_usd_per_unit} null for {@link #withReasons}.
     */
    public static Dataset<Row> withUsdValue(Dataset<Row> lines, Dataset<Row> fxRates) {
        Dataset<Row> dated = lines.withColumn(MONTH, trunc(col(DECLARATION_DATE), "month"))
                .withColumn(ReferenceData.FX_MONTH, date_format(col(MONTH), "yyyy-MM"));
        Dataset<Row> fx = fxRates.withColumnRenamed(CURRENCY, "fx_currency").withColumnRenamed(ReferenceData.FX_MONTH, "fx_rate_month")
                .withColumnRenamed(FX_USD_PER_UNIT, "fx_rate");
        Column rate = when(col(CURRENCY).equalTo("USD"), lit(1).cast(Silver.RATE)).otherwise(col("fx_rate"));
        return dated.join(broadcast(fx), col(CURRENCY).equalTo(col("fx_currency"))
                        .and(col(ReferenceData.FX_MONTH).equalTo(col("fx_rate_month"))), "left")
                .withColumn(FX_USD_PER_UNIT, rate.cast(Silver.RATE))
                .withColumn(VALUE_USD, col(VALUE).multiply(col(FX_USD_PER_UNIT)).cast(Bronze.NUMBER))
                .drop("fx_currency", "fx_rate_month", "fx_rate");
    }

    /**
     * Kilograms when the quantity is in a unit of mass; otherwise the quantity and its unit are kept as the
     * supplementary quantity (pieces, litres, ...), as customs statistics do. A unit the table does not know is kept
     * as supplementary too: it loses no row, and its lines still count by value.
     */
    public static Dataset<Row> withQuantities(Dataset<Row> lines, Dataset<Row> units) {
        Dataset<Row> u = units.select(col(ReferenceData.UNIT).as("unit_code"), col(ReferenceData.KIND).as("unit_kind"),
                col(ReferenceData.KG_PER_UNIT).as("unit_kg"));
        Column mass = col("unit_kind").equalTo(ReferenceData.KIND_MASS).and(col(QUANTITY).isNotNull());
        Column supplementary = col(QUANTITY).isNotNull().and(not(coalesce(col("unit_kind").equalTo(ReferenceData.KIND_MASS), lit(false))));
        return lines.join(broadcast(u), upper(trim(col(QUANTITY_UNIT))).equalTo(col("unit_code")), "left")
                .withColumn(QUANTITY_KG, when(mass, col(QUANTITY).multiply(col("unit_kg"))).cast(Bronze.NUMBER))
                .withColumn(SUPPLEMENTARY_QUANTITY, when(supplementary, col(QUANTITY)).cast(Bronze.NUMBER))
                .withColumn(SUPPLEMENTARY_UNIT, when(supplementary, col(QUANTITY_UNIT)))
                .drop("unit_code", "unit_kind", "unit_kg");
    }

    /** The first rule a line fails, with a reason naming the value; null when it conforms. */
    public static Dataset<Row> withReasons(Dataset<Row> lines, String fxSources) {
        // A quantity that is neither kilograms nor supplementary overflowed the conversion to kilograms.
        Column kgOverflow = col(QUANTITY).isNotNull().and(col(QUANTITY_KG).isNull()).and(col(SUPPLEMENTARY_QUANTITY).isNull());
        Column code = when(col(PARTNER).isNull(), lit(UNKNOWN_PARTNER))
                .when(col(FX_USD_PER_UNIT).isNull(), lit(MISSING_FX_RATE))
                .when(col(VALUE_USD).isNull(), lit(VALUE_OUT_OF_RANGE))
                .when(kgOverflow, lit(QUANTITY_OUT_OF_RANGE));
        Column reason = when(col(PARTNER).isNull(), concat(lit("partner_country '"), coalesce(col(PARTNER_COUNTRY), lit("")),
                        lit("' is not a known country code or name (conf/reference/partner_aliases.csv)")))
                .when(col(FX_USD_PER_UNIT).isNull(), concat(lit("no USD rate for "), col(CURRENCY), lit(" in "),
                        col(ReferenceData.FX_MONTH), lit(" (" + fxSources + ")")))
                .when(col(VALUE_USD).isNull(), concat(lit("value "), col(VALUE).cast(DataTypes.StringType), lit(" "),
                        col(CURRENCY), lit(" is too large in USD")))
                .when(kgOverflow, concat(lit("quantity "), col(QUANTITY).cast(DataTypes.StringType), lit(" "),
                        col(QUANTITY_UNIT), lit(" is too large in kilograms")));
        return lines.withColumn(REASON_CODE, code).withColumn(REASON, reason);
    }

    /** The line as received, for the quarantine: its landing columns as one JSON object. */
    public static Column rowText() {
        return to_json(struct(LANDING_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new)));
    }
}
