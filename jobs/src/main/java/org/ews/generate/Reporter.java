package org.ews.generate;

import java.util.List;
import java.util.SplittableRandom;

import static org.ews.generate.LandingColumns.*;
import static org.ews.tables.Columns.*;

/**
 * The three customs administrations feeding the landing zone and the habits that make their files differ, so that
 * ingest is developed against the variety real statistical offices produce.
 */
enum Reporter {
    KR("KRW", new String[]{"KRW", "USD", "EUR", "CNY"}, new double[]{0.80, 0.15, 0.03, 0.02},
            List.of(DECLARATION_ID, LINE_NO, VERSION, FLOW, DECLARATION_DATE, HS_CODE, PARTNER_COUNTRY, TRADER_ID,
                    TRADER_NAME, VALUE, CURRENCY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG),
            new double[]{0.85, 0.10, 0.05}, 4),
    US("USD", new String[]{"USD", "EUR", "CNY"}, new double[]{0.95, 0.03, 0.02},
            List.of(DECLARATION_ID, LINE_NO, VERSION, FLOW, DECLARATION_DATE, HS_CODE, PARTNER_COUNTRY, TRADER_ID,
                    TRADER_NAME, VALUE, CURRENCY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG, PORT_CODE),
            new double[]{0.60, 0.10, 0.30}, 4),
    // JP's files put the trader and the goods first, as the Japanese customs extract does.
    JP("JPY", new String[]{"JPY", "USD", "EUR", "CNY"}, new double[]{0.75, 0.20, 0.03, 0.02},
            List.of(DECLARATION_DATE, DECLARATION_ID, LINE_NO, VERSION, TRADER_ID, TRADER_NAME, FLOW, HS_CODE,
                    PARTNER_COUNTRY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG, VALUE, CURRENCY),
            new double[]{0.50, 0.40, 0.10}, 3);

    final String ownCurrency;
    private final String[] currencies;
    private final double[] currencyShares;
    /** File column order, by name. */
    final List<String> columns;
    /** Shares of partner written as ISO alpha-2, alpha-3, English name. */
    final double[] partnerStyle;
    /** Digits a national tariff line adds to the HS6 code (HSK 10, HTS 10, JP 9). */
    final int nationalDigits;

    Reporter(String ownCurrency, String[] currencies, double[] currencyShares, List<String> columns,
             double[] partnerStyle, int nationalDigits) {
        this.ownCurrency = ownCurrency;
        this.currencies = currencies;
        this.currencyShares = currencyShares;
        this.columns = columns;
        this.partnerStyle = partnerStyle;
        this.nationalDigits = nationalDigits;
    }

    String iso2() {
        return name();
    }

    String pickCurrency(SplittableRandom rng) {
        return currencies[Pick.index(currencyShares, rng)];
    }

    private static final String[] US_FILERS = {"ABX", "M21", "EK4", "9TR", "BQ7", "DHL", "UPS", "FXC"};
    private static final String[] US_PORTS = {"2704", "2709", "1001", "5301", "3002", "2809", "1303", "4601", "3901",
            "5201"};

    /** Unique within the reporter because seq is; the rest only makes the ids look like the real ones. */
    String declarationId(long seq, int year, SplittableRandom rng) {
        switch (this) {
            case KR: {
                int office = 10 + rng.nextInt(90);
                return pad(office, 3) + "-" + pad(year % 100, 2) + "-" + pad(seq, 7) + "M";
            }
            case US: {
                String digits = pad(seq, 7);
                int sum = 0;
                for (int i = 0; i < digits.length(); i++) {
                    sum += digits.charAt(i) - '0';
                }
                return US_FILERS[rng.nextInt(US_FILERS.length)] + "-" + digits + "-" + (sum % 10);
            }
            default:
                return "1" + pad(40 + rng.nextInt(30), 2) + pad(seq, 8);
        }
    }

    String portCode(SplittableRandom rng) {
        return US_PORTS[Pick.zipf(US_PORTS.length, rng)];
    }

    /** Renders a national tariff line in one of the spellings that occur in this reporter's files. */
    String hsCode(String hs6, SplittableRandom rng) {
        String suffix = nationalSuffix(hs6, rng);
        String national = hs6 + suffix;
        double u = rng.nextDouble();
        switch (this) {
            case KR:
                if (u < 0.75) return national;
                if (u < 0.85) return hs6.substring(0, 4) + "." + hs6.substring(4) + "." + suffix;
                if (u < 0.95) return hs6;
                return hs6.substring(0, 4) + " " + hs6.substring(4) + " " + suffix;
            case US:
                if (u < 0.70) return hs6.substring(0, 4) + "." + hs6.substring(4) + "." + suffix;
                if (u < 0.90) return national;
                if (u < 0.95) return hs6;
                return hs6.substring(0, 4) + " " + hs6.substring(4) + " " + suffix;
            default:
                if (u < 0.70) return national;
                if (u < 0.90) return hs6.substring(0, 4) + "." + hs6.substring(4) + "." + suffix;
                return hs6;
        }
    }

    /** A few national subheadings per HS6, fixed by the code itself so every run and every day agree. */
    private String nationalSuffix(String hs6, SplittableRandom rng) {
        int variants = 1 + Math.floorMod(hs6.hashCode() * 31 + ordinal(), 3);
        int v = rng.nextInt(variants);
        int n = Math.floorMod(hs6.hashCode() * 7 + v * 13 + ordinal(), 10);
        String base = v == 0 ? "0" : Integer.toString(n == 0 ? 1 : n);
        StringBuilder sb = new StringBuilder(base);
        while (sb.length() < nationalDigits) {
            sb.append(v == 2 && sb.length() == nationalDigits - 1 ? "1" : "0");
        }
        return sb.toString();
    }

    static String pad(long v, int width) {
        String s = Long.toString(v);
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }
}
