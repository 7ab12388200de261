package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * One month of one group being judged: the trailing windows, and which series pass the materiality rules. Shared by
 * the detectors so they agree on what "material", "history" and "expected level" mean.
 */
final class MonthContext {
    /** Logs of values below this share of the series' mean month are read at it: a stop is a large fall, not -infinity. */
    static final double LOG_FLOOR_SHARE = 0.01;

    final SeriesGroup g;
    final int t;
    final AnomaliesConfig config;

    MonthContext(SeriesGroup g, int t, AnomaliesConfig config) {
        this.g = g;
        this.t = t;
        this.config = config;
    }

    YearMonth month() {
        return g.month(t);
    }

    /** Months of product history before t. */
    int history() {
        return t - g.historyStart;
    }

    boolean hasHistory() {
        return history() >= config.minHistoryMonths();
    }

    /** Start of the trailing window of {@code months} months before t, clipped to the product's history. */
    int from(int months) {
        return Math.max(g.historyStart, t - months);
    }

    int levelFrom() {
        return from(config.levelMonths());
    }

    int historyFrom() {
        return from(config.historyMonths());
    }

    /** Mean monthly value of {@code s} over the trailing level window. */
    double meanValue(MonthlySeries s) {
        return RobustStats.mean(s.value, levelFrom(), t);
    }

    /** The series moves enough money, and a partner supplies enough of the product, to be judged at all. */
    boolean material(MonthlySeries s) {
        double mean = meanValue(s);
        if (!(mean >= config.minMonthlyValueUsd()) || mean <= 0) {
            return false;
        }
        if (s.isTotal()) {
            return true;
        }
        double product = RobustStats.sum(g.total.value, levelFrom(), t);
        return product > 0 && RobustStats.sum(s.value, levelFrom(), t) / product >= config.minPartnerShare();
    }

    /** Enough declarations a month for month-level detectors. */
    boolean supported(MonthlySeries s) {
        return RobustStats.mean(s.declarations, levelFrom(), t) >= config.minDeclarations();
    }

    /** The all-partners series, then the material partner series. */
    List<MonthlySeries> materialSeries() {
        List<MonthlySeries> out = new ArrayList<>();
        if (material(g.total)) {
            out.add(g.total);
            for (MonthlySeries s : g.partners.values()) {
                if (material(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** ln(max(x, floor)) over [from, to), floor a fixed share of the series' mean month. */
    static double[] logs(double[] x, int from, int to, double floor) {
        double[] out = new double[Math.max(0, to - from)];
        for (int i = from; i < to; i++) {
            out[i - from] = Math.log(Math.max(x[i], floor));
        }
        return out;
    }

    double logFloor(double[] x) {
        double mean = RobustStats.mean(x, levelFrom(), t);
        return Math.max(LOG_FLOOR_SHARE * (Double.isNaN(mean) ? 0 : mean), 1e-9);
    }

    /** "Imports of HS 250410 from CN", "Exports of sector semiconductors to CN", "Imports of HS 250410". */
    String subject(String partner) {
        return Explain.flowWord(g.flow) + " of " + what() + Explain.partnerPhrase(g.flow, partner);
    }

    String what() {
        return (SeriesGroup.LEVEL_HS6.equals(g.level) ? "HS " : "sector ") + g.key;
    }
}
