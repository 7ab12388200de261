package org.ews.ingest;

import java.time.LocalDate;

/** Rows of one feed, reporter and landing date: read, quarantined, and of those whole unreadable files. */
public record IngestCounts(String feed, String reporter, LocalDate landingDate, long rows, long quarantined,
                           long unreadableFiles) {

    public long accepted() {
        return rows - quarantined;
    }

    public String label() {
        return feed + (reporter == null ? "" : " " + reporter) + " " + landingDate;
    }
}
