package org.ews.evaluate;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores the anomaly findings against the generator's ground truth ({@code truth/events.csv}).
 *
 * <p><b>Recall:</b> an event is found when a medium or high finding on its reporter, flow and HS6 points the right
 * way within its first {@link #EARLY_MONTHS} months (an early warning that comes later is not one): on the event's
 * partner, or on the all-partners series for a surge or collapse; a price spike must be found on the unit value.
 *
 * <p><b>False alarms:</b> medium or high findings on clean series-months, per 1000 clean series-months judged
 * ({@code gold.anomaly_coverage.series_judged}). A series-month is not clean when an event touches its product
 * (any partner, the all-partners series, the sectors the product is in, and the mirror series of a loaded partner)
 * from the event's start to {@link #AFTERMATH_MONTHS} months after its end: trailing windows (12-month sums, the
 * range of the last 12 unit values, shares) carry an event that long, and a partner's share moves when another
 * partner's supply does.
 */
public final class Evaluation {
    public static final int EARLY_MONTHS = 3;
    public static final int AFTERMATH_MONTHS = 12;

    public record Event(String id, String reporter, String flow, String hs6, String partner, String kind, YearMonth start,
                        YearMonth end) {
        String direction() {
            return kind.equals("collapse") || kind.equals("supplier_stop") ? "down" : "up";
        }
    }

    /** A medium or high finding. */
    public record Hit(String reporter, String flow, String level, String key, String partner, YearMonth month, String metric,
                      String direction, String detector, String severity, String explanation) {}

    public record Covered(String reporter, String flow, String level, String key, YearMonth month, long judged) {}

    public record EventResult(Event event, Hit firstHit) {
        public boolean found() {
            return firstHit != null;
        }
    }

    public record Score(List<EventResult> events, long cleanSeriesMonths, List<Hit> falseAlarms) {
        /** kind -> {found, total}, kinds in alphabetical order. */
        public Map<String, long[]> recallByKind() {
            Map<String, long[]> out = new TreeMap<>();
            for (EventResult r : events) {
                long[] c = out.computeIfAbsent(r.event().kind(), k -> new long[2]);
                c[0] += r.found() ? 1 : 0;
                c[1]++;
            }
            return out;
        }

        public double recall() {
            return events.isEmpty() ? Double.NaN : events.stream().filter(EventResult::found).count() / (double) events.size();
        }

        /** Distinct series-months with a false medium+ alarm, per 1000 clean series-months. */
        public double falseAlarmsPer1000() {
            return cleanSeriesMonths == 0 ? Double.NaN : 1000.0 * falseAlarmSeriesMonths() / cleanSeriesMonths;
        }

        /** Several runs' scores as one (their series keys must already differ, e.g. by a seed prefix on the reporter). */
        public static Score combine(List<Score> scores) {
            List<EventResult> events = new ArrayList<>();
            List<Hit> falseAlarms = new ArrayList<>();
            long clean = 0;
            for (Score s : scores) {
                events.addAll(s.events());
                falseAlarms.addAll(s.falseAlarms());
                clean += s.cleanSeriesMonths();
            }
            return new Score(events, clean, falseAlarms);
        }

        public long falseAlarmSeriesMonths() {
            Set<String> distinct = new HashSet<>();
            falseAlarms.forEach(h -> distinct.add(String.join("|", h.reporter(), h.flow(), h.level(), h.key(), h.partner(), h.month().toString())));
            return distinct.size();
        }
    }

    private Evaluation() {}

    /**
     * @param hits           medium and high findings
     * @param covered        judged series counts per product or sector and month
     * @param sectorsOfHs6   the sector bridge: which sectors an HS6 code counts in
     * @param reporters      the loaded reporters (for mirror series)
     */
    public static Score score(List<Event> events, List<Hit> hits, List<Covered> covered, Map<String, Set<String>> sectorsOfHs6,
                              Set<String> reporters) {
        List<EventResult> results = new ArrayList<>();
        for (Event e : events) {
            Hit first = null;
            for (Hit h : hits) {
                if (matches(e, h) && (first == null || h.month().isBefore(first.month()))) {
                    first = h;
                }
            }
            results.add(new EventResult(e, first));
        }
        long clean = 0;
        for (Covered c : covered) {
            if (!touched(events, c.reporter(), c.flow(), c.level(), c.key(), c.month(), sectorsOfHs6, reporters)) {
                clean += c.judged();
            }
        }
        List<Hit> falseAlarms = new ArrayList<>();
        for (Hit h : hits) {
            if (!touched(events, h.reporter(), h.flow(), h.level(), h.key(), h.month(), sectorsOfHs6, reporters)) {
                falseAlarms.add(h);
            }
        }
        return new Score(results, clean, falseAlarms);
    }

    static boolean matches(Event e, Hit h) {
        if (!h.reporter().equals(e.reporter()) || !h.flow().equals(e.flow()) || !h.level().equals("hs6") || !h.key().equals(e.hs6())
                || !h.direction().equals(e.direction())) {
            return false;
        }
        YearMonth last = e.end().isBefore(e.start().plusMonths(EARLY_MONTHS - 1)) ? e.end() : e.start().plusMonths(EARLY_MONTHS - 1);
        if (h.month().isBefore(e.start()) || h.month().isAfter(last)) {
            return false;
        }
        boolean onPartner = h.partner().equals(e.partner());
        boolean onTotal = h.partner().equals("*");
        return switch (e.kind()) {
            case "price_spike" -> (onPartner || onTotal) && h.metric().equals("unit_value_usd_per_kg");
            case "surge", "collapse" -> onPartner || onTotal;
            default -> onPartner; // supplier_stop, new_partner: about that partner
        };
    }

    /** Whether an event touches the series of {@code level}/{@code key} in {@code month} (see the class comment). */
    static boolean touched(List<Event> events, String reporter, String flow, String level, String key, YearMonth month,
                           Map<String, Set<String>> sectorsOfHs6, Set<String> reporters) {
        for (Event e : events) {
            if (month.isBefore(e.start()) || month.isAfter(e.end().plusMonths(AFTERMATH_MONTHS))) {
                continue;
            }
            boolean sameProduct = level.equals("hs6") ? key.equals(e.hs6())
                    : sectorsOfHs6.getOrDefault(e.hs6(), Set.of()).contains(key);
            if (!sameProduct) {
                continue;
            }
            if (reporter.equals(e.reporter()) && flow.equals(e.flow())) {
                return true;
            }
            // The partner's mirror of the event's flow: its own opposite flow with the event's reporter.
            if (reporters.contains(e.partner()) && reporter.equals(e.partner()) && !flow.equals(e.flow())) {
                return true;
            }
        }
        return false;
    }
}
