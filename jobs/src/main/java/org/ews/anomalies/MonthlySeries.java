package org.ews.anomalies;

/**
 * One monthly series of a {@link SeriesGroup}, dense from the group's first month: a month without trade is a zero,
 * never a gap to skip (a supplier that stops shipping leaves no rows behind).
 */
final class MonthlySeries {
    final String partner;
    final double[] value;
    final double[] kg;
    /** Value of the lines that declared kilograms: valueWithKg / kg is a unit value. */
    final double[] valueWithKg;
    final double[] declarations;

    MonthlySeries(String partner, int months) {
        this.partner = partner;
        this.value = new double[months];
        this.kg = new double[months];
        this.valueWithKg = new double[months];
        this.declarations = new double[months];
    }

    void add(int t, double v, double q, double vq, double decl) {
        value[t] += v;
        kg[t] += q;
        valueWithKg[t] += vq;
        declarations[t] += decl;
    }

    /** USD per kg in month t; NaN when no line declared kilograms. */
    double unitValue(int t) {
        return kg[t] > 0 && valueWithKg[t] > 0 ? valueWithKg[t] / kg[t] : Double.NaN;
    }

    boolean isTotal() {
        return SeriesGroup.ALL_PARTNERS.equals(partner);
    }
}
