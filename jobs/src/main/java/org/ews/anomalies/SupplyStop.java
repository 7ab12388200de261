package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * A steady supplier stops: it shipped in at least {@code min_active_months} of the 12 months before the stop, and
 * from some month on falls below {@code near_zero_share} of its mean month there. Whether that can be chance is asked
 * of the declarations: with lambda declarations in a mean month, the Poisson probability of as few over the months of
 * the stop must be at most {@code max_chance}, so a flow of two shipments a month that skips one is not a "stop". A
 * stop of a flow too small to be sure of in one month is reported in the month the evidence becomes sure (up to
 * {@link #MAX_RUN} months in), once. The score is -log10 of that probability.
 */
final class SupplyStop extends ConfiguredDetector<AnomaliesConfig.SupplyStop> {
    static final String NAME = "supply_stop";
    private static final int STEADY_WINDOW = 12;
    /** Longest run of near-zero months judged as one stop (the look-back reads this much more). */
    static final int MAX_RUN = 3;


    SupplyStop(AnomaliesConfig.SupplyStop settings) {
        super(NAME, settings);
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        for (MonthlySeries s : m.materialSeries()) {
            for (int run = 1; run <= MAX_RUN; run++) {
                int start = m.t - run + 1;
                int from = start - STEADY_WINDOW;
                if (from < m.g.historyStart || from < 0) {
                    break;
                }
                double mean = RobustStats.mean(s.value, from, start);
                double nearZero = settings.nearZeroShare() * mean;
                if (!nearZeroFrom(s, start, m.t, nearZero)) {
                    break; // a longer run would need this one
                }
                if (s.value[start - 1] <= nearZero) {
                    continue; // the stop began earlier: try the longer run
                }
                int active = 0;
                for (int j = from; j < start; j++) {
                    active += s.value[j] > 0 ? 1 : 0;
                }
                if (active < settings.minActiveMonths()) {
                    break;
                }
                double lambda = RobustStats.mean(s.declarations, from, start);
                long declared = Math.round(RobustStats.sum(s.declarations, start, m.t + 1));
                double chance = RobustStats.poissonCdf(declared, lambda * run);
                double chanceBefore = run == 1 ? 1.0 : RobustStats.poissonCdf(Math.round(RobustStats.sum(s.declarations, start, m.t)), lambda * (run - 1));
                if (chance > settings.maxChance() || chanceBefore <= settings.maxChance()) {
                    break; // not sure yet, or already reported in an earlier month of the stop
                }
                double observed = RobustStats.sum(s.value, start, m.t + 1) / run;
                double score = -Math.log10(Math.max(chance, 1e-300));
                String when = run == 1 ? "in " + m.month() : "since " + m.g.month(start) + " (" + run + " months)";
                String text = String.format("%s stopped %s: %s a month against %s in a mean month before, supplied in %d of the 12 "
                                + "months before (%d declarations where %s were usual; chance %s)", m.subject(s.partner), when,
                        Explain.usd(observed), Explain.usd(mean), active, declared, Explain.num(lambda * run, 1), chanceText(chance));
                out.add(new Finding(s.partner, m.t, "value_usd", observed, mean, nearZero, null, score,
                        -Math.log10(settings.maxChance()), Finding.Direction.down, NAME, mean - observed, text, Finding.Basis.MONTH));
                break;
            }
        }
    }

    private static boolean nearZeroFrom(MonthlySeries s, int start, int t, double nearZero) {
        for (int j = start; j <= t; j++) {
            if (s.value[j] > nearZero) {
                return false;
            }
        }
        return true;
    }

    private static String chanceText(double p) {
        return p < 1e-6 ? "below 1 in a million" : String.format(java.util.Locale.ROOT, "%.1g", p);
    }
}
