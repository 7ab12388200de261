package org.ews.charts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number text for charts and tables: short enough for an axis, exact enough to read. Currency signs are the caller's. */
public final class Numbers {
    private Numbers() {}

    private static final String[] SUFFIX = {"", "k", "M", "B", "T"};

    /**
     * {@code 1234567 → "1.2M"}, {@code 350000 → "350k"}, {@code 12500000 → "13M"}, {@code 999 → "999"}, {@code 0.425 → "0.425"},
     * {@code -2500 → "-2.5k"}. One decimal below 10 of a unit, none above; numbers under 1000 keep up to three
     * significant decimals. NaN is "n/a".
     */
    public static String compact(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        String sign = v < 0 ? "-" : "";
        double a = Math.abs(v);
        if (a < 1000) {
            return sign + plain(a);
        }
        int unit = 0;
        double scaled = a;
        while (scaled >= 1000 && unit < SUFFIX.length - 1) {
            scaled /= 1000;
            unit++;
        }
        String text = round(scaled, scaled < 10 ? 1 : 0);
        if (new BigDecimal(text).compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < SUFFIX.length - 1) {
            unit++; // 999,950 rounds to "1000k": say 1M
            text = round(scaled / 1000, 1);
        }
        return sign + text + SUFFIX[unit];
    }

    /** A share on a 0-1 scale as a percentage with one decimal: {@code 0.4256 → "42.6%"}. */
    public static String percent(double share) {
        if (Double.isNaN(share)) {
            return "n/a";
        }
        return round(share * 100, 1) + "%";
    }

    /** Up to three decimals below 1, two below 10, one below 100, none above; trailing zeros dropped. */
    static String plain(double a) {
        int decimals = a == Math.rint(a) ? 0 : a < 1 ? 3 : a < 10 ? 2 : a < 100 ? 1 : 0;
        return round(a, decimals);
    }

    private static String round(double v, int decimals) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        String s = d.toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
