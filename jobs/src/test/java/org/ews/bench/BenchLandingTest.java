package org.ews.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A zone is generated once, reused while its parameters stay, and generated again when one changes. */
class BenchLandingTest {
    private static final LocalDate DAY = LocalDate.of(2025, 12, 31);
    private static final BenchLanding.Params SMALL = new BenchLanding.Params(1_000, LocalDate.of(2025, 11, 1),
            LocalDate.of(2025, 12, 30), 3, DAY, 20, 42);

    @Test
    void theNewDaysDeclarationsNumberBeyondTheHistorys() {
        assertEquals(10_000_000, BenchLanding.dayFirstDeclaration(1_001_748)); // 2,003,496 < 10^7
        assertEquals(1_000_000, BenchLanding.dayFirstDeclaration(99_847));
        assertEquals(100_000, BenchLanding.dayFirstDeclaration(10_908));
        assertEquals(100_000_000, BenchLanding.dayFirstDeclaration(36_000_000)); // 72,000,000
        assertEquals(1_000, BenchLanding.dayFirstDeclaration(50)); // 2 x 50 = 100 exactly: the power above it
    }

    @Test
    void theMarkerDecidesReuse(@TempDir Path tmp) throws Exception {
        Path zone = tmp.resolve("landing-1000");
        List<String> log = new ArrayList<>();
        BenchLanding.Zone first = BenchLanding.prepare(zone, SMALL, BenchSizesTest.REFERENCE, log::add);
        assertFalse(first.reused());
        assertTrue(first.historyLines() > 0 && first.dayLines() > 0, first.toString());
        assertTrue(Files.isRegularFile(zone.resolve(BenchLanding.MARKER)));
        // The new day's customs files for every reporter, and nothing else of the day's own zone.
        for (String r : List.of("KR", "US", "JP")) {
            Path d = zone.resolve("customs/reporter=" + r + "/date=" + DAY);
            assertTrue(Files.isDirectory(d) && Files.list(d).findAny().isPresent(), d.toString());
        }
        assertFalse(Files.exists(zone.resolve("corporate/firms/date=" + DAY)), "the day's registry snapshot was copied");
        assertTrue(Files.isDirectory(zone.resolve("corporate/firms/date=2025-11-01")), "the history's snapshot is gone");
        assertTrue(Files.readString(zone.resolve("reference/fx_rates/fx_rates.csv")).contains("2025-10"),
                "the history's FX table (from the month before its first date) was replaced by the day's");
        assertFalse(Files.exists(tmp.resolve(".landing-1000-day")), "the scratch zone of the day is left behind");

        Path sentinel = Files.writeString(zone.resolve("customs/sentinel.txt"), "kept");
        BenchLanding.Zone again = BenchLanding.prepare(zone, SMALL, BenchSizesTest.REFERENCE, log::add);
        assertTrue(again.reused());
        assertEquals(first.historyLines(), again.historyLines());
        assertEquals(first.dayLines(), again.dayLines());
        assertTrue(Files.exists(sentinel), "a reused zone was regenerated");

        // Any parameter changed: generated again from scratch.
        BenchLanding.Params otherSeed = new BenchLanding.Params(1_000, SMALL.from(), SMALL.to(), 3, DAY, 20, 43);
        assertTrue(BenchLanding.reusable(zone, otherSeed).isEmpty());
        assertTrue(BenchLanding.reusable(zone, new BenchLanding.Params(1_000, SMALL.from(), SMALL.to(), 3, DAY, 21, 42)).isEmpty());
        assertTrue(BenchLanding.reusable(zone, new BenchLanding.Params(1_000, SMALL.from(), SMALL.to(), 4, DAY, 20, 42)).isEmpty());
        assertTrue(BenchLanding.reusable(zone, new BenchLanding.Params(1_000, SMALL.from().plusDays(1), SMALL.to(), 3, DAY, 20, 42)).isEmpty());
        assertTrue(BenchLanding.reusable(zone, SMALL).isPresent());
        BenchLanding.Zone regenerated = BenchLanding.prepare(zone, otherSeed, BenchSizesTest.REFERENCE, log::add);
        assertFalse(regenerated.reused());
        assertFalse(Files.exists(sentinel), "the old zone's files were left in the new one");
        assertTrue(BenchLanding.reusable(zone, otherSeed).isPresent());
        assertTrue(BenchLanding.reusable(zone, SMALL).isEmpty());

        // A zone built another way (an older layout of the bench) is not reused.
        Path marker = zone.resolve(BenchLanding.MARKER);
        String text = Files.readString(marker);
        assertTrue(text.contains("\"layout\" : " + BenchLanding.LAYOUT), text);
        Files.writeString(marker, text.replace("\"layout\" : " + BenchLanding.LAYOUT, "\"layout\" : 1"));
        assertTrue(BenchLanding.reusable(zone, otherSeed).isEmpty());
        Files.writeString(marker, text);
        assertTrue(BenchLanding.reusable(zone, otherSeed).isPresent());

        // A zone without its marker (an interrupted generation) or with a damaged one is not reused.
        Files.writeString(zone.resolve(BenchLanding.MARKER), "{\"params\": ");
        assertTrue(BenchLanding.reusable(zone, otherSeed).isEmpty());
        Files.delete(zone.resolve(BenchLanding.MARKER));
        assertTrue(BenchLanding.reusable(zone, otherSeed).isEmpty());
        assertTrue(log.stream().anyMatch(l -> l.contains("reused")), log.toString());
    }
}
