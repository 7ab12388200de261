package org.ews.report;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.config.PublishConfig;
import org.ews.metrics.Periods;
import org.ews.publish.DisclosureRule;
import org.ews.spark.Warehouse;
import org.ews.tables.Bronze;
import org.ews.tables.Gold;
import org.ews.tables.Ops;
import org.ews.tables.Silver;
import org.ews.tables.TableSpec;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.ews.tables.Columns.*;

/**
 * Reads what the bulletin for one date shows from the published tables and applies disclosure control to every figure
 * that leaves the warehouse. The as-of month is the latest month closed by the date (periods.month_close_lag_days), so a
 * bulletin for a past date shows what was final then. Confidentiality is judged from gold.firm_trade_monthly: a cell's
 * firms are the firms behind the trade the figure sums.
 */
public final class BulletinQueries {
    private static final List<String> SEVERITY_ORDER = PublishConfig.SEVERITIES;

    private final SparkSession spark;
    private final Warehouse wh;
    private final EwsConfig config;
    private final DisclosureRule rule;

    public BulletinQueries(SparkSession spark, Warehouse wh, EwsConfig config) {
        this.spark = spark;
        this.wh = wh;
        this.config = config;
        this.rule = new DisclosureRule(config.publish().disclosure());
    }

    public Bulletin build(LocalDate date) {
        require(Gold.TRADE_MONTHLY);
        LocalDate asOf = Periods.closedThrough(date, config.periods().monthCloseLagDays());
        Map<String, String> labels = labels();
        List<String> reporters = wh.read(Gold.TRADE_MONTHLY).select(REPORTER).distinct().orderBy(REPORTER)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        PublishConfig.Report r = config.publish().report();
        List<Bulletin.Alert> window = alerts(asOf.minusMonths(r.chartMonths() - 1), asOf, labels);
        List<Bulletin.Alert> month = window.stream().filter(a -> a.month().equals(asOf)).toList();
        int minRank = SEVERITY_ORDER.indexOf(r.minSeverity());
        List<Bulletin.Alert> headlineAlerts = month.stream().filter(a -> SEVERITY_ORDER.indexOf(a.severity()) >= minRank)
                .limit(r.maxAlerts()).toList();
        List<Bulletin.Alert> rest = month.stream().filter(a -> !headlineAlerts.contains(a)).toList();
        AlertSeriesReader reader = new AlertSeriesReader(spark, wh, rule, sectorWeights());
        List<Bulletin.AlertSeries> headline = reader.read(headlineAlerts, r.chartMonths(), window).stream()
                .map(h -> new Bulletin.AlertSeries(withReason(h.alert(), h.alert().suppressionReason()), h.points(), h.bands())).toList();
        // Findings outside the headline are judged on their own month's cell: every one of them is in the extract.
        List<Bulletin.Alert> judged = new ArrayList<>();
        headline.forEach(h -> judged.add(h.alert()));
        reader.read(rest, 1, List.of()).forEach(h -> judged.add(withReason(h.alert(), h.alert().suppressionReason())));
        int year = asOf.getYear();
        Bulletin.DataQuality dq = dataQuality(date, asOf);
        return new Bulletin(date, asOf, dq.runId(), reporters, judged, headline, year, asOf.getMonthValue() < 12,
                sectors(year), watchChanges(asOf, labels), dq,
                "A figure is withheld (marked c) when fewer than " + config.publish().disclosure().minTraders()
                        + " firms make it up, or one firm makes up more than "
                        + Math.round(config.publish().disclosure().maxDominanceShare() * 100) + "% of its value.");
    }

