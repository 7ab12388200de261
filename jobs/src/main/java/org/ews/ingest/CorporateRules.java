package org.ews.ingest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.*;
import static org.ews.ingest.RowRules.*;
import static org.ews.tables.Bronze.NUMBER;
import static org.ews.tables.Bronze.PERCENT;
import static org.ews.tables.Columns.*;

/** Types and checks the corporate snapshots: the firm registry and the ownership links. */
public final class CorporateRules {
    private CorporateRules() {}

    public static Dataset<Row> validateFirms(Dataset<Row> raw) {
        Column country = upper(text(COUNTRY));
        Column employees = longOf(EMPLOYEES);
        Column revenue = decimalOf(REVENUE_USD, NUMBER);
        RowRules rules = RowRules.afterReaderProblems()
                .required(FIRM_ID, NAME, COUNTRY)
                .check(not(country.rlike("^[A-Z]{2}\\z")), "bad_country",
                        concat(lit("country '"), text(COUNTRY), lit("' is not an ISO alpha-2 code")))
                .check(text(EMPLOYEES).isNotNull().and(employees.isNull()), "unparsable_number",
                        concat(lit("employees '"), text(EMPLOYEES), lit("' is not a whole number >= 0")))
                .decimal(REVENUE_USD, revenue, true);
        return rules.apply(raw,
                text(FIRM_ID).as(FIRM_ID), text(NAME).as(NAME), country.as(COUNTRY),
                text(REGISTRATION_NUMBER).as(REGISTRATION_NUMBER), text(LEI).as(LEI),
                text(INDUSTRY_CODE).as(INDUSTRY_CODE), upper(text(INDUSTRY_SCHEME)).as(INDUSTRY_SCHEME),
                employees.as(EMPLOYEES), revenue.as(REVENUE_USD), text(ALIASES).as(ALIASES),
                col(LANDING_DATE).as(SNAPSHOT_DATE), col(REPORTER), col(LANDING_DATE),
                col(EXTRA_COLUMNS), col(SOURCE_FILE), col(SOURCE_ROW), col(ROW_TEXT));
    }

    public static Dataset<Row> validateOwnership(Dataset<Row> raw) {
        Column pct = decimalOf(OWNERSHIP_PCT, PERCENT);
        RowRules rules = RowRules.afterReaderProblems()
                .required(PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT)
                .check(text(OWNERSHIP_PCT).isNotNull().and(pct.isNull()), "unparsable_number",
                        concat(lit("ownership_pct '"), text(OWNERSHIP_PCT), lit("' is not a number")))
                .check(pct.lt(0).or(pct.gt(100)), "out_of_range",
                        concat(lit("ownership_pct "), text(OWNERSHIP_PCT), lit(" is outside 0-100")))
                .check(text(PARENT_FIRM_ID).equalTo(text(CHILD_FIRM_ID)), "self_ownership",
                        concat(lit("firm "), text(PARENT_FIRM_ID), lit(" is listed as its own parent")));
        return rules.apply(raw,
                text(PARENT_FIRM_ID).as(PARENT_FIRM_ID), text(CHILD_FIRM_ID).as(CHILD_FIRM_ID), pct.as(OWNERSHIP_PCT),
                col(LANDING_DATE).as(SNAPSHOT_DATE), col(REPORTER), col(LANDING_DATE),
                col(EXTRA_COLUMNS), col(SOURCE_FILE), col(SOURCE_ROW), col(ROW_TEXT));
    }
}
