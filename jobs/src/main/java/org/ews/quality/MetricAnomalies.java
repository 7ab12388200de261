package org.ews.quality;

import com.amazon.deequ.anomalydetection.AnomalyDetector;
import com.amazon.deequ.anomalydetection.BatchNormalStrategy;
import com.amazon.deequ.anomalydetection.DataPoint;
import org.ews.config.QualityConfig;
import scala.Option;
import scala.collection.JavaConverters;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The anomaly check of one of the run's own metrics (a reporter's rows or value on one landing date) against the same
 * metric on the reporter's earlier landing dates: Deequ's {@link AnomalyDetector} with its {@link BatchNormalStrategy}
 * (an anomaly lies outside mean ± factor x standard deviation of the history; the new point is not part of it; value
 * sums on a log scale), and a
 * relative change of at least {@code min_change} from the history's mean besides, so a steady history's tiny spread does
 * not make a few rows more a broken feed. The history is the earlier landing dates within {@code history_days}, only the
 * same weekday with {@code same_weekday}; with fewer than {@code min_history} points the slice is not judged.
 *
 * <p>Plain Java and Deequ's detector, no Spark: a backfill judges every (reporter, landing date) of its range here, each
 * against the dates before it, as the nightly runs of those dates would.
 */
public final class MetricAnomalies {
    private MetricAnomalies() {}

    /** One value of a metric on one landing date. */
    public record Point(LocalDate date, double value) {}

    /** The history a point is judged against: earlier points in the window, on the same weekday if configured, by date. */
    public static List<Point> history(LocalDate date, List<Point> earlier, QualityConfig.Anomaly cfg) {
        LocalDate from = date.minusDays(cfg.historyDays());
        List<Point> h = new ArrayList<>();
        for (Point p : earlier) {
            if (p.date().isBefore(date) && !p.date().isBefore(from) && (!cfg.sameWeekday() || p.date().getDayOfWeek() == date.getDayOfWeek())) {
                h.add(p);
            }
        }
        h.sort(Comparator.comparing(Point::date));
        return h;
    }

    /**
     * Judges {@code value} of {@code metric} for {@code reporter} on {@code date} against {@code earlier} points of the same
     * metric and reporter (any dates; those outside the history are ignored).
     */
    public static CheckOutcome judge(String table, String metric, String reporter, LocalDate date, double value, List<Point> earlier,
                                     QualityConfig.Anomaly cfg) {
        return judge(table, metric, reporter, date, value, earlier, metric.equals("rows") ? earlier : null, cfg);
    }

