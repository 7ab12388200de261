package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * The trade-diversion pattern: from one partner, quantity up at least {@code min_volume_rise} while the unit value
 * falls at least {@code min_unit_value_fall}, each beyond {@code threshold} robust z of its trailing history (goods
 * rerouted or dumped through a partner arrive in bulk and cheap).
 */
final class Diversion extends ConfiguredDetector<AnomaliesConfig.Diversion> {
    static final String NAME = "diversion";
    private static final double MIN_LOG_SIGMA = 0.05;


    Diversion(AnomaliesConfig.Diversion settings) {
        super(NAME, settings);
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        if (!m.g.hasQuantities()) {
            return;
        }
        for (MonthlySeries s : m.materialSeries()) {
            double u = s.unitValue(m.t);
            if (s.isTotal() || Double.isNaN(u) || s.kg[m.t] <= 0 || !m.supported(s)) {
                continue;
            }
            double floor = m.logFloor(s.kg);
            double kgLevel = RobustStats.median(MonthContext.logs(s.kg, m.levelFrom(), m.t, floor));
            double kgSigma = RobustStats.sigma(MonthContext.logs(s.kg, m.historyFrom(), m.t, floor), MIN_LOG_SIGMA);
            double[] uvHistory = UnitValueBand.logUnitValues(s, m.historyFrom(), m.t);
            double[] uvLevelWindow = UnitValueBand.logUnitValues(s, m.levelFrom(), m.t);
            if (uvLevelWindow.length < 6) {
                continue;
            }
            double uvLevel = RobustStats.median(uvLevelWindow);
            double uvSigma = RobustStats.sigma(uvHistory, 0.02);
            double zKg = (Math.log(s.kg[m.t]) - kgLevel) / kgSigma;
            double zUv = (Math.log(u) - uvLevel) / uvSigma;
            double kgExpected = Math.exp(kgLevel);
            double uvExpected = Math.exp(uvLevel);
            if (s.kg[m.t] < kgExpected * (1 + settings.minVolumeRise()) || u > uvExpected * (1 - settings.minUnitValueFall())
                    || zKg < settings.threshold() || zUv > -settings.threshold()) {
                continue;
            }
            String text = String.format("%s: quantity %s to %s while unit value %s to %s in %s, a trade-diversion pattern "
                            + "(expected %s at %s; robust z %s and %s)", m.subject(s.partner), Explain.change(s.kg[m.t], kgExpected),
                    Explain.tonnes(s.kg[m.t]), Explain.change(u, uvExpected), Explain.perKg(u), m.month(), Explain.tonnes(kgExpected),
                    Explain.perKg(uvExpected), Explain.num(zKg, 1), Explain.num(zUv, 1));
            out.add(new Finding(s.partner, m.t, "quantity_kg", s.kg[m.t], kgExpected, null,
                    Math.exp(kgLevel + settings.threshold() * kgSigma), Math.min(zKg, -zUv), settings.threshold(),
                    Finding.Direction.up, NAME, (s.kg[m.t] - kgExpected) * u, text, Finding.Basis.MONTH));
        }
    }
}
