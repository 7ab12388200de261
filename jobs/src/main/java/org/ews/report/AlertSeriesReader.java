package org.ews.report;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.publish.DisclosureRule;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.*;

/**
 * The monthly series behind findings, as the detectors saw them (value, kilograms, unit value, partner share, 12-month
 * sum, mirror ratio; sectors through the HS6 bridge weights), each month judged by the disclosure rule on the firms
 * behind it. Reads only the products, reporters and months the findings need, in one join each with
 * gold.trade_monthly and gold.firm_trade_monthly, and computes the months on the driver: a bulletin has a few dozen.
 */
final class AlertSeriesReader {
    private static final StructType WANTED = new StructType().add(REPORTER, DataTypes.StringType).add(FLOW, DataTypes.StringType)
            .add(HS6, DataTypes.StringType).add("from", DataTypes.DateType).add("to", DataTypes.DateType);

    static final String NO_FIRM_DATA = "no firm data to judge the cell";

    private final SparkSession spark;
    private final Warehouse wh;
    private final DisclosureRule rule;
    private final Map<String, Map<String, Double>> sectorWeights;

    AlertSeriesReader(SparkSession spark, Warehouse wh, DisclosureRule rule, Map<String, Map<String, Double>> sectorWeights) {
        this.spark = spark;
        this.wh = wh;
        this.rule = rule;
        this.sectorWeights = sectorWeights;
    }

    /** One trade_monthly cell part: a product, partner and month of one reporter and flow. */
    private record Trade(String hs6, String partner, LocalDate month, double value, double kg, double valueWithKg) {}

    /** A firm group's (ultimate parent's) part of a cell: two subsidiaries of one group are one trader. */
    private record Firm(String hs6, String partner, LocalDate month, String firm, double value) {}

    /** Sums of a cell and its firms' values. */
    private record Cell(double value, double kg, double valueWithKg, Map<String, Double> firms) {
        Optional<String> reason(DisclosureRule rule) {
            return rule.reason(firms.entrySet());
        }
    }

    /**
     * Each alert with the {@code shown} months to its own, its findings' bands in that window and its disclosure reason
     * set on the alert: its own month's cell, else any confidential month of the {@code historyMonths} before it (the
     * expected value, band, value at stake and explanation are made of those months).
     */
    List<Bulletin.AlertSeries> read(List<Bulletin.Alert> alerts, int shown, int historyMonths, List<Bulletin.Alert> bandsFrom) {
        int months = Math.max(shown, historyMonths + 1);
        if (alerts.isEmpty()) {
            return List.of();
        }
        List<Row> wanted = new ArrayList<>();
        for (Bulletin.Alert a : alerts) {
            LocalDate from = a.month().minusMonths(months - 1 + ("value_usd_12m".equals(a.metric()) ? 11 : 0));
            for (String hs6 : weights(a).keySet()) {
                wanted.add(RowFactory.create(a.reporter(), a.flow(), hs6, Date.valueOf(from), Date.valueOf(a.month())));
                if ("mirror_ratio".equals(a.metric())) {
                    wanted.add(RowFactory.create(a.partner(), "X", hs6, Date.valueOf(from), Date.valueOf(a.month())));
                }
            }
        }
        Dataset<Row> keys = broadcast(spark.createDataFrame(wanted, WANTED).distinct());
        org.apache.spark.sql.Column on = col("t." + REPORTER).equalTo(col("k." + REPORTER)).and(col("t." + FLOW).equalTo(col("k." + FLOW)))
                .and(col("t." + HS6).equalTo(col("k." + HS6))).and(col("t." + MONTH).between(col("k.from"), col("k.to")));
        Map<String, List<Trade>> trade = new HashMap<>();
        wh.read(Gold.TRADE_MONTHLY).as("t").join(keys.as("k"), on, "left_semi")
                .select(REPORTER, FLOW, HS6, PARTNER, MONTH, VALUE_USD, QUANTITY_KG, VALUE_USD_WITH_KG).collectAsList()
                .forEach(x -> trade.computeIfAbsent(x.getString(0) + x.getString(1), k -> new ArrayList<>())
                        .add(new Trade(x.getString(2), x.getString(3), x.getDate(4).toLocalDate(), num(x, 5), num(x, 6), num(x, 7))));
        Map<String, List<Firm>> firms = new HashMap<>();
        if (wh.exists(Gold.FIRM_TRADE_MONTHLY)) {
            wh.read(Gold.FIRM_TRADE_MONTHLY).as("t").join(keys.as("k"), on, "left_semi")
                    .select(REPORTER, FLOW, HS6, PARTNER, MONTH, PARENT_FIRM_ID, VALUE_USD).collectAsList()
                    .forEach(x -> firms.computeIfAbsent(x.getString(0) + x.getString(1), k -> new ArrayList<>())
                            .add(new Firm(x.getString(2), x.getString(3), x.getDate(4).toLocalDate(), x.getString(5), num(x, 6))));
        }
        List<Bulletin.AlertSeries> out = new ArrayList<>();
        for (Bulletin.Alert a : alerts) {
            List<Bulletin.Point> points = new ArrayList<>();
            for (int i = months - 1; i >= 0; i--) {
                points.add(point(a, a.month().minusMonths(i), trade, firms));
            }
            String reason = points.get(points.size() - 1).suppressionReason();
            if (reason == null) {
                reason = points.subList(points.size() - 1 - historyMonths, points.size() - 1).stream()
                        .map(Bulletin.Point::suppressionReason).filter(java.util.Objects::nonNull).findFirst()
                        .map(r -> BulletinQueries.HISTORY_REASON + " (" + r + ")").orElse(null);
            }
            points = new ArrayList<>(points.subList(points.size() - shown, points.size()));
            Bulletin.Alert judged = new Bulletin.Alert(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(),
                    a.month(), a.metric(), a.observed(), a.expected(), a.lower(), a.upper(), a.score(), a.direction(), a.detector(),
                    a.severity(), a.valueAtStakeUsd(), a.explanation(), a.topPartners(), reason);
            List<Bulletin.Band> bands = new ArrayList<>();
            LocalDate first = points.get(0).month();
            for (Bulletin.Alert f : bandsFrom) {
                if (f.seriesId().equals(a.seriesId()) && !f.month().isBefore(first) && !f.month().isAfter(a.month())) {
                    // A band is a figure about the cell too: drawn only where the month's own value may be shown.
                    boolean drawable = points.stream().anyMatch(p -> p.month().equals(f.month()) && p.suppressionReason() == null);
                    if (drawable && reason == null) {
                        bands.add(new Bulletin.Band(f.month(), f.expected(), f.lower(), f.upper()));
                    }
                }
            }
            out.add(new Bulletin.AlertSeries(judged, points, bands));
        }
        return out;
    }

