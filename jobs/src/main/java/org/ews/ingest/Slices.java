package org.ews.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The (reporter, landing date) slices a run has files for: exactly what its writes replace. A date whose
 * files were archived since an earlier run is not a slice, so a rerun never wipes bronze rows for lack of
 * input; a reporter that re-sends a day replaces that day.
 */
public final class Slices {
    private final Map<String, SortedSet<LocalDate>> datesByReporter = new TreeMap<>();

    public static Slices of(List<LandingFile> files) {
        Slices s = new Slices();
        for (LandingFile f : files) {
            s.datesByReporter.computeIfAbsent(f.reporter() == null ? "" : f.reporter(), r -> new TreeSet<>())
                    .add(f.landingDate());
        }
        return s;
    }

    public boolean isEmpty() {
        return datesByReporter.isEmpty();
    }

    public SortedSet<LocalDate> dates() {
        SortedSet<LocalDate> all = new TreeSet<>();
        datesByReporter.values().forEach(all::addAll);
        return all;
    }

    /**
     * A SQL predicate for these slices: dates grouped by the set of reporters that have them, so a 3-year
     * backfill of 3 reporters stays one {@code IN} list rather than a thousand disjuncts. Without a
     * reporter column (corporate feeds) only the dates count.
     */
    public String predicate(String reporterColumn, String dateColumn) {
        if (reporterColumn == null) {
            return inDates(dateColumn, dates());
        }
        Map<LocalDate, SortedSet<String>> reportersByDate = new TreeMap<>();
        datesByReporter.forEach((r, dates) -> dates.forEach(d -> reportersByDate.computeIfAbsent(d, x -> new TreeSet<>()).add(r)));
        Map<Set<String>, SortedSet<LocalDate>> datesBySet = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        reportersByDate.forEach((d, rs) -> datesBySet.computeIfAbsent(rs, x -> new TreeSet<>()).add(d));
        List<String> parts = new ArrayList<>();
        datesBySet.forEach((reporters, dates) -> parts.add("(" + reporterColumn + " IN ("
                + reporters.stream().map(Slices::quote).collect(Collectors.joining(", ")) + ") AND "
                + inDates(dateColumn, dates) + ")"));
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }

    private static String inDates(String column, SortedSet<LocalDate> dates) {
        return column + " IN (" + dates.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", ")) + ")";
    }

    /** Reporter folder names come from the landing zone; escape them as SQL string literals. */
    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
