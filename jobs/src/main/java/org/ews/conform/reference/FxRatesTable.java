package org.ews.conform.reference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The default monthly FX rates {@code conf/reference/fx_rates.csv} ({@code currency,month,usd_per_unit}: US dollars
 * for one unit of the currency, USD itself 1), built from an unchanged extract of the public dataset
 * {@code datasets/exchange-rates} (file {@code data/monthly.csv}: {@code Date,Country,Exchange rate}, monthly averages
 * of the Federal Reserve H.10 rates as FRED publishes them).
 *
 * <p>Direction. FRED quotes most series as currency units per US dollar (EXJPUS, EXKOUS, ...) but five as US dollars
 * per unit (EXUSEU, EXUSUK, EXUSAL, EXUSNZ, EXUSIR). The dataset's scraper already inverts those five
 * ({@code value = round(1 / value, 4)}), so every value in the file is <em>currency units per US dollar</em>; for
 * example Euro 2023-01 is 0.9279 (EUR per USD) and Japan 2023-01 is 130.4475 (JPY per USD). The rate written here is
 * therefore {@code 1 / value} for every series, rounded to six significant digits.
 */
public final class FxRatesTable {
    private FxRatesTable() {}

    public static final List<String> HEADER = List.of("currency", "month", "usd_per_unit");
    /** Default rates start here; earlier months of the source are ignored. */
    public static final YearMonth FIRST_MONTH = YearMonth.of(2017, 1);
    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    /** The dataset's series name (its Country column) to the ISO 4217 code of the currency it quotes. */
    static final Map<String, String> CURRENCY_OF = Map.ofEntries(
            Map.entry("Australia", "AUD"),
            Map.entry("Brazil", "BRL"),
            Map.entry("Canada", "CAD"),
            Map.entry("China", "CNY"),
            Map.entry("Denmark", "DKK"),
            Map.entry("Euro", "EUR"),
            Map.entry("Hong Kong", "HKD"),
            Map.entry("India", "INR"),
            Map.entry("Japan", "JPY"),
            Map.entry("Malaysia", "MYR"),
            Map.entry("Mexico", "MXN"),
            Map.entry("New Zealand", "NZD"),
            Map.entry("Norway", "NOK"),
            Map.entry("Singapore", "SGD"),
            Map.entry("South Africa", "ZAR"),
            Map.entry("South Korea", "KRW"),
            Map.entry("Sri Lanka", "LKR"),
            Map.entry("Sweden", "SEK"),
            Map.entry("Switzerland", "CHF"),
            Map.entry("Taiwan", "TWD"),
            Map.entry("Thailand", "THB"),
            Map.entry("United Kingdom", "GBP"));

    /** Series the dataset carries that give no default rate, and why. */
    static final Map<String, String> SKIPPED = Map.ofEntries(
            Map.entry("Austria", "schilling, replaced by the euro in 2002"),
            Map.entry("Belgium", "franc, replaced by the euro in 2002"),
            Map.entry("Finland", "markka, replaced by the euro in 2002"),
            Map.entry("France", "franc, replaced by the euro in 2002"),
            Map.entry("Germany", "mark, replaced by the euro in 2002"),
            Map.entry("Greece", "drachma, replaced by the euro in 2002"),
            Map.entry("Ireland", "pound, replaced by the euro in 2002"),
            Map.entry("Italy", "lira, replaced by the euro in 2002"),
            Map.entry("Netherlands", "guilder, replaced by the euro in 2002"),
            Map.entry("Portugal", "escudo, replaced by the euro in 2002"),
            Map.entry("Spain", "peseta, replaced by the euro in 2002"),
            Map.entry("Venezuela", "one series across the 2018 (VEF to VES) and 2021 redenominations of the bolivar"));

    /** One row of fx_rates.csv. */
    public record Rate(String currency, YearMonth month, BigDecimal usdPerUnit) {
        List<String> fields() {
            return List.of(currency, month.toString(), usdPerUnit.stripTrailingZeros().toPlainString());
        }
    }

