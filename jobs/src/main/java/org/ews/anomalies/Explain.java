package org.ews.anomalies;

import java.util.Locale;

/** The words and number formats of the one-line explanations: money as $2.9M, shares as 40%, masses in tonnes. */
final class Explain {
    private Explain() {}

    static String flowWord(String flow) {
        return "X".equals(flow) ? "Exports" : "Imports";
    }

    static String partnerPhrase(String flow, String partner) {
        if (SeriesGroup.ALL_PARTNERS.equals(partner)) {
            return " (all partners)";
        }
        return ("X".equals(flow) ? " to " : " from ") + partner;
    }

    static String usd(double v) {
        double a = Math.abs(v);
        String sign = v < 0 ? "-" : "";
        if (a >= 1e9) {
            return sign + String.format(Locale.ROOT, "$%.2fB", a / 1e9);
        }
        if (a >= 1e6) {
            return sign + String.format(Locale.ROOT, "$%.1fM", a / 1e6);
        }
        if (a >= 1e3) {
            return sign + String.format(Locale.ROOT, "$%.0fk", a / 1e3);
        }
        return sign + String.format(Locale.ROOT, "$%.0f", a);
    }

    /** Two money figures with one unit, as in a band: "12.0-21.4M". */
    static String usdRange(double lo, double hi) {
        double a = Math.max(Math.abs(lo), Math.abs(hi));
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "$%.2f-%.2fB", lo / 1e9, hi / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "$%.1f-%.1fM", lo / 1e6, hi / 1e6);
        }
        return String.format(Locale.ROOT, "$%.0f-%.0fk", lo / 1e3, hi / 1e3);
    }

    static String tonnes(double kg) {
        double t = kg / 1000;
        return t >= 100 ? String.format(Locale.ROOT, "%,.0f t", t) : String.format(Locale.ROOT, "%.1f t", t);
    }

    static String perKg(double usdPerKg) {
        return usdPerKg >= 100 ? String.format(Locale.ROOT, "$%,.0f/kg", usdPerKg) : String.format(Locale.ROOT, "$%.2f/kg", usdPerKg);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** "rose 131%" or "fell 82%" for observed against expected. */
    static String change(double observed, double expected) {
        double c = expected == 0 ? 0 : observed / expected - 1;
        return (c >= 0 ? "rose " : "fell ") + String.format(Locale.ROOT, "%.0f%%", Math.abs(c) * 100);
    }

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
