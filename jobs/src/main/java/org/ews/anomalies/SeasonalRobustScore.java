package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * The month against its expected level, on log values: the median of the trailing level window plus a seasonal
 * offset, judged by the modified z-score against the spread (MAD) of the trailing history. The seasonal offset of a
 * calendar month is its deviation from the surrounding 12 months in each of the last {@code seasonal_years} years;
 * it is used only when every such year agrees in sign, and then the smallest of them, so a February dip around the
 * Lunar New Year is expected while one odd year (a past shock) never becomes "the season".
 *
 * <p>Customs values are lumpy: a month's value is a sum over a Poisson number of declarations of very different
 * sizes, so on log values a month short of two cargoes, or with one giant cargo, sits far out in the tail. A move is
 * therefore reported only when the number of declarations moved the same way beyond chance too: given the
 * declarations the expected value would take at the usual value per declaration, the Poisson probability of as few
 * (a fall) or as many (a rise) as the month had is at most {@code max_count_chance}.
 */
final class SeasonalRobustScore implements Detector {
    static final String NAME = "seasonal_robust";
    /** Spread floor on log values: a very regular series still varies by a few percent. */
    static final double MIN_LOG_SIGMA = 0.05;

    private final AnomaliesConfig.SeasonalRobust settings;

    SeasonalRobustScore(AnomaliesConfig.SeasonalRobust settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        for (MonthlySeries s : m.materialSeries()) {
            if (!m.supported(s)) {
                continue;
            }
            for (String metric : settings.metrics()) {
                boolean kg = metric.equals("quantity_kg");
                if (kg && !m.g.hasQuantities()) {
                    continue;
                }
                judge(m, s, metric, kg ? s.kg : s.value, out);
            }
        }
    }

    /** Expected log level of x at t (median of the level window plus the seasonal offset); NaN without enough history. */
    static double[] expectation(MonthContext m, double[] x, int seasonalYears) {
        double floor = m.logFloor(x);
        double level = RobustStats.median(MonthContext.logs(x, m.levelFrom(), m.t, floor));
        double sigma = RobustStats.sigma(MonthContext.logs(x, m.historyFrom(), m.t, floor), MIN_LOG_SIGMA);
        double offset = seasonalOffset(m, x, floor, seasonalYears);
        return new double[]{level + offset, sigma, floor, offset};
    }

    private void judge(MonthContext m, MonthlySeries s, String metric, double[] x, List<Finding> out) {
        double[] e = expectation(m, x, settings.seasonalYears());
        double expectedLog = e[0];
        double sigma = e[1];
        double floor = e[2];
        double observed = x[m.t];
        double z = (Math.log(Math.max(observed, floor)) - expectedLog) / sigma;
        double expected = Math.exp(expectedLog);
        double ratio = observed / expected;
        boolean up = z >= settings.threshold() && ratio >= 1 + settings.minChange();
        boolean down = z <= -settings.threshold() && ratio <= 1 - settings.minChange();
        if (!up && !down) {
            return;
        }
        double valuePerDeclaration = RobustStats.sum(x, m.levelFrom(), m.t) / Math.max(1e-9, RobustStats.sum(s.declarations, m.levelFrom(), m.t));
        double expectedCount = expected / Math.max(valuePerDeclaration, 1e-9);
        long count = Math.round(s.declarations[m.t]);
        double countChance = up ? RobustStats.poissonUpperTail(count, expectedCount) : RobustStats.poissonCdf(count, expectedCount);
        if (countChance > settings.maxCountChance()) {
            return;
        }
        double lower = Math.exp(expectedLog - settings.threshold() * sigma);
        double upper = Math.exp(expectedLog + settings.threshold() * sigma);
        boolean kg = metric.equals("quantity_kg");
        double unitValue = kg ? RobustStats.sum(s.valueWithKg, m.levelFrom(), m.t) / Math.max(RobustStats.sum(s.kg, m.levelFrom(), m.t), 1e-9) : 1;
        double stake = Math.abs(observed - expected) * unitValue;
        String seasonal = e[3] == 0 ? "" : ", seasonal " + (e[3] > 0 ? "+" : "") + Explain.num((Math.exp(e[3]) - 1) * 100, 0) + "%";
        String text = kg
                ? String.format("%s %s %s to %s in %s, expected %s (band %s-%s; robust z %s%s)", m.subject(s.partner), "in kilograms",
                Explain.change(observed, expected), Explain.tonnes(observed), m.month(), Explain.tonnes(expected),
                Explain.tonnes(lower), Explain.tonnes(upper), Explain.num(z, 1), seasonal)
                : String.format("%s %s to %s in %s, expected %s (band %s; robust z %s%s)", m.subject(s.partner),
                Explain.change(observed, expected), Explain.usd(observed), m.month(), Explain.usd(expected),
                Explain.usdRange(lower, upper), Explain.num(z, 1), seasonal);
        out.add(new Finding(s.partner, m.t, metric, observed, expected, lower, upper, Math.abs(z), settings.threshold(),
                up ? Finding.Direction.up : Finding.Direction.down, NAME, stake, text, Finding.Basis.MONTH));
    }

    /**
     * The calendar month's usual deviation from its surrounding year, in logs: for each of the last {@code years}
     * years, the month's log value minus the median of the 12 months around it. 0 unless all years are in the history
     * and agree in sign; otherwise the one closest to 0.
     */
    static double seasonalOffset(MonthContext m, double[] x, double floor, int years) {
        if (years == 0) {
            return 0;
        }
        double chosen = Double.NaN;
        for (int k = 1; k <= years; k++) {
            int j = m.t - 12 * k;
            if (j - 6 < m.g.historyStart) {
                return 0;
            }
            double around = RobustStats.median(MonthContext.logs(x, j - 6, j + 6, floor));
            double d = Math.log(Math.max(x[j], floor)) - around;
            if (Double.isNaN(chosen)) {
                chosen = d;
            } else if (Math.signum(d) != Math.signum(chosen)) {
                return 0;
            } else if (Math.abs(d) < Math.abs(chosen)) {
                chosen = d;
            }
        }
        return chosen;
    }
}
