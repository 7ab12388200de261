package org.ews.ingest;

import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(SharedSpark.class)
class SlicesTest {
    private static LandingFile file(String reporter, String date) {
        return new LandingFile(Feed.CUSTOMS, reporter, LocalDate.parse(date), "f", FileFormat.CSV);
    }

    @Test
    void thePredicateSelectsExactlyTheSlicesWithFiles() {
        Slices s = Slices.of(List.of(file("KR", "2024-03-01"), file("US", "2024-03-01"), file("KR", "2024-03-02"),
                file("US", "2024-03-02"), file("KR", "2024-03-03"), file("KR", "2024-03-03")));
        String predicate = s.predicate("reporter", "landing_date");
        assertEquals(2, predicate.split(" OR ").length, "two groups of dates, by reporter set: " + predicate);
        // Every (reporter, date) combination of 3 reporters and 4 dates; the predicate must keep exactly 5.
        List<String> kept = SharedSpark.session().sql("SELECT r AS reporter, d AS landing_date FROM "
                        + "VALUES ('KR'), ('US'), ('JP') AS a(r), VALUES (DATE'2024-03-01'), (DATE'2024-03-02'), "
                        + "(DATE'2024-03-03'), (DATE'2024-03-04') AS b(d)")
                .where(predicate).collectAsList().stream().map(r -> r.getString(0) + " " + r.getDate(1)).sorted().toList();
        assertEquals(List.of("KR 2024-03-01", "KR 2024-03-02", "KR 2024-03-03", "US 2024-03-01", "US 2024-03-02"), kept);
    }

    @Test
    void withoutAReporterColumnOnlyDatesCount() {
        Slices s = Slices.of(List.of(file(null, "2024-01-01"), file(null, "2024-04-01")));
        assertEquals("snapshot_date IN (DATE'2024-01-01', DATE'2024-04-01')", s.predicate(null, "snapshot_date"));
    }

    @Test
    void reporterFolderNamesAreQuotedAsSqlStrings() {
        assertEquals("(reporter IN ('K\\'R') AND landing_date IN (DATE'2024-03-01'))",
                Slices.of(List.of(file("K'R", "2024-03-01"))).predicate("reporter", "landing_date"));
    }
}
