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
    static final String HISTORY_REASON = "its history holds a confidential month";

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
        LocalDate watchlistAsOf = wh.exists(Gold.WATCHLIST)
                ? date(wh.read(Gold.WATCHLIST).agg(org.apache.spark.sql.functions.max(AS_OF_MONTH)).head(), 0) : null;
        List<Bulletin.Alert> month = window.stream().filter(a -> a.month().equals(asOf)).toList();
        int minRank = SEVERITY_ORDER.indexOf(r.minSeverity());
        List<Bulletin.Alert> headlineAlerts = month.stream().filter(a -> SEVERITY_ORDER.indexOf(a.severity()) >= minRank)
                .limit(r.maxAlerts()).toList();
        AlertSeriesReader reader = new AlertSeriesReader(spark, wh, rule, sectorWeights());
        // One read for every finding of the month: each is judged on its month and history, and all are in the extract;
        // the headline ones (a prefix: the month is sorted most severe first) keep their chart.
        List<Bulletin.AlertSeries> series = reader.read(month, r.chartMonths(), config.anomalies().historyMonths(), window).stream()
                .map(h -> new Bulletin.AlertSeries(published(h.alert()), h.points(), h.bands())).toList();
        List<Bulletin.AlertSeries> headline = series.subList(0, headlineAlerts.size());
        List<Bulletin.Alert> judged = series.stream().map(Bulletin.AlertSeries::alert).toList();
        int year = asOf.getYear();
        Bulletin.DataQuality dq = dataQuality(date, asOf);
        return new Bulletin(date, asOf, dq.runId(), reporters, judged, headline, year, asOf.getMonthValue() < 12,
                sectors(year), watchlistAsOf, watchChanges(asOf, labels), dq,
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
                    x.getString(6), dbl(x, 7), dbl(x, 8), dbl(x, 9), dbl(x, 10), dbl(x, 11), x.getString(12),
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
        Dataset<Row> rows = wh.read(Gold.SECTOR_EXPOSURE).where(col(YEAR).equalTo(year));
        List<Row> judged = judgeRows(rows, firms, "weighted", SECTOR)
                .select(col(REPORTER), col(SECTOR), col(YEAR), col(IMPORT_VALUE_USD).cast("double"), col(PARTNERS), col(TOP_PARTNER),
                        col(TOP_PARTNER_SHARE), col(HHI), col(CONCERN_SHARE), col(DEPENDENT_PRODUCTS), col(FIRMS_EXPOSED),
                        col(IS_PARTIAL_YEAR), col(DisclosureRule.REASON))
                .orderBy(REPORTER, SECTOR).collectAsList();
        List<Bulletin.SectorRow> out = new ArrayList<>();
        for (Row x : judged) {
            String reason = x.getString(12);
            boolean c = reason != null;
            // firms_exposed comes from the firm groups' own imports: withheld with the row's figures.
            out.add(new Bulletin.SectorRow(x.getString(0), x.getString(1), x.getInt(2), c ? null : dbl(x, 3),
                    x.isNullAt(4) ? null : x.getLong(4), x.getString(5), c ? null : dbl(x, 6), c ? null : dbl(x, 7),
                    c ? null : dbl(x, 8), x.isNullAt(9) ? null : x.getLong(9), c || x.isNullAt(10) ? null : x.getLong(10),
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
        Dataset<Row> items = wh.read(Gold.WATCHLIST).where(col(WATCH_STATUS).isin(Gold.STATUS_NEW, Gold.STATUS_DROPPED)
                .and(col(AS_OF_MONTH).equalTo(lit(Date.valueOf(asOf)))));
        List<Row> rows = judgeRows(items, firms, VALUE_USD, HS6)
                .select(col(REPORTER), col(HS6), col(SCREEN), col(WATCH_STATUS), col(TIER), col(FIRST_SEEN), col(LAST_SEEN),
                        col(AS_OF_MONTH), col(IMPORT_VALUE_USD).cast("double"), col(TOP_PARTNER), col(TOP_PARTNER_SHARE), col(HHI),
                        col(DisclosureRule.REASON))
                .orderBy(col(WATCH_STATUS).desc(), col(REPORTER), col(HS6), col(SCREEN)).collectAsList();
        List<Bulletin.WatchChange> out = new ArrayList<>();
        for (Row x : rows) {
            // A dropped item may have no imports left in the window: nothing to reveal, nothing to withhold.
            String reason = x.isNullAt(8) ? null : x.getString(12);
            boolean c = reason != null;
            out.add(new Bulletin.WatchChange(x.getString(0), x.getString(1), labels.get(x.getString(1)), x.getString(2),
                    x.getString(3), x.isNullAt(4) ? null : x.getInt(4), date(x, 5), date(x, 6), date(x, 7),
                    c ? null : dbl(x, 8), x.getString(9), c ? null : dbl(x, 10), c ? null : dbl(x, 11), reason));
        }
        return out;
    }

    /**
     * {@code rows} (reporter, {@code key}, top_partner, ...) with {@link DisclosureRule#REASON}: the first confidential of
     * the cells their figures reveal. The whole (imports), the top partner (its share), the other partners together
     * (imports minus the top partner's: with two partners, the second one's) and the concern group's countries (the
     * concern share), each over the firm groups of {@code firms} (value in {@code value}).
     */
    private Dataset<Row> judgeRows(Dataset<Row> rows, Dataset<Row> firms, String value, String key) {
        scala.collection.Seq<String> on = new scala.collection.immutable.Set.Set2<>(REPORTER, key).toSeq();
        Dataset<Row> tops = rows.select(REPORTER, key, TOP_PARTNER).distinct();
        Dataset<Row> tagged = firms.join(tops, on, "inner")
                .withColumn("is_top", col(PARTNER).equalTo(col(TOP_PARTNER)))
                .withColumn("is_concern", col(PARTNER).isin(concernGroup()));
        Dataset<Row> whole = rule.cells(tagged, PARENT_FIRM_ID, value, REPORTER, key)
                .select(col(REPORTER), col(key), col(DisclosureRule.REASON).as("r_whole"), col(DisclosureRule.TRADERS).as("n_whole"));
        Dataset<Row> top = rule.cells(tagged.where(col("is_top")), PARENT_FIRM_ID, value, REPORTER, key)
                .select(col(REPORTER), col(key), col(DisclosureRule.REASON).as("r_top"));
        Dataset<Row> others = rule.cells(tagged.where(org.apache.spark.sql.functions.not(col("is_top"))), PARENT_FIRM_ID, value, REPORTER, key)
                .select(col(REPORTER), col(key), col(DisclosureRule.REASON).as("r_others"));
        Dataset<Row> concern = rule.cells(tagged.where(col("is_concern")), PARENT_FIRM_ID, value, REPORTER, key)
                .select(col(REPORTER), col(key), col(DisclosureRule.REASON).as("r_concern"));
        // No firm rows behind a row with imports: nothing to judge it on, so it is withheld.
        return rows.join(whole, on, "left").join(top, on, "left").join(others, on, "left").join(concern, on, "left")
                .withColumn(DisclosureRule.REASON, org.apache.spark.sql.functions.coalesce(
                        col("r_whole"),
                        org.apache.spark.sql.functions.when(col(IMPORT_VALUE_USD).gt(0).and(col("n_whole").isNull()),
                                lit(AlertSeriesReader.NO_FIRM_DATA)),
                        org.apache.spark.sql.functions.concat(lit("top partner: "), col("r_top")),
                        org.apache.spark.sql.functions.concat(lit("other partners: "), col("r_others")),
                        org.apache.spark.sql.functions.concat(lit("concern countries: "), col("r_concern"))));
    }

    private Object[] concernGroup() {
        return config.countryGroup(config.metrics().concernGroup()).toArray();
    }

    /**
     * The run behind the bulletin (the latest run whose landing dates cover the date, else the latest before it): its
     * stages from ops.runs, what its landing dates quarantined by reason, the anomaly coverage of the as-of month, and its
     * data-quality checks from ops.dq_results (counts, and every check that failed).
     */
    public Bulletin.DataQuality dataQuality(LocalDate date, LocalDate asOf) {
        if (!wh.exists(Ops.RUNS)) {
            return new Bulletin.DataQuality(null, null, null, List.of(), Map.of(), List.of(), Bulletin.CheckCounts.NONE, List.of());
        }
        Date d = Date.valueOf(date);
        // Runs that read landing data (not a publish or maintain run on its own).
        Dataset<Row> dataRuns = wh.read(Ops.RUNS).where(col(STAGE).equalTo("ingest")).select(RUN_ID).distinct();
        Dataset<Row> runs = wh.read(Ops.RUNS).where(col(Ops.DATE_FROM).leq(d)).join(dataRuns, RUN_ID);
        Optional<Row> run = runs.where(col(Ops.DATE_TO).geq(d)).orderBy(col(Ops.FINISHED_AT).desc()).select(RUN_ID, Ops.DATE_FROM, Ops.DATE_TO)
                .takeAsList(1).stream().findFirst()
                .or(() -> runs.orderBy(col(Ops.DATE_TO).desc(), col(Ops.FINISHED_AT).desc()).select(RUN_ID, Ops.DATE_FROM, Ops.DATE_TO)
                        .takeAsList(1).stream().findFirst());
        if (run.isEmpty()) {
            return new Bulletin.DataQuality(null, null, null, List.of(), Map.of(), List.of(), Bulletin.CheckCounts.NONE, List.of());
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
        Bulletin.CheckCounts counts = Bulletin.CheckCounts.NONE;
        List<Bulletin.QualityCheck> failed = List.of();
        if (wh.exists(Ops.DQ_RESULTS)) {
            Dataset<Row> checks = wh.read(Ops.DQ_RESULTS).where(col(RUN_ID).equalTo(runId)).persist();
            try {
                Map<String, Long> n = new HashMap<>();
                checks.groupBy(col(Ops.STATUS), col(Ops.CHECK_LEVEL)).count().collectAsList()
                        .forEach(x -> n.merge("failed".equals(x.getString(0)) ? x.getString(1) : x.getString(0), x.getLong(2), Long::sum));
                counts = new Bulletin.CheckCounts(n.getOrDefault("passed", 0L), n.getOrDefault("warning", 0L),
                        n.getOrDefault("error", 0L), n.getOrDefault("skipped", 0L));
                // Errors first (what stopped the run), then by stage in run order, table, slice.
                failed = checks.where(col(Ops.STATUS).equalTo("failed"))
                        .orderBy(col(Ops.CHECK_LEVEL), org.apache.spark.sql.functions.array_position(
                                org.apache.spark.sql.functions.array(lit("conform"), lit("metrics"), lit("anomalies")), col(STAGE)),
                                col(Ops.TABLE_NAME), col(LANDING_DATE), col(REPORTER), col(Ops.RULE), col(Ops.SLICE))
                        .select(STAGE, Ops.TABLE_NAME, Ops.RULE, Ops.CHECK_LEVEL, Ops.SLICE, Ops.MESSAGE).collectAsList().stream()
                        .map(x -> new Bulletin.QualityCheck(x.getString(0), x.getString(1), x.getString(2), x.getString(3),
                                x.getString(4), x.getString(5))).toList();
            } finally {
                checks.unpersist();
            }
        }
        return new Bulletin.DataQuality(runId, from, to, stages, reasons, coverage, counts, failed);
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

    /**
     * The alert as it may leave the warehouse. Withheld: figures and score (a share, for new_partner) null, and an
     * explanation without figures. Shown: the stored explanation is not published (it names partners' changes in USD,
     * cells judged nowhere); one is written from the figures that passed, with the partners behind it by code only.
     */
    private static Bulletin.Alert published(Bulletin.Alert a) {
        String reason = a.suppressionReason();
        if (reason != null && reason.startsWith(HISTORY_REASON)) {
            // The month itself may be shown; what its history expected may not.
            java.util.function.DoubleFunction<String> f = BulletinHtml.format(a.metric());
            String text = a.title() + ": " + BulletinHtml.metricNoun(a.metric()) + ("up".equals(a.direction()) ? " rose to " : " fell to ")
                    + (a.observed() == null ? "n/a" : f.apply(a.observed())) + " in " + a.month().toString().substring(0, 7)
                    + "; expected value withheld (" + reason + ") [" + a.detector() + "]";
            return new Bulletin.Alert(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(), a.month(), a.metric(),
                    a.observed(), null, null, null, null, a.direction(), a.detector(), a.severity(), null, text, a.topPartners(), reason);
        }
        if (reason != null) {
            String neutral = a.title() + ": " + describeDetector(a) + " in " + a.month().toString().substring(0, 7)
                    + "; figures withheld (" + reason + ")";
            return new Bulletin.Alert(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(), a.month(), a.metric(),
                    null, null, null, null, null, a.direction(), a.detector(), a.severity(), null, neutral, a.topPartners(), reason);
        }
        java.util.function.DoubleFunction<String> f = BulletinHtml.format(a.metric());
        StringBuilder text = new StringBuilder(a.title()).append(": ").append(BulletinHtml.metricNoun(a.metric()))
                .append("up".equals(a.direction()) ? " rose to " : " fell to ").append(a.observed() == null ? "n/a" : f.apply(a.observed()))
                .append(" in ").append(a.month().toString(), 0, 7);
        if (a.expected() != null) {
            text.append(", expected ").append(f.apply(a.expected()));
        }
        if (a.lower() != null && a.upper() != null) {
            text.append(" (normal range ").append(f.apply(a.lower())).append(" to ").append(f.apply(a.upper())).append(")");
        }
        if (!a.topPartners().isEmpty()) {
            text.append("; mostly ").append(String.join(", ", a.topPartners()));
        }
        return new Bulletin.Alert(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(), a.month(), a.metric(),
                a.observed(), a.expected(), a.lower(), a.upper(), a.score(), a.direction(), a.detector(), a.severity(),
                a.valueAtStakeUsd(), text.append(" [").append(a.detector()).append("]").toString(), a.topPartners(), null);
    }

    private static String describeDetector(Bulletin.Alert a) {
        String way = "up".equals(a.direction()) ? "an unusual rise" : "an unusual fall";
        return way + " of its " + BulletinHtml.metricNoun(a.metric()) + " (" + a.detector() + ")";
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
