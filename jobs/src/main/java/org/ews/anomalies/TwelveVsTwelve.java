package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * Slow drifts: the last 12 months against the 12 before. The noise of a 12-month sum is taken from the series' own
 * monthly spread (robust sigma of log values / sqrt 6 for the log ratio of two sums) and from its declarations
 * ({@code declaration_noise} x sqrt(1/n1 + 1/n0): a flow of a few cargoes a year moves by whole cargoes), so a lumpy
 * flow needs a larger change. Reported once, in the month the change first passes both {@code min_change} and {@code threshold}, not in
 * every month it stays past them.
 */
final class TwelveVsTwelve extends ConfiguredDetector<AnomaliesConfig.TwelveVsTwelve> {
    static final String NAME = "twelve_vs_twelve";
    static final String METRIC = "value_usd_12m";
    private static final double MIN_LOG_SIGMA = 0.02;


    TwelveVsTwelve(AnomaliesConfig.TwelveVsTwelve settings) {
        super(NAME, settings);
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        if (m.t - 24 < m.g.historyStart) {
            return;
        }
        for (MonthlySeries s : m.materialSeries()) {
            double floor = m.logFloor(s.value);
            double monthly = RobustStats.sigma(MonthContext.logs(s.value, m.historyFrom(), m.t, floor), 0) / Math.sqrt(6);
            double now = RobustStats.sum(s.value, m.t - 11, m.t + 1);
            double before = RobustStats.sum(s.value, m.t - 23, m.t - 11);
            double nowPrev = RobustStats.sum(s.value, m.t - 12, m.t);
            double beforePrev = RobustStats.sum(s.value, m.t - 24, m.t - 12);
            double sd = Math.max(Math.max(monthly, MIN_LOG_SIGMA), declarationNoise(s, m.t - 11, m.t + 1, m.t - 23, m.t - 11));
            double half = halfDeclaration(s, m.t - 23, m.t - 11, before);
            if (before <= 0 || !past(now, before, half, sd)) {
                continue;
            }
            double sdPrev = Math.max(Math.max(monthly, MIN_LOG_SIGMA), declarationNoise(s, m.t - 12, m.t, m.t - 24, m.t - 12));
            if (beforePrev > 0 && past(nowPrev, beforePrev, halfDeclaration(s, m.t - 24, m.t - 12, beforePrev), sdPrev)) {
                continue; // already reported when it first passed
            }
            double z = Math.log((now + half) / (before + half)) / sd;
            double lower = before * Math.exp(-settings.threshold() * sd);
            double upper = before * Math.exp(settings.threshold() * sd);
            String text = String.format("%s over the 12 months to %s %s to %s, against %s in the 12 months before (band %s; z %s)",
                    m.subject(s.partner), m.month(), Explain.change(now, before), Explain.usd(now), Explain.usd(before),
                    Explain.usdRange(lower, upper), Explain.num(z, 1));
            out.add(new Finding(s.partner, m.t, METRIC, now, before, lower, upper, Math.abs(z), settings.threshold(),
                    now > before ? Finding.Direction.up : Finding.Direction.down, NAME, Math.abs(now - before) / 12, text,
                    Finding.Basis.TWELVE_MONTHS));
        }
    }

    /** Counting noise of the log ratio of two sums of declarations' values (at least one declaration a side). */
    private double declarationNoise(MonthlySeries s, int nowFrom, int nowTo, int beforeFrom, int beforeTo) {
        double n1 = Math.max(1, RobustStats.sum(s.declarations, nowFrom, nowTo));
        double n0 = Math.max(1, RobustStats.sum(s.declarations, beforeFrom, beforeTo));
        return settings.declarationNoise() * Math.sqrt(1 / n1 + 1 / n0);
    }

    /**
     * Half the mean value of a declaration in the earlier window: added to both sums (a continuity correction), so
     * that a flow of 8 cargoes a year that sent none this year reads as 1/17 of itself, not as a fall to minus infinity.
     */
    private static double halfDeclaration(MonthlySeries s, int from, int to, double before) {
        return before / Math.max(1, RobustStats.sum(s.declarations, from, to)) / 2;
    }

    private boolean past(double now, double before, double half, double sd) {
        double ratio = now / before;
        double z = Math.log((now + half) / (before + half)) / sd;
        return (ratio >= 1 + settings.minChange() || ratio <= 1 - settings.minChange()) && Math.abs(z) >= settings.threshold();
    }
}
