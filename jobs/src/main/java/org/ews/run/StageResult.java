package org.ews.run;

import java.util.List;
import java.util.Map;

/**
 * What a stage did: rows read, written and quarantined (by reason code), the tables it wrote, and per-feed detail.
 * {@code seconds} is filled in by the {@link Pipeline}.
 */
public record StageResult(String stage, long rowsIn, long rowsOut, long rowsQuarantined, List<String> tablesWritten,
                          String detail, Map<String, Long> quarantinedByReason, double seconds) {

    public StageResult withSeconds(double s) {
        return new StageResult(stage, rowsIn, rowsOut, rowsQuarantined, tablesWritten, detail, quarantinedByReason, s);
    }

    public String summaryLine() {
        return String.format("%-10s rows in %,d, out %,d, quarantined %,d in %.1f s%s", stage, rowsIn, rowsOut,
                rowsQuarantined, seconds, detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** "bad_flow 100, short_row 2": reason codes, most frequent first. */
    public static String describeReasons(Map<String, Long> reasons) {
        return reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }
}