    /**
     * The same, with the reporter's earlier row counts ({@code earlierRows}; null: no volume floor) for the
     * {@code min_mean_rows} floor: a reporter whose history averages fewer rows a day is not judged (skipped).
     */
    public static CheckOutcome judge(String table, String metric, String reporter, LocalDate date, double value, List<Point> earlier,
                                     List<Point> earlierRows, QualityConfig.Anomaly cfg) {
        List<Point> history = history(date, earlier, cfg);
        String rule = "anomaly(" + metric + " per reporter and landing date)";
        String slice = "reporter " + reporter + ", landing date " + date;
        String days = cfg.sameWeekday() ? plural(date.getDayOfWeek().name())
                : "landing dates";
        if (earlierRows != null && history.size() >= cfg.minHistory()) {
            double meanRows = history(date, earlierRows, cfg).stream().mapToDouble(Point::value).average().orElse(0);
            if (meanRows < cfg.minMeanRows()) {
                return new CheckOutcome(table, rule, "anomaly", cfg.level(), CheckOutcome.Status.SKIPPED, slice, reporter, date, metric, value,
                        String.format(Locale.ROOT, "a history of at least %d rows a day", cfg.minMeanRows()), (long) history.size(),
                        String.format(Locale.ROOT, "%s, landing date %s: %s not judged, its %d earlier %s average %,.0f rows a day "
                                + "(quality.anomaly.min_mean_rows: %d)", reporter, date, metric, history.size(), days, meanRows, cfg.minMeanRows()));
            }
        }
        if (history.size() < cfg.minHistory()) {
            return new CheckOutcome(table, rule, "anomaly", cfg.level(), CheckOutcome.Status.SKIPPED, slice, reporter, date, metric, value,
                    String.format(Locale.ROOT, "at least %d earlier %s within %d days", cfg.minHistory(), days, cfg.historyDays()),
                    (long) history.size(), String.format(Locale.ROOT, "%s, landing date %s: %s not judged, %d earlier %s within %d days (%d needed)",
                    reporter, date, metric, history.size(), days, cfg.historyDays(), cfg.minHistory()));
        }
        // Money is judged on a log scale: a day's value is a sum over a few cargoes of very different sizes, so its spread
        // grows with its level, and a wrong unit or currency is a factor, not a difference. Counts are judged as they are.
        boolean log = !metric.equals("rows");
        List<DataPoint<Object>> points = new ArrayList<>();
        for (Point p : history) {
            points.add(new DataPoint<>(p.date().toEpochDay(), Option.<Object>apply(scale(p.value(), log))));
        }
        AnomalyDetector detector = new AnomalyDetector(new BatchNormalStrategy(Option.<Object>apply(cfg.deviationFactor()),
                Option.<Object>apply(cfg.deviationFactor()), false));
        boolean outside = !detector.isNewPointAnomalous(JavaConverters.asScalaBuffer(points).toSeq(),
                new DataPoint<>(date.toEpochDay(), Option.<Object>apply(scale(value, log)))).anomalies().isEmpty();

        // The band Deequ judged by (its strategy takes breeze's mean and sample variance), for the record and the message.
        double center = history.stream().mapToDouble(p -> scale(p.value(), log)).average().orElse(0);
        double var = history.stream().mapToDouble(p -> (scale(p.value(), log) - center) * (scale(p.value(), log) - center)).sum()
                / (history.size() - 1);
        double sd = Math.sqrt(var);
        double lower = unscale(center - cfg.deviationFactor() * sd, log);
        double upper = unscale(center + cfg.deviationFactor() * sd, log);
        double mean = history.stream().mapToDouble(Point::value).average().orElse(0);
        double change = mean == 0 ? (value == 0 ? 0 : Double.POSITIVE_INFINITY) : (value - mean) / Math.abs(mean);
        boolean failed = outside && Math.abs(change) >= cfg.minChange();
        String requirement = String.format(Locale.ROOT, "within [%s, %s] (mean ± %s sd%s of %d earlier %s) or less than %.0f%% from the mean %s",
                Checks.shortNumber(lower), Checks.shortNumber(upper), Checks.shortNumber(cfg.deviationFactor()), log ? " of ln(1 + value)" : "",
                history.size(), days,
                cfg.minChange() * 100, Checks.shortNumber(mean));
        // Money stays out of the message (it reaches the bulletin): a count of lines is shown, a value only as a change.
        boolean money = !metric.equals("rows");
        String how = Double.isInfinite(change) ? "above a mean of zero" : String.format(Locale.ROOT, "%.0f%% %s the mean", Math.abs(change) * 100,
                change < 0 ? "below" : "above");
        String message = String.format(Locale.ROOT, "%s, landing date %s: %s %s%s of %d earlier %s%s%s", reporter, date,
                money ? metric : String.format(Locale.ROOT, "%,.0f rows,", value), how, money ? "" : String.format(Locale.ROOT, " (%,.0f)", mean),
                history.size(), days, money ? "" : String.format(Locale.ROOT, "; normal range %,.0f to %,.0f", Math.max(0, lower), upper),
                failed ? "" : outside ? ": within the minimum change" : ": normal");
        return new CheckOutcome(table, rule, "anomaly", cfg.level(), failed ? CheckOutcome.Status.FAILED : CheckOutcome.Status.PASSED,
                slice, reporter, date, metric, value, requirement, (long) history.size(), message);
    }

    private static double scale(double v, boolean log) {
        return log ? Math.log1p(Math.max(0, v)) : v;
    }

    private static double unscale(double v, boolean log) {
        return log ? Math.expm1(v) : v;
    }

    private static String plural(String day) {
        return day.charAt(0) + day.substring(1).toLowerCase(Locale.ROOT) + "s";
    }
}
