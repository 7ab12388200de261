package org.ews.bench;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * How much the benchmark asks the generator for, so that its landing zones hold about the number of declaration lines
 * the bench is run at ({@code --scale}).
 *
 * <p>The history is {@value #REPORTERS} reporters over {@link #HISTORY_FROM}..{@link #HISTORY_TO}; the nightly's new day
 * is {@link #NEW_DAY}. The generator's {@code --lines-per-day} is a per-reporter <em>average</em> before weekday and
 * seasonal factors, and a day ends with its last whole declaration, so the valid lines it writes are not
 * {@code lines-per-day × reporters × days}. The two yields below were measured with seed 42 (other seeds come within a
 * few percent): 30 lines a day over the history wrote 103,946 lines, 300 wrote 1,028,795 (yield 1.044 at the larger
 * sizes the bench uses); the new day alone, a Wednesday in the busiest month (weekday factor 1.25, December volume
 * after three years of growth), wrote 4,687 lines at 1,000 and 46,809 at 10,000 (4.68 per unit). Ingest reads about 2.6%
 * more rows than that (amendments, identical resends, bad rows); the bench reports what ingest read.
 */
public final class BenchSizes {
    private BenchSizes() {}

    public static final LocalDate HISTORY_FROM = LocalDate.of(2023, 1, 1);
    public static final LocalDate HISTORY_TO = LocalDate.of(2025, 12, 30);
    public static final LocalDate NEW_DAY = LocalDate.of(2025, 12, 31);
    public static final int REPORTERS = 3;
    /** Valid history lines written per unit of lines-per-day × reporters × days. */
    public static final double HISTORY_YIELD = 1.044;
    /** Valid lines of the new day (all reporters together) per unit of lines-per-day. */
    public static final double DAY_YIELD = 4.68;
    /** The nightly's day, as the issue asks (a US-year's daily volume), at scales of 1M lines and more. */
    public static final long DAY_LINES = 100_000;
    /** The smallest --scale: its 10× smaller history still gets 3 lines a day per reporter. */
    public static final long MIN_SCALE = 100_000;
    public static final long MAX_SCALE = 2_000_000_000L;

    public static long historyDays() {
        return ChronoUnit.DAYS.between(HISTORY_FROM, HISTORY_TO) + 1;
    }

    /** The generator's --lines-per-day for a history of about {@code lines} valid lines. */
    public static int historyLinesPerDay(long lines) {
        return (int) Math.max(1, Math.round(lines / (REPORTERS * historyDays() * HISTORY_YIELD)));
    }

    /** The lines a history generated for {@code lines} is expected to hold (what the rounding of lines-per-day gives). */
    public static long expectedHistoryLines(long lines) {
        return Math.round(historyLinesPerDay(lines) * REPORTERS * historyDays() * HISTORY_YIELD);
    }

    /**
     * The new day's size at a scale: {@value #DAY_LINES} lines, or a tenth of the history when that is smaller, so the
     * day never outweighs the 10× smaller history it is also run on (at 1M: 100k on 1M and on 100k; at 100k: 10k).
     */
    public static long dayLines(long scale) {
        return Math.min(DAY_LINES, scale / 10);
    }

    /** The generator's --lines-per-day for a new day of about {@code dayLines} lines. */
    public static int dayLinesPerDay(long dayLines) {
        return (int) Math.max(1, Math.round(dayLines / DAY_YIELD));
    }

    /** The 10× smaller history of step (3). */
    public static long smallScale(long scale) {
        return scale / 10;
    }
}
