package org.ews.anomalies;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ews.Messages;
import org.ews.config.AnomaliesConfig;
import org.ews.config.EwsConfig;
import org.ews.metrics.MetricsScope;
import org.ews.metrics.MetricsStage;
import org.ews.metrics.Periods;
import org.ews.metrics.SectorBridge;
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
import java.time.LocalDate;
import java.time.YearMonth;
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
 * Trend anomalies from the monthly cubes into {@code gold.trend_anomalies} (and what was judged into
 * {@code gold.anomaly_coverage}).
 *
 * <p>Only closed months are judged (periods.month_close_lag_days): the month in progress is never read as a fall.
 * Incremental like the metrics stage: it remembers the version of {@code gold.trade_monthly} it last judged and reads
 * the change feed from there, so a night rejudges the (reporter, month) slices whose trade changed (new lines, late
 * filings, amendments) plus the months that closed since, and replaces exactly those slices. Months it did not touch
 * keep their findings: later history never rewrites an earlier month's verdict. A run reads the judged months and
 * the look-back before them (anomalies.* windows), so its work does not grow with the history. A full rejudge runs
 * when there is no state, the settings, the month-close lag or the sector bridge changed, the cube was recreated, or
 * its change feed cannot be read.
 */
public final class AnomaliesStage implements Stage {
    public static final String NAME = "anomalies";
    /** Part of the fingerprint: bump it when a detector's formula changes, so the next run rejudges every month. */
    static final int FORMULA_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(AnomaliesStage.class);

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
        AnomaliesConfig a = config.anomalies();
        if (!wh.exists(Gold.TRADE_MONTHLY) || !wh.exists(Silver.HS6_SECTORS)) {
            return new StageResult(NAME, 0, 0, 0, List.of(), "no monthly cube yet: run metrics first", Map.of(), 0);
        }
        Optional<StageState> previous = StageState.read(wh, NAME);
        LocalDate closed = StageState.closedThrough(previous, Periods.closedThrough(ctx.to(), config.periods().monthCloseLagDays()));
        SectorBridge sectorBridge = SectorBridge.read(wh);
        String fingerprint = fingerprint(config, sectorBridge.rows());
        String tableId = wh.tableId(Gold.TRADE_MONTHLY);
        long version = wh.version(Gold.TRADE_MONTHLY);
        Dataset<Row> cubeAtVersion = wh.readAt(Gold.TRADE_MONTHLY, version);