    /** Every finding of months {@code from..to}, most severe and most money first. */
    List<Bulletin.Alert> alerts(LocalDate from, LocalDate to, Map<String, String> labels) {
        if (!wh.exists(Gold.TREND_ANOMALIES)) {
            return List.of();
        }
        List<Row> rows = wh.read(Gold.TREND_ANOMALIES).where(col(MONTH).between(Date.valueOf(from), Date.valueOf(to)))
                .select(col(REPORTER), col(FLOW), col(LEVEL), col(SERIES_KEY), col(PARTNER), col(MONTH), col(METRIC), col(OBSERVED),
                        col(EXPECTED), col(LOWER), col(UPPER), col(SCORE), col(DIRECTION), col(DETECTOR), col(SEVERITY),
                        col(VALUE_AT_STAKE_USD), col(EXPLANATION), col(TOP_PARTNERS + "." + CONTRIBUTOR_ID))
                .collectAsList();
        List<Bulletin.Alert> alerts = new ArrayList<>();
        for (Row x : rows) {
            String level = x.getString(2);
            List<String> partners = x.isNullAt(17) ? List.of() : x.getList(17);
            alerts.add(new Bulletin.Alert(x.getString(0), x.getString(1), level, x.getString(3),
                    "hs6".equals(level) ? labels.get(x.getString(3)) : null, x.getString(4), x.getDate(5).toLocalDate(),
                    x.getString(6), dbl(x, 7), dbl(x, 8), dbl(x, 9), dbl(x, 10), x.getDouble(11), x.getString(12),
                    x.getString(13), x.getString(14), dbl(x, 15), x.getString(16), partners, null));
        }
        alerts.sort(Comparator.<Bulletin.Alert>comparingInt(a -> -SEVERITY_ORDER.indexOf(a.severity()))
                .thenComparing(a -> -(a.valueAtStakeUsd() == null ? 0 : a.valueAtStakeUsd()))
                .thenComparing(Bulletin.Alert::seriesId));
        return alerts;
    }

    private Map<String, Map<String, Double>> weights;

    /** sector -> (hs6 -> weight), from silver.hs6_sectors. */
    private Map<String, Map<String, Double>> sectorWeights() {
        if (weights == null) {
            weights = new HashMap<>();
            if (wh.exists(Silver.HS6_SECTORS)) {
                for (Row x : wh.read(Silver.HS6_SECTORS).select(SECTOR, HS6, WEIGHT).collectAsList()) {
                    weights.computeIfAbsent(x.getString(0), k -> new LinkedHashMap<>()).put(x.getString(1), x.getDouble(2));
                }
            }
        }
        return weights;
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new HashMap<>();
        if (wh.exists(Silver.HS6_SECTORS)) {
            wh.read(Silver.HS6_SECTORS).select(HS6, LABEL).collectAsList().forEach(x -> labels.putIfAbsent(x.getString(0), x.getString(1)));
        }
        return labels;
    }

    /**
     * Sector exposure of the as-of month's year. A row's figures are withheld when the sector's imports, or its top
     * partner's part of them (which top_partner_share reveals), is a confidential cell.
     */
    List<Bulletin.SectorRow> sectors(int year) {
        if (!wh.exists(Gold.SECTOR_EXPOSURE) || !wh.exists(Gold.FIRM_TRADE_MONTHLY)) {
            return List.of();
        }
        Dataset<Row> firms = wh.read(Gold.FIRM_TRADE_MONTHLY).where(col(FLOW).equalTo("I").and(col(YEAR).equalTo(year)))
                .join(wh.read(Silver.HS6_SECTORS).select(HS6, SECTOR, WEIGHT), HS6)
                .withColumn("weighted", col(VALUE_USD).cast("double").multiply(col(WEIGHT)));
        Dataset<Row> totals = rule.cells(firms, FIRM_ID, "weighted", REPORTER, SECTOR)
                .select(col(REPORTER), col(SECTOR), col(DisclosureRule.REASON).as("total_reason"));
        Dataset<Row> tops = rule.cells(firms, FIRM_ID, "weighted", REPORTER, SECTOR, PARTNER)
                .select(col(REPORTER), col(SECTOR), col(PARTNER).as(TOP_PARTNER), col(DisclosureRule.REASON).as("top_reason"));
        List<Row> rows = wh.read(Gold.SECTOR_EXPOSURE).where(col(YEAR).equalTo(year))
                .join(totals, new scala.collection.immutable.Set.Set2<>(REPORTER, SECTOR).toSeq(), "left")
                .join(tops, new scala.collection.immutable.Set.Set3<>(REPORTER, SECTOR, TOP_PARTNER).toSeq(), "left")
                .select(col(REPORTER), col(SECTOR), col(YEAR), col(IMPORT_VALUE_USD).cast("double"), col(PARTNERS), col(TOP_PARTNER),
                        col(TOP_PARTNER_SHARE), col(HHI), col(CONCERN_SHARE), col(DEPENDENT_PRODUCTS), col(FIRMS_EXPOSED),
                        col(IS_PARTIAL_YEAR), col("total_reason"), col("top_reason"))
                .orderBy(REPORTER, SECTOR).collectAsList();
        List<Bulletin.SectorRow> out = new ArrayList<>();
        for (Row x : rows) {
            String reason = x.isNullAt(12) ? (x.isNullAt(13) ? null : "top partner: " + x.getString(13)) : x.getString(12);
            boolean c = reason != null;
            out.add(new Bulletin.SectorRow(x.getString(0), x.getString(1), x.getInt(2), c ? null : dbl(x, 3),
                    x.isNullAt(4) ? null : x.getLong(4), x.getString(5), c ? null : dbl(x, 6), c ? null : dbl(x, 7),
                    c ? null : dbl(x, 8), x.isNullAt(9) ? null : x.getLong(9), x.isNullAt(10) ? null : x.getLong(10),
                    !x.isNullAt(11) && x.getBoolean(11), reason));
        }
        return out;
    }

