package org.ews.ingest;

import org.ews.config.EwsConfig;
import org.ews.run.StageResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether bad input is too much to pass over. Bad rows never stop good rows by themselves (they are
 * quarantined); but a reporter's landing date that is mostly bad, or a landing date with many unreadable
 * files, points at a broken feed, and publishing figures from it would mislead. Then the run fails before
 * anything is written. Limits apply per landing date, so a backfill decides as the nightly runs of its
 * dates would.
 */
public final class IngestGate {
    private IngestGate() {}

    /** The reasons to fail, one per offending slice; empty when the run may go on. */
    public static List<String> violations(List<IngestCounts> counts, EwsConfig.Ingest limits) {
        List<String> out = new ArrayList<>();
        Map<LocalDate, Long> unreadable = new TreeMap<>();
        for (IngestCounts c : counts) {
            unreadable.merge(c.landingDate(), c.unreadableFiles(), Long::sum);
            if (c.rows() >= limits.badRowShareMinRows() && c.rows() > 0
                    && (double) c.quarantined() / c.rows() > limits.maxBadRowShare()) {
                out.add(String.format("%s: %d of %d rows quarantined (%.1f%%: %s), above ingest.max_bad_row_share %.1f%%",
                        c.label(), c.quarantined(), c.rows(), 100.0 * c.quarantined() / c.rows(),
                        StageResult.describeReasons(c.reasons()), 100.0 * limits.maxBadRowShare()));
            }
        }
        unreadable.forEach((date, n) -> {
            if (n > limits.maxUnreadableFiles()) {
                out.add(date + ": " + n + " unreadable files, above ingest.max_unreadable_files " + limits.maxUnreadableFiles());
            }
        });
        return out;
    }
}
