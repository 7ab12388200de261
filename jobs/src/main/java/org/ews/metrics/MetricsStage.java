package org.ews.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ews.Messages;
import org.ews.config.EwsConfig;
import org.ews.config.MetricsConfig;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.run.StageState;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;
import org.ews.tables.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * there is no state, the settings or sector bridge changed, or the change feed cannot be read.
 */
public final class MetricsStage implements Stage {
    public static final String NAME = "metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsStage.class);
    private static final String FIRST_MONTH = "_first_month";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        Warehouse wh = ctx.warehouse();
        EwsConfig config = ctx.config();
        if (!wh.exists(Silver.TRADE_LINES) || !wh.exists(Silver.HS6_SECTORS)) {
            return new StageResult(NAME, 0, 0, 0, List.of(), "no silver tables yet: run conform first", Map.of(), 0);
        }
        Optional<StageState> previous = StageState.read(wh, NAME);
        LocalDate closed = Periods.closedThrough(ctx.to(), config.periods().monthCloseLagDays());
        if (previous.isPresent() && previous.get().closedThrough().isAfter(closed)) {
            closed = previous.get().closedThrough(); // rerunning an old date never reopens a month
        }
        Dataset<Row> bridge = ctx.spark().createDataFrame(
                wh.read(Silver.HS6_SECTORS).select(HS6, SECTOR, WEIGHT).orderBy(HS6, SECTOR).collectAsList(),
                new StructType().add(HS6, DataTypes.StringType).add(SECTOR, DataTypes.StringType).add(WEIGHT, DataTypes.DoubleType));
        String fingerprint = fingerprint(config, bridge.collectAsList());

        Plan plan = plan(wh, previous, fingerprint, closed);
        if (plan.full()) {
            wh.ensureProperties(Silver.TRADE_LINES); // warehouses from before the change feed: on from now
        }
        long version = plan.full() ? wh.version(Silver.TRADE_LINES) : plan.version();
        Map<String, LocalDate> firstBefore = plan.full() ? Map.of() : firstMonths(wh);
        Map<String, SortedSet<LocalDate>> cubeMonths = plan.full() ? Map.of() : cubeMonths(plan, previous.get(), closed, firstBefore);
        if (!plan.full() && cubeMonths.isEmpty()) {
            new StageState(NAME, Silver.TRADE_LINES.qualifiedName(), version, closed, fingerprint).write(ctx);
            return new StageResult(NAME, 0, 0, 0, List.of(), String.format("up to date: no line changed since silver v%d, "
                    + "no month closed; closed through %s", previous.get().sourceVersion(), closed.toString().substring(0, 7)), Map.of(), 0);
        }
        String cubeSlices = plan.full() ? null : MetricsScope.months(cubeMonths);
        Writes writes = new Writes(ctx);

