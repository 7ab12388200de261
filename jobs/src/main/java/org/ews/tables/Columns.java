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

    // Gold: trade cubes.
    public static final String YEAR = "year";
    public static final String DECLARATIONS = "declarations";
    public static final String LINES = "lines";
    public static final String TRADERS = "traders";
    public static final String TOP_TRADER_SHARE = "top_trader_share";
    public static final String VALUE_USD_WITH_KG = "value_usd_with_kg";
    public static final String IS_CLOSED_MONTH = "is_closed_month";

    // Gold: dependency and concentration.
    public static final String IMPORT_VALUE_USD = "import_value_usd";
    public static final String EXPORT_VALUE_USD = "export_value_usd";
    public static final String IMPORT_QUANTITY_KG = "import_quantity_kg";
    public static final String PARTNERS = "partners";
    public static final String TOP_PARTNER = "top_partner";
    public static final String TOP_PARTNER_VALUE_USD = "top_partner_value_usd";
    public static final String TOP_PARTNER_SHARE = "top_partner_share";
    public static final String SECOND_PARTNER = "second_partner";
    public static final String SECOND_PARTNER_SHARE = "second_partner_share";
    public static final String HHI = "hhi";
    public static final String CONCERN_SHARE = "concern_share";
    public static final String EXTRA_BLOC_SHARE = "extra_bloc_share";
    public static final String IMPORT_EXPORT_RATIO = "import_export_ratio";
    public static final String TRADE_BALANCE_USD = "trade_balance_usd";
    public static final String SCREENS = "screens";
    public static final String IS_PARTIAL_YEAR = "is_partial_year";
    public static final String IS_PARTIAL_WINDOW = "is_partial_window";
    public static final String WINDOW_START = "window_start";
    public static final String PRODUCTS = "products";
    public static final String DEPENDENT_PRODUCTS = "dependent_products";
    public static final String FIRMS_EXPOSED = "firms_exposed";
    public static final String FIRMS = "firms";
    public static final String IS_EXPOSED = "is_exposed";

    // Gold: watchlist.
    public static final String SCREEN = "screen";
    public static final String TIER = "tier";
    public static final String FIRST_SEEN = "first_seen";
    public static final String LAST_SEEN = "last_seen";
    public static final String WATCH_STATUS = "status";
    public static final String AS_OF_MONTH = "as_of_month";

    // gold.trend_anomalies and gold.anomaly_coverage
    public static final String LEVEL = "level";
    public static final String SERIES_KEY = "series_key";
    public static final String METRIC = "metric";
    public static final String OBSERVED = "observed";
    public static final String EXPECTED = "expected";
    public static final String LOWER = "lower";
    public static final String UPPER = "upper";
    public static final String THRESHOLD = "threshold";
    public static final String DIRECTION = "direction";
    public static final String DETECTOR = "detector";
    public static final String PARAMETERS = "parameters";
    public static final String SEVERITY = "severity";
    public static final String VALUE_AT_STAKE_USD = "value_at_stake_usd";
    public static final String EXPLANATION = "explanation";
    public static final String TOP_PARTNERS = "top_partners";
    public static final String TOP_TRADERS = "top_traders";
    public static final String CONTRIBUTOR_ID = "id";
    public static final String CHANGE = "change";
    public static final String SERIES = "series";
    public static final String SERIES_JUDGED = "series_judged";
    public static final String SERIES_IMMATERIAL = "series_immaterial";
    public static final String SERIES_SHORT_HISTORY = "series_short_history";
    public static final String FINDINGS = "findings";
}