    /** Items that entered (new) or left (dropped) the watchlist at the as-of month, with their 12-month figures. */
    List<Bulletin.WatchChange> watchChanges(LocalDate asOf, Map<String, String> labels) {
        if (!wh.exists(Gold.WATCHLIST) || !wh.exists(Gold.FIRM_TRADE_MONTHLY)) {
            return List.of();
        }
        Dataset<Row> firms = wh.read(Gold.FIRM_TRADE_MONTHLY).where(col(FLOW).equalTo("I")
                .and(col(MONTH).between(Date.valueOf(asOf.minusMonths(11)), Date.valueOf(asOf))));
        Dataset<Row> totals = rule.cells(firms, FIRM_ID, VALUE_USD, REPORTER, HS6)
                .select(col(REPORTER), col(HS6), col(DisclosureRule.REASON).as("total_reason"));
        Dataset<Row> tops = rule.cells(firms, FIRM_ID, VALUE_USD, REPORTER, HS6, PARTNER)
                .select(col(REPORTER), col(HS6), col(PARTNER).as(TOP_PARTNER), col(DisclosureRule.REASON).as("top_reason"));
        List<Row> rows = wh.read(Gold.WATCHLIST).where(col(WATCH_STATUS).isin(Gold.STATUS_NEW, Gold.STATUS_DROPPED)
                        .and(col(AS_OF_MONTH).equalTo(lit(Date.valueOf(asOf)))))
                .join(totals, new scala.collection.immutable.Set.Set2<>(REPORTER, HS6).toSeq(), "left")
                .join(tops, new scala.collection.immutable.Set.Set3<>(REPORTER, HS6, TOP_PARTNER).toSeq(), "left")
                .select(col(REPORTER), col(HS6), col(SCREEN), col(WATCH_STATUS), col(TIER), col(FIRST_SEEN), col(LAST_SEEN),
                        col(AS_OF_MONTH), col(IMPORT_VALUE_USD).cast("double"), col(TOP_PARTNER), col(TOP_PARTNER_SHARE), col(HHI),
                        col("total_reason"), col("top_reason"))
                .orderBy(col(WATCH_STATUS).desc(), col(REPORTER), col(HS6), col(SCREEN)).collectAsList();
        List<Bulletin.WatchChange> out = new ArrayList<>();
        for (Row x : rows) {
            // A dropped item may have no imports left in the window: nothing to reveal, nothing to withhold.
            String reason = x.isNullAt(8) ? null
                    : x.isNullAt(12) ? (x.isNullAt(13) ? null : "top partner: " + x.getString(13)) : x.getString(12);
            boolean c = reason != null;
            out.add(new Bulletin.WatchChange(x.getString(0), x.getString(1), labels.get(x.getString(1)), x.getString(2),
                    x.getString(3), x.isNullAt(4) ? null : x.getInt(4), date(x, 5), date(x, 6), date(x, 7),
                    c ? null : dbl(x, 8), x.getString(9), c ? null : dbl(x, 10), c ? null : dbl(x, 11), reason));
        }
        return out;
    }