    private Bulletin.Point point(Bulletin.Alert a, LocalDate m, Map<String, List<Trade>> trade, Map<String, List<Firm>> firms) {
        String partner = "*".equals(a.partner()) ? null : a.partner();
        Map<String, Double> w = weights(a);
        String key = a.reporter() + a.flow();
        Cell own;
        Set<Optional<String>> reasons = new LinkedHashSet<>();
        Double value;
        switch (a.metric()) {
            case "partner_share" -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m, m);
                Cell all = cell(trade.get(key), firms.get(key), w, null, m, m);
                reasons.add(own.reason(rule));
                reasons.add(all.reason(rule));
                value = all.value() > 0 ? own.value() / all.value() : null;
            }
            case "value_usd_12m" -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m.minusMonths(11), m);
                reasons.add(own.reason(rule));
                value = own.value();
            }
            case "mirror_ratio" -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m, m);
                String theirKey = a.partner() + "X";
                Cell theirs = cell(trade.get(theirKey), firms.get(theirKey), w, a.reporter(), m, m);
                reasons.add(own.reason(rule));
                reasons.add(theirs.reason(rule));
                value = theirs.value() > 0 ? own.value() / theirs.value() : null;
            }
            case "quantity_kg" -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m, m);
                reasons.add(own.reason(rule));
                value = own.kg() > 0 ? own.kg() : null;
            }
            case "unit_value_usd_per_kg" -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m, m);
                reasons.add(own.reason(rule));
                value = own.kg() > 0 ? own.valueWithKg() / own.kg() : null;
            }
            default -> {
                own = cell(trade.get(key), firms.get(key), w, partner, m, m);
                reasons.add(own.reason(rule));
                value = own.value();
            }
        }
        // A month without trade reveals nobody: zero is a figure anyone may see. Trade without firm rows cannot be judged.
        if (own.firms().isEmpty()) {
            return own.value() == 0 ? new Bulletin.Point(m, value, null) : new Bulletin.Point(m, null, NO_FIRM_DATA);
        }
        String reason = reasons.stream().flatMap(Optional::stream).findFirst().orElse(null);
        return new Bulletin.Point(m, reason == null ? value : null, reason);
    }

    private static Cell cell(List<Trade> trade, List<Firm> firms, Map<String, Double> weights, String partner,
                             LocalDate from, LocalDate to) {
        double v = 0;
        double kg = 0;
        double vk = 0;
        for (Trade t : trade == null ? List.<Trade>of() : trade) {
            Double w = weights.get(t.hs6());
            if (w != null && (partner == null || partner.equals(t.partner())) && !t.month().isBefore(from) && !t.month().isAfter(to)) {
                v += w * t.value();
                kg += w * t.kg();
                vk += w * t.valueWithKg();
            }
        }
        Map<String, Double> byFirm = new HashMap<>();
        for (Firm f : firms == null ? List.<Firm>of() : firms) {
            Double w = weights.get(f.hs6());
            if (w != null && (partner == null || partner.equals(f.partner())) && !f.month().isBefore(from) && !f.month().isAfter(to)) {
                byFirm.merge(f.firm(), w * f.value(), Double::sum);
            }
        }
        return new Cell(v, kg, vk, byFirm);
    }

    private Map<String, Double> weights(Bulletin.Alert a) {
        return "hs6".equals(a.level()) ? Map.of(a.seriesKey(), 1.0) : sectorWeights.getOrDefault(a.seriesKey(), Map.of());
    }

    private static double num(Row x, int i) {
        return x.isNullAt(i) ? 0 : ((Number) x.get(i)).doubleValue();
    }
}