    /**
     * Rates for every currency of {@link #CURRENCY_OF} and USD, for every month from {@link #FIRST_MONTH} to the last
     * month of the extract, sorted by currency then month.
     *
     * @throws IllegalArgumentException on an unknown series, a bad date or value, a duplicate or a missing month
     */
    public static List<Rate> build(Path extractCsv) {
        ReferenceCsv.Table t = ReferenceCsv.read(extractCsv);
        int date = t.column("Date");
        int country = t.column("Country");
        int value = t.header().contains("Exchange rate") ? t.column("Exchange rate") : t.column("Value");
        Map<String, TreeMap<YearMonth, BigDecimal>> perCurrency = new TreeMap<>();
        YearMonth last = null;
        int line = 1;
        for (String[] r : t.rows()) {
            line++;
            String where = extractCsv + " line " + line;
            String series = r[country].trim();
            if (SKIPPED.containsKey(series)) {
                continue;
            }
            String currency = CURRENCY_OF.get(series);
            if (currency == null) {
                throw new IllegalArgumentException(where + ": series '" + series
                        + "' has no currency in FxRatesTable.CURRENCY_OF (add it there, or to SKIPPED with a reason)");
            }
            YearMonth month;
            try {
                LocalDate d = LocalDate.parse(r[date].trim());
                if (d.getDayOfMonth() != 1) {
                    throw new IllegalArgumentException(where + ": date " + d + " is not the first of a month");
                }
                month = YearMonth.from(d);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": bad date '" + r[date] + "'");
            }
            if (month.isBefore(FIRST_MONTH)) {
                continue;
            }
            BigDecimal perUsd;
            try {
                perUsd = new BigDecimal(r[value].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + series + " " + month + " has no usable rate '"
                        + r[value] + "'");
            }
            if (perUsd.signum() <= 0) {
                throw new IllegalArgumentException(where + ": " + series + " " + month + " rate must be positive");
            }
            BigDecimal usdPerUnit = BigDecimal.ONE.divide(perUsd, SIX_DIGITS);
            if (perCurrency.computeIfAbsent(currency, c -> new TreeMap<>()).put(month, usdPerUnit) != null) {
                throw new IllegalArgumentException(where + ": second rate for " + currency + " " + month);
            }
            if (last == null || month.isAfter(last)) {
                last = month;
            }
        }
        if (last == null) {
            throw new IllegalArgumentException(extractCsv + ": no rates from " + FIRST_MONTH + " on");
        }
        for (String c : CURRENCY_OF.values()) {
            TreeMap<YearMonth, BigDecimal> m = perCurrency.get(c);
            for (YearMonth ym = FIRST_MONTH; !ym.isAfter(last); ym = ym.plusMonths(1)) {
                if (m == null || !m.containsKey(ym)) {
                    throw new IllegalArgumentException(extractCsv + ": no " + c + " rate for " + ym
                            + " (every currency needs every month " + FIRST_MONTH + ".." + last + ")");
                }
            }
        }
        TreeMap<YearMonth, BigDecimal> usd = new TreeMap<>();
        for (YearMonth ym = FIRST_MONTH; !ym.isAfter(last); ym = ym.plusMonths(1)) {
            usd.put(ym, BigDecimal.ONE);
        }
        perCurrency.put("USD", usd);
        List<Rate> out = new ArrayList<>();
        perCurrency.forEach((c, months) -> months.forEach((ym, v) -> out.add(new Rate(c, ym, v))));
        return out;
    }

    /** The file's content: header and one line per rate. */
    public static String toCsv(List<Rate> rates) {
        StringBuilder sb = new StringBuilder(ReferenceCsv.line(HEADER));
        for (Rate r : rates) {
            sb.append(ReferenceCsv.line(r.fields()));
        }
        return sb.toString();
    }

    public static void write(List<Rate> rates, Path file) {
        List<List<String>> rows = new ArrayList<>(rates.size());
        for (Rate r : rates) {
            rows.add(r.fields());
        }
        ReferenceCsv.write(file, HEADER, rows);
    }

    /** {@code FxRatesTable <fred_exchange_rates_monthly.csv> <output fx_rates.csv>}. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FxRatesTable <fred_exchange_rates_monthly.csv> <output fx_rates.csv>");
            System.exit(2);
            return;
        }
        try {
            List<Rate> rates = build(Path.of(args[0]));
            write(rates, Path.of(args[1]));
            System.out.println("wrote " + rates.size() + " rates to " + args[1] + " ("
                    + rates.get(0).month() + ".." + rates.get(rates.size() - 1).month() + ")");
        } catch (RuntimeException e) {
            System.err.println("fx rates: " + e.getMessage());
            System.exit(1);
        }
    }
}
