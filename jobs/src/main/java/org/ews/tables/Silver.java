package org.ews.tables;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

import java.util.List;
import java.util.Map;

import static org.ews.tables.Columns.*;
import static org.ews.tables.TableSpec.column;
import static org.ews.tables.TableSpec.columns;

/** Silver: one conformed row per business entity (declaration line, firm), in the units and codes metrics use. */
public final class Silver {
    private Silver() {}

    /** Rates carry more digits than money: 1 KRW is about 0.00075 USD. */
    public static final DecimalType RATE = DataTypes.createDecimalType(24, 12);

    public static final String CHANGE_DATA_FEED = "delta.enableChangeDataFeed";

    /** Values of flow: imports by origin, exports by destination. */
    public static final String FLOW_IMPORT = "I";
    public static final String FLOW_EXPORT = "X";

    public static final String METHOD_ID = "id";
    public static final String METHOD_NAME = "name";
    public static final String METHOD_UNRESOLVED = "unresolved";

    public static final String DECISION_ACCEPTED = "accepted";
    public static final String DECISION_POSSIBLE = "possible";
    public static final String DECISION_AMBIGUOUS = "ambiguous";

    public static final TableSpec TRADE_LINES = new TableSpec("silver", "trade_lines",
            "Customs declaration lines, one row per (reporter, declaration_id, line_no) at its highest version, with HS6, ISO partner, USD value, kilograms and the resolved firm and ultimate parent. Metrics read this table.",
            columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the country whose customs authority filed the declaration"),
                    column(DECLARATION_ID, DataTypes.StringType, "Declaration identifier, unique within the reporter"),
                    column(LINE_NO, DataTypes.IntegerType, "Line number within the declaration"),
                    column(VERSION, DataTypes.IntegerType, "Amendment version in force: the highest received"),
                    column(FLOW, DataTypes.StringType, "I = import, X = export"),
                    column(DECLARATION_DATE, DataTypes.DateType, "Date of the declaration"),
                    column(MONTH, DataTypes.DateType, "First day of the declaration month"),
                    column(HS6, DataTypes.StringType, "Six-digit HS subheading: the first six digits of the declared code"),
                    column(HS_NATIONAL, DataTypes.StringType, "National tariff line as declared, digits only (HSK, HTS, CN8, ...)"),
                    column(HS_EDITION, DataTypes.StringType, "HS edition in force on the declaration date (conform.hs_editions)"),
                    column(PARTNER, DataTypes.StringType, "Partner country, ISO alpha-2: origin of imports, destination of exports"),
                    column(PARTNER_COUNTRY, DataTypes.StringType, "Partner as declared (code or name), before resolution"),
                    column(TRADER_ID, DataTypes.StringType, "Business registration number of the declaring firm as declared; null when not given"),
                    column(TRADER_NAME, DataTypes.StringType, "Declaring firm's name as declared"),
                    column(TRADER_NAME_NORM, DataTypes.StringType, "Trader name normalised for matching: case, punctuation, spacing and legal forms removed"),
                    column(FIRM_ID, DataTypes.StringType, "Resolved registry firm; for an unresolved trader a synthetic id (U-<reporter>-<hash of the normalised name>) so its lines still group"),
                    column(PARENT_FIRM_ID, DataTypes.StringType, "Ultimate parent of firm_id through majority ownership; firm_id itself when it has none or is unresolved"),
                    column(MATCH_METHOD, DataTypes.StringType, "How firm_id was found: id (registration number), name (name similarity), unresolved (synthetic id)"),
                    column(MATCH_SCORE, DataTypes.DoubleType, "Confidence of the match, 0-1: 1 for id, the name score for name, the best candidate's score (or 0) when unresolved"),
                    column(VALUE, Bronze.NUMBER, "Customs value as declared, in currency"),
                    column(CURRENCY, DataTypes.StringType, "ISO 4217 currency of value"),
                    column(FX_USD_PER_UNIT, RATE, "US dollars per unit of currency, monthly rate of the declaration month"),
                    column(VALUE_USD, Bronze.NUMBER, "Customs value in US dollars: value x fx_usd_per_unit"),
                    column(QUANTITY_KG, Bronze.NUMBER, "Quantity in kilograms when declared in a unit of mass (G, KG, TNE, LB, ...); null otherwise"),
                    column(SUPPLEMENTARY_QUANTITY, Bronze.NUMBER, "Quantity when declared in a unit without mass (pieces, litres, ...); null otherwise"),
                    column(SUPPLEMENTARY_UNIT, DataTypes.StringType, "Unit of supplementary_quantity (U, L, M2, ...)"),
                    column(NET_WEIGHT_KG, Bronze.NUMBER, "Declared net weight in kilograms, when given"),
                    column(LANDING_DATE, DataTypes.DateType, "Landing date of the version in force (its first arrival)"),
                    column(SOURCE_FILE, DataTypes.StringType, "Landing file of the version in force"),
                    column(SOURCE_ROW, DataTypes.LongType, "Record number of the version in force in its file"),
                    column(RUN_ID, DataTypes.StringType, "Run that last wrote the row")),
            List.of(REPORTER, MONTH),
            // The change feed tells the metrics stage which (reporter, month) slices a run touched, relinks included.
            Map.of(CHANGE_DATA_FEED, "true"));

    public static final TableSpec FIRMS = new TableSpec("silver", "firms",
            "Firm registry in force (newest snapshot on or before the run date), one row per firm, with its ultimate parent through majority ownership.",
            columns(
                    column(FIRM_ID, DataTypes.StringType, "Registry key of the firm"),
                    column(NAME, DataTypes.StringType, "Registered name"),
                    column(COUNTRY, DataTypes.StringType, "ISO alpha-2 country of registration"),
                    column(REGISTRATION_NUMBER, DataTypes.StringType, "National business registration number as registered"),
                    column(REGISTRATION_NUMBER_NORM, DataTypes.StringType, "Registration number, digits only: what trader ids are matched on"),
                    column(LEI, DataTypes.StringType, "Legal Entity Identifier, when known"),
                    column(INDUSTRY_CODE, DataTypes.StringType, "Industry code in industry_scheme"),
                    column(INDUSTRY_SCHEME, DataTypes.StringType, "Industry classification: ISIC4, KSIC, NAICS, JSIC, ..."),
                    column(EMPLOYEES, DataTypes.LongType, "Number of employees, when known"),
                    column(REVENUE_USD, Bronze.NUMBER, "Annual revenue in US dollars, when known"),
                    column(ALIASES, DataTypes.createArrayType(DataTypes.StringType), "Other names of the firm"),
                    column(DIRECT_PARENT_FIRM_ID, DataTypes.StringType, "Firm holding more than ownership.control_threshold_pct of this one; null when none"),
                    column(DIRECT_PARENT_PCT, Bronze.PERCENT, "Share held by the direct parent, 0-100"),
                    column(PARENT_FIRM_ID, DataTypes.StringType, "Ultimate parent: the top of the chain of controlling owners held in the registry; the firm itself when it has no parent"),
                    column(OWNERSHIP_DEPTH, DataTypes.IntegerType, "Steps from the firm up to parent_firm_id (0 = its own parent)"),
                    column(OWNERSHIP_ISSUE, DataTypes.StringType, "Why the roll-up stopped early: cycle (circular control, broken at the lowest firm id of the cycle), missing_parent (controlling owner not in the registry), too_deep; null when clean"),
                    column(SNAPSHOT_DATE, DataTypes.DateType, "Registry snapshot the row comes from"),
                    column(OWNERSHIP_SNAPSHOT_DATE, DataTypes.DateType, "Ownership snapshot the parents come from; null when none has landed"),
                    column(RUN_ID, DataTypes.StringType, "Run that wrote the row")),
            List.of(),
            Map.of());

    public static final TableSpec FIRM_NAMES = new TableSpec("silver", "firm_names",
            "Every name of every firm in force (registered name and aliases), normalised: the index traders are matched against by name.",
            columns(
                    column(FIRM_ID, DataTypes.StringType, "Registry key of the firm"),
                    column(COUNTRY, DataTypes.StringType, "ISO alpha-2 country of registration: traders are matched within their reporter's country"),
                    column(NAME, DataTypes.StringType, "The name as registered"),
                    column(NAME_KIND, DataTypes.StringType, "name (registered name) or alias"),
                    column(NAME_NORM, DataTypes.StringType, "The name normalised as trader names are"),
                    column(SNAPSHOT_DATE, DataTypes.DateType, "Registry snapshot the name comes from"),
                    column(RUN_ID, DataTypes.StringType, "Run that wrote the row")),
            List.of(),
            Map.of());

    public static final TableSpec ENTITY_MATCHES = new TableSpec("silver", "entity_matches",
            "Name-matching candidates per trader name: the accepted link and every candidate scoring at least entity.possible_score, for review. Only accepted links feed firm_id.",
            columns(
                    column(REPORTER, DataTypes.StringType, "Reporter whose declarations carry the trader name"),
                    column(TRADER_NAME_NORM, DataTypes.StringType, "Normalised trader name"),
                    column(TRADER_NAME, DataTypes.StringType, "One spelling of the name as declared"),
                    column(CANDIDATE_FIRM_ID, DataTypes.StringType, "Registry firm proposed"),
                    column(CANDIDATE_NAME, DataTypes.StringType, "The firm's name (or alias) that scored best"),
                    column(SCORE, DataTypes.DoubleType, "Name similarity, 0-1"),
                    column(CANDIDATE_RANK, DataTypes.IntegerType, "1 for the best-scoring firm"),
                    column(DECISION, DataTypes.StringType, "accepted (used for firm_id), possible (below entity.accept_score), ambiguous (another firm scores within entity.ambiguity_margin)"),
                    column(SNAPSHOT_DATE, DataTypes.DateType, "Registry snapshot matched against"),
                    column(RUN_ID, DataTypes.StringType, "Run that wrote the row")),
            List.of(),
            Map.of());

    public static final TableSpec HS6_SECTORS = new TableSpec("silver", "hs6_sectors",
            "HS6 to strategic sector bridge (conf/reference/hs6_sectors.csv): one HS6 can feed several sectors; weights of one HS6 add up to 1 so sector totals add up to the total.",
            columns(
                    column(HS6, DataTypes.StringType, "Six-digit HS subheading"),
                    column(SECTOR, DataTypes.StringType, "Strategic sector"),
                    column(SUBSECTOR, DataTypes.StringType, "Subsector within the sector"),
                    column(WEIGHT, DataTypes.DoubleType, "Share of the HS6's trade attributed to this sector, 0-1"),
                    column(LABEL, DataTypes.StringType, "What the HS6 covers"),
                    column(HS_EDITION, DataTypes.StringType, "HS edition of the code"),
                    column(CONFIDENCE, DataTypes.StringType, "How surely the code belongs to the sector: high, medium, low"),
                    column(RUN_ID, DataTypes.StringType, "Run that wrote the row")),
            List.of(),
            Map.of());
}
