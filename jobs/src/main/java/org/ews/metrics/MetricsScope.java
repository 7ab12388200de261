package org.ews.metrics;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.ews.tables.Columns.*;

/**
 * The slices of the gold tables one incremental run recomputes, derived from the (reporter, month) slices of the trade
 * cubes it rebuilt: the years of those months, the 12-month windows that contain them, and, because screens look back
 * over earlier years (persistence, "three years running"), the years and windows that look back at them. Each set
 * renders as a literal SQL predicate, used both to read the inputs and as the {@code replaceWhere} of the write, so
 * the recomputed rows and the rows they replace are the same slice. A full scope has no predicates: everything is
 * read, and writes replace whole tables.
 */
public final class MetricsScope {
    private final boolean full;
    private final Map<String, SortedSet<Integer>> years = new TreeMap<>();
    private final Map<String, SortedSet<LocalDate>> windowEnds = new TreeMap<>();
    private final int lookbackYears;

    private MetricsScope(boolean full, int lookbackYears) {
        this.full = full;
        this.lookbackYears = lookbackYears;
    }

    /** Everything: every predicate is null (no filter, and a write replaces the whole table). */
    static MetricsScope full() {
        return new MetricsScope(true, 0);
    }

    /**
     * @param cubeMonths    the (reporter, month) slices whose lines changed or whose month closed
     * @param closedThrough windows end only at closed months
     * @param firstBefore   each reporter's first month of data before the run; {@code firstAfter} after it: where it
     *                      moved, the partial flags of the years and windows between the two change
     */
    static MetricsScope derive(Map<String, SortedSet<LocalDate>> cubeMonths, LocalDate closedThrough, int lookbackYears,
                               Map<String, LocalDate> firstBefore, Map<String, LocalDate> firstAfter) {
        MetricsScope s = new MetricsScope(false, lookbackYears);
        cubeMonths.forEach((reporter, months) -> months.forEach(m -> s.touch(reporter, m, m, closedThrough)));
        firstAfter.forEach((reporter, after) -> {
            LocalDate before = firstBefore.get(reporter);
            if (before != null && !before.equals(after)) {
                LocalDate lo = before.isBefore(after) ? before : after;
                LocalDate hi = before.isBefore(after) ? after : before;
                s.touch(reporter, lo, hi, closedThrough);
            }
        });
        return s;
    }

    /** Months {@code from..to} of {@code reporter} changed: their years and every window containing them. */
    private void touch(String reporter, LocalDate from, LocalDate to, LocalDate closedThrough) {
        for (int y = from.getYear(); y <= to.getYear() + lookbackYears; y++) {
            years.computeIfAbsent(reporter, r -> new TreeSet<>()).add(y);
        }
        for (YearMonth e = YearMonth.from(from); !e.isAfter(YearMonth.from(to).plusMonths(11)); e = e.plusMonths(1)) {
            for (int k = 0; k <= lookbackYears; k++) {
                LocalDate end = e.plusYears(k).atDay(1);
                if (!end.isAfter(closedThrough)) {
                    windowEnds.computeIfAbsent(reporter, r -> new TreeSet<>()).add(end);
                }
            }
        }
    }

    boolean isFull() {
        return full;
    }

    boolean hasYears() {
        return full || !years.isEmpty();
    }

    boolean hasWindows() {
        return full || !windowEnds.isEmpty();
    }

    /** The yearly slices: {@code (reporter = 'KR' AND year IN (2024, 2025)) OR ...}. */
    String yearPredicate() {
        return full ? null : any(years, ys -> YEAR + " IN (" + ys.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
    }

    /** The months of the yearly slices, on the cubes' partition column. */
    String yearMonthsPredicate() {
        return full ? null : any(years, ys -> between(LocalDate.of(ys.first(), 1, 1), LocalDate.of(ys.last(), 12, 1)));
    }

    /** The months the yearly slices and the earlier years their screens look back at are computed from. */
    String yearInputPredicate() {
        return full ? null : any(years, ys -> between(LocalDate.of(ys.first() - lookbackYears, 1, 1), LocalDate.of(ys.last(), 12, 1)));
    }

    /** The 12-month windows to recompute, by their end month. */
    String windowPredicate() {
        return full ? null : months(windowEnds);
    }

    /** The months those windows, and the windows 12, 24, ... months before them that screens look back at, cover. */
    String windowInputPredicate() {
        return full ? null : any(windowEnds, es -> between(es.first().minusMonths(11 + 12L * lookbackYears), es.last()));
    }

    /** {@code (reporter = 'KR' AND month IN (DATE'2024-01-01', ...)) OR ...}: one literal list per reporter. */
    public static String months(Map<String, SortedSet<LocalDate>> slices) {
        return any(slices, ms -> MONTH + " IN (" + ms.stream().map(m -> "DATE'" + m + "'").collect(Collectors.joining(", ")) + ")");
    }

    private static String between(LocalDate from, LocalDate to) {
        return MONTH + " BETWEEN DATE'" + from + "' AND DATE'" + to + "'";
    }

    private static <T> String any(Map<String, T> byReporter, Function<T, String> condition) {
        if (byReporter.isEmpty()) {
            return "false";
        }
        return byReporter.entrySet().stream()
                .map(e -> "(" + REPORTER + " = '" + e.getKey().replace("'", "''") + "' AND "
                        + condition.apply(Objects.requireNonNull(e.getValue())) + ")")
                .collect(Collectors.joining(" OR "));
    }
}
