package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Unit value (USD/kg) outside the range of the trailing 12 months widened by {@code margin} (the German statistics
 * office's plausibility rule), and beyond {@code threshold} robust z of the log unit values in that range: a price
 * spike or slump. Only months with kilograms on at least {@code min_month_declarations} declarations are judged.
 */
final class UnitValueBand extends ConfiguredDetector<AnomaliesConfig.UnitValueBand> {
    static final String NAME = "unit_value_band";
    static final String METRIC = "unit_value_usd_per_kg";
    private static final int WINDOW = 12;
    private static final int MIN_MONTHS = 6;
    private static final double MIN_LOG_SIGMA = 0.02;


    UnitValueBand(AnomaliesConfig.UnitValueBand settings) {
        super(NAME, settings);
    }

    /** Log unit values of the months in [from, to) with kilograms; empty when none. */
    static double[] logUnitValues(MonthlySeries s, int from, int to) {
        List<Double> uv = new ArrayList<>();
        for (int j = Math.max(0, from); j < to; j++) {
            double u = s.unitValue(j);
            if (!Double.isNaN(u)) {
                uv.add(Math.log(u));
            }
        }
        return uv.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        if (!m.g.hasQuantities()) {
            return;
        }
        for (MonthlySeries s : m.materialSeries()) {
            double u = s.unitValue(m.t);
            if (Double.isNaN(u) || s.declarations[m.t] < settings.minMonthDeclarations() || !m.supported(s)) {
                continue;
            }
            double[] logs = logUnitValues(s, m.from(WINDOW), m.t);
            if (logs.length < MIN_MONTHS) {
                continue;
            }
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (double l : logs) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
            double lower = Math.exp(lo) * (1 - settings.margin());
            double upper = Math.exp(hi) * (1 + settings.margin());
            double median = RobustStats.median(logs);
            double z = (Math.log(u) - median) / RobustStats.sigma(logs, MIN_LOG_SIGMA);
            boolean up = u > upper && z >= settings.threshold();
            boolean down = u < lower && z <= -settings.threshold();
            if (!up && !down) {
                continue;
            }
            double expected = Math.exp(median);
            String text = String.format("Unit value of %s %s to %s in %s, outside the trailing-12-month range %s-%s widened by %s "
                            + "(expected %s; robust z %s)", lowerFirst(m.subject(s.partner)), Explain.change(u, expected),
                    Explain.perKg(u), m.month(), Explain.perKg(lower), Explain.perKg(upper), Explain.pct(settings.margin()),
                    Explain.perKg(expected), Explain.num(z, 1));
            out.add(new Finding(s.partner, m.t, METRIC, u, expected, lower, upper, Math.abs(z), settings.threshold(),
                    up ? Finding.Direction.up : Finding.Direction.down, NAME, Math.abs(u - expected) * s.kg[m.t], text,
                    Finding.Basis.UNIT_VALUE));
        }
    }

    static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
