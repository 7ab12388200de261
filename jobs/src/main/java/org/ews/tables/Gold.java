package org.ews.tables;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

import static org.ews.tables.Columns.*;
import static org.ews.tables.TableSpec.column;
import static org.ews.tables.TableSpec.columns;
import static org.ews.tables.TableSpec.concat;

/**
 * Gold: what analysts, report generators and the anomaly stage read. Monthly trade cubes, then dependency and
 * concentration per product, sector and firm group, and the watchlist. Money in USD, shares and HHI on a 0-1 scale,
 * {@code month} the first day of a month. Every figure comes with what explains it (value, partner count, top and
 * second partner).
 */
public final class Gold {
    private Gold() {}

    public static final String STATUS_NEW = "new";
    public static final String STATUS_CONTINUING = "continuing";
    public static final String STATUS_DROPPED = "dropped";

    /**
     * Every gold table: Change Data Feed on (report generators and the anomaly stage read only what changed since their
     * last run), CHECK constraints on every column with a value domain, and the columns maintenance Z-orders it by.
     */
    private static TableSpec published(TableSpec spec, String... zorderBy) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(spec.properties());
        properties.put(Silver.CHANGE_DATA_FEED, "true");
        return new TableSpec(spec.schema(), spec.name(), spec.comment(), spec.columns(), spec.partitionBy(), properties,
                ValueDomains.checks(spec.columns()), List.of(zorderBy));
    }

    private static final StructField RUN = column(RUN_ID, DataTypes.StringType, "Run that last wrote the row");

    /** Supplier concentration of one slice's imports: the same columns, with the same meaning, in every table. */
    private static StructType concentration(String of) {
        return columns(
                column(PARTNERS, DataTypes.LongType, "Number of partner countries with imports of " + of),
                column(TOP_PARTNER, DataTypes.StringType, "Largest supplier country (ISO alpha-2); equal values: the first code alphabetically"),
                column(TOP_PARTNER_VALUE_USD, Bronze.NUMBER, "Imports from top_partner, USD"),
                column(TOP_PARTNER_SHARE, DataTypes.DoubleType, "top_partner's share of imports, 0-1"),
                column(SECOND_PARTNER, DataTypes.StringType, "Second largest supplier; null with a single supplier"),
                column(SECOND_PARTNER_SHARE, DataTypes.DoubleType, "second_partner's share of imports, 0-1 (equal to top_partner_share: a tie)"),
                column(HHI, DataTypes.DoubleType, "Herfindahl-Hirschman index of supplier countries, sum of squared shares, 0-1 (1 = one supplier; > 0.4 concentrated per EU 2021)"),
                column(CONCERN_SHARE, DataTypes.DoubleType, "Share of imports from the countries of metrics.concern_group (countries.groups), 0-1"));
    }

    private static StructType dependency(String of) {
        return concat(concat(columns(
                column(IMPORT_VALUE_USD, Bronze.NUMBER, "Imports of " + of + ", USD"),
                column(EXPORT_VALUE_USD, Bronze.NUMBER, "Exports of " + of + ", USD"),
                column(IMPORT_QUANTITY_KG, Bronze.NUMBER, "Imports in kilograms (lines declared in a unit of mass)")),
                concentration(of)), columns(
                column(EXTRA_BLOC_SHARE, DataTypes.DoubleType, "Import reliance: share of imports from outside the reporter's bloc (metrics.blocs), 0-1; null when the reporter is in none"),
                column(IMPORT_EXPORT_RATIO, DataTypes.DoubleType, "Imports / exports (substitutability; > 1 in EU 2021); metrics.no_exports_ratio (9999) when exports are zero"),
                column(TRADE_BALANCE_USD, Bronze.NUMBER, "Exports minus imports, USD (negative: a trade deficit)"),
                column(SCREENS, DataTypes.createArrayType(DataTypes.StringType), "Names of the screens (metrics.screens) the row passes, in configured order")));
    }

    public static final TableSpec TRADE_MONTHLY = published(new TableSpec("gold", "trade_monthly",
            "Monthly trade cube: reporter x flow x HS6 x partner x month, from silver.trade_lines at their version in force. The base of every dependency metric and trend series.",
            columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting country"),
                    column(FLOW, DataTypes.StringType, "I = import, X = export"),
                    column(HS6, DataTypes.StringType, "Six-digit HS subheading"),
                    column(PARTNER, DataTypes.StringType, "Partner country, ISO alpha-2: origin of imports, destination of exports"),
                    column(MONTH, DataTypes.DateType, "First day of the declaration month"),
                    column(YEAR, DataTypes.IntegerType, "Year of month"),
                    column(VALUE_USD, Bronze.NUMBER, "Customs value, USD"),
                    column(QUANTITY_KG, Bronze.NUMBER, "Kilograms, summed over the lines declared in a unit of mass; null when none was"),
                    column(VALUE_USD_WITH_KG, Bronze.NUMBER, "Value of the lines that declared kilograms: value_usd_with_kg / quantity_kg is a unit value in USD/kg"),
                    column(DECLARATIONS, DataTypes.LongType, "Distinct declarations"),
                    column(LINES, DataTypes.LongType, "Declaration lines"),
                    column(TRADERS, DataTypes.LongType, "Distinct declaring firms (resolved firm_id; an unresolved trader counts once). Fewer than 3 makes the cell confidential in official statistics"),
                    column(TOP_TRADER_SHARE, DataTypes.DoubleType, "Largest firm's share of value_usd, 0-1: the dominance test of statistical confidentiality"),
                    column(IS_CLOSED_MONTH, DataTypes.BooleanType, "false for the month in progress (or within periods.month_close_lag_days of its end): late filings may still add to it"),
                    RUN),
            List.of(REPORTER, MONTH),
            // The anomaly stage reads which (reporter, month) slices changed since its last run from the feed (on for all gold).
            Map.of()), HS6, PARTNER);

    public static final TableSpec FIRM_TRADE_MONTHLY = published(new TableSpec("gold", "firm_trade_monthly",
            "Monthly trade by declaring firm and its ultimate parent: reporter x flow x HS6 x partner x month x firm. Firm-level and confidential: for authorised users. Feeds firm exposure and the traders behind a trend.",
            columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting country"),
                    column(FLOW, DataTypes.StringType, "I = import, X = export"),
                    column(HS6, DataTypes.StringType, "Six-digit HS subheading"),
                    column(PARTNER, DataTypes.StringType, "Partner country, ISO alpha-2"),
                    column(MONTH, DataTypes.DateType, "First day of the declaration month"),
                    column(YEAR, DataTypes.IntegerType, "Year of month"),
                    column(FIRM_ID, DataTypes.StringType, "Resolved declaring firm (synthetic U-... id when unresolved)"),
                    column(PARENT_FIRM_ID, DataTypes.StringType, "Ultimate parent of firm_id"),
                    column(VALUE_USD, Bronze.NUMBER, "Customs value, USD"),
                    column(QUANTITY_KG, Bronze.NUMBER, "Kilograms of the lines declared in a unit of mass; null when none was"),
                    column(DECLARATIONS, DataTypes.LongType, "Distinct declarations"),
                    column(LINES, DataTypes.LongType, "Declaration lines"),
                    RUN),
            List.of(REPORTER, MONTH),
            Map.of()), HS6, FIRM_ID);

    private static StructType productKeys(StructField period) {
        return columns(
                column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting (importing) country"),
                column(HS6, DataTypes.StringType, "Six-digit HS subheading"),
                period);
    }

    public static final TableSpec PRODUCT_DEPENDENCY = published(new TableSpec("gold", "product_dependency",
            "Import dependency per reporter x HS6 x calendar year: supplier concentration, concern share, import reliance, substitutability and the screens passed. One row per product with imports in the year.",
            concat(concat(productKeys(column(YEAR, DataTypes.IntegerType, "Calendar year")), dependency("the product in the year")), columns(
                    column(IS_PARTIAL_YEAR, DataTypes.BooleanType, "true when the year has months not closed yet, or the reporter's data starts after its first month: figures are year-to-date"),
                    RUN)),
            List.of(REPORTER),
            Map.of()), YEAR, HS6);

    public static final TableSpec PRODUCT_DEPENDENCY_12M = published(new TableSpec("gold", "product_dependency_12m",
            "Import dependency per reporter x HS6 over the 12 months ending at each closed month: the nightly view that does not wait for a calendar year to end. The watchlist is judged on it.",
            concat(concat(productKeys(column(MONTH, DataTypes.DateType,
                    "Last month of the 12-month window (its first day); only closed months end a window")),
                    columns(column(WINDOW_START, DataTypes.DateType, "First month of the window: month minus 11 months"))),
                    concat(dependency("the product in the 12 months"), columns(
                            column(IS_PARTIAL_WINDOW, DataTypes.BooleanType, "true when the reporter's data starts after window_start: fewer than 12 months of trade"),
                            RUN))),
            List.of(REPORTER),
            Map.of()), MONTH, HS6);

    public static final TableSpec SECTOR_EXPOSURE = published(new TableSpec("gold", "sector_exposure",
            "Import exposure per reporter x strategic sector x year, through the HS6 -> sector bridge (silver.hs6_sectors; a product in two sectors counts by its weights, so sector totals add up to product totals).",
            concat(concat(columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting country"),
                    column(SECTOR, DataTypes.StringType, "Strategic sector"),
                    column(YEAR, DataTypes.IntegerType, "Calendar year"),
                    column(IMPORT_VALUE_USD, Bronze.NUMBER, "Imports of the sector's products, weighted by the bridge, USD"),
                    column(EXPORT_VALUE_USD, Bronze.NUMBER, "Exports of the sector's products, weighted by the bridge, USD"),
                    column(PRODUCTS, DataTypes.LongType, "HS6 products of the sector with imports in the year")),
                    concentration("the sector's products")), columns(
                    column(DEPENDENT_PRODUCTS, DataTypes.LongType, "Products of the sector whose gold.product_dependency row passes metrics.dependent_screen"),
                    column(FIRMS, DataTypes.LongType, "Firm groups (ultimate parents) importing the sector's products"),
                    column(FIRMS_EXPOSED, DataTypes.LongType, "Firm groups whose own imports of the sector come at least metrics.firm_exposed_share from one country, above metrics.firm_min_import_usd (gold.firm_exposure.is_exposed)"),
                    column(IS_PARTIAL_YEAR, DataTypes.BooleanType, "true when the year is not closed yet or the reporter's data starts within it"),
                    RUN)),
            List.of(REPORTER),
            Map.of()), YEAR, SECTOR);

    public static final TableSpec FIRM_EXPOSURE = published(new TableSpec("gold", "firm_exposure",
            "Import exposure per reporter x firm group (ultimate parent) x strategic sector x year: how concentrated each group's own supply is. Firm-level and confidential: for authorised users.",
            concat(concat(columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting country"),
                    column(PARENT_FIRM_ID, DataTypes.StringType, "Ultimate parent (silver.firms.parent_firm_id); an unresolved trader is its own group"),
                    column(SECTOR, DataTypes.StringType, "Strategic sector"),
                    column(YEAR, DataTypes.IntegerType, "Calendar year"),
                    column(IMPORT_VALUE_USD, Bronze.NUMBER, "The group's imports of the sector's products, weighted by the bridge, USD"),
                    column(FIRMS, DataTypes.LongType, "Firms of the group that imported (the parent and its subsidiaries)"),
                    column(PRODUCTS, DataTypes.LongType, "HS6 products of the sector the group imported")),
                    concentration("the group's sector products")), columns(
                    column(IS_EXPOSED, DataTypes.BooleanType, "top_partner_share >= metrics.firm_exposed_share and import_value_usd >= metrics.firm_min_import_usd"),
                    column(IS_PARTIAL_YEAR, DataTypes.BooleanType, "true when the year is not closed yet or the reporter's data starts within it"),
                    RUN)),
            List.of(REPORTER),
            Map.of()), YEAR, PARENT_FIRM_ID);

    public static final TableSpec WATCHLIST = published(new TableSpec("gold", "watchlist",
            "Products on watch per reporter x HS6 x screen, judged on the 12 months ending at as_of_month (the latest closed month): listed items (new, continuing) and the ones dropped at as_of_month. An item stays listed until it fails its screen metrics.watchlist.drop_after_months months in a row.",
            columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the reporting country"),
                    column(HS6, DataTypes.StringType, "Six-digit HS subheading"),
                    column(SCREEN, DataTypes.StringType, "Screen (metrics.screens) the item is listed by"),
                    column(TIER, DataTypes.IntegerType, "Urgency grade, 1 = most urgent: the first metrics.watchlist.tiers entry the as_of_month window meets; null when dropped, when that window has no imports left, or when no tier is met"),
                    column(WATCH_STATUS, DataTypes.StringType, "Against the list published before (at ops.stage_state.previous_closed_through; on the first run, none): new (not listed then, or listed again since), continuing (listed then and now), dropped (listed then, not now)"),
                    column(FIRST_SEEN, DataTypes.DateType, "First window end (month) of the current listing: the month the item entered"),
                    column(LAST_SEEN, DataTypes.DateType, "Latest window end at which the item passed its screen"),
                    column(AS_OF_MONTH, DataTypes.DateType, "Latest closed month: the window end the list is judged at"),
                    column(IMPORT_VALUE_USD, Bronze.NUMBER, "Imports in the 12 months ending at as_of_month, USD; null when none"),
                    column(TOP_PARTNER, DataTypes.StringType, "Largest supplier in that window"),
                    column(TOP_PARTNER_SHARE, DataTypes.DoubleType, "Its share, 0-1"),
                    column(HHI, DataTypes.DoubleType, "Supplier HHI in that window, 0-1"),
                    column(CONCERN_SHARE, DataTypes.DoubleType, "Share from metrics.concern_group in that window, 0-1"),
                    RUN),
            List.of(),
            Map.of()), REPORTER, HS6);

    /** A partner's or trader's part in a change of the series: observed and expected value in the finding's basis. */
    private static final DataType CONTRIBUTORS = DataTypes.createArrayType(new StructType()
            .add(CONTRIBUTOR_ID, DataTypes.StringType).add(OBSERVED, DataTypes.DoubleType)
            .add(EXPECTED, DataTypes.DoubleType).add(CHANGE, DataTypes.DoubleType));

    private static StructType seriesKeys(String reporterMeaning) {
        return columns(
                column(REPORTER, DataTypes.StringType, reporterMeaning),
                column(FLOW, DataTypes.StringType, "I = import, X = export"),
                column(LEVEL, DataTypes.StringType, "hs6: series_key is an HS6 subheading; sector: a strategic sector (values through the silver.hs6_sectors bridge)"),
                column(SERIES_KEY, DataTypes.StringType, "The HS6 code or sector name the series is about"));
    }

    public static final TableSpec TREND_ANOMALIES = published(new TableSpec("gold", "trend_anomalies",
            "Early-warning findings: one row per series, closed month, metric and detector that flagged it (anomalies.detectors). A nightly run rejudges only the (reporter, month) slices whose trade changed and the month that closed; earlier months keep their findings.",
            concat(concat(seriesKeys("ISO alpha-2 code of the reporting country (for mirror_gap: the importer)"), columns(
                    column(PARTNER, DataTypes.StringType, "Partner country, ISO alpha-2; * = all partners of the product or sector (for mirror_gap: the exporting reporter)"),
                    column(MONTH, DataTypes.DateType, "The closed month judged (its first day)"),
                    column(METRIC, DataTypes.StringType, "value_usd (USD in the month), quantity_kg, unit_value_usd_per_kg, partner_share (0-1), value_usd_12m (USD over the 12 months to month), mirror_ratio (our imports / the partner's exports to us)"),
                    column(OBSERVED, DataTypes.DoubleType, "The metric's value in the month"),
                    column(EXPECTED, DataTypes.DoubleType, "What the trailing history expected (detector's method: median level, seasonal offset, trailing share, previous 12 months, ...)"),
                    column(LOWER, DataTypes.DoubleType, "Lower edge of the band of normal values; null where the detector has none"),
                    column(UPPER, DataTypes.DoubleType, "Upper edge of the band of normal values; null where the detector has none"),
                    column(SCORE, DataTypes.DoubleType, "Detector score: |robust z| for seasonal_robust, unit_value_band, share_shift, twelve_vs_twelve, mirror_gap, diversion; -log10 Poisson chance for supply_stop; share of the month for new_partner"),
                    column(THRESHOLD, DataTypes.DoubleType, "The score the detector flags from; score / threshold is the finding's strength"),
                    column(DIRECTION, DataTypes.StringType, "up or down"),
                    column(DETECTOR, DataTypes.StringType, "seasonal_robust, supply_stop, unit_value_band, share_shift, twelve_vs_twelve, diversion, new_partner, mirror_gap"),
                    column(PARAMETERS, DataTypes.StringType, "JSON: the detector's settings and the materiality rules it ran with"),
                    column(SEVERITY, DataTypes.StringType, "high: value at stake >= anomalies.severity.high_value_usd and strength >= high_strength; medium: value at stake >= medium_value_usd; low otherwise"),
                    column(VALUE_AT_STAKE_USD, DataTypes.DoubleType, "USD a month the finding is about: |observed - expected| in value (price change x quantity for unit values, share change x product value for shares)"),
                    column(EXPLANATION, DataTypes.StringType, "One line a person can read: what moved, how much, against what"))),
                    columns(
                            column(TOP_PARTNERS, CONTRIBUTORS, "For * series: the partners that moved most in the finding's direction (USD; month against its trailing median month, or 12 months against the 12 before)"),
                            column(TOP_TRADERS, CONTRIBUTORS, "The declaring firms (firm_id) that moved most in the finding's direction, same basis; confidential, firm-level"),
                            RUN)),
            List.of(REPORTER),
            Map.of()), MONTH, SERIES_KEY);

    public static final TableSpec ANOMALY_COVERAGE = published(new TableSpec("gold", "anomaly_coverage",
            "What the anomaly detectors looked at: per reporter x flow x product or sector x closed month, how many of its series (partners and the all-partners total) were judged and why the others were not. A quiet month with judged series is a real all-clear; an unjudged one is not.",
            concat(seriesKeys("ISO alpha-2 code of the reporting country"), columns(
                    column(MONTH, DataTypes.DateType, "The closed month judged (its first day)"),
                    column(SERIES, DataTypes.LongType, "Series considered: the all-partners total and each partner with trade in the month or the 12 before"),
                    column(SERIES_JUDGED, DataTypes.LongType, "Series the detectors judged (material: anomalies.min_monthly_value_usd, min_partner_share)"),
                    column(SERIES_IMMATERIAL, DataTypes.LongType, "Series below the materiality rules"),
                    column(SERIES_SHORT_HISTORY, DataTypes.LongType, "Series of a product with fewer than anomalies.min_history_months months of history"),
                    column(FINDINGS, DataTypes.LongType, "Findings in gold.trend_anomalies for the product or sector and month"),
                    RUN)),
            List.of(REPORTER),
            Map.of()), MONTH, SERIES_KEY);

    public static final List<TableSpec> ALL = List.of(TRADE_MONTHLY, FIRM_TRADE_MONTHLY, PRODUCT_DEPENDENCY,
            PRODUCT_DEPENDENCY_12M, SECTOR_EXPOSURE, FIRM_EXPOSURE, WATCHLIST);

    /** Written by the anomalies stage. */
    public static final List<TableSpec> ANOMALIES = List.of(TREND_ANOMALIES, ANOMALY_COVERAGE);
}
