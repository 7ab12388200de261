package org.ews.generate;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes one reporter's declarations: picks a trade series by its monthly rate (season x trend x events), a
 * declarant, a date, and prices every line in USD before converting it to the line currency.
 */
final class DeclarationFactory {
    /** Month-of-year line-rate factors: slow January and February, a year-end push. */
    private static final double[] SEASON = {0.95, 0.92, 1.04, 1.0, 1.0, 1.02, 0.98, 0.95, 1.02, 1.03, 1.05, 1.10};
    /** Extra factor on Chinese supply: a rush before Chinese New Year, the holiday dip after it. */
    private static final double[] SEASON_CN = {1.06, 0.72, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    private static final YearMonth TREND_ANCHOR = YearMonth.of(2023, 1);
    /** Manufactured goods come in multi-line declarations (one line per model or tariff subheading)... */
    private static final double[] LINES_PER_DECLARATION = {0.62, 0.20, 0.10, 0.05, 0.03};
    /**
     * ...bulk materials and capital equipment mostly one line per shipment, which also keeps those (event-prone)
     * series less clumpy.
     */
    private static final double[] LINES_PER_BULK_DECLARATION = {0.85, 0.12, 0.03};

    private final Reporter reporter;
    private final List<TradeSeries> series;
    private final SupplyEvents events;
    private final FxRates fx;
    private final FirmRegistry registry;
    private final CountryNames countries;
    private final TraderNameMangler mangler;
    private final SplittableRandom rng;
    private final double baseTotal;
    private final Map<YearMonth, double[]> tables = new HashMap<>();
    private long seq;

    DeclarationFactory(Reporter reporter, List<TradeSeries> series, SupplyEvents events, FxRates fx,
                       FirmRegistry registry, CountryNames countries, TraderNameMangler mangler, SplittableRandom rng) {
        this.reporter = reporter;
        this.series = series;
        this.events = events;
        this.fx = fx;
        this.registry = registry;
        this.countries = countries;
        this.mangler = mangler;
        this.rng = rng;
        double t = 0;
        for (TradeSeries s : series) {
            t += s.baseWeight();
            if (!countries.known(s.partner())) {
                throw new IllegalArgumentException("country_codes.csv lacks partner " + s.partner());
            }
        }
        this.baseTotal = t;
    }

    /** Declaration ids count from {@code first} (the next id drawn gets it). */
    DeclarationFactory numberFrom(long first) {
        this.seq = first - 1;
        return this;
    }

    /** Cumulative line-rate weights of all series in a declaration month. */
    private double[] table(YearMonth m) {
        return tables.computeIfAbsent(m, month -> {
            double[] cum = new double[series.size()];
            double acc = 0;
            double years = TREND_ANCHOR.until(month, ChronoUnit.MONTHS) / 12.0;
            for (int i = 0; i < series.size(); i++) {
                TradeSeries s = series.get(i);
                double w = s.baseWeight() * SEASON[month.getMonthValue() - 1]
                        * StrictMath.exp(s.product().yearlyGrowth() * years)
                        * events.volume(s.key(), month);
                if (s.partner().equals("CN")) {
                    w *= SEASON_CN[month.getMonthValue() - 1];
                }
                acc += w;
                cum[i] = acc;
            }
            return cum;
        });
    }

    /** How busy the month is relative to the base mix, so seasons and shocks change the day's line count. */
    double volumeRatio(YearMonth m) {
        double[] t = table(m);
        return t[t.length - 1] / baseTotal;
    }

    List<CustomsRow> declaration(LocalDate landing) {
        double u = rng.nextDouble();
        LocalDate date;
        boolean late = false;
        if (u < 0.05) {
            date = landing.minusDays(1 + rng.nextInt(30));
            late = true;
        } else if (u < 0.65) {
            date = landing;
        } else {
            // "The day before" is the previous working day: Monday's landing carries Friday's declarations.
            date = landing.minusDays(landing.getDayOfWeek() == java.time.DayOfWeek.MONDAY ? 3 : 1);
        }
        YearMonth month = YearMonth.from(date);
        TradeSeries s = series.get(Pick.cumulative(table(month), rng));
        Product p = s.product();
        Firm firm = registry.pickTrader(reporter.iso2(), p.sector(), rng);
        String traderName = mangler.mangle(firm, rng);
        String traderId = rng.nextDouble() < 0.30 ? ""
                : RegistryNumbers.asDeclared(firm.registrationNumber, firm.country, rng);
        String currency = reporter.pickCurrency(rng);
        double usdPerUnit = fx.usdPerUnit(currency, month);
        String declarationId = reporter.declarationId(++seq, date.getYear(), rng);
        String port = reporter == Reporter.US ? reporter.portCode(rng) : null;
        String partnerText = countries.render(s.partner(), reporter, rng);
        double priceEvent = events.price(s.key(), month);
        boolean manufactured = p.countable() && p.usdPerUnit() < 100_000;
        int lines = 1 + Pick.index(manufactured ? LINES_PER_DECLARATION : LINES_PER_BULK_DECLARATION, rng);
        List<CustomsRow> out = new ArrayList<>(lines);
        for (int n = 1; n <= lines; n++) {
            CustomsRow r = new CustomsRow();
            r.reporter = reporter;
            r.declarationId = declarationId;
            r.lineNo = n;
            r.flow = s.flow();
            r.declarationDate = date;
            r.late = late;
            r.hs6 = p.hs6();
            r.partner = s.partner();
            r.firmId = firm.id;
            r.currency = currency;
            r.usdPerUnit = usdPerUnit;
            String[] v = r.values;
            v[CustomsRow.DECLARATION_ID] = declarationId;
            v[CustomsRow.LINE_NO] = Integer.toString(n);
            v[CustomsRow.VERSION] = "1";
            v[CustomsRow.FLOW] = String.valueOf(s.flow());
            v[CustomsRow.DECLARATION_DATE] = date.toString();
            v[CustomsRow.HS_CODE] = reporter.hsCode(p.hs6(), rng);
            v[CustomsRow.PARTNER_COUNTRY] = partnerText;
            v[CustomsRow.TRADER_ID] = traderId;
            v[CustomsRow.TRADER_NAME] = traderName;
            v[CustomsRow.CURRENCY] = currency;
            v[CustomsRow.PORT_CODE] = port;
            price(r, s, priceEvent);
            out.add(r);
        }
        return out;
    }

    /**
     * Unit value is stable per product and partner (small noise, events aside); the lot size carries the
     * log-normal spread, so unit values stay meaningful while line values vary widely.
     */
    private void price(CustomsRow r, TradeSeries s, double priceEvent) {
        Product p = s.product();
        double unitUsd = p.usdPerUnit() * s.priceFactor() * priceEvent * Pick.logNormal(0.06, rng);
        double qty = p.lotUsd() * s.lotScale() * Pick.logNormal(0.35, rng) / unitUsd;
        String unit = p.unit();
        double kgPerUnit;
        int scale;
        switch (unit) {
            case "U":
            case "L":
                qty = Math.max(1, Math.round(qty));
                kgPerUnit = Double.NaN;
                scale = 0;
                break;
            case "TNE":
                qty = Math.max(0.001, Text.round(qty, 3));
                kgPerUnit = 1000;
                scale = 3;
                break;
            default:
                qty = Math.max(0.01, Text.round(qty, 2));
                kgPerUnit = 1;
                scale = 2;
                break;
        }
        double valueUsd = qty * unitUsd;
        // Japanese customs report gallium and germanium in grams.
        if (reporter == Reporter.JP && p.subsector().equals("gallium_germanium") && p.hs6().startsWith("8112")) {
            unit = "G";
            qty = Math.round(qty * 1000);
            kgPerUnit = 0.001;
            scale = 0;
        }
        r.setValueUsd(Math.max(0.01, valueUsd));
        String[] v = r.values;
        double netKg = Double.isNaN(kgPerUnit) ? qty * p.kgPerUnit() * Pick.logNormal(0.05, rng) : qty * kgPerUnit;
        v[CustomsRow.NET_WEIGHT_KG] = rng.nextDouble() < 0.08 ? "" : Text.fixed(netKg, netKg < 10 ? 3 : 2);
        if (rng.nextDouble() < 0.01) {
            v[CustomsRow.QUANTITY] = "";
            v[CustomsRow.QUANTITY_UNIT] = "";
            r.quantity = Double.NaN;
        } else {
            v[CustomsRow.QUANTITY] = Text.fixed(qty, scale);
            v[CustomsRow.QUANTITY_UNIT] = unit;
            r.quantity = qty;
        }
        r.kgPerQuantityUnit = kgPerUnit;
        r.quantityScale = scale;
    }

    /** A version-2 resend: customs corrected either the value or the quantity. */
    CustomsRow amend(CustomsRow original) {
        CustomsRow a = original.copy();
        a.version = 2;
        a.values[CustomsRow.VERSION] = "2";
        double f = rng.nextBoolean() ? 0.8 + rng.nextDouble() * 0.15 : 1.05 + rng.nextDouble() * 0.2;
        if (Double.isNaN(a.quantity) || rng.nextBoolean()) {
            a.setValueUsd(a.valueUsd * f);
        } else {
            double q = Text.round(a.quantity * f, a.quantityScale);
            a.quantity = Math.max(q, a.quantityScale == 0 ? 1 : 0.01);
            a.values[CustomsRow.QUANTITY] = Text.fixed(a.quantity, a.quantityScale);
        }
        return a;
    }
}
