package org.ews.metrics;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Which years and windows a run rebuilds, worked out by hand from the months it changed. */
class MetricsScopeTest {
    private static final LocalDate CLOSED = LocalDate.parse("2023-07-01");

    private static SortedSet<LocalDate> months(String... m) {
        return Stream.of(m).map(LocalDate::parse).collect(Collectors.toCollection(TreeSet::new));
    }

    /** "DATE'a', DATE'b', ..." for every month from..to. */
    private static String monthList(String from, String to) {
        StringBuilder s = new StringBuilder();
        for (LocalDate m = LocalDate.parse(from); !m.isAfter(LocalDate.parse(to)); m = m.plusMonths(1)) {
            s.append(s.length() == 0 ? "" : ", ").append("DATE'").append(m).append("'");
        }
        return s.toString();
    }

    @Test
    void aChangedMonthReachesItsYearAndTheTwelveWindowsHoldingIt() {
        MetricsScope s = MetricsScope.derive(Map.of("KR", months("2021-05-01")), CLOSED, 0, Map.of(), Map.of());
        assertEquals("(reporter = 'KR' AND year IN (2021))", s.yearPredicate());
        assertEquals("(reporter = 'KR' AND month IN (" + monthList("2021-05-01", "2022-04-01") + "))", s.windowPredicate());
        assertEquals("(reporter = 'KR' AND month BETWEEN DATE'2020-06-01' AND DATE'2022-04-01')", s.windowInputPredicate());
        assertEquals("(reporter = 'KR' AND month BETWEEN DATE'2021-01-01' AND DATE'2021-12-01')", s.yearMonthsPredicate());
    }

    @Test
    void screensLookingBackOneYearReachTheYearAndWindowsAYearOn() {
        MetricsScope s = MetricsScope.derive(Map.of("KR", months("2021-05-01")), CLOSED, 1, Map.of(), Map.of());
        assertEquals("(reporter = 'KR' AND year IN (2021, 2022))", s.yearPredicate());
        // Windows 2021-05..2022-04 and the same twelve months later, 2022-05..2023-04: all closed.
        assertEquals("(reporter = 'KR' AND month IN (" + monthList("2021-05-01", "2023-04-01") + "))", s.windowPredicate());
        // Their input starts 11 months before the first window, and a year more for the look-back.
        assertEquals("(reporter = 'KR' AND month BETWEEN DATE'2019-06-01' AND DATE'2023-04-01')", s.windowInputPredicate());
        assertEquals("(reporter = 'KR' AND month BETWEEN DATE'2020-01-01' AND DATE'2022-12-01')", s.yearInputPredicate());
    }

    @Test
    void windowsEndOnlyAtClosedMonths() {
        MetricsScope s = MetricsScope.derive(Map.of("US", months("2023-06-01", "2023-08-01")), CLOSED, 0, Map.of(), Map.of());
        assertEquals("(reporter = 'US' AND year IN (2023))", s.yearPredicate());
        assertEquals("(reporter = 'US' AND month IN (DATE'2023-06-01', DATE'2023-07-01'))", s.windowPredicate());
    }

    @Test
    void aFirstMonthThatMovesBackReachesEveryYearAndWindowWhosePartialFlagChanges() {
        // US data started 2020-03; a filing back-dated to 2019-09 arrives. 2020 was partial (data from March) and is
        // covered now; windows ending up to 2021-01 started before 2020-03 and were partial: all of them change.
        MetricsScope s = MetricsScope.derive(Map.of("US", months("2019-09-01")), CLOSED, 0,
                Map.of("US", LocalDate.parse("2020-03-01")), Map.of("US", LocalDate.parse("2019-09-01")));
        assertEquals("(reporter = 'US' AND year IN (2019, 2020))", s.yearPredicate());
        assertEquals("(reporter = 'US' AND month IN (" + monthList("2019-09-01", "2021-02-01") + "))", s.windowPredicate());
        // A reporter's first month of data that did not move adds nothing.
        MetricsScope same = MetricsScope.derive(Map.of("US", months("2019-09-01")), CLOSED, 0,
                Map.of("US", LocalDate.parse("2019-09-01")), Map.of("US", LocalDate.parse("2019-09-01")));
        assertEquals("(reporter = 'US' AND year IN (2019))", same.yearPredicate());
    }

    @Test
    void theFullScopeFiltersNothing() {
        MetricsScope full = MetricsScope.full();
        assertTrue(full.hasYears() && full.hasWindows());
        assertNull(full.yearPredicate());
        assertNull(full.windowPredicate());
        assertEquals("false", MetricsScope.months(Map.of()));
    }
}
