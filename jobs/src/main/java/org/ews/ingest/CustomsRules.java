package org.ews.ingest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.*;
import static org.ews.ingest.RowRules.*;
import static org.ews.tables.Bronze.NUMBER;
import static org.ews.tables.Columns.*;

/**
 * Types and checks customs declaration lines ({@link RawRows} of the customs feed): one reason per rejected
 * row, the first that applies, in the order below. Partner names, currencies and HS codes are only checked
 * for form here; resolving them against reference data is the conform stage's job.
 */
public final class CustomsRules {
    private CustomsRules() {}

    /** 6 to 10 digits once dots and spaces are removed (national codes extend the HS6). */
    static final String HS_PATTERN = "^[0-9]{6,10}\\z";
    /** The contract's date form; whether it is a calendar date is checked separately (impossible_date). */
    static final String ISO_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}\\z";

    public static Dataset<Row> validate(Dataset<Row> raw, int maxFilingLagDays) {
        Column lineNo = intOf(LINE_NO);
        Column version = coalesce(intOf(VERSION), when(text(VERSION).isNull(), lit(1)));
        Column flow = upper(text(FLOW));
        Column dateText = text(DECLARATION_DATE);
        Column date = when(dateText.rlike(ISO_DATE), to_date(dateText, "yyyy-MM-dd"));
        Column hsDigits = regexp_replace(text(HS_CODE), "[.\\s]", "");
        Column value = decimalOf(VALUE, NUMBER);
        Column quantity = decimalOf(QUANTITY, NUMBER);
        Column weight = decimalOf(NET_WEIGHT_KG, NUMBER);
        Column currency = upper(text(CURRENCY));
        Column landing = col(LANDING_DATE);

        RowRules rules = RowRules.afterReaderProblems()
                .required(DECLARATION_ID, LINE_NO, FLOW, DECLARATION_DATE, HS_CODE, PARTNER_COUNTRY, TRADER_NAME, VALUE, CURRENCY)
                .check(lineNo.isNull().or(lineNo.lt(1)), "unparsable_number",
                        concat(lit("line_no '"), text(LINE_NO), lit("' is not a whole number >= 1")))
                .check(version.isNull().or(version.lt(1)), "unparsable_number",
                        concat(lit("version '"), text(VERSION), lit("' is not a whole number >= 1")))
                .check(not(flow.isin(org.ews.tables.Silver.FLOW_IMPORT, org.ews.tables.Silver.FLOW_EXPORT)), "bad_flow",
                        concat(lit("flow '"), text(FLOW), lit("' is neither I (import) nor X (export)")))
                .check(not(dateText.rlike(ISO_DATE)), "unparsable_date",
                        concat(lit("declaration_date '"), dateText, lit("' is not YYYY-MM-DD")))
                .check(date.isNull(), "impossible_date",
                        concat(lit("declaration_date '"), dateText, lit("' is not a calendar date")))
                .check(date.gt(landing), "impossible_date",
                        concat(lit("declaration_date "), dateText, lit(" is after the landing date "), landing.cast("string")))
                .check(date.lt(date_sub(landing, maxFilingLagDays)), "stale_date",
                        concat(lit("declaration_date "), dateText, lit(" is more than " + maxFilingLagDays
                                + " days before the landing date "), landing.cast("string"), lit(" (ingest.max_filing_lag_days)")))
                .check(not(hsDigits.rlike(HS_PATTERN)), "malformed_hs",
                        concat(lit("hs_code '"), text(HS_CODE), lit("' is not 6 to 10 digits")))
                .decimal(VALUE, value, true)
                .check(not(currency.rlike("^[A-Z]{3}\\z")), "malformed_currency",
                        concat(lit("currency '"), text(CURRENCY), lit("' is not a three-letter ISO 4217 code")))
                .decimal(QUANTITY, quantity, true)
                .decimal(NET_WEIGHT_KG, weight, true);

        return rules.apply(raw,
                col(REPORTER), text(DECLARATION_ID).as(DECLARATION_ID), lineNo.as(LINE_NO), version.as(VERSION),
                flow.as(FLOW), date.as(DECLARATION_DATE), text(HS_CODE).as(HS_CODE),
                text(PARTNER_COUNTRY).as(PARTNER_COUNTRY), text(TRADER_ID).as(TRADER_ID),
                text(TRADER_NAME).as(TRADER_NAME), value.as(VALUE), currency.as(CURRENCY), quantity.as(QUANTITY),
                upper(text(QUANTITY_UNIT)).as(QUANTITY_UNIT), weight.as(NET_WEIGHT_KG), col(LANDING_DATE),
                col(EXTRA_COLUMNS), col(SOURCE_FILE), col(SOURCE_ROW), col(ROW_TEXT));
    }
}
