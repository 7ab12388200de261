package org.ews.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** bin/ews bench's words, checked before anything is generated or run. */
class BenchCommandTest {
    private record Result(int exit, String out, String err) {}

    private static Result ews(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDryRunSaysWhatWouldBeGeneratedAndRun() {
        Result r = ews("bench", "--scale", "1000000", "--out", "target/tmp/bench-dry", "--keep", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("bench at 1,000,000 lines (history 2023-01-01..2025-12-30, 292 lines a day per reporter; "
                + "100,000-line history at 29) and a new day 2025-12-31 of about 100,000 lines (21368 a day per reporter), seed 42, "
                + "into target/tmp/bench-dry"), r.out());
        assertTrue(r.out().contains("bin/ews"), r.out());
        assertTrue(r.out().contains("warehouses kept"), r.out());
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("target/tmp/bench-dry")), "a dry run wrote");
        Result small = ews("bench", "--scale", "100000", "--seed", "7", "--dry-run");
        assertTrue(small.out().contains("a new day 2025-12-31 of about 10,000 lines (2137 a day per reporter), seed 7, into bench"), small.out());
        assertTrue(ews("bench", "--help").out().contains("--keep "), "help lists --keep");
    }

    @Test
    void wrongWordsAreUsageErrors() {
        Result none = ews("bench");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("'bench' needs --scale LINES"), none.err());
        Result tiny = ews("bench", "--scale", "1000");
        assertEquals(2, tiny.exit());
        assertTrue(tiny.err().contains("--scale must be from 100,000"), tiny.err());
        Result keep = ews("bench", "--scale", "100000", "--keep=yes");
        assertEquals(2, keep.exit());
        assertTrue(keep.err().contains("--keep of 'bench' takes no value"), keep.err());
        assertEquals(2, ews("bench", "--scale", "100000", "--keep", "--keep").exit());
        assertEquals(2, ews("bench", "--scale", "100000", "--set", "ingest.max_bad_row_share=2", "--dry-run").exit());
        assertEquals(2, ews("bench", "--scale", "100000", "--warehouse", "w").exit(), "bench makes its own warehouses");
        // --keep is a flag of bench alone: other commands still take a value after every option.
        assertEquals(2, ews("generate", "--keep", "--out", "x").exit());
    }
}
