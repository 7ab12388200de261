package org.ews.run;

import java.util.List;

/**
 * What a stage did: rows read, written and quarantined, the tables it wrote, and per-feed detail.
 * {@code seconds} is filled in by the {@link Pipeline}.
 */
public record StageResult(String stage, long rowsIn, long rowsOut, long rowsQuarantined, List<String> tablesWritten,
                          String detail, double seconds) {

    public StageResult withSeconds(double s) {
        return new StageResult(stage, rowsIn, rowsOut, rowsQuarantined, tablesWritten, detail, s);
    }

    public String summaryLine() {
        return String.format("%-10s rows in %,d, out %,d, quarantined %,d in %.1f s%s", stage, rowsIn, rowsOut,
                rowsQuarantined, seconds, detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
