package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;

import java.util.List;

/**
 * A partner that supplied at most {@code max_quiet_share} of the product over the last {@code quiet_months} appears
 * with a material month (at least anomalies.min_monthly_value_usd and {@code min_share} of the product), after a
 * month in which it did not, on at least {@code min_month_declarations} declarations: supply rerouted through a new
 * country, not one odd cargo. Judged only for products traded often enough (anomalies.min_declarations), where a
 * new country is news rather than the lumpiness of a few cargoes a year. Score: its share of the month.
 */
final class NewPartner extends ConfiguredDetector<AnomaliesConfig.NewPartner> {
    static final String NAME = "new_partner";

    private final double minMonthlyValue;

    NewPartner(AnomaliesConfig.NewPartner settings, double minMonthlyValue) {
        super(NAME, settings);
        this.minMonthlyValue = minMonthlyValue;
    }

    @Override
    public void judge(MonthContext m, List<Finding> out) {
        int from = m.t - settings.quietMonths();
        MonthlySeries total = m.g.total;
        if (from < m.g.historyStart || total.value[m.t] <= 0 || !m.supported(total)) {
            return;
        }
        double productQuiet = RobustStats.sum(total.value, from, m.t);
        if (productQuiet <= 0) {
            return;
        }
        for (MonthlySeries s : m.g.partners.values()) {
            double now = s.value[m.t];
            double share = now / total.value[m.t];
            if (now < minMonthlyValue || share < settings.minShare() || s.declarations[m.t] < settings.minMonthDeclarations()) {
                continue;
            }
            double quietShare = RobustStats.sum(s.value, from, m.t) / productQuiet;
            double previous = total.value[m.t - 1] > 0 ? s.value[m.t - 1] / total.value[m.t - 1] : 0;
            if (quietShare > settings.maxQuietShare() || previous >= settings.minShare()) {
                continue;
            }
            String text = String.format("%s appeared as a new partner for %s in %s: %s, %s of the product, after %s over the previous %d months",
                    s.partner, UnitValueBand.lowerFirst(m.subject(SeriesGroup.ALL_PARTNERS)).replace(" (all partners)", ""),
                    m.month(), Explain.usd(now), Explain.pct(share), Explain.pct(quietShare), settings.quietMonths());
            out.add(new Finding(s.partner, m.t, "value_usd", now, RobustStats.mean(s.value, from, m.t), null, null, share,
                    settings.minShare(), Finding.Direction.up, NAME, now, text, Finding.Basis.MONTH));
        }
    }
}
