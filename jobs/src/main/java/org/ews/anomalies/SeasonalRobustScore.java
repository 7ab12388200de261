package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * The month against its expected level, on seasonally adjusted log values: the median of the adjusted level window
 * plus the month's seasonal offset, judged by the modified z-score against the spread (MAD) of the adjusted history
 * window. The seasonal offset of a calendar month is its deviation from the surrounding 12 months in each of its last
 * {@code seasonal_years} occurrences; it is used only when every one agrees in sign, and then the smallest, so a
 * February dip around the Lunar New Year is expected while one odd year (a past shock) never becomes "the season".
 *
 * <p>Customs values are lumpy: a month's value is a sum over a Poisson number of declarations of very different
 * sizes, so on log values a month short of two cargoes, or with one giant cargo, sits far out in the tail. A move is
 * therefore reported only when the number of declarations moved the same way beyond chance too: given the
 * declarations the expected value would take at the usual value per declaration, the Poisson probability of as few
 * (a fall) or as many (a rise) as the month had is at most {@code max_count_chance}.
 */
final class SeasonalRobustScore extends ConfiguredDetector<AnomaliesConfig.SeasonalRobust> {
    static final String NAME = "seasonal_robust";
    /** Spread floor on log values: a very regular series still varies by a few percent. */
    static final double MIN_LOG_SIGMA = 0.05;


    SeasonalRobustScore(AnomaliesConfig.SeasonalRobust settings) {
        super(NAME, settings);
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

    /**
     * {expected log value at t, robust sigma, log floor, seasonal offset at t}: the seasonal profile estimated from
     * the years before t ({@link #seasonalProfile}) takes the season out of every month of the history window; the
     * expected value is the median of the adjusted level window plus t's own offset, and the spread is the MAD of
     * the adjusted history, so a strong season widens neither the band nor shifts the level.
     */
    static double[] expectation(MonthContext m, double[] x, int seasonalYears) {
        double floor = m.logFloor(x);
        double[] profile = seasonalProfile(x, m.t, m.g.historyStart, floor, seasonalYears);
        double[] adjusted = new double[m.t - m.historyFrom()];
        for (int j = m.historyFrom(); j < m.t; j++) {
            adjusted[j - m.historyFrom()] = Math.log(Math.max(x[j], floor)) - profile[(m.t - j) % 12];
        }
        double level = RobustStats.median(java.util.Arrays.copyOfRange(adjusted, m.levelFrom() - m.historyFrom(), adjusted.length));
        double sigma = RobustStats.sigma(adjusted, MIN_LOG_SIGMA);
        return new double[]{level + profile[0], sigma, floor, profile[0]};
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
     * A season is measured only on a year in which the series traded every month: around a partner's first months
     * (or a stop) the empty months would pass for a deep season.
     */
    private static boolean tradedThroughout(double[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            if (x[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    /** An offset must stand this many times above the year-to-year disagreement of the offsets to be used. */
    static final double SEASONAL_SIGNIFICANCE = 2.0;

    /**
     * The seasonal profile at t, indexed by (t - j) mod 12 (0 is t's own calendar month): for each calendar month, its
     * log deviation from the 12 months around it in each of its last {@code years} occurrences that are at least 7
     * months before t (so the 12 months around them are all before t). An offset is used only when all of them are in
     * the history, traded in each of the 12 months around them, and agree in sign, and then the one closest to 0; and
     * only when it stands out of the noise: at least
     * {@link #SEASONAL_SIGNIFICANCE} times the spread of the year-to-year differences of the deviations over all twelve
     * calendar months (1.4826 MAD / sqrt 2). A real season repeats (a Lunar New Year dip of -35% two years running,
     * differences of a few points); two noisy years that happen to agree do not. Otherwise 0. Reads back to
     * t - 12 x years - 12.
     */
    static double[] seasonalProfile(double[] x, int t, int historyStart, double floor, int years) {
        double[] profile = new double[12];
        if (years == 0) {
            return profile;
        }
        double[][] d = new double[12][years];
        List<Double> differences = new java.util.ArrayList<>();
        for (int lag = 7; lag <= 18; lag++) {
            for (int k = 0; k < years; k++) {
                int j = t - lag - 12 * k;
                d[lag % 12][k] = j - 6 < historyStart || !tradedThroughout(x, j - 6, j + 6) ? Double.NaN
                        : Math.log(Math.max(x[j], floor)) - RobustStats.median(MonthContext.logs(x, j - 6, j + 6, floor));
                if (k > 0 && !Double.isNaN(d[lag % 12][k]) && !Double.isNaN(d[lag % 12][k - 1])) {
                    differences.add(Math.abs(d[lag % 12][k] - d[lag % 12][k - 1]));
                }
            }
        }
        double noise = differences.isEmpty() ? 0
                : RobustStats.MAD_TO_SIGMA * RobustStats.median(differences.stream().mapToDouble(Double::doubleValue).toArray()) / Math.sqrt(2);
        for (int slot = 0; slot < 12; slot++) {
            double chosen = d[slot][0];
            for (int k = 0; k < years && !Double.isNaN(chosen); k++) {
                double dk = d[slot][k];
                if (Double.isNaN(dk) || Math.signum(dk) != Math.signum(chosen)) {
                    chosen = Double.NaN;
                } else if (Math.abs(dk) < Math.abs(chosen)) {
                    chosen = dk;
                }
            }
            profile[slot] = !Double.isNaN(chosen) && Math.abs(chosen) >= SEASONAL_SIGNIFICANCE * noise ? chosen : 0;
        }
        return profile;
    }
}
