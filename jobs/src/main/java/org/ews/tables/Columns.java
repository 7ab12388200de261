package org.ews.tables;

/**
 * Column names shared by more than one class. Landing-file column names are the contract's
 * ({@code shared/CONTRACT.md} §2); lineage columns are added by the system.
 */
public final class Columns {
    private Columns() {}

    // Customs declaration line, as landed.
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

    // Firm registry and ownership snapshots.
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
    public static final String PARENT_FIRM_ID = "parent_firm_id";
    public static final String CHILD_FIRM_ID = "child_firm_id";
    public static final String OWNERSHIP_PCT = "ownership_pct";

    // Lineage, added on ingest.
    public static final String REPORTER = "reporter";
    public static final String LANDING_DATE = "landing_date";
    public static final String SNAPSHOT_DATE = "snapshot_date";
    public static final String SOURCE_FILE = "source_file";
    public static final String SOURCE_ROW = "source_row";
    public static final String ROW_TEXT = "row_text";
    public static final String EXTRA_COLUMNS = "extra_columns";
    public static final String RUN_ID = "run_id";

    // Quarantine.
    public static final String FEED = "feed";
    public static final String STAGE = "stage";
    public static final String REASON_CODE = "reason_code";
    public static final String REASON = "reason";

    // Silver: conformed declaration lines.
    public static final String MONTH = "month";
    public static final String HS6 = "hs6";
    public static final String HS_NATIONAL = "hs_national";
    public static final String HS_EDITION = "hs_edition";
    public static final String PARTNER = "partner";
    public static final String FX_USD_PER_UNIT = "fx_usd_per_unit";
    public static final String VALUE_USD = "value_usd";
    public static final String QUANTITY_KG = "quantity_kg";
    public static final String SUPPLEMENTARY_QUANTITY = "supplementary_quantity";
    public static final String SUPPLEMENTARY_UNIT = "supplementary_unit";

    // Silver: entity resolution and ownership.
    public static final String TRADER_ID_NORM = "trader_id_norm";
    public static final String TRADER_NAME_NORM = "trader_name_norm";
    public static final String MATCH_METHOD = "match_method";
    public static final String MATCH_SCORE = "match_score";
    public static final String REGISTRATION_NUMBER_NORM = "registration_number_norm";
    public static final String NAME_NORM = "name_norm";
    public static final String NAME_KIND = "name_kind";
    public static final String CANDIDATE_FIRM_ID = "candidate_firm_id";
    public static final String CANDIDATE_NAME = "candidate_name";
    public static final String SCORE = "score";
    public static final String CANDIDATE_RANK = "candidate_rank";
    public static final String DECISION = "decision";
    public static final String DIRECT_PARENT_FIRM_ID = "direct_parent_firm_id";
    public static final String DIRECT_PARENT_PCT = "direct_parent_pct";
    public static final String OWNERSHIP_DEPTH = "ownership_depth";
    public static final String OWNERSHIP_ISSUE = "ownership_issue";
    public static final String OWNERSHIP_SNAPSHOT_DATE = "ownership_snapshot_date";

    // Silver: sector bridge.
    public static final String SECTOR = "sector";
    public static final String SUBSECTOR = "subsector";
    public static final String WEIGHT = "weight";
    public static final String LABEL = "label";
    public static final String CONFIDENCE = "confidence";
}
