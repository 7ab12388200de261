package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * A steady supplier stops: it shipped in at least {@code min_active_months} of the last 12 months and now falls
 * below {@code near_zero_share} of its mean month, after a month that did not. Whether that can be chance is asked
 * of the declarations: with lambda declarations in a mean month, the Poisson probability of as few as this month's
 * must be at most {@code max_chance}, so a flow of two shipments a month that skips one is not a "stop". The score is
 * -log10 of that probability.
 */
final class SupplyStop implements Detector {
    static final String NAME = "supply_stop";
    private static final int STEADY_WINDOW = 12;

    private final AnomaliesConfig.SupplyStop settings;

    SupplyStop(AnomaliesConfig.SupplyStop settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        int from = m.t - STEADY_WINDOW;
        if (from < m.g.historyStart) {
            return;
        }
        for (MonthlySeries s : m.materialSeries()) {
            int active = 0;
            for (int j = from; j < m.t; j++) {
                active += s.value[j] > 0 ? 1 : 0;
            }
            double mean = RobustStats.mean(s.value, from, m.t);
            double nearZero = settings.nearZeroShare() * mean;
            if (active < settings.minActiveMonths() || s.value[m.t] > nearZero || s.value[m.t - 1] <= nearZero) {
                continue;
            }
            double lambda = RobustStats.mean(s.declarations, from, m.t);
            long declared = Math.round(s.declarations[m.t]);
            double chance = RobustStats.poissonCdf(declared, lambda);
            if (chance > settings.maxChance()) {
                continue;
            }
            double score = -Math.log10(Math.max(chance, 1e-300));
            String text = String.format("%s stopped in %s: %s against %s in a mean month, supplied in %d of the last 12 months "
                            + "(%d declarations where %s were usual; chance %s)", m.subject(s.partner), m.month(),
                    Explain.usd(s.value[m.t]), Explain.usd(mean), active, declared, Explain.num(lambda, 1), chanceText(chance));
            out.add(new Finding(s.partner, m.t, "value_usd", s.value[m.t], mean, nearZero, null, score,
                    -Math.log10(settings.maxChance()), Finding.Direction.down, NAME, mean - s.value[m.t], text, Finding.Basis.MONTH));
        }
    }

    private static String chanceText(double p) {
        return p < 1e-6 ? "below 1 in a million" : String.format(java.util.Locale.ROOT, "%.1g", p);
    }
}
