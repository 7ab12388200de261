package org.ews.ingest;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One file in the landing zone. {@code reporter} is the text of the {@code reporter=} folder (null for
 * corporate feeds), checked when the file is read so that a bad folder name quarantines its files.
 */
public record LandingFile(Feed feed, String reporter, LocalDate landingDate, String path, FileFormat format)
        implements Serializable {
}