        String fullReason = fullReason(wh, previous, fingerprint, tableId, version);
        Map<String, SortedSet<LocalDate>> changed = new TreeMap<>();
        if (fullReason == null && previous.get().sourceVersion() < version) {
            fullReason = changes(wh, previous.get().sourceVersion() + 1, version, previous.get().firstMonths().keySet(), changed);
        }
        boolean full = fullReason != null;
        Map<String, LocalDate> firsts = full ? firstMonths(cubeAtVersion) : merge(previous.get().firstMonths(), changed);
        Map<String, SortedSet<LocalDate>> judged = full ? allMonths(firsts, closed)
                : judgedMonths(changed, firsts.keySet(), previous.get().closedThrough(), closed);
        LocalDate previousClosed = previous.map(StageState::closedThrough).orElse(closed);
        StageWrites writes = new StageWrites(ctx, gate);
        String planText = full ? "full rejudge (" + fullReason + ")"
                : String.format("incremental: cube v%d..v%d changed %d reporter-months", previous.get().sourceVersion() + 1, version,
                changed.values().stream().mapToInt(SortedSet::size).sum());
        if (judged.isEmpty() && !full) {
            new StageState(NAME, Gold.TRADE_MONTHLY.qualifiedName(), tableId, version, closed, previousClosed, firsts, fingerprint).write(ctx);
            return new StageResult(NAME, 0, 0, 0, List.of(), planText + "; nothing to judge: no closed month changed or closed; "
                    + "closed through " + month(closed), Map.of(), 0);
        }
        // A reporter-month without any cube row is a feed not loaded yet, not a month of zero trade: it is not judged
        // (its slice is still replaced, so nothing stale stays) and is judged when its rows arrive.
        Map<String, SortedSet<LocalDate>> withData = withData(cubeAtVersion, judged);
        String slices = full ? null : MetricsScope.months(judged);
        if (withData.isEmpty()) {
            writes.replace(Gold.TREND_ANOMALIES, ctx.spark().createDataFrame(List.of(), JudgeGroups.schema(JudgeGroups.Output.FINDINGS)), slices);
            writes.replace(Gold.ANOMALY_COVERAGE, ctx.spark().createDataFrame(List.of(), JudgeGroups.schema(JudgeGroups.Output.COVERAGE)), slices);
        } else {
            LocalDate from = withData.values().stream().map(SortedSet::first).min(LocalDate::compareTo).orElseThrow()
                    .minusMonths(a.lookbackMonths());
            LocalDate to = withData.values().stream().map(SortedSet::last).max(LocalDate::compareTo).orElseThrow();
            String months = MONTH + " BETWEEN DATE'" + from + "' AND DATE'" + to + "'";
            Dataset<Row> groups = AnomalyInputs.groups(cubeAtVersion.where(expr(months)), wh.read(Gold.FIRM_TRADE_MONTHLY).where(expr(months)),
                    new ArrayList<>(firsts.keySet()), sectorBridge.frame(ctx.spark())).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Map<String, SortedSet<YearMonth>> judgedMonths = new TreeMap<>();
                withData.forEach((r, ms) -> judgedMonths.put(r, ms.stream().map(YearMonth::from).collect(Collectors.toCollection(TreeSet::new))));
                Map<String, YearMonth> starts = new TreeMap<>();
                firsts.forEach((r, f) -> starts.put(r, YearMonth.from(f.isAfter(from) ? f : from)));
                writes.replace(Gold.TREND_ANOMALIES, groups.mapPartitions(new JudgeGroups(a, judgedMonths, starts, JudgeGroups.Output.FINDINGS),
                        Encoders.row(JudgeGroups.schema(JudgeGroups.Output.FINDINGS))), slices);
                writes.replace(Gold.ANOMALY_COVERAGE, groups.mapPartitions(new JudgeGroups(a, judgedMonths, starts, JudgeGroups.Output.COVERAGE),
                        Encoders.row(JudgeGroups.schema(JudgeGroups.Output.COVERAGE))), slices);
            } finally {
                groups.unpersist();
            }
        }
        Dataset<Row> written = wh.read(Gold.TREND_ANOMALIES);
        Map<String, Long> bySeverity = new TreeMap<>();
        (slices == null ? written : written.where(expr(slices))).groupBy(SEVERITY).count().collectAsList()
                .forEach(r -> bySeverity.put(r.getString(0), r.getLong(1)));
        long judgedSeries = wh.read(Gold.ANOMALY_COVERAGE).where(slices == null ? lit(true) : expr(slices))
                .agg(coalesce(sum(SERIES_JUDGED), lit(0L))).head().getLong(0);
        Map<String, SortedSet<LocalDate>> waiting = new TreeMap<>();
        judged.forEach((r, ms) -> ms.stream().filter(m -> !withData.getOrDefault(r, new TreeSet<>()).contains(m))
                .forEach(m -> waiting.computeIfAbsent(r, k -> new TreeSet<>()).add(m)));

        new StageState(NAME, Gold.TRADE_MONTHLY.qualifiedName(), tableId, version, closed, previousClosed, firsts, fingerprint).write(ctx);
        long reporterMonths = withData.values().stream().mapToInt(SortedSet::size).sum();
        String detail = String.format("%s; judged %d reporter-months (%s), %,d series-months; findings: %d high, %d medium, %d low; "
                        + "closed through %s%s", planText, reporterMonths, describe(withData), judgedSeries, bySeverity.getOrDefault("high", 0L),
                bySeverity.getOrDefault("medium", 0L), bySeverity.getOrDefault("low", 0L), month(closed),
                waiting.isEmpty() ? "" : "; no cube rows yet, judged when they arrive: " + describe(waiting));
        return new StageResult(NAME, judgedSeries, writes.total(), 0, writes.tables(), detail, Map.of(), 0);
    }

    /** Why every month must be rejudged, or null when the change feed since the last run says what changed. */
    private static String fullReason(Warehouse wh, Optional<StageState> previous, String fingerprint, String tableId, long version) {
        if (previous.isEmpty()) {
            return "no earlier anomalies run";
        }
        StageState p = previous.get();
        if (!p.fingerprint().equals(fingerprint)) {
            return "anomaly settings, the month-close lag, the sector bridge or the detectors changed";
        }
        if (!p.sourceTableId().equals(tableId) || version < p.sourceVersion()) {
            return Gold.TRADE_MONTHLY.qualifiedName() + " was recreated since v" + p.sourceVersion();
        }
        for (TableSpec t : Gold.ANOMALIES) {
            if (!wh.exists(t)) {
                return t.qualifiedName() + " is missing";
            }
        }
        return null;
    }

    /**
     * Fills {@code changed} with the (reporter, month) slices rewritten in the cube, and, for a changed export to
     * another loaded reporter, that reporter's month too (its mirror_gap findings compare its imports with those
     * exports). Returns a reason for a full rejudge if the feed cannot say.
     */
    private static String changes(Warehouse wh, long from, long to, Set<String> reporters, Map<String, SortedSet<LocalDate>> changed) {
        try {
            List<Row> rows = wh.changes(Gold.TRADE_MONTHLY, from, to).select(REPORTER, FLOW, PARTNER, MONTH).distinct().collectAsList();
            Set<String> loaded = new TreeSet<>(reporters);
            rows.forEach(r -> loaded.add(r.getString(0)));
            for (Row r : rows) {
                LocalDate m = r.getDate(3).toLocalDate();
                changed.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(m);
                if (Silver.FLOW_EXPORT.equals(r.getString(1)) && loaded.contains(r.getString(2))) {
                    changed.computeIfAbsent(r.getString(2), k -> new TreeSet<>()).add(m);
                }
            }
            return null;
        } catch (Exception e) { // Spark throws Delta's checked AnalysisExceptions undeclared
            if (!MetricsStage.feedUnavailable(e)) {
                throw e;
            }
            LOG.warn("change feed of {} v{}..v{} unavailable, rejudging every month: {}", Gold.TRADE_MONTHLY.qualifiedName(), from, to,
                    Messages.firstLine(e.getMessage()));
            changed.clear();
            return "change feed of the cube v" + from + ".." + to + " unavailable";
        }
    }

    /**
     * The closed months to judge: those whose trade changed, and every reporter's months that closed since the last
     * run. Months not closed yet are left for the run that closes them.
     */
    static Map<String, SortedSet<LocalDate>> judgedMonths(Map<String, SortedSet<LocalDate>> changed, Set<String> reporters,
                                                          LocalDate previousClosed, LocalDate closed) {
        Map<String, SortedSet<LocalDate>> out = new TreeMap<>();
        changed.forEach((r, ms) -> ms.stream().filter(m -> !m.isAfter(closed))
                .forEach(m -> out.computeIfAbsent(r, k -> new TreeSet<>()).add(m)));
        for (LocalDate m = previousClosed.plusMonths(1); !m.isAfter(closed); m = m.plusMonths(1)) {
            for (String r : reporters) {
                out.computeIfAbsent(r, k -> new TreeSet<>()).add(m);
            }
        }
        return out;
    }

    /** Every closed month of every reporter from its first month of data. */
    static Map<String, SortedSet<LocalDate>> allMonths(Map<String, LocalDate> firsts, LocalDate closed) {
        Map<String, SortedSet<LocalDate>> out = new TreeMap<>();
        firsts.forEach((r, first) -> {
            for (LocalDate m = first; !m.isAfter(closed); m = m.plusMonths(1)) {
                out.computeIfAbsent(r, k -> new TreeSet<>()).add(m);
            }
        });
        return out;
    }

    /** The judged (reporter, month) slices that have cube rows (partition pruning: a listing, not a scan of values). */
    private static Map<String, SortedSet<LocalDate>> withData(Dataset<Row> cube, Map<String, SortedSet<LocalDate>> judged) {
        Map<String, SortedSet<LocalDate>> out = new TreeMap<>();
        if (judged.isEmpty()) {
            return out;
        }
        cube.where(expr(MetricsScope.months(judged))).select(REPORTER, MONTH).distinct().collectAsList()
                .forEach(r -> out.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getDate(1).toLocalDate()));
        return out;
    }

    private static Map<String, LocalDate> firstMonths(Dataset<Row> cube) {
        Map<String, LocalDate> out = new TreeMap<>();
        cube.groupBy(REPORTER).agg(min(MONTH)).collectAsList().forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
        return out;
    }

    private static Map<String, LocalDate> merge(Map<String, LocalDate> firsts, Map<String, SortedSet<LocalDate>> changed) {
        Map<String, LocalDate> out = new TreeMap<>(firsts);
        changed.forEach((r, ms) -> out.merge(r, ms.first(), (x, y) -> x.isBefore(y) ? x : y));
        return out;
    }

    /** "KR 2025-11..2025-12 (2), US 2025-12": the judged months per reporter, for the summary line. */
    private static String describe(Map<String, SortedSet<LocalDate>> judged) {
        return judged.entrySet().stream().map(e -> {
            SortedSet<LocalDate> ms = e.getValue();
            return e.getKey() + " " + (ms.size() == 1 ? month(ms.first()) : month(ms.first()) + ".." + month(ms.last()) + " (" + ms.size() + ")");
        }).collect(Collectors.joining(", "));
    }

    private static String month(LocalDate d) {
        return d.toString().substring(0, 7);
    }

    /** SHA-256 of what the findings depend on besides the cube: formula version, anomaly settings, month-close lag, bridge. */
    static String fingerprint(EwsConfig config, List<Row> bridge) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("formula_version", FORMULA_VERSION);
        inputs.put("anomalies", config.anomalies());
        inputs.put("month_close_lag_days", config.periods().monthCloseLagDays());
        inputs.put("bridge", bridge.stream().map(Row::toString).toList());
        try {
            byte[] json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).writeValueAsBytes(inputs);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (Exception e) {
            throw new IllegalStateException("cannot fingerprint the anomaly settings", e);
        }
    }
}
