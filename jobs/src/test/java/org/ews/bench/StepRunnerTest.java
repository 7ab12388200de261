package org.ews.bench;

import org.ews.config.EwsConfig;
import org.ews.run.RunContext;
import org.ews.run.RunSummary;
import org.ews.run.StageResult;
import org.ews.spark.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** A step is a process: its exit, its wall time, the lines its run summary names and the heap its metrics file holds. */
class StepRunnerTest {

    @Test
    void readsTheLinesFromTheSummaryARunPrints() {
        RunContext ctx = new RunContext("bench-nightly", LocalDate.of(2025, 12, 31), LocalDate.of(2025, 12, 31),
                EwsConfig.defaults(), null, new Warehouse(null, "/tmp/wh"));
        String summary = RunSummary.format("nightly", ctx, List.of(
                new StageResult("ingest", 1_234_567, 1_230_000, 4_567, List.of("bronze.customs_lines"), "customs 3 files, 9 rows", Map.of(), 12.3),
                new StageResult("conform", 7, 6, 1, List.of(), "", Map.of(), 4.5)), 20.0);
        assertEquals(Optional.of(1_234_567L), StepRunner.ingestRowsIn("log line\n" + summary + "more log\n"), summary);
        assertEquals(Optional.empty(), StepRunner.ingestRowsIn("ews nightly: failed: no summary"));
    }

    @Test
    void aStepIsTimedAndItsFiguresRead(@TempDir Path dir) throws Exception {
        StepRunner runner = new StepRunner(dir.resolve("logs"), dir);
        StepResult ok = runner.run("nightly", "a nightly", List.of("sh", "-c",
                "sleep 0.3; echo '  ingest        1,234        1,200           34       5.6';"
                        + " printf '{\"peak_heap_mb\": 12.5, \"peak_live_heap_mb\": null, \"max_heap_mb\": 8192.0}' > \"$EWS_METRICS_FILE\""));
        assertTrue(ok.ok(), ok.toString());
        assertEquals(0, ok.exitCode());
        assertTrue(ok.wallSeconds() >= 0.3 && ok.wallSeconds() < 30, ok.toString());
        assertEquals(1_234L, ok.lines());
        assertEquals(12.5, ok.peakHeapMb());
        assertNull(ok.liveHeapMb());
        assertEquals(8192.0, ok.maxHeapMb());
        assertEquals(dir.resolve("logs/nightly.log").toString(), ok.log());
        assertTrue(Files.readString(dir.resolve("logs/nightly.log")).contains("ingest"));

        // A failing step: its exit code and the launcher's one line; the earlier metrics file is not taken for its own.
        StepResult failed = runner.run("nightly", "a nightly", List.of("sh", "-c",
                "echo 'some log'; echo 'ews nightly: ingest stopped, nothing written'; echo '  at x' ; exit 1"));
        assertFalse(failed.ok());
        assertEquals(StepResult.FAILED, failed.status());
        assertEquals(1, failed.exitCode());
        assertEquals("ews nightly: ingest stopped, nothing written", failed.note());
        assertNull(failed.peakHeapMb(), "a metrics file of an earlier run was read");
        assertNull(failed.lines());
    }

    @Test
    void anInterruptedBenchStopsItsStepAndStartsNoOther(@TempDir Path dir) throws Exception {
        StepRunner runner = new StepRunner(dir.resolve("logs"), dir);
        java.util.concurrent.CompletableFuture<StepResult> slow = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runner.run("slow", "a long step", List.of("sh", "-c", "sleep 60")));
        for (int i = 0; i < 200 && runner.currentStep() == null; i++) {
            Thread.sleep(25);
        }
        assertEquals("slow", runner.currentStep());
        long start = System.nanoTime();
        runner.stopCurrent();
        StepResult r = slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue((System.nanoTime() - start) / 1e9 < 15, "the step was not stopped");
        assertFalse(r.ok());
        assertNotEquals(0, r.exitCode());
        assertNull(runner.currentStep());
        StepResult next = runner.run("next", "the next step", List.of("sh", "-c", "exit 0"));
        assertFalse(next.ok());
        assertNull(next.exitCode(), "a step started while the bench was being stopped");
        assertFalse(Files.exists(dir.resolve("logs/next.log")));
    }
}