        // 1. Monthly cubes from the changed (reporter, month) slices of silver, at the version the plan was made on.
        Dataset<Row> lines = wh.readAt(Silver.TRADE_LINES, version);
        if (cubeSlices != null) {
            lines = lines.where(expr(cubeSlices));
        }
        Dataset<Row> byFirm = TradeCubes.byFirm(lines).persist(StorageLevel.MEMORY_AND_DISK());
        long rowsIn;
        try {
            Dataset<Row> cube = TradeCubes.monthly(lines, byFirm, closed).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Row totals = cube.agg(coalesce(sum(LINES), lit(0L))).head();
                rowsIn = totals.getLong(0);
                writes.replace(Gold.TRADE_MONTHLY, cube, cubeSlices);
                writes.replace(Gold.FIRM_TRADE_MONTHLY, byFirm, cubeSlices);
            } finally {
                cube.unpersist();
            }
        } finally {
            byFirm.unpersist();
        }

        // 2. What the rebuilt months reach: their years, the windows containing them, and what looks back at those.
        MetricsConfig m = config.metrics();
        Map<String, LocalDate> firstAfter = firstMonths(wh);
        MetricsScope scope = plan.full() ? null
                : MetricsScope.derive(cubeMonths, closed, m.lookbackYears(), firstBefore, firstAfter);
        Dataset<Row> firsts = org.apache.spark.sql.functions.broadcast(ctx.spark().createDataFrame(
                firstAfter.entrySet().stream().map(e -> RowFactory.create(e.getKey(), java.sql.Date.valueOf(e.getValue()))).toList(),
                new StructType().add(REPORTER, DataTypes.StringType).add(FIRST_MONTH, DataTypes.DateType)));
        Concentration concentration = Concentration.of(config);
        Screens screens = new Screens(m.enabledScreens());
        Dataset<Row> monthly = wh.read(Gold.TRADE_MONTHLY);

        // 3. Product dependency per calendar year.
        if (scope == null || scope.hasYears()) {
            Dataset<Row> input = scope == null ? monthly : monthly.where(expr(scope.yearInputPredicate()));
            Dataset<Row> yearly = screens.apply(ProductDependency.measure(input, YEAR, concentration, m.noExportsRatio())
                            .join(firsts, REPORTER), Screens.Period.CALENDAR_YEAR, Periods.coversYear(col(FIRST_MONTH)))
                    .withColumn(IS_PARTIAL_YEAR, Periods.isPartialYear(closed, col(FIRST_MONTH)));
            writes.replace(Gold.PRODUCT_DEPENDENCY, only(yearly, scope == null ? null : scope.yearPredicate()),
                    scope == null ? null : scope.yearPredicate());
        }

        // 4. Product dependency per 12-month window ending at each closed month.
        if (scope == null || scope.hasWindows()) {
            Dataset<Row> input = scope == null ? monthly : monthly.where(expr(scope.windowInputPredicate()));
            Dataset<Row> rolling = screens.apply(ProductDependency.measure(ProductDependency.windows(input, closed), MONTH,
                                    concentration, m.noExportsRatio())
                            .withColumn(WINDOW_START, add_months(col(MONTH), -11))
                            .join(firsts, REPORTER), Screens.Period.WINDOW_12M, Periods.coversWindow(col(FIRST_MONTH)))
                    .withColumn(IS_PARTIAL_WINDOW, Periods.isPartialWindow(col(FIRST_MONTH)));
            writes.replace(Gold.PRODUCT_DEPENDENCY_12M, only(rolling, scope == null ? null : scope.windowPredicate()),
                    scope == null ? null : scope.windowPredicate());
        }

        // 5-6. Firm groups, then sectors (which count the exposed groups and the dependent products just written).
        if (scope == null || scope.hasYears()) {
            String years = scope == null ? null : scope.yearPredicate();
            String yearMonths = scope == null ? null : scope.yearMonthsPredicate();
            Dataset<Row> firmTrade = only(wh.read(Gold.FIRM_TRADE_MONTHLY), yearMonths);
            Dataset<Row> firms = FirmExposure.measure(firmTrade, bridge, concentration, m.firmExposedShare(), m.firmMinImportUsd())
                    .join(firsts, REPORTER)
                    .withColumn(IS_PARTIAL_YEAR, Periods.isPartialYear(closed, col(FIRST_MONTH)));
            writes.replace(Gold.FIRM_EXPOSURE, only(firms, years), years);

            Dataset<Row> sectors = SectorExposure.measure(only(monthly, yearMonths), bridge,
                            only(wh.read(Gold.PRODUCT_DEPENDENCY), years), only(wh.read(Gold.FIRM_EXPOSURE), years),
                            concentration, m.dependentScreen())
                    .join(firsts, REPORTER)
                    .withColumn(IS_PARTIAL_YEAR, Periods.isPartialYear(closed, col(FIRST_MONTH)));
            writes.replace(Gold.SECTOR_EXPOSURE, only(sectors, years), years);
        }

        // 7. The watchlist at the latest closed month, from every window's screens (a small table of passes).
        writes.replace(Gold.WATCHLIST, Watchlist.at(wh.read(Gold.PRODUCT_DEPENDENCY_12M), closed, m.watchlist()), null);
        Map<String, Long> statuses = new TreeMap<>();
        wh.read(Gold.WATCHLIST).groupBy(WATCH_STATUS).count().collectAsList().forEach(r -> statuses.put(r.getString(0), r.getLong(1)));

        // Last: the state says what the tables reflect, so a run that died before here is redone from the old state.
        new StageState(NAME, Silver.TRADE_LINES.qualifiedName(), version, closed, fingerprint).write(ctx);
        String detail = String.format("%s; closed through %s; written: %s; watchlist %s", plan.describe(cubeMonths),
                closed.toString().substring(0, 7), writes.describe(),
                statuses.isEmpty() ? "empty" : statuses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
        return new StageResult(NAME, rowsIn, writes.total(), 0, writes.tables(), detail, Map.of(), 0);
    }

    /** Full recompute, or the silver versions whose changes to read. */
    private record Plan(boolean full, String reason, long version, Map<String, SortedSet<LocalDate>> changed, long fromVersion) {
        String describe(Map<String, SortedSet<LocalDate>> cubeMonths) {
            if (full) {
                return "full recompute (" + reason + ")";
            }
            long changedMonths = changed.values().stream().mapToLong(SortedSet::size).sum();
            long rebuilt = cubeMonths.values().stream().mapToLong(SortedSet::size).sum();
            return String.format("incremental: silver v%d..v%d changed %d reporter-months, %d rebuilt", fromVersion, version,
                    changedMonths, rebuilt);
        }
    }

    private static Plan plan(Warehouse wh, Optional<StageState> previous, String fingerprint, LocalDate closed) {
        if (previous.isEmpty()) {
            return new Plan(true, "no earlier metrics run", -1, null, -1);
        }
        if (!previous.get().fingerprint().equals(fingerprint)) {
            return new Plan(true, "metrics settings, country groups or the sector bridge changed", -1, null, -1);
        }
        for (TableSpec t : Gold.ALL) {
            if (!wh.exists(t)) {
                return new Plan(true, t.qualifiedName() + " is missing", -1, null, -1);
            }
        }
        long version = wh.version(Silver.TRADE_LINES);
        long from = previous.get().sourceVersion() + 1;
        Map<String, SortedSet<LocalDate>> changed = new TreeMap<>();
        if (from <= version) {
            try {
                wh.changes(Silver.TRADE_LINES, from, version).select(REPORTER, MONTH).distinct().collectAsList()
                        .forEach(r -> changed.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getDate(1).toLocalDate()));
            } catch (Exception e) { // the feed was off for those versions, or vacuumed: recompute rather than guess
                LOG.warn("change feed of {} v{}..v{} unreadable, recomputing all: {}", Silver.TRADE_LINES.qualifiedName(), from,
                        version, Messages.firstLine(e.getMessage()));
                return new Plan(true, "change feed of silver v" + from + ".." + version + " unreadable", -1, null, -1);
            }
        }
        return new Plan(false, null, version, changed, from);
    }

    /** Changed months, plus the months that closed since the last run for every reporter (their flags change). */
    private static Map<String, SortedSet<LocalDate>> cubeMonths(Plan plan, StageState previous, LocalDate closed,
                                                                Map<String, LocalDate> firstMonths) {
        Map<String, SortedSet<LocalDate>> months = new TreeMap<>();
        plan.changed().forEach((r, ms) -> months.computeIfAbsent(r, k -> new TreeSet<>()).addAll(ms));
        java.util.Set<String> reporters = new TreeSet<>(firstMonths.keySet());
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
        if (wh.exists(Gold.TRADE_MONTHLY)) {
            wh.read(Gold.TRADE_MONTHLY).groupBy(REPORTER).agg(min(MONTH)).collectAsList()
                    .forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
        }
        return out;
    }

    private static Dataset<Row> only(Dataset<Row> rows, String predicate) {
        return predicate == null ? rows : rows.where(expr(predicate));
    }

    /**
     * SHA-256 of everything the figures depend on besides the lines: the metrics settings, the country groups they
     * name, the month-close lag and the sector bridge. A different fingerprint means the stored figures are stale.
     */
    static String fingerprint(EwsConfig config, List<Row> bridge) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("metrics", config.metrics());
        inputs.put("groups", config.countries().groups());
        inputs.put("month_close_lag_days", config.periods().monthCloseLagDays());
        inputs.put("bridge", bridge.stream().map(Row::toString).toList());
        try {
            byte[] json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsBytes(inputs);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the metrics settings", e);
        }
    }

    /** The stage's writes, each stamped with the run id, and their row counts for the summary. */
    private static final class Writes {
        private final RunContext ctx;
        private final Map<String, Long> rows = new LinkedHashMap<>();

        Writes(RunContext ctx) {
            this.ctx = ctx;
        }

        void replace(TableSpec spec, Dataset<Row> data, String slices) {
            rows.put(spec.qualifiedName(), ctx.warehouse().replace(spec, data.withColumn(RUN_ID, lit(ctx.runId())), slices));
        }

        long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }

        List<String> tables() {
            return new ArrayList<>(rows.keySet());
        }

        String describe() {
            return rows.entrySet().stream().map(e -> e.getKey().replace("gold.", "") + " " + String.format("%,d", e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }
}
