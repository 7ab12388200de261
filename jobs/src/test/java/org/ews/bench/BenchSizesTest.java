package org.ews.bench;

import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The landing-size arithmetic, worked out by hand, and its two yields held to what the generator writes. */
class BenchSizesTest {
    static final Path REFERENCE = Path.of("../conf/reference");

    @Test
    void linesPerDayForEachScale() {
        // 2023 (365) + 2024 (366) + 2025 to 30 December (364)
        assertEquals(1095, BenchSizes.historyDays());
        // 1,000,000 / (3 reporters x 1095 days x 1.044) = 1,000,000 / 3,429.54 = 291.58
        assertEquals(292, BenchSizes.historyLinesPerDay(1_000_000));
        assertEquals(29, BenchSizes.historyLinesPerDay(100_000)); // 29.16
        assertEquals(2916, BenchSizes.historyLinesPerDay(10_000_000)); // 2,915.8
        assertEquals(10497, BenchSizes.historyLinesPerDay(36_000_000)); // 10,497.0
        assertEquals(1, BenchSizes.historyLinesPerDay(10), "never below one line a day");
        // 292 x 3,429.54 = 1,001,426
        assertEquals(1_001_426, BenchSizes.expectedHistoryLines(1_000_000));

        // The new day: 100k lines from 1M up, a tenth of the history below
        assertEquals(100_000, BenchSizes.dayLines(36_000_000));
        assertEquals(100_000, BenchSizes.dayLines(1_000_000));
        assertEquals(50_000, BenchSizes.dayLines(500_000));
        assertEquals(10_000, BenchSizes.dayLines(100_000));
        assertEquals(21_368, BenchSizes.dayLinesPerDay(100_000)); // 100,000 / 4.68 = 21,367.5
        assertEquals(2_137, BenchSizes.dayLinesPerDay(10_000)); // 2,136.8
        assertEquals(100_000, BenchSizes.smallScale(1_000_000));

        BenchLanding.Params p = BenchLanding.Params.forScale(1_000_000, 100_000, 7);
        assertEquals(new BenchLanding.Params(1_000_000, java.time.LocalDate.of(2023, 1, 1), java.time.LocalDate.of(2025, 12, 30),
                292, java.time.LocalDate.of(2025, 12, 31), 21_368, 7), p);
    }

    /**
     * The yields are measurements of the generator: if it changes how many lines it writes for a lines-per-day, the
     * bench's scales drift and this says so. The day at 5,000 lines; the history at 100k (about 10 s).
     */
    @Test
    void theGeneratorWritesAboutTheLinesAskedFor(@TempDir Path dir) {
        GenerationSummary day = LandingGenerator.builder().out(dir.resolve("day")).from(BenchSizes.NEW_DAY).to(BenchSizes.NEW_DAY)
                .linesPerDay(BenchSizes.dayLinesPerDay(5_000)).seed(42).referenceDir(REFERENCE).build().run();
        assertEquals(5_000, day.totalLines(), 5_000 * 0.05, day.describe());
        GenerationSummary history = LandingGenerator.builder().out(dir.resolve("history")).from(BenchSizes.HISTORY_FROM)
                .to(BenchSizes.HISTORY_TO).linesPerDay(BenchSizes.historyLinesPerDay(100_000)).seed(42).referenceDir(REFERENCE)
                .build().run();
        // At 29 lines a day the last declaration of a day overshoots a little more than at the bench's usual sizes.
        assertEquals(100_000, history.totalLines(), 100_000 * 0.03, history.describe());
    }
}
