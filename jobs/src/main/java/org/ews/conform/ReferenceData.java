package org.ews.conform;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.run.EwsException;
import org.ews.spark.Warehouse;
import org.ews.tables.Silver;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.lit;
import static org.ews.tables.Columns.*;
import static org.ews.tables.TableSpec.column;
import static org.ews.tables.TableSpec.columns;

/**
 * The reference tables conform joins against, read once per run and checked row by row: partner aliases, monthly
 * FX rates (the defaults shipped in {@code paths.reference}, overridden month by month by
 * {@code <landing>/reference/fx_rates/*.csv}), quantity units and the HS6 → sector bridge. They are small, so they
 * are read by the driver (local path or object store alike, never by executors), validated there and handed back as typed,
 * broadcastable DataFrames. A malformed reference row stops the run naming file, row and value: a wrong rate would
 * silently corrupt every value downstream.
 */
public final class ReferenceData {
    public static final String PARTNER_ALIASES_FILE = "partner_aliases.csv";
    public static final String FX_RATES_FILE = "fx_rates.csv";
    public static final String UNITS_FILE = "units.csv";
    public static final String HS6_SECTORS_FILE = "hs6_sectors.csv";
    public static final String LANDING_FX_DIR = "reference/fx_rates";

    public static final String ALIAS = "alias";
    public static final String ISO2 = "iso2";
    public static final String FX_MONTH = "fx_month";
    public static final String UNIT = "unit";
    public static final String KIND = "kind";
    public static final String KG_PER_UNIT = "kg_per_unit";
    public static final String KIND_MASS = "mass";

    static final StructType ALIASES_SCHEMA = columns(
            column(ALIAS, DataTypes.StringType, "Normalised partner spelling (CountryKey)"),
            column(ISO2, DataTypes.StringType, "ISO alpha-2 code"));
    static final StructType FX_SCHEMA = columns(
            column(CURRENCY, DataTypes.StringType, "ISO 4217 code"),
            column(FX_MONTH, DataTypes.StringType, "YYYY-MM"),
            column(FX_USD_PER_UNIT, Silver.RATE, "US dollars per unit of the currency"));
    static final StructType UNITS_SCHEMA = columns(
            column(UNIT, DataTypes.StringType, "Unit code, upper case"),
            column(KIND, DataTypes.StringType, "mass, count, volume, ..."),
            column(KG_PER_UNIT, Silver.RATE, "Kilograms per unit, for mass units"));
    static final StructType SECTORS_SCHEMA = columns(
            column(HS6, DataTypes.StringType, ""), column(SECTOR, DataTypes.StringType, ""),
            column(SUBSECTOR, DataTypes.StringType, ""), column(WEIGHT, DataTypes.DoubleType, ""),
            column(LABEL, DataTypes.StringType, ""), column(HS_EDITION, DataTypes.StringType, ""),
            column(CONFIDENCE, DataTypes.StringType, ""));

    private final Dataset<Row> partnerAliases;
    private final Dataset<Row> fxRates;
    private final Dataset<Row> units;
    private final Dataset<Row> hs6Sectors;
    private final String fxSources;

    private ReferenceData(Dataset<Row> partnerAliases, Dataset<Row> fxRates, Dataset<Row> units, Dataset<Row> hs6Sectors,
                          String fxSources) {
        this.partnerAliases = partnerAliases;
        this.fxRates = fxRates;
        this.units = units;
        this.hs6Sectors = hs6Sectors;
        this.fxSources = fxSources;
    }

