package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Mirror data: where the partner is itself a loaded reporter, our imports from it should track its exports to us
 * (the ratio sits near 1, a little above for freight and insurance). The log ratio is judged against its trailing
 * median and spread; a growing gap points at re-exports, misdeclared origin or diversion. Reported on the importer's
 * series, partner = the exporting reporter.
 */
final class MirrorGap extends ConfiguredDetector<AnomaliesConfig.MirrorGap> {
    static final String NAME = "mirror_gap";
    static final String METRIC = "mirror_ratio";
    private static final int MIN_MONTHS = 6;
    private static final double MIN_LOG_SIGMA = 0.05;


    MirrorGap(AnomaliesConfig.MirrorGap settings) {
        super(NAME, settings);
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        if (!m.g.isImports()) {
            return;
        }
        for (MonthlySeries exports : m.g.mirror.values()) {
            MonthlySeries imports = m.g.partner(exports.partner);
            double v = imports.value[m.t];
            double x = exports.value[m.t];
            if (v <= 0 || x <= 0 || !m.material(imports) || !m.supported(imports) || !m.material(exports) || !m.supported(exports)) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            for (int j = m.historyFrom(); j < m.t; j++) {
                if (imports.value[j] > 0 && exports.value[j] > 0) {
                    ratios.add(Math.log(imports.value[j] / exports.value[j]));
                }
            }
            if (ratios.size() < MIN_MONTHS) {
                continue;
            }
            double[] logs = ratios.stream().mapToDouble(Double::doubleValue).toArray();
            double level = RobustStats.median(logs);
            double sigma = RobustStats.sigma(logs, MIN_LOG_SIGMA);
            double g = Math.log(v / x);
            double z = (g - level) / sigma;
            double change = Math.exp(g - level);
            if (Math.abs(z) < settings.threshold() || (change < 1 + settings.minChange() && change > 1 - settings.minChange())) {
                continue;
            }
            double lower = Math.exp(level - settings.threshold() * sigma);
            double upper = Math.exp(level + settings.threshold() * sigma);
            String text = String.format("%s's imports of %s from %s were %sx %s's exports to %s in %s, against a usual %sx (band %s-%sx; robust z %s)",
                    m.g.reporter, m.what(), exports.partner, Explain.num(v / x, 2), exports.partner, m.g.reporter, m.month(),
                    Explain.num(Math.exp(level), 2), Explain.num(lower, 2), Explain.num(upper, 2), Explain.num(z, 1));
            out.add(new Finding(exports.partner, m.t, METRIC, v / x, Math.exp(level), lower, upper, Math.abs(z), settings.threshold(),
                    z > 0 ? Finding.Direction.up : Finding.Direction.down, NAME, Math.abs(v - x * Math.exp(level)), text, null));
        }
    }
}