    /**
     * The run behind the bulletin (the latest run whose landing dates cover the date, else the latest before it): its
     * stages from ops.runs, what its landing dates quarantined by reason, and the anomaly coverage of the as-of month.
     */
    Bulletin.DataQuality dataQuality(LocalDate date, LocalDate asOf) {
        if (!wh.exists(Ops.RUNS)) {
            return new Bulletin.DataQuality(null, null, null, List.of(), Map.of(), List.of());
        }
        Date d = Date.valueOf(date);
        Dataset<Row> runs = wh.read(Ops.RUNS).where(col(Ops.DATE_FROM).leq(d));
        Optional<Row> run = runs.where(col(Ops.DATE_TO).geq(d)).orderBy(col(Ops.FINISHED_AT).desc()).select(RUN_ID, Ops.DATE_FROM, Ops.DATE_TO)
                .takeAsList(1).stream().findFirst()
                .or(() -> runs.orderBy(col(Ops.DATE_TO).desc(), col(Ops.FINISHED_AT).desc()).select(RUN_ID, Ops.DATE_FROM, Ops.DATE_TO)
                        .takeAsList(1).stream().findFirst());
        if (run.isEmpty()) {
            return new Bulletin.DataQuality(null, null, null, List.of(), Map.of(), List.of());
        }
        String runId = run.get().getString(0);
        LocalDate from = run.get().getDate(1).toLocalDate();
        LocalDate to = run.get().getDate(2).toLocalDate();
        List<Bulletin.StageRun> stages = wh.read(Ops.RUNS).where(col(RUN_ID).equalTo(runId)).orderBy(Ops.STARTED_AT)
                .select(col(STAGE), col(Ops.STATUS), col(Ops.ROWS_IN), col(Ops.ROWS_QUARANTINED), col(Ops.ROWS_OUT),
                        col(Ops.FINISHED_AT).cast("double").minus(col(Ops.STARTED_AT).cast("double")), col(Ops.MESSAGE))
                .collectAsList().stream()
                .map(x -> new Bulletin.StageRun(x.getString(0), x.getString(1), lng(x, 2), lng(x, 3), lng(x, 4),
                        x.isNullAt(5) ? 0 : x.getDouble(5), x.getString(6))).toList();
        Map<String, Long> reasons = new LinkedHashMap<>();
        if (wh.exists(Bronze.QUARANTINE)) {
            wh.read(Bronze.QUARANTINE).where(col(LANDING_DATE).between(Date.valueOf(from), Date.valueOf(to)))
                    .groupBy(REASON_CODE).agg(count(lit(1)).as("n")).orderBy(col("n").desc(), col(REASON_CODE))
                    .collectAsList().forEach(x -> reasons.put(x.getString(0), x.getLong(1)));
        }
        List<Bulletin.Coverage> coverage = List.of();
        if (wh.exists(Gold.ANOMALY_COVERAGE)) {
            coverage = wh.read(Gold.ANOMALY_COVERAGE).where(col(MONTH).equalTo(lit(Date.valueOf(asOf)))).groupBy(REPORTER)
                    .agg(sumLong(SERIES), sumLong(SERIES_JUDGED), sumLong(SERIES_IMMATERIAL), sumLong(SERIES_SHORT_HISTORY), sumLong(FINDINGS))
                    .orderBy(REPORTER).collectAsList().stream()
                    .map(x -> new Bulletin.Coverage(x.getString(0), x.getLong(1), x.getLong(2), x.getLong(3), x.getLong(4), x.getLong(5)))
                    .toList();
        }
        return new Bulletin.DataQuality(runId, from, to, stages, reasons, coverage);
    }

    private static Column sumLong(String c) {
        return coalesce(sum(col(c)), lit(0L)).cast("long").as(c);
    }

    private void require(TableSpec spec) {
        if (!wh.exists(spec)) {
            throw new org.ews.run.EwsException("no " + spec.qualifiedName() + " in warehouse " + wh.root()
                    + ": run the pipeline (bin/ews nightly or backfill) before the report");
        }
    }

    private static Bulletin.Alert withReason(Bulletin.Alert a, String reason) {
        if (reason == null) {
            return a;
        }
        String neutral = a.title() + ": " + describeDetector(a) + " in " + a.month().toString().substring(0, 7)
                + "; figures withheld (" + reason + ")";
        return new Bulletin.Alert(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(), a.month(), a.metric(),
                null, null, null, null, a.score(), a.direction(), a.detector(), a.severity(), null, neutral, a.topPartners(), reason);
    }

    private static String describeDetector(Bulletin.Alert a) {
        String way = "up".equals(a.direction()) ? "an unusual rise" : "an unusual fall";
        return way + " of " + a.metric().replace('_', ' ') + " (" + a.detector() + ")";
    }

    static Double dbl(Row x, int i) {
        return x.isNullAt(i) ? null : ((Number) x.get(i)).doubleValue();
    }

    private static Long lng(Row x, int i) {
        return x.isNullAt(i) ? null : x.getLong(i);
    }

    private static LocalDate date(Row x, int i) {
        return x.isNullAt(i) ? null : x.getDate(i).toLocalDate();
    }
}