    public static ReferenceData load(SparkSession spark, String referenceDir, String landingDir) {
        String ref = Warehouse.qualify(referenceDir);
        Dataset<Row> aliases = spark.createDataFrame(partnerAliasRows(spark, ref + "/" + PARTNER_ALIASES_FILE), ALIASES_SCHEMA);
        Map<String, Row> fx = new TreeMap<>();
        String defaults = ref + "/" + FX_RATES_FILE;
        fxRows(spark, defaults, true).forEach(r -> fx.put(r.getString(0) + " " + r.getString(1), r));
        String landingFx = Warehouse.qualify(landingDir) + "/" + LANDING_FX_DIR;
        String sources = defaults;
        if (exists(spark, landingFx)) {
            // Landing rates win month by month: the operator's feed is newer than what shipped with the code.
            fxRows(spark, landingFx, false).forEach(r -> fx.put(r.getString(0) + " " + r.getString(1), r));
            sources = defaults + " overridden by " + landingFx;
        }
        return new ReferenceData(aliases,
                spark.createDataFrame(new ArrayList<>(fx.values()), FX_SCHEMA),
                spark.createDataFrame(unitRows(spark, ref + "/" + UNITS_FILE), UNITS_SCHEMA),
                spark.createDataFrame(sectorRows(spark, ref + "/" + HS6_SECTORS_FILE), SECTORS_SCHEMA),
                sources);
    }

    /** alias, iso2. */
    public Dataset<Row> partnerAliases() {
        return partnerAliases;
    }

    /** currency, fx_month (YYYY-MM), fx_usd_per_unit. */
    public Dataset<Row> fxRates() {
        return fxRates;
    }

    /** Where the rates came from, for quarantine reasons. */
    public String fxSources() {
        return fxSources;
    }

    /** unit, kind, kg_per_unit. */
    public Dataset<Row> units() {
        return units;
    }

    /** hs6, sector, subsector, weight, label, hs_edition, confidence. */
    public Dataset<Row> hs6Sectors() {
        return hs6Sectors;
    }

    private static List<Row> partnerAliasRows(SparkSession spark, String file) {
        Map<String, String> seen = new HashMap<>();
        return parse(spark, file, List.of(ALIAS, ISO2), (r, where) -> {
            String alias = r.get(ALIAS);
            String iso2 = r.get(ISO2);
            require(alias != null && !alias.isBlank(), where, "alias is empty");
            require(iso2 != null && iso2.matches("[A-Z]{2}"), where, "iso2 '" + iso2 + "' is not an ISO alpha-2 code");
            String before = seen.put(alias, iso2);
            require(before == null || before.equals(iso2), where, "alias '" + alias + "' maps to both " + before + " and " + iso2);
            return before == null ? RowFactory.create(alias, iso2) : null;
        });
    }

    private static List<Row> fxRows(SparkSession spark, String path, boolean required) {
        Map<String, String> seen = new HashMap<>();
        List<Row> rows = parse(spark, path, List.of(CURRENCY, "month", "usd_per_unit"), (r, where) -> {
            String currency = r.get(CURRENCY);
            String month = r.get("month");
            require(currency != null && currency.matches("[A-Z]{3}"), where, "currency '" + currency + "' is not an ISO 4217 code");
            require(month != null && month.matches("\\d{4}-(0[1-9]|1[0-2])"), where, "month '" + month + "' is not YYYY-MM");
            BigDecimal rate = positive(r.get("usd_per_unit"), where, "usd_per_unit");
            String key = currency + " " + month;
            String before = seen.put(key, rate.toPlainString());
            require(before == null || new BigDecimal(before).compareTo(rate) == 0, where,
                    "two different rates for " + currency + " " + month + ": " + before + " and " + rate);
            return before == null ? RowFactory.create(currency, month, rate) : null;
        });
        require(!required || !rows.isEmpty(), path, "holds no rates");
        return rows;
    }

    private static List<Row> unitRows(SparkSession spark, String file) {
        Map<String, String> seen = new HashMap<>();
        return parse(spark, file, List.of(UNIT, KIND, KG_PER_UNIT), (r, where) -> {
            String unit = r.get(UNIT);
            String kind = r.get(KIND);
            require(unit != null && unit.equals(unit.trim().toUpperCase(java.util.Locale.ROOT)) && !unit.isEmpty(), where,
                    "unit '" + unit + "' must be an upper-case code");
            require(kind != null && !kind.isBlank(), where, "kind is empty");
            BigDecimal kg = KIND_MASS.equals(kind) ? positive(r.get(KG_PER_UNIT), where, KG_PER_UNIT) : null;
            require(seen.put(unit, kind) == null, where, "unit " + unit + " is listed twice");
            return RowFactory.create(unit, kind, kg);
        });
    }

