package org.ews.generate;

import java.util.List;

/**
 * Column names of everything the generator writes, in one place, so that ingest code and tests can refer to the
 * landing-zone contract instead of repeating string literals.
 */
public final class LandingColumns {
    private LandingColumns() {
    }

    // Customs declaration lines. The index constants address CustomsRow values; they are not a file column order,
    // each reporter writes its own order.
    public static final String DECLARATION_ID = "declaration_id";
    public static final String LINE_NO = "line_no";
    public static final String VERSION = "version";
    public static final String FLOW = "flow";
    public static final String DECLARATION_DATE = "declaration_date";
    public static final String HS_CODE = "hs_code";
    public static final String PARTNER_COUNTRY = "partner_country";
    public static final String TRADER_ID = "trader_id";
    public static final String TRADER_NAME = "trader_name";
    public static final String VALUE = "value";
    public static final String CURRENCY = "currency";
    public static final String QUANTITY = "quantity";
    public static final String QUANTITY_UNIT = "quantity_unit";
    public static final String NET_WEIGHT_KG = "net_weight_kg";
    /** Only US files carry it; ingest must keep unknown extra columns. */
    public static final String PORT_CODE = "port_code";

    public static final List<String> CUSTOMS = List.of(DECLARATION_ID, LINE_NO, VERSION, FLOW, DECLARATION_DATE,
            HS_CODE, PARTNER_COUNTRY, TRADER_ID, TRADER_NAME, VALUE, CURRENCY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG,
            PORT_CODE);

    /** Columns that must be non-empty for a line to be valid. */
    public static final List<String> CUSTOMS_REQUIRED = List.of(DECLARATION_ID, HS_CODE, VALUE, FLOW, TRADER_NAME,
            CURRENCY, PARTNER_COUNTRY, DECLARATION_DATE);

    static int customsIndex(String column) {
        int i = CUSTOMS.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("not a customs column: " + column);
        }
        return i;
    }

    // Firm registry snapshot.
    public static final String FIRM_ID = "firm_id";
    public static final String NAME = "name";
    public static final String COUNTRY = "country";
    public static final String REGISTRATION_NUMBER = "registration_number";
    public static final String LEI = "lei";
    public static final String INDUSTRY_CODE = "industry_code";
    public static final String INDUSTRY_SCHEME = "industry_scheme";
    public static final String EMPLOYEES = "employees";
    public static final String REVENUE_USD = "revenue_usd";
    public static final String ALIASES = "aliases";
    public static final List<String> FIRMS = List.of(FIRM_ID, NAME, COUNTRY, REGISTRATION_NUMBER, LEI, INDUSTRY_CODE,
            INDUSTRY_SCHEME, EMPLOYEES, REVENUE_USD, ALIASES);

    // Ownership snapshot.
    public static final String PARENT_FIRM_ID = "parent_firm_id";
    public static final String CHILD_FIRM_ID = "child_firm_id";
    public static final String OWNERSHIP_PCT = "ownership_pct";
    public static final List<String> OWNERSHIP = List.of(PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT);

    // FX reference.
    public static final List<String> FX = List.of("currency", "month", "usd_per_unit");

    // Ground truth.
    public static final List<String> TRUTH_EVENTS = List.of("event_id", "reporter", "flow", "hs6", "partner", "kind",
            "start_month", "end_month", "magnitude", "note");
    public static final List<String> TRUTH_BAD_ROWS = List.of("source_file", "source_row", "kind", "column");
    public static final List<String> TRUTH_BROKEN_FILES = List.of("source_file", "kind");
    public static final List<String> TRUTH_LINES = List.of("reporter", "declaration_id", "line_no", "final_version",
            "flow", "declaration_date", "hs6", "partner_iso2", "firm_id", "value_usd", "quantity_kg");
}
