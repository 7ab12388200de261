package org.ews.generate;

import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Supply shocks injected into the monthly flows and reported as ground truth. The catalogue below reproduces
 * 2023 episodes (China's graphite and gallium/germanium export controls, a lithium price spike, a supplier dropping
 * out, a pre-control equipment rush, a diversion to a new partner). When the generated range covers an episode's
 * start months it keeps its real dates; otherwise the episode is moved, as a block, into the range so every range
 * still has something to detect.
 */
final class SupplyEvents {
    enum Kind {
        surge, collapse, price_spike, supplier_stop, new_partner;

        boolean affectsPrice() {
            return this == price_spike;
        }
    }

    record Event(String id, Reporter reporter, char flow, String hs6, String partner, Kind kind, YearMonth start,
                 YearMonth end, double magnitude, String note) {
        boolean active(YearMonth m) {
            return !m.isBefore(start) && !m.isAfter(end);
        }
    }

    /** One row of the catalogue; end null means the episode lasts to the end of the range. */
    private record Template(int group, Reporter reporter, char flow, String hs6, String partner, Kind kind,
                            YearMonth start, YearMonth end, double magnitude, String note) {
    }

    private static final List<Template> CATALOGUE = List.of(
            t(0, Reporter.KR, 'I', "250410", "CN", Kind.surge, "2023-11", "2023-11", 3.0,
                    "front-loading of natural graphite before China's export licensing from 2023-12-01"),
            t(0, Reporter.JP, 'I', "250410", "CN", Kind.surge, "2023-11", "2023-11", 3.0,
                    "front-loading of natural graphite before China's export licensing from 2023-12-01"),
            t(0, Reporter.KR, 'I', "250410", "CN", Kind.collapse, "2023-12", "2024-02", 0.2,
                    "China graphite export controls in force from 2023-12-01"),
            t(0, Reporter.JP, 'I', "250410", "CN", Kind.collapse, "2023-12", "2024-02", 0.2,
                    "China graphite export controls in force from 2023-12-01"),
            t(1, Reporter.JP, 'I', "811292", "CN", Kind.collapse, "2023-08", "2023-11", 0.1,
                    "China gallium/germanium export licensing from 2023-08-01"),
            t(1, Reporter.US, 'I', "811292", "CN", Kind.collapse, "2023-08", "2023-11", 0.1,
                    "China gallium/germanium export licensing from 2023-08-01"),
            t(2, Reporter.KR, 'I', "282520", "CN", Kind.price_spike, "2023-05", "2023-07", 2.3,
                    "lithium hydroxide unit value more than doubles, quantities flat"),
            t(3, Reporter.US, 'I', "283691", "AR", Kind.supplier_stop, "2023-09", null, 0.0,
                    "a steady lithium carbonate supplier stops shipping"),
            t(4, Reporter.JP, 'X', "848620", "CN", Kind.surge, "2023-06", "2023-09", 2.5,
                    "Chinese fabs rush chip-making equipment before Japan's export controls (2023-07-23)"),
            t(5, Reporter.US, 'I', "850511", "VN", Kind.new_partner, "2023-10", null, 0.7,
                    "magnet imports diverted through a new partner; magnitude = line rate relative to the product"));

    private static Template t(int group, Reporter r, char flow, String hs6, String partner, Kind kind, String start,
                              String end, double magnitude, String note) {
        return new Template(group, r, flow, hs6, partner, kind, YearMonth.parse(start),
                end == null ? null : YearMonth.parse(end), magnitude, note);
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, List<Event>> bySeries = new HashMap<>();

    SupplyEvents(YearMonth first, YearMonth last) {
        int months = (int) first.until(last, ChronoUnit.MONTHS) + 1;
        int groups = CATALOGUE.stream().mapToInt(Template::group).max().orElse(-1) + 1;
        int n = 0;
        for (int g = 0; g < groups; g++) {
            List<Template> members = new ArrayList<>();
            for (Template t : CATALOGUE) {
                if (t.group() == g) {
                    members.add(t);
                }
            }
            YearMonth groupStart = members.stream().map(Template::start).min(YearMonth::compareTo).orElseThrow();
            boolean covered = members.stream().allMatch(t -> !t.start().isBefore(first) && !t.start().isAfter(last));
            long shift = 0;
            if (!covered) {
                // A third of the range as baseline before the shock, staggered by group so shocks do not pile up.
                int offset = Math.max(1, Math.min(months - 1, months / 3 + g % 3));
                shift = groupStart.until(first.plusMonths(offset), ChronoUnit.MONTHS);
            }
            for (Template t : members) {
                YearMonth start = t.start().plusMonths(shift);
                YearMonth end = t.end() == null ? last : t.end().plusMonths(shift);
                if (start.isAfter(last) || start.isBefore(first)) {
                    continue;
                }
                if (end.isAfter(last)) {
                    end = last;
                }
                Event e = new Event(String.format("E%02d", ++n), t.reporter(), t.flow(), t.hs6(), t.partner(),
                        t.kind(), start, end, t.magnitude(), t.note());
                events.add(e);
                bySeries.computeIfAbsent(TradeSeries.key(e.reporter(), e.flow(), e.hs6(), e.partner()),
                        k -> new ArrayList<>()).add(e);
            }
        }
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    /** Factor on the series' line rate in a month. */
    double volume(String seriesKey, YearMonth m) {
        List<Event> list = bySeries.get(seriesKey);
        if (list == null) {
            return 1.0;
        }
        double f = 1.0;
        for (Event e : list) {
            switch (e.kind()) {
                case new_partner:
                    f *= e.active(m) ? 1.0 : 0.0;
                    break;
                case supplier_stop:
                    f *= e.active(m) ? 0.0 : 1.0;
                    break;
                case surge:
                case collapse:
                    f *= e.active(m) ? e.magnitude() : 1.0;
                    break;
                default:
                    break;
            }
        }
        return f;
    }

    /** Factor on the unit value in a month. */
    double price(String seriesKey, YearMonth m) {
        List<Event> list = bySeries.get(seriesKey);
        if (list == null) {
            return 1.0;
        }
        double f = 1.0;
        for (Event e : list) {
            if (e.kind().affectsPrice() && e.active(m)) {
                f *= e.magnitude();
            }
        }
        return f;
    }

    /**
     * Series the events need that the supplier profiles do not have: a new partner, present at full rate only from
     * its start month on. Other event series must already exist, otherwise the truth would describe nothing.
     */
    List<TradeSeries> completeSeries(List<TradeSeries> existing, Reporter reporter, SupplierProfiles profiles,
                                     ProductCatalog catalog) {
        List<TradeSeries> out = new ArrayList<>(existing);
        for (Event e : events) {
            if (e.reporter() != reporter) {
                continue;
            }
            String key = TradeSeries.key(e.reporter(), e.flow(), e.hs6(), e.partner());
            boolean present = existing.stream().anyMatch(s -> s.key().equals(key));
            if (present || out.stream().anyMatch(s -> s.key().equals(key))) {
                continue;
            }
            if (e.kind() != Kind.new_partner) {
                throw new IllegalStateException("event " + e.id() + " refers to a series no profile generates: " + key);
            }
            Product p = catalog.get(e.hs6());
            double w = profiles.productWeight(reporter, e.flow(), p) * e.magnitude();
            out.add(new TradeSeries(reporter, e.flow(), p, e.partner(), w, 0.9, 1.0));
        }
        return out;
    }
}
