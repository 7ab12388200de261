package org.ews.quality;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.config.QualityConfig;
import org.ews.run.EwsException;
import org.ews.run.RunContext;
import org.ews.tables.Ops;
import org.ews.tables.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * The data-quality gate of one stage of one run. A stage hands it the rows it is about to write ({@link #check}) before
 * it writes them, and the lines it accepted for the run's own metrics ({@link #checkMetrics}); a failed error-level
 * rule throws at once, so the write it guards never happens and the table stays as it was. Everything checked is
 * recorded when the gate closes: one {@code ops.dq_results} row per check and slice, replacing what an earlier run of the
 * stage over the same dates recorded, and the run's metrics in {@code ops.dq_metrics} (the history later dates are judged
 * against; not recorded when a rule stopped the stage, so a day that was never published does not become history).
 *
 * <pre>{@code
 * try (QualityGate gate = QualityGate.open(ctx, NAME)) {
 *     gate.check(Silver.TRADE_LINES, batch, "lines landed 2024-03-01");   // throws on an error-level failure
 *     ... write batch ...
 * }
 * }</pre>
 */
public final class QualityGate implements AutoCloseable {
    private static final int LOGGED_FAILURES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(QualityGate.class);

    private final RunContext ctx;
    private final String stage;
    private final QualityConfig config;
    private final List<CheckOutcome> outcomes = new ArrayList<>();
    private final List<Row> metrics = new ArrayList<>();
    private final Set<String> metricReporters = new TreeSet<>();
    private boolean stopped;
    private long nanos;

    private QualityGate(RunContext ctx, String stage) {
        this.ctx = ctx;
        this.stage = stage;
        this.config = ctx.config().quality();
    }

    public static QualityGate open(RunContext ctx, String stage) {
        return new QualityGate(ctx, stage);
    }

    /** Whether any rule is configured for the table (else {@link #check} does nothing and the caller need not cache). */
    public boolean guards(TableSpec spec) {
        return !config.rulesFor(spec).isEmpty();
    }

    /**
     * Checks the rows about to be written to {@code spec}, described by {@code slice}. Throws {@link EwsException} naming
     * the rule when an error-level rule fails; the caller has written nothing yet. Pass a cached Dataset: the checks read
     * it once (one scan, plus a group-by per uniqueness rule) and the write reads it again.
     */
    public List<CheckOutcome> check(TableSpec spec, Dataset<Row> rows, String slice) {
        List<QualityConfig.Rule> rules = config.rulesFor(spec);
        if (rules.isEmpty()) {
            return List.of();
        }
        long t0 = System.nanoTime();
        List<CheckOutcome> r = Checks.verify(rows, spec.qualifiedName(), rules, slice);
        nanos += System.nanoTime() - t0;
        LOG.debug("{}: {} checks in {} ms", spec.qualifiedName(), r.size(), (System.nanoTime() - t0) / 1_000_000);
        record(r);
        return r;
    }

    /**
     * The anomaly check of the run's own metrics of {@code spec}: per reporter and landing date of {@code accepted} (columns
     * reporter, landing_date and value_usd), its rows and value against the same reporter's earlier landing dates in
     * {@code ops.dq_metrics}. Dates of this run are judged in order, each against the ones before it. The metrics are
     * recorded when the gate closes.
     */
    public List<CheckOutcome> checkMetrics(TableSpec spec, Dataset<Row> accepted) {
        if (!config.anomalyChecks()) {
            return List.of();
        }
        QualityConfig.Anomaly cfg = config.anomaly();
        long t0 = System.nanoTime();
        // name -> reporter -> points of this run
        Map<String, Map<String, List<MetricAnomalies.Point>>> current = new TreeMap<>();
        for (Row r : accepted.groupBy(REPORTER, LANDING_DATE).agg(count(lit(1)), coalesce(sum(VALUE_USD), lit(0)).cast("double"))
                .collectAsList()) {
            LocalDate d = r.getDate(1).toLocalDate();
            for (String m : cfg.metrics()) {
                double v = m.equals("rows") ? r.getLong(2) : r.getDouble(3);
                current.computeIfAbsent(m, k -> new TreeMap<>()).computeIfAbsent(r.getString(0), k -> new ArrayList<>())
                        .add(new MetricAnomalies.Point(d, v));
            }
        }
        if (current.isEmpty()) {
            return List.of();
        }
        Set<String> reporters = new TreeSet<>();
        current.values().forEach(byReporter -> reporters.addAll(byReporter.keySet()));
        Map<String, Map<String, List<MetricAnomalies.Point>>> stored = history(spec, reporters, cfg);
        List<CheckOutcome> out = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        current.forEach((metric, byReporter) -> byReporter.forEach((reporter, points) -> {
            Set<LocalDate> recomputed = points.stream().map(MetricAnomalies.Point::date).collect(Collectors.toSet());
            List<MetricAnomalies.Point> all = new ArrayList<>(points);
            // A stored value of a date this run measures again is replaced, not part of the history.
            stored.getOrDefault(metric, Map.of()).getOrDefault(reporter, List.of()).stream()
                    .filter(p -> !recomputed.contains(p.date())).forEach(all::add);
            List<MetricAnomalies.Point> rows = rowHistory(current, stored, reporter);
            for (MetricAnomalies.Point p : points) {
                out.add(MetricAnomalies.judge(spec.qualifiedName(), metric, reporter, p.date(), p.value(), all, rows, cfg));
                metrics.add(RowFactory.create(stage, spec.qualifiedName(), metric, reporter, Date.valueOf(p.date()), p.value(),
                        ctx.runId(), now));
            }
        }));
        metricReporters.addAll(reporters);
        nanos += System.nanoTime() - t0;
        record(out);
        return out;
    }

    /** The reporter's row counts, this run's and the stored ones of other dates: the volume floor's history (null without). */
    private static List<MetricAnomalies.Point> rowHistory(Map<String, Map<String, List<MetricAnomalies.Point>>> current,
                                                          Map<String, Map<String, List<MetricAnomalies.Point>>> stored, String reporter) {
        List<MetricAnomalies.Point> now = current.getOrDefault("rows", Map.of()).get(reporter);
        if (now == null) {
            return null;
        }
        Set<LocalDate> dates = now.stream().map(MetricAnomalies.Point::date).collect(Collectors.toSet());
        List<MetricAnomalies.Point> all = new ArrayList<>(now);
        stored.getOrDefault("rows", Map.of()).getOrDefault(reporter, List.of()).stream()
                .filter(p -> !dates.contains(p.date())).forEach(all::add);
        return all;
    }

    /** Everything checked so far. */
    public List<CheckOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The stored metrics of these reporters from the history window before the run to its last date. */
    private Map<String, Map<String, List<MetricAnomalies.Point>>> history(TableSpec spec, Set<String> reporters, QualityConfig.Anomaly cfg) {
        Map<String, Map<String, List<MetricAnomalies.Point>>> out = new TreeMap<>();
        if (!ctx.warehouse().exists(Ops.DQ_METRICS)) {
            return out;
        }
        ctx.warehouse().read(Ops.DQ_METRICS)
                .where(col(STAGE).equalTo(stage).and(col(Ops.TABLE_NAME).equalTo(spec.qualifiedName()))
                        .and(col(LANDING_DATE).between(Date.valueOf(ctx.from().minusDays(cfg.historyDays())), Date.valueOf(ctx.to())))
                        .and(col(REPORTER).isin(reporters.toArray())))
                .select(Ops.DQ_METRIC, REPORTER, LANDING_DATE, Ops.METRIC_VALUE).collectAsList()
                .forEach(r -> out.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                        .add(new MetricAnomalies.Point(r.getDate(2).toLocalDate(), r.getDouble(3))));
        return out;
    }

    private void record(List<CheckOutcome> r) {
        outcomes.addAll(r);
        // A few lines for the operator, the rest counted: a backfill over years can fail hundreds of warning checks, and every
        // one is in ops.dq_results and the bulletin.
        List<CheckOutcome> failed = r.stream().filter(CheckOutcome::failed).toList();
        failed.stream().limit(LOGGED_FAILURES).forEach(o -> LOG.warn("data quality {} ({}): {}", o.level(), stage, o.message()));
        if (failed.size() > LOGGED_FAILURES) {
            LOG.warn("data quality ({}): {} more failed checks, not listed here; all are in ops.dq_results (run_id '{}')",
                    stage, failed.size() - LOGGED_FAILURES, ctx.runId());
        }
        List<CheckOutcome> stops = r.stream().filter(CheckOutcome::stops).toList();
        if (!stops.isEmpty()) {
            stopped = true;
            CheckOutcome first = stops.get(0);
            throw new EwsException(String.format("%s stopped before writing %s: data-quality rule %s (error) failed on %s: %s%s. "
                            + "Nothing was written to %s; every check is in ops.dq_results", stage, first.table(), first.rule(), first.slice(),
                    first.message(), stops.size() == 1 ? "" : "; and " + (stops.size() - 1) + " more error-level failure(s): "
                            + stops.stream().skip(1).map(CheckOutcome::rule).collect(Collectors.joining(", ")), first.table()));
        }
    }

    /** The stage wrote everything it had to: only then do its metrics become history. */
    public void completed() {
        completed = true;
    }

    private boolean completed;

    /**
     * Records the stage's checks in {@code ops.dq_results}, replacing what the stage recorded for the same dates before
     * (a rerun leaves one set), and the run's metrics in {@code ops.dq_metrics} only when the stage completed: a day a
     * rule stopped, or that failed for any other reason (a full disk, a lost lock), is not published, so it must not
     * become the history later days are judged by.
     */
    @Override
    public void close() {
        if (!config.enabled() || (outcomes.isEmpty() && metrics.isEmpty())) {
            return;
        }
        long t0 = System.nanoTime();
        String dates = " BETWEEN DATE'" + ctx.from() + "' AND DATE'" + ctx.to() + "'";
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        for (CheckOutcome o : outcomes) {
            rows.add(RowFactory.create(ctx.runId(), Date.valueOf(ctx.to()), Date.valueOf(ctx.from()), stage, o.table(), o.rule(),
                    o.checkType(), o.level(), o.status().code(), o.slice(), o.reporter(),
                    o.landingDate() == null ? null : Date.valueOf(o.landingDate()), o.metric(), o.metricValue(), o.requirement(),
                    o.rowsChecked(), o.message(), now));
        }
        // The same stage over the same dates replaces its rows; another range (a nightly inside a backfill) keeps its own.
        ctx.warehouse().replace(Ops.DQ_RESULTS, ctx.spark().createDataFrame(rows, Ops.DQ_RESULTS.columns()),
                STAGE + " = '" + stage + "' AND " + Ops.DATE_FROM + " = DATE'" + ctx.from() + "' AND " + Ops.RUN_DATE + " = DATE'"
                        + ctx.to() + "'");
        if (completed && !stopped && !metrics.isEmpty()) {
            Set<String> tables = new TreeSet<>();
            metrics.forEach(m -> tables.add(m.getString(1)));
            ctx.warehouse().replace(Ops.DQ_METRICS, ctx.spark().createDataFrame(metrics, Ops.DQ_METRICS.columns()),
                    STAGE + " = '" + stage + "' AND " + Ops.TABLE_NAME + " IN (" + tables.stream().map(t -> "'" + t + "'")
                            .collect(Collectors.joining(", ")) + ") AND " + LANDING_DATE + dates + " AND " + REPORTER + " IN ("
                            + metricReporters.stream().map(r -> "'" + r.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")");
        }
        long failed = outcomes.stream().filter(CheckOutcome::failed).count();
        LOG.info("data quality ({}): {} checks, {} failed ({} warnings); checking {} s, recording {} s", stage, outcomes.size(), failed,
                outcomes.stream().filter(o -> o.failed() && !o.stops()).count(), String.format("%.1f", nanos / 1e9),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    }
}
