package org.ews.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ews.Messages;
import org.ews.config.EwsConfig;
import org.ews.config.MetricsConfig;
import org.ews.quality.QualityGate;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.run.StageState;
import org.ews.run.StageWrites;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;
import org.ews.tables.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Gold metrics from {@code silver.trade_lines}: the monthly trade cubes, product dependency per year and per 12-month
 * window with the screens each row passes, firm and sector exposure, and the watchlist.
 *
 * <p>Incremental: the stage remembers ({@code ops.stage_state}) the silver version its tables reflect and reads the
 * change data feed from there, so it finds every (reporter, month) whose lines changed, whichever run changed them
 * (new lines, amendments of old months, a registry change relinking old lines). It rebuilds those cube slices plus
 * the months that closed since, then only the years and 12-month windows that contain them (see {@link MetricsScope}),
 * each with {@code replaceWhere} on exactly that slice. The result equals a full recompute; a full recompute runs when
 * there is no state, the settings or sector bridge changed, silver was recreated, or the change feed cannot be read.
 */
public final class MetricsStage implements Stage {
    public static final String NAME = "metrics";
    /** Part of the fingerprint: bump it when a formula changes, so the next run recomputes all of gold. */
    static final int FORMULA_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsStage.class);
    private static final String FIRST_MONTH = "_first_month";
    /** Delta's errors for a change feed that was not recorded for, or no longer has, the versions asked for. */
    private static final Set<String> FEED_UNAVAILABLE = Set.of("DELTA_MISSING_CHANGE_DATA", "DELTA_FILE_NOT_FOUND",
            "DELTA_CHANGE_DATA_FEED_INCOMPATIBLE_DATA_SCHEMA", "DELTA_CHANGE_DATA_FEED_INCOMPATIBLE_SCHEMA_CHANGE",
            "DELTA_MISSING_FILES_UNEXPECTED_VERSION", "DELTA_TRUNCATED_TRANSACTION_LOG", "DELTA_VERSIONS_NOT_CONTIGUOUS");
    /** The as-of month of "the list published before" on a first run: before any data, so every listed item is new. */
    static final LocalDate NO_LIST_BEFORE = LocalDate.of(1900, 1, 1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        // Gold rows are checked before each write (quality.rules); the checks are recorded when the gate closes.
        try (QualityGate gate = QualityGate.open(ctx, NAME)) {
            StageResult result = run(ctx, gate);
            gate.completed();
            return result;
        }
    }

    private StageResult run(RunContext ctx, QualityGate gate) {
        Warehouse wh = ctx.warehouse();
        EwsConfig config = ctx.config();
        MetricsConfig m = config.metrics();
        if (!wh.exists(Silver.TRADE_LINES) || !wh.exists(Silver.HS6_SECTORS)) {
            return new StageResult(NAME, 0, 0, 0, List.of(), "no silver tables yet: run conform first", Map.of(), 0);
        }
        Optional<StageState> previous = StageState.read(wh, NAME);
        LocalDate closed = StageState.closedThrough(previous, Periods.closedThrough(ctx.to(), config.periods().monthCloseLagDays()));
        // The list is compared with the one published before it: the previous as-of month, kept until it moves.
        LocalDate previousAsOf = previous.isEmpty() ? NO_LIST_BEFORE
                : previous.get().closedThrough().isBefore(closed) ? previous.get().closedThrough() : previous.get().previousClosedThrough();

        SectorBridge sectorBridge = SectorBridge.read(wh);
        Dataset<Row> bridge = sectorBridge.frame(ctx.spark());
        String fingerprint = fingerprint(config, sectorBridge.rows());
        String tableId = wh.tableId(Silver.TRADE_LINES);
        Plan plan = plan(wh, previous, fingerprint, tableId);

        Map<String, LocalDate> firstBefore = plan.full() ? Map.of() : previous.get().firstMonths();
        Map<String, SortedSet<LocalDate>> cubeMonths = plan.full() ? Map.of() : cubeMonths(plan, previous.get(), closed);
        StageWrites writes = new StageWrites(ctx, gate);
        if (!plan.full() && cubeMonths.isEmpty()) {
            // Nothing to measure; the watchlist is still rebuilt (one small write), since its settings are not in the
            // fingerprint and may have changed.
            String listed = writeWatchlist(wh, writes, closed, previousAsOf, m);
            new StageState(NAME, Silver.TRADE_LINES.qualifiedName(), tableId, plan.version(), closed, previousAsOf, firstBefore,
                    fingerprint).write(ctx);
            return new StageResult(NAME, 0, writes.total(), 0, writes.tables(), String.format("up to date: no line changed "
                    + "since silver v%d, no month closed; closed through %s; watchlist %s", previous.get().sourceVersion(),
                    month(closed), listed), Map.of(), 0);
        }
        String cubeSlices = plan.full() ? null : MetricsScope.months(cubeMonths);

        // 1. Monthly cubes from the changed (reporter, month) slices of silver, at the version the plan was made on.
        long rowsIn = writeCubes(wh, writes, only(wh.readAt(Silver.TRADE_LINES, plan.version()), cubeSlices), closed, cubeSlices);

        // 2. What the rebuilt months reach: their years, the windows containing them, and what looks back at those.
        Map<String, LocalDate> firstAfter = firstMonths(wh);
        MetricsScope scope = plan.full() ? MetricsScope.full()
                : MetricsScope.derive(cubeMonths, closed, m.lookbackYears(), firstBefore, firstAfter);
        Dataset<Row> firsts = broadcast(ctx.spark().createDataFrame(
                firstAfter.entrySet().stream().map(e -> RowFactory.create(e.getKey(), Date.valueOf(e.getValue()))).toList(),
                new StructType().add(REPORTER, DataTypes.StringType).add(FIRST_MONTH, DataTypes.DateType)));
        Column firstMonth = col(FIRST_MONTH);
        Concentration concentration = Concentration.of(config);
        Screens screens = new Screens(m.enabledScreens());
        Dataset<Row> monthly = wh.read(Gold.TRADE_MONTHLY);

        // 3. Product dependency per calendar year.
        if (scope.hasYears()) {
            Dataset<Row> measured = ProductDependency.measure(only(monthly, scope.yearInputPredicate()), YEAR, concentration,
                    m.noExportsRatio()).join(firsts, REPORTER);
            Dataset<Row> yearly = screens.apply(measured, Screens.Period.CALENDAR_YEAR, Periods.coversYear(firstMonth))
                    .withColumn(IS_PARTIAL_YEAR, Periods.isPartialYear(closed, firstMonth));
            writes.replace(Gold.PRODUCT_DEPENDENCY, yearly, scope.yearPredicate());
        }

        // 4. Product dependency per 12-month window ending at each closed month.
        if (scope.hasWindows()) {
            Dataset<Row> measured = ProductDependency.measure(ProductDependency.windows(only(monthly, scope.windowInputPredicate()),
                    closed), MONTH, concentration, m.noExportsRatio())
                    .withColumn(WINDOW_START, add_months(col(MONTH), -11)).join(firsts, REPORTER);
            Dataset<Row> rolling = screens.apply(measured, Screens.Period.WINDOW_12M, Periods.coversWindow(firstMonth))
                    .withColumn(IS_PARTIAL_WINDOW, Periods.isPartialWindow(firstMonth));
            writes.replace(Gold.PRODUCT_DEPENDENCY_12M, rolling, scope.windowPredicate());
        }

        // 5-6. Firm groups, then sectors (which count the exposed groups and the dependent products just written).
        if (scope.hasYears()) {
            String years = scope.yearPredicate();
            Dataset<Row> firms = FirmExposure.measure(only(wh.read(Gold.FIRM_TRADE_MONTHLY), scope.yearMonthsPredicate()), bridge,
                    concentration, m.firmExposedShare(), m.firmMinImportUsd());
            writes.replace(Gold.FIRM_EXPOSURE, partialYears(firms, firsts, closed), years);
            Dataset<Row> sectors = SectorExposure.measure(only(monthly, scope.yearMonthsPredicate()), bridge,
                    only(wh.read(Gold.PRODUCT_DEPENDENCY), years), only(wh.read(Gold.FIRM_EXPOSURE), years),
                    concentration, m.dependentScreen());
            writes.replace(Gold.SECTOR_EXPOSURE, partialYears(sectors, firsts, closed), years);
        }

        // 7. The watchlist at the latest closed month, from every window's screens (a small table of passes).
        String listed = writeWatchlist(wh, writes, closed, previousAsOf, m);

        // Last: the state says what the tables reflect, so a run that died before here is redone from the old state.
        new StageState(NAME, Silver.TRADE_LINES.qualifiedName(), tableId, plan.version(), closed, previousAsOf, firstAfter,
                fingerprint).write(ctx);
        String detail = String.format("%s; closed through %s; written: %s; watchlist %s", plan.describe(cubeMonths),
                month(closed), writes.describe(), listed);
        return new StageResult(NAME, rowsIn, writes.total(), 0, writes.tables(), detail, Map.of(), 0);
    }

    /** Rebuilds the watchlist at {@code asOf}; returns its statuses for the summary. */
    private static String writeWatchlist(Warehouse wh, StageWrites writes, LocalDate asOf, LocalDate previousAsOf, MetricsConfig m) {
        writes.replace(Gold.WATCHLIST, Watchlist.at(wh.read(Gold.PRODUCT_DEPENDENCY_12M), asOf, previousAsOf, m.watchlist()), null);
        Map<String, Long> statuses = new TreeMap<>();
        wh.read(Gold.WATCHLIST).groupBy(WATCH_STATUS).count().collectAsList().forEach(r -> statuses.put(r.getString(0), r.getLong(1)));
        return "at " + month(asOf) + " vs " + (previousAsOf.equals(NO_LIST_BEFORE) ? "none before" : month(previousAsOf)) + ": "
                + (statuses.isEmpty() ? "empty" : statuses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")));
    }

    /** Both cubes from the same lines; returns the lines read. */
    private static long writeCubes(Warehouse wh, StageWrites writes, Dataset<Row> lines, LocalDate closed, String slices) {
        Dataset<Row> byFirm = TradeCubes.byFirm(lines).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> cube = TradeCubes.monthly(lines, byFirm, closed).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long rowsIn = cube.agg(coalesce(sum(LINES), lit(0L))).head().getLong(0);
                writes.replace(Gold.TRADE_MONTHLY, cube, slices);
                writes.replace(Gold.FIRM_TRADE_MONTHLY, byFirm, slices);
                return rowsIn;
            } finally {
                cube.unpersist();
            }
        } finally {
            byFirm.unpersist();
        }
    }

    private static Dataset<Row> partialYears(Dataset<Row> rows, Dataset<Row> firsts, LocalDate closed) {
        return rows.join(firsts, REPORTER).withColumn(IS_PARTIAL_YEAR, Periods.isPartialYear(closed, col(FIRST_MONTH)));
    }

    /** A full recompute and why, or the silver version to bring gold to and the (reporter, month) slices changed on the way. */
    private record Plan(String fullReason, long version, long fromVersion, Map<String, SortedSet<LocalDate>> changed) {
        static Plan full(String reason, long version) {
            return new Plan(reason, version, version, Map.of());
        }

        boolean full() {
            return fullReason != null;
        }

        String describe(Map<String, SortedSet<LocalDate>> cubeMonths) {
            if (full()) {
                return "full recompute (" + fullReason + ")";
            }
            long changedMonths = changed.values().stream().mapToLong(SortedSet::size).sum();
            long rebuilt = cubeMonths.values().stream().mapToLong(SortedSet::size).sum();
            String read = fromVersion > version ? "no line changed since silver v" + version
                    : String.format("silver v%d..v%d changed %d reporter-months", fromVersion, version, changedMonths);
            return String.format("incremental: %s, %d rebuilt", read, rebuilt);
        }
    }

    private static Plan plan(Warehouse wh, Optional<StageState> previous, String fingerprint, String tableId) {
        long version = wh.version(Silver.TRADE_LINES);
        if (previous.isEmpty()) {
            return Plan.full("no earlier metrics run", version);
        }
        StageState p = previous.get();
        if (!p.fingerprint().equals(fingerprint)) {
            return Plan.full("metrics settings, country groups, the month-close lag, the sector bridge or the formulas changed", version);
        }
        if (!p.sourceTableId().equals(tableId) || version < p.sourceVersion()) {
            return Plan.full(Silver.TRADE_LINES.qualifiedName() + " was recreated since v" + p.sourceVersion(), version);
        }
        for (TableSpec t : Gold.ALL) {
            if (!wh.exists(t)) {
                return Plan.full(t.qualifiedName() + " is missing", version);
            }
        }
        long from = p.sourceVersion() + 1;
        Map<String, SortedSet<LocalDate>> changed = new TreeMap<>();
        if (from <= version) {
            try {
                wh.changes(Silver.TRADE_LINES, from, version).select(REPORTER, MONTH).distinct().collectAsList()
                        .forEach(r -> changed.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getDate(1).toLocalDate()));
            } catch (Exception e) { // Spark throws Delta's checked AnalysisExceptions undeclared
                if (!feedUnavailable(e)) {
                    throw e;
                }
                LOG.warn("change feed of {} v{}..v{} unavailable, recomputing all of gold: {}", Silver.TRADE_LINES.qualifiedName(),
                        from, version, Messages.firstLine(e.getMessage()));
                return Plan.full("change feed of silver v" + from + ".." + version + " unavailable", version);
            }
        }
        return new Plan(null, version, from, changed);
    }

    /**
     * Whether the change feed was not recorded for the versions asked for (a warehouse from before it was switched on)
     * or its files are gone (vacuumed): then a full recompute is right. Any other failure is a real one.
     */
    public static boolean feedUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkThrowable st && st.getErrorClass() != null && FEED_UNAVAILABLE.contains(st.getErrorClass())) {
                return true;
            }
            if (t instanceof java.io.FileNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** Changed months, plus the months that closed since the last run for every reporter (their flags change). */
    private static Map<String, SortedSet<LocalDate>> cubeMonths(Plan plan, StageState previous, LocalDate closed) {
        Map<String, SortedSet<LocalDate>> months = new TreeMap<>();
        plan.changed().forEach((r, ms) -> months.computeIfAbsent(r, k -> new TreeSet<>()).addAll(ms));
        Set<String> reporters = new TreeSet<>(previous.firstMonths().keySet());
        reporters.addAll(plan.changed().keySet());
        for (LocalDate m = previous.closedThrough().plusMonths(1); !m.isAfter(closed); m = m.plusMonths(1)) {
            for (String r : reporters) {
                months.computeIfAbsent(r, k -> new TreeSet<>()).add(m);
            }
        }
        return months;
    }

    /** Each reporter's first month with trade, from the monthly cube. */
    private static Map<String, LocalDate> firstMonths(Warehouse wh) {
        Map<String, LocalDate> out = new TreeMap<>();
        wh.read(Gold.TRADE_MONTHLY).groupBy(REPORTER).agg(min(MONTH)).collectAsList()
                .forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
        return out;
    }

    private static Dataset<Row> only(Dataset<Row> rows, String predicate) {
        return predicate == null ? rows : rows.where(expr(predicate));
    }

    private static String month(LocalDate d) {
        return d.toString().substring(0, 7);
    }

    /**
     * SHA-256 of everything the stored figures depend on besides the lines: the formula version, the metrics settings
     * (screens without their descriptions; the watchlist is rebuilt every run and so left out), the country groups they
     * name, the month-close lag and the sector bridge. A different fingerprint means the stored figures are stale.
     */
    static String fingerprint(EwsConfig config, List<Row> bridge) {
        MetricsConfig m = config.metrics();
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("formula_version", FORMULA_VERSION);
        Concentration groups = Concentration.of(config); // the country lists the figures are computed with
        inputs.put("concern", groups.concern());
        inputs.put("blocs", groups.blocs());
        inputs.put("no_exports_ratio", m.noExportsRatio());
        inputs.put("dependent_screen", m.dependentScreen());
        inputs.put("firm_exposed_share", m.firmExposedShare());
        inputs.put("firm_min_import_usd", m.firmMinImportUsd());
        Map<String, Object> screens = new LinkedHashMap<>();
        m.enabledScreens().forEach((name, s) -> screens.put(name, List.of(s.all(), String.valueOf(s.persistence()))));
        inputs.put("screens", screens);
        inputs.put("month_close_lag_days", config.periods().monthCloseLagDays());
        inputs.put("bridge", bridge.stream().map(Row::toString).toList());
        try {
            byte[] json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsBytes(inputs);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the metrics settings", e);
        }
    }
}
