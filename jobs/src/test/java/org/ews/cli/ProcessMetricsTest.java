package org.ews.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** EWS_METRICS_FILE: a command's process writes its wall time and peak heap when asked, and nothing otherwise. */
class ProcessMetricsTest {
    private static int ews(Map<String, String> env, String... args) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(text, true, StandardCharsets.UTF_8);
        int exit = Main.run(args, sink, sink, env);
        if (exit != 0) {
            System.err.println(text.toString(StandardCharsets.UTF_8));
        }
        return exit;
    }

    @Test
    void aCommandWritesItsFiguresWhenAsked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/help.json");
        assertEquals(0, ews(Map.of(ProcessMetrics.ENV, file.toString()), "--help"));
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        assertEquals("--help", j.get("command").asText());
        assertEquals(0, j.get("exit_code").asInt());
        assertTrue(j.get("wall_s").asDouble() > 0, j.toString());
        double peak = j.get("peak_heap_mb").asDouble();
        double max = j.get("max_heap_mb").asDouble();
        assertTrue(peak > 0 && peak <= max * 1.01, j.toString());
        assertEquals(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0), max, 0.1);
        assertTrue(j.has("peak_live_heap_mb"), j.toString());
        assertEquals(Runtime.getRuntime().availableProcessors(), j.get("cores").asInt());

        // A failing command writes its exit code too.
        Path failed = dir.resolve("failed.json");
        assertEquals(2, ews(Map.of(ProcessMetrics.ENV, failed.toString()), "publsh", "--date", "2024-01-01"));
        assertEquals(2, new ObjectMapper().readTree(failed.toFile()).get("exit_code").asInt());
    }

    @Test
    void offByDefaultAndNotAConfigurationKey(@TempDir Path dir) {
        Path file = dir.resolve("none.json");
        assertEquals(0, ews(Map.of("EWS_METRICS_FILEX", file.toString()), "--help"));
        assertFalse(Files.exists(file), "written without " + ProcessMetrics.ENV);
        assertNull(ProcessMetrics.startIfAsked(Map.of()));
        assertNull(ProcessMetrics.startIfAsked(Map.of(ProcessMetrics.ENV, " ")));
        // Configuration refuses unknown EWS_* variables; this one is the launcher's.
        Path generated = dir.resolve("metrics.json");
        assertEquals(0, ews(Map.of(ProcessMetrics.ENV, generated.toString()), "generate", "--out", dir.resolve("lz").toString(),
                "--from", "2025-01-01", "--to", "2025-01-01", "--set", "paths.reference=../conf/reference", "--dry-run"));
        assertTrue(Files.exists(generated));
    }

    @Test
    void theLiveHeapIsTheLargestAfterACollection(@TempDir Path dir) throws Exception {
        ProcessMetrics m = ProcessMetrics.startIfAsked(Map.of(ProcessMetrics.ENV, dir.resolve("m.json").toString()));
        assertNotNull(m);
        byte[][] held = new byte[64][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[1024 * 1024]; // 64 MB live through the collection
        }
        System.gc();
        Object live = null;
        for (int i = 0; i < 100 && live == null; i++) { // notifications arrive on another thread
            Thread.sleep(50);
            live = m.figures("x", 0).get("peak_live_heap_mb");
        }
        assertNotNull(live, "no collection seen");
        assertTrue(((Number) live).doubleValue() >= 64, "64 MB were live: " + live);
        double peak = ((Number) m.figures("x", 0).get("peak_heap_mb")).doubleValue();
        assertTrue(((Number) live).doubleValue() <= peak + 0.1, "live " + live + " above the peak in use " + peak);
        assertTrue(peak <= Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0), "more in use than the heap holds: " + peak);
        assertEquals(64, held.length);
        m.write("x", 0, System.err);
        assertTrue(Files.exists(m.file()));
    }
}
