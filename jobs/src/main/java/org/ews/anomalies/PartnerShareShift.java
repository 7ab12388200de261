package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The top partner of the trailing 12 months (by value; equal values: the first code) loses or gains at least
 * {@code min_points} of the product against its trailing share, beyond {@code threshold} robust z of its monthly
 * shares over the history window. A concentrated supply moving is a signal even when the total holds.
 */
final class PartnerShareShift extends ConfiguredDetector<AnomaliesConfig.ShareShift> {
    static final String NAME = "share_shift";
    static final String METRIC = "partner_share";
    private static final double MIN_SIGMA = 0.02;


    PartnerShareShift(AnomaliesConfig.ShareShift settings) {
        super(NAME, settings);
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        MonthlySeries total = m.g.total;
        double totalNow = total.value[m.t];
        if (totalNow <= 0 || !m.material(total) || !m.supported(total)) {
            return;
        }
        MonthlySeries top = null;
        double topSum = -1;
        for (MonthlySeries s : m.g.partners.values()) { // partner-code order: the first of equal values wins
            double sum = RobustStats.sum(s.value, m.levelFrom(), m.t);
            if (sum > topSum) {
                top = s;
                topSum = sum;
            }
        }
        double totalSum = RobustStats.sum(total.value, m.levelFrom(), m.t);
        if (top == null || totalSum <= 0) {
            return;
        }
        double level = topSum / totalSum;
        List<Double> shares = new ArrayList<>();
        for (int j = m.historyFrom(); j < m.t; j++) {
            if (total.value[j] > 0) {
                shares.add(top.value[j] / total.value[j]);
            }
        }
        double sigma = RobustStats.sigma(shares.stream().mapToDouble(Double::doubleValue).toArray(), MIN_SIGMA);
        double share = top.value[m.t] / totalNow;
        double delta = share - level;
        double z = delta / sigma;
        if (Math.abs(delta) < settings.minPoints() || Math.abs(z) < settings.threshold()) {
            return;
        }
        double lower = Math.max(0, level - settings.threshold() * sigma);
        double upper = Math.min(1, level + settings.threshold() * sigma);
        String text = String.format("%s's share of %s %s %s points to %s in %s, against %s over the trailing 12 months "
                        + "(band %s-%s; robust z %s)", top.partner, UnitValueBand.lowerFirst(m.subject(SeriesGroup.ALL_PARTNERS))
                        .replace(" (all partners)", ""), delta > 0 ? "rose" : "fell", Explain.num(Math.abs(delta) * 100, 0),
                Explain.pct(share), m.month(), Explain.pct(level), Explain.pct(lower), Explain.pct(upper), Explain.num(z, 1));
        out.add(new Finding(top.partner, m.t, METRIC, share, level, lower, upper, Math.abs(z), settings.threshold(),
                delta > 0 ? Finding.Direction.up : Finding.Direction.down, NAME, Math.abs(delta) * totalNow, text, Finding.Basis.MONTH));
    }
}
