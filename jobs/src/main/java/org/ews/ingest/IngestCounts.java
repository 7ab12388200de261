package org.ews.ingest;

import java.time.LocalDate;
import java.util.Map;

/**
 * Rows of one feed, reporter and landing date: read, quarantined (by reason code), and of those the
 * whole unreadable files.
 */
public record IngestCounts(String feed, String reporter, LocalDate landingDate, long rows, long quarantined,
                           long unreadableFiles, Map<String, Long> reasons) {

    public long accepted() {
        return rows - quarantined;
    }

    public String label() {
        return feed + (reporter == null ? "" : " " + reporter) + " " + landingDate;
    }

}
