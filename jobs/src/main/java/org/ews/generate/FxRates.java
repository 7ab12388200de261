package org.ews.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.TreeMap;

/**
 * Monthly USD rates. The generator prices every line in USD first and converts with these same rates, so the
 * pipeline's value_usd can be checked against the truth to the cent.
 */
final class FxRates {
    static final List<String> CURRENCIES = List.of("CNY", "EUR", "JPY", "KRW", "USD");
    /** 2023-01 anchors: KRW ~1/1300, JPY ~1/140, EUR ~1.08, CNY ~1/7.1. */
    private static final double[] ANCHOR = {1 / 7.1, 1.08, 1 / 140.0, 1 / 1300.0, 1.0};
    private static final YearMonth ANCHOR_MONTH = YearMonth.of(2023, 1);

    private final TreeMap<YearMonth, double[]> rates = new TreeMap<>();

    /**
     * A deterministic smooth path: a slow sine drift (a few percent a year) plus a small month-specific wobble
     * derived from the month number, so rates do not depend on which range was generated.
     */
    FxRates(YearMonth first, YearMonth last) {
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            long k = ANCHOR_MONTH.until(m, java.time.temporal.ChronoUnit.MONTHS);
            double[] r = new double[CURRENCIES.size()];
            for (int c = 0; c < r.length; c++) {
                if (CURRENCIES.get(c).equals("USD")) {
                    r[c] = 1.0;
                    continue;
                }
                double drift = 0.04 * StrictMath.sin(k / 9.0 + c * 1.7)
                        + 0.015 * StrictMath.sin(k * 1.3 + c * 0.9);
                r[c] = sig(ANCHOR[c] * (1 + drift));
            }
            rates.put(m, r);
        }
    }

    /** Six significant digits: what a published rate table carries, and exactly what the file holds. */
    private static double sig(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    double usdPerUnit(String currency, YearMonth month) {
        double[] r = rates.get(month);
        if (r == null) {
            throw new IllegalArgumentException("no FX rates for " + month);
        }
        return r[CURRENCIES.indexOf(currency)];
    }

    static int decimals(String currency) {
        return currency.equals("KRW") || currency.equals("JPY") ? 0 : 2;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(Text.csvLine(LandingColumns.FX, "\n"));
            for (String c : CURRENCIES) {
                for (var e : rates.entrySet()) {
                    double v = e.getValue()[CURRENCIES.indexOf(c)];
                    w.write(c + "," + e.getKey() + "," + new java.math.BigDecimal(v).round(
                            new java.math.MathContext(6)).stripTrailingZeros().toPlainString() + "\n");
                }
            }
        }
    }
}
