package org.ews.evaluate;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The scoring rules of make evaluate on a hand-made truth: what counts as found, as clean and as a false alarm. */
class EvaluationTest {
    private static final YearMonth NOV = YearMonth.of(2023, 11);

    private static Evaluation.Event event(String id, String kind, String partner, YearMonth start, YearMonth end) {
        return new Evaluation.Event(id, "KR", "I", "250410", partner, kind, start, end);
    }

    private static Evaluation.Hit hit(String reporter, String level, String key, String partner, YearMonth month, String metric, String direction) {
        return new Evaluation.Hit(reporter, "I", level, key, partner, month, metric, direction, "d", "medium", "");
    }

    @Test
    void anEventIsFoundOnlyByTheRightSeriesDirectionAndEarlyMonth() {
        Evaluation.Event surge = event("E1", "surge", "CN", NOV, NOV);
        assertTrue(Evaluation.matches(surge, hit("KR", "hs6", "250410", "CN", NOV, "value_usd", "up")));
        assertTrue(Evaluation.matches(surge, hit("KR", "hs6", "250410", "*", NOV, "value_usd", "up")), "all partners count for a surge");
        assertFalse(Evaluation.matches(surge, hit("KR", "hs6", "250410", "CN", NOV, "value_usd", "down")), "wrong direction");
        assertFalse(Evaluation.matches(surge, hit("KR", "hs6", "250410", "AU", NOV, "value_usd", "up")), "another partner");
        assertFalse(Evaluation.matches(surge, hit("KR", "sector", "batteries", "CN", NOV, "value_usd", "up")), "sector level is not the product");
        assertFalse(Evaluation.matches(surge, hit("KR", "hs6", "250410", "CN", NOV.plusMonths(1), "value_usd", "up")), "after the event");

        Evaluation.Event stop = event("E2", "supplier_stop", "AR", YearMonth.of(2023, 9), YearMonth.of(2025, 12));
        assertTrue(Evaluation.matches(stop, hit("KR", "hs6", "250410", "AR", YearMonth.of(2023, 11), "value_usd", "down")), "third month");
        assertFalse(Evaluation.matches(stop, hit("KR", "hs6", "250410", "AR", YearMonth.of(2023, 12), "value_usd", "down")),
                "a warning in the fourth month is not early");
        assertFalse(Evaluation.matches(stop, hit("KR", "hs6", "250410", "*", YearMonth.of(2023, 9), "value_usd", "down")),
                "a stop is about its partner");

        Evaluation.Event spike = event("E3", "price_spike", "CN", YearMonth.of(2023, 5), YearMonth.of(2023, 7));
        assertFalse(Evaluation.matches(spike, hit("KR", "hs6", "250410", "CN", YearMonth.of(2023, 5), "value_usd", "up")), "value is not price");
        assertTrue(Evaluation.matches(spike, hit("KR", "hs6", "250410", "CN", YearMonth.of(2023, 5), "unit_value_usd_per_kg", "up")));
    }

    @Test
    void cleanSeriesMonthsLeaveOutWhatAnEventTouchesForTwelveMonthsAfterIt() {
        List<Evaluation.Event> events = List.of(event("E1", "collapse", "JP", YearMonth.of(2023, 1), YearMonth.of(2023, 2)));
        Map<String, Set<String>> sectors = Map.of("250410", Set.of("batteries"));
        Set<String> reporters = Set.of("KR", "JP");
        List<Evaluation.Covered> covered = List.of(
                new Evaluation.Covered("KR", "I", "hs6", "250410", YearMonth.of(2023, 1), 3),   // the event's product: touched
                new Evaluation.Covered("KR", "I", "hs6", "250410", YearMonth.of(2024, 2), 3),   // 12 months after its end: touched
                new Evaluation.Covered("KR", "I", "hs6", "250410", YearMonth.of(2024, 3), 3),   // 13 months after: clean
                new Evaluation.Covered("KR", "I", "sector", "batteries", YearMonth.of(2023, 2), 4), // its sector: touched
                new Evaluation.Covered("JP", "X", "hs6", "250410", YearMonth.of(2023, 2), 2),   // the mirror (JP exports to KR): touched
                new Evaluation.Covered("KR", "X", "hs6", "250410", YearMonth.of(2023, 2), 5),   // KR's exports: clean
                new Evaluation.Covered("US", "I", "hs6", "250410", YearMonth.of(2023, 2), 7));  // another reporter: clean
        List<Evaluation.Hit> hits = List.of(
                hit("KR", "hs6", "250410", "JP", YearMonth.of(2023, 1), "value_usd", "down"),   // finds the event
                hit("KR", "hs6", "250410", "AU", YearMonth.of(2023, 1), "partner_share", "up"), // touched: not false
                hit("US", "hs6", "250410", "CN", YearMonth.of(2023, 2), "value_usd", "up"),     // false
                hit("US", "hs6", "250410", "*", YearMonth.of(2023, 2), "value_usd", "up"),      // false, another series
                hit("US", "hs6", "250410", "CN", YearMonth.of(2023, 2), "value_usd_12m", "up")); // false, same series-month
        Evaluation.Score s = Evaluation.score(events, hits, covered, sectors, reporters);
        assertEquals(1.0, s.recall());
        assertEquals(3 + 5 + 7, s.cleanSeriesMonths());
        assertEquals(3, s.falseAlarms().size());
        assertEquals(2, s.falseAlarmSeriesMonths(), "two detectors on one series-month are one false alarm");
        assertEquals(1000.0 * 2 / 15, s.falseAlarmsPer1000(), 1e-9);
        assertEquals(Map.of("collapse", List.of(1L, 1L)), Map.of("collapse", List.of(s.recallByKind().get("collapse")[0], s.recallByKind().get("collapse")[1])));
    }
}