    private static List<Row> sectorRows(SparkSession spark, String file) {
        Map<String, Double> weightByHs6 = new TreeMap<>();
        List<Row> rows = parse(spark, file, List.of(HS6, SECTOR, SUBSECTOR, WEIGHT, LABEL, "hs_version", CONFIDENCE), (r, where) -> {
            String hs6 = r.get(HS6);
            require(hs6 != null && hs6.matches("\\d{6}"), where, "hs6 '" + hs6 + "' is not six digits");
            require(r.get(SECTOR) != null && !r.get(SECTOR).isBlank(), where, "sector is empty");
            double w = positive(r.get(WEIGHT), where, WEIGHT).doubleValue();
            weightByHs6.merge(hs6, w, Double::sum);
            return RowFactory.create(hs6, r.get(SECTOR), r.get(SUBSECTOR), w, r.get(LABEL), r.get("hs_version"), r.get(CONFIDENCE));
        });
        weightByHs6.forEach((hs6, total) -> require(Math.abs(total - 1.0) < 1e-9, file,
                "weights of hs6 " + hs6 + " add up to " + total + ", not 1: sector totals would not add up"));
        return rows;
    }

    @FunctionalInterface
    private interface RowCheck {
        /** The typed row, or null to skip an exact duplicate. */
        Row check(Map<String, String> values, String where);
    }

    /** Reads a CSV file or folder with a header, all text; every row is checked with its file and line named. */
    private static List<Row> parse(SparkSession spark, String path, List<String> required, RowCheck check) {
        if (!exists(spark, path)) {
            throw new EwsException("reference file " + path + " does not exist (paths.reference)");
        }
        Dataset<Row> raw = readOnDriver(spark, path);
        for (String c : required) {
            if (!List.of(raw.columns()).contains(c)) {
                throw new EwsException("reference file " + path + " lacks column '" + c + "' (has " + String.join(", ", raw.columns()) + ")");
            }
        }
        List<Row> out = new ArrayList<>();
        int n = 0;
        for (Row r : raw.collectAsList()) {
            n++;
            Map<String, String> values = new LinkedHashMap<>();
            for (String c : raw.columns()) {
                Object v = r.getAs(c);
                values.put(c, v == null ? null : v.toString().trim());
            }
            Row typed = check.check(values, values.get("_file") + " data row " + n);
            if (typed != null) {
                out.add(typed);
            }
        }
        return out;
    }

    private static BigDecimal positive(String text, String where, String column) {
        try {
            BigDecimal v = new BigDecimal(text);
            require(v.signum() > 0, where, column + " must be positive, got " + text);
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            throw new EwsException("reference " + where + ": " + column + " '" + text + "' is not a number");
        }
    }

    private static void require(boolean ok, String where, String message) {
        if (!ok) {
            throw new EwsException("reference " + where + ": " + message);
        }
    }

    /**
     * The CSV file, or every visible file of the folder, read by the driver and parsed by Spark's CSV reader, with a
     * {@code _file} column. Not {@code spark.read().csv(path)}: that has the executors open the files, and reference
     * files often sit where only the driver sees them (conf/ beside the launcher, spark-submit's working folder).
     */
    private static Dataset<Row> readOnDriver(SparkSession spark, String path) {
        try {
            Path p = new Path(URI.create(path));
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            List<Path> files = new ArrayList<>();
            if (fs.getFileStatus(p).isDirectory()) {
                for (FileStatus f : fs.listStatus(p)) {
                    String name = f.getPath().getName();
                    if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                        files.add(f.getPath());
                    }
                }
                files.sort(null);
            } else {
                files.add(p);
            }
            Dataset<Row> all = null;
            for (Path f : files) {
                String text;
                try (java.io.InputStream in = fs.open(f)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
                Dataset<Row> one = spark.read().option("header", true).option("mode", "FAILFAST")
                        .csv(spark.createDataset(lines, Encoders.STRING()))
                        .withColumn("_file", lit(f.toUri().toString()));
                all = all == null ? one : all.unionByName(one, true);
            }
            if (all == null) {
                throw new EwsException("reference folder " + path + " holds no files");
            }
            return all;
        } catch (IOException e) {
            throw new EwsException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(URI.create(path));
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException e) {
            throw new EwsException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
