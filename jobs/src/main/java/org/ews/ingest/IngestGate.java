package org.ews.ingest;

import org.ews.config.EwsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether bad input is too much to pass over. Bad rows never stop good rows by themselves (they are
 * quarantined); but a reporter's landing date that is mostly bad, or many unreadable files, points at a
 * broken feed, and publishing figures from it would mislead. Then the run fails before bronze is written.
 */
public final class IngestGate {
    private IngestGate() {}

    /** The reasons to fail, one per offending slice; empty when the run may go on. */
    public static List<String> violations(List<IngestCounts> counts, EwsConfig.Ingest limits) {
        List<String> out = new ArrayList<>();
        long unreadable = 0;
        for (IngestCounts c : counts) {
            unreadable += c.unreadableFiles();
            if (c.rows() >= limits.badRowShareMinRows() && c.rows() > 0
                    && (double) c.quarantined() / c.rows() > limits.maxBadRowShare()) {
                out.add(String.format("%s: %d of %d rows quarantined (%.1f%%), above ingest.max_bad_row_share %.1f%%",
                        c.label(), c.quarantined(), c.rows(), 100.0 * c.quarantined() / c.rows(),
                        100.0 * limits.maxBadRowShare()));
            }
        }
        if (unreadable > limits.maxUnreadableFiles()) {
            out.add(unreadable + " unreadable files, above ingest.max_unreadable_files " + limits.maxUnreadableFiles());
        }
        return out;
    }
}
