package org.ews.tables;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

import static org.ews.tables.Columns.*;
import static org.ews.tables.TableSpec.column;
import static org.ews.tables.TableSpec.columns;
import static org.ews.tables.TableSpec.concat;

/** Bronze: landed rows, typed but otherwise as received, partitioned by the date they landed. */
public final class Bronze {
    private Bronze() {}

    /**
     * Money, quantities and weights as declared: 18 digits before the point (KRW and JPY values run large)
     * and 6 after; more decimals are rounded half-up, a larger value is rejected as out_of_range.
     */
    public static final DecimalType NUMBER = DataTypes.createDecimalType(24, 6);
    public static final DecimalType PERCENT = DataTypes.createDecimalType(7, 4);
    private static final DataType TEXT_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);

    private static final StructType LANDING_LINEAGE = columns(
            column(EXTRA_COLUMNS, TEXT_MAP, "Columns of the landing file that the contract does not define, name → text, kept as received"),
            column(SOURCE_FILE, DataTypes.StringType, "Landing file the row came from (full path)"),
            column(SOURCE_ROW, DataTypes.LongType, "1-based record number in the source file, header not counted (JSONL: line number)"),
            column(RUN_ID, DataTypes.StringType, "Run that wrote the row"));

    public static final TableSpec CUSTOMS_LINES = new TableSpec("bronze", "customs_lines",
            "Customs declaration lines as received from each reporter's customs authority, typed and validated; one row per landed row that passed ingest checks. Amendments and resends are kept; silver keeps the latest version.",
            concat(columns(
                    column(REPORTER, DataTypes.StringType, "ISO alpha-2 code of the country whose customs authority filed the declaration (from the landing path)"),
                    column(DECLARATION_ID, DataTypes.StringType, "Declaration identifier, unique within the reporter"),
                    column(LINE_NO, DataTypes.IntegerType, "Line number within the declaration"),
                    column(VERSION, DataTypes.IntegerType, "Amendment version of the line; 1 when not given; the highest wins in silver"),
                    column(FLOW, DataTypes.StringType, "I = import, X = export"),
                    column(DECLARATION_DATE, DataTypes.DateType, "Date of the declaration; may precede the landing date (late filing)"),
                    column(HS_CODE, DataTypes.StringType, "Commodity code as declared (national code, 6-10 digits; dots and spaces kept)"),
                    column(PARTNER_COUNTRY, DataTypes.StringType, "Partner as declared: origin of imports, destination of exports (ISO code or name, resolved in silver)"),
                    column(TRADER_ID, DataTypes.StringType, "Business registration number of the declaring firm as declared; null when not given"),
                    column(TRADER_NAME, DataTypes.StringType, "Declaring firm's name as declared"),
                    column(VALUE, NUMBER, "Customs value in the declared currency"),
                    column(CURRENCY, DataTypes.StringType, "ISO 4217 code of value, upper case"),
                    column(QUANTITY, NUMBER, "Declared quantity in quantity_unit; null when not given"),
                    column(QUANTITY_UNIT, DataTypes.StringType, "Unit of quantity as declared, upper case (KG, TNE, G, U, L, ...)"),
                    column(NET_WEIGHT_KG, NUMBER, "Declared net weight in kilograms; null when not given"),
                    column(LANDING_DATE, DataTypes.DateType, "Landing partition the row arrived in (the --date that ingested it)")),
                    LANDING_LINEAGE),
            List.of(LANDING_DATE),
            Map.of());

    public static final TableSpec QUARANTINE = new TableSpec("bronze", "quarantine",
            "Input that could not be used, one row per rejected row or unreadable file, with the reason. For every stage and landing date, rows in = rows accepted + rows quarantined.",
            columns(
                    column(RUN_ID, DataTypes.StringType, "Run that rejected the row"),
                    column(STAGE, DataTypes.StringType, "Stage that rejected it: ingest, conform, ..."),
                    column(FEED, DataTypes.StringType, "Landing feed: customs, firms or ownership"),
                    column(REPORTER, DataTypes.StringType, "Reporter of the customs file; null for corporate feeds"),
                    column(LANDING_DATE, DataTypes.DateType, "Landing partition of the source file"),
                    column(SOURCE_FILE, DataTypes.StringType, "Source file (full path)"),
                    column(SOURCE_ROW, DataTypes.LongType, "1-based record number in the file; null when the whole file was rejected"),
                    column(ROW_TEXT, DataTypes.StringType, "The rejected row as text, as received; null for a whole file"),
                    column(REASON_CODE, DataTypes.StringType, "Stable reason code (missing_required, unparsable_number, unreadable_file, ...) for counting"),
                    column(REASON, DataTypes.StringType, "Why the row was rejected, naming the column and the value")),
            List.of(LANDING_DATE),
            Map.of());

    public static final TableSpec FIRMS = new TableSpec("bronze", "firms",
            "Firm registry snapshots as landed, one row per firm per snapshot date; silver uses the newest snapshot on or before the run date.",
            concat(columns(
                    column(FIRM_ID, DataTypes.StringType, "Registry key of the firm"),
                    column(NAME, DataTypes.StringType, "Registered name"),
                    column(COUNTRY, DataTypes.StringType, "ISO alpha-2 country of registration"),
                    column(REGISTRATION_NUMBER, DataTypes.StringType, "National business registration number as registered"),
                    column(LEI, DataTypes.StringType, "Legal Entity Identifier, when known"),
                    column(INDUSTRY_CODE, DataTypes.StringType, "Industry code in industry_scheme"),
                    column(INDUSTRY_SCHEME, DataTypes.StringType, "Industry classification: ISIC4, KSIC, NAICS, ..."),
                    column(EMPLOYEES, DataTypes.LongType, "Number of employees, when known"),
                    column(REVENUE_USD, NUMBER, "Annual revenue in US dollars, when known"),
                    column(ALIASES, DataTypes.StringType, "Other names of the firm, ';'-separated, as landed"),
                    column(SNAPSHOT_DATE, DataTypes.DateType, "Date of the registry snapshot (landing partition)")),
                    LANDING_LINEAGE),
            List.of(SNAPSHOT_DATE),
            Map.of());

    public static final TableSpec OWNERSHIP = new TableSpec("bronze", "ownership",
            "Ownership link snapshots as landed: one row per parent → child link per snapshot date.",
            concat(columns(
                    column(PARENT_FIRM_ID, DataTypes.StringType, "Registry key of the owning firm (may be missing from the registry)"),
                    column(CHILD_FIRM_ID, DataTypes.StringType, "Registry key of the owned firm"),
                    column(OWNERSHIP_PCT, PERCENT, "Share of the child held by the parent, 0-100"),
                    column(SNAPSHOT_DATE, DataTypes.DateType, "Date of the ownership snapshot (landing partition)")),
                    LANDING_LINEAGE),
            List.of(SNAPSHOT_DATE),
            Map.of());
}
