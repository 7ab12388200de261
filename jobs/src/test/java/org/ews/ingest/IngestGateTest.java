package org.ews.ingest;

import org.ews.config.EwsConfig;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class IngestGateTest {
    private static final LocalDate D = LocalDate.parse("2024-03-01");
    private static final EwsConfig.Ingest LIMITS = new EwsConfig.Ingest(0.05, 200, 2, 730, 10, 2);

    @Test
    void aSliceAboveTheShareFailsOnlyOnceItIsLargeEnough() {
        // 11 of 200 = 5.5% > 5%: fails; 10 of 200 = 5%: passes (the limit is "more than").
        assertEquals(1, IngestGate.violations(List.of(counts("KR", D, 200, 11, 0)), LIMITS).size());
        assertTrue(IngestGate.violations(List.of(counts("KR", D, 200, 10, 0)), LIMITS).isEmpty());
        // 50 of 100 is bad, but 100 rows are below bad_row_share_min_rows = 200.
        assertTrue(IngestGate.violations(List.of(counts("KR", D, 100, 50, 0)), LIMITS).isEmpty());
    }

    @Test
    void theMessageNamesTheSliceTheShareAndTheSetting() {
        IngestCounts c = new IngestCounts("customs", "US", D, 1000, 80, 0, new java.util.TreeMap<>(Map.of("bad_flow", 60L, "short_row", 20L)));
        String m = IngestGate.violations(List.of(c), LIMITS).get(0);
        assertEquals("customs US 2024-03-01: 80 of 1000 rows quarantined (8.0%: bad_flow 60, short_row 20), above ingest.max_bad_row_share 5.0%", m);
    }

    @Test
    void unreadableFilesAreCountedPerLandingDateAcrossReporters() {
        List<IngestCounts> two = List.of(counts("KR", D, 1, 1, 1), counts("US", D, 1, 1, 1));
        assertTrue(IngestGate.violations(two, LIMITS).isEmpty(), "2 unreadable files are within max_unreadable_files = 2");
        List<IngestCounts> three = List.of(counts("KR", D, 2, 2, 2), counts("US", D, 1, 1, 1));
        assertEquals(List.of("2024-03-01: 3 unreadable files, above ingest.max_unreadable_files 2"), IngestGate.violations(three, LIMITS));
        // A backfill decides as the nightly runs of its dates would: 2 + 2 on two dates is not 4 on one.
        List<IngestCounts> twoDays = List.of(counts("KR", D, 2, 2, 2), counts("KR", D.plusDays(1), 2, 2, 2));
        assertTrue(IngestGate.violations(twoDays, LIMITS).isEmpty());
    }

    private static IngestCounts counts(String reporter, LocalDate d, long rows, long bad, long files) {
        return new IngestCounts("customs", reporter, d, rows, bad, files, Map.of());
    }
}
