package org.ews.anomalies;

import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything judged together: one reporter x flow x product (or sector), its partner series and their all-partners
 * total ({@code *}), the declaring firms behind each partner series (to name the traders behind a change), and, for
 * imports, the other loaded reporters' exports to this reporter (mirror data). Arrays are indexed by month from
 * {@link #first}, the reporter's first month of data (or the first month read): every month from there is history,
 * and a month without trade is a zero.
 */
final class SeriesGroup {
    static final String ALL_PARTNERS = "*";
    static final String LEVEL_HS6 = "hs6";
    static final String LEVEL_SECTOR = "sector";

    final String reporter;
    final String flow;
    final String level;
    final String key;
    final YearMonth first;
    final int months;
    /** Partner series in partner-code order (deterministic output). */
    final Map<String, MonthlySeries> partners = new TreeMap<>();
    final MonthlySeries total;
    /** partner -> firm -> value per month; the all-partners entry sums a firm over partners. */
    final Map<String, Map<String, double[]>> traders = new TreeMap<>();
    /** Exporting reporter -> its exports of the product to {@link #reporter} (mirror of our imports from it). */
    final Map<String, MonthlySeries> mirror = new TreeMap<>();
    /** Array index where history starts: 0, the first month covered (kept as a field so tests can set a later start). */
    int historyStart;

    SeriesGroup(String reporter, String flow, String level, String key, YearMonth first, int months) {
        this.reporter = reporter;
        this.flow = flow;
        this.level = level;
        this.key = key;
        this.first = first;
        this.months = months;
        this.total = new MonthlySeries(ALL_PARTNERS, months);
        this.historyStart = 0;
    }

    /** Month index of {@code m} in the arrays; outside [0, months) when the month is not covered. */
    int index(YearMonth m) {
        return (int) (first.until(m, java.time.temporal.ChronoUnit.MONTHS));
    }

    YearMonth month(int t) {
        return first.plusMonths(t);
    }

    void addCell(String partner, YearMonth m, double value, double kg, double valueWithKg, double declarations) {
        int t = index(m);
        if (t < 0 || t >= months) {
            return;
        }
        partners.computeIfAbsent(partner, p -> new MonthlySeries(p, months)).add(t, value, kg, valueWithKg, declarations);
        total.add(t, value, kg, valueWithKg, declarations);
    }

    void addTrader(String partner, String firm, YearMonth m, double value) {
        int t = index(m);
        if (t < 0 || t >= months) {
            return;
        }
        traders.computeIfAbsent(partner, p -> new TreeMap<>()).computeIfAbsent(firm, f -> new double[months])[t] += value;
        traders.computeIfAbsent(ALL_PARTNERS, p -> new TreeMap<>()).computeIfAbsent(firm, f -> new double[months])[t] += value;
    }

    void addMirror(String exporter, YearMonth m, double value, double declarations) {
        int t = index(m);
        if (t < 0 || t >= months) {
            return;
        }
        mirror.computeIfAbsent(exporter, p -> new MonthlySeries(p, months)).add(t, value, 0, 0, declarations);
    }

    /** The partner series, or a series of zeros for a partner that never traded the product in the months read. */
    MonthlySeries partner(String code) {
        MonthlySeries s = partners.get(code);
        return s != null ? s : new MonthlySeries(code, months);
    }

    boolean hasQuantities() {
        return LEVEL_HS6.equals(level);
    }

    boolean isImports() {
        return "I".equals(flow);
    }
}
