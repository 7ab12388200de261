package org.ews.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.ews.bench.BenchReport.*;
import static org.junit.jupiter.api.Assertions.*;

/** The targets judged on canned steps, with every figure worked out by hand; results.json's shape; the table. */
class BenchReportTest {

    private static StepResult step(String name, double wall, Long lines, Double heap) {
        // heap: the live peak the target judges; the peak in use (garbage included) is twice that here
        return new StepResult(name, "what " + name, StepResult.OK, List.of("bin/ews", name), 0, wall, lines, heap == null ? null : heap * 2, heap,
                8192.0, "logs/" + name + ".log", null);
    }

    private static Map<String, String> statuses(List<StepResult> steps) {
        Map<String, String> m = new LinkedHashMap<>();
        targets(steps).forEach(t -> m.put(t.id(), t.status()));
        return m;
    }

    private static Target target(List<StepResult> steps, String id) {
        return targets(steps).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void targetsAgainstHandComputedValues() {
        List<StepResult> steps = List.of(
                step(BACKFILL, 50.0, 1_000_000L, 3000.0),     // 20,000 lines/s: NOT MET
                step(PEER_FULL, 20.0, 1_000_000L, 100.0),     // backfill / peer = 2.5: met
                step(NIGHTLY, 45.0, 100_000L, 4200.0),        // 45 s: met; heap max(3000, 4200) = 4200 > 4096: NOT MET
                step(PEER_NIGHTLY, 30.0, 1_100_000L, 100.0),  // nightly / peer = 1.5, not faster: NOT MET
                step(BACKFILL_SMALL, 15.0, 100_000L, 900.0),
                step(NIGHTLY_SMALL, 25.0, 100_000L, 1000.0)); // 45 / 25 = 1.8 > 1.5: NOT MET
        assertEquals(Map.of("backfill_lines_per_s", NOT_MET, "nightly_wall_s", MET, "nightly_vs_small_history", NOT_MET,
                "nightly_vs_peer", NOT_MET, "backfill_vs_peer", MET, "peak_driver_heap_mb", NOT_MET), statuses(steps));
        assertEquals(20_000, target(steps, "backfill_lines_per_s").value(), 1e-9);
        assertEquals(1.8, target(steps, "nightly_vs_small_history").value(), 1e-9);
        assertEquals(1.5, target(steps, "nightly_vs_peer").value(), 1e-9);
        assertEquals(2.5, target(steps, "backfill_vs_peer").value(), 1e-9);
        assertEquals(4200, target(steps, "peak_driver_heap_mb").value(), 1e-9);
        assertEquals(Map.of("full_ours_over_peer", 2.5, "nightly_ours_over_peer", 1.5), ratios(steps));

        // Each limit itself is met (the nightly-vs-peer one must be strictly faster).
        List<StepResult> edges = List.of(
                step(BACKFILL, 10.0, 1_000_000L, 4096.0),     // exactly 100,000 lines/s; heap exactly 4,096 MB
                step(PEER_FULL, 10.0 / 3, 1_000_000L, 1.0),   // exactly 3x
                step(NIGHTLY, 60.0, 100_000L, 10.0),          // exactly 60 s
                step(PEER_NIGHTLY, 60.0, 1_100_000L, 1.0),    // as fast as the peer: not faster
                step(NIGHTLY_SMALL, 40.0, 100_000L, 10.0));   // exactly 1.5x
        assertEquals(Map.of("backfill_lines_per_s", MET, "nightly_wall_s", MET, "nightly_vs_small_history", MET,
                "nightly_vs_peer", NOT_MET, "backfill_vs_peer", MET, "peak_driver_heap_mb", MET), statuses(edges));

        // Just over each limit.
        List<StepResult> over = List.of(
                step(BACKFILL, 10.001, 1_000_000L, 4096.1),
                step(PEER_FULL, 3.0, 1_000_000L, 1.0),        // 10.001 / 3 = 3.33
                step(NIGHTLY, 60.01, 100_000L, 10.0),
                step(PEER_NIGHTLY, 60.02, 1_100_000L, 1.0),   // faster, barely: met
                step(NIGHTLY_SMALL, 40.0, 100_000L, 10.0));   // 60.01 / 40 = 1.50025
        assertEquals(Map.of("backfill_lines_per_s", NOT_MET, "nightly_wall_s", NOT_MET, "nightly_vs_small_history", NOT_MET,
                "nightly_vs_peer", MET, "backfill_vs_peer", NOT_MET, "peak_driver_heap_mb", NOT_MET), statuses(over));
    }

    @Test
    void withoutThePeerOrAfterAFailureTargetsAreNotMeasured() {
        List<StepResult> steps = new ArrayList<>(List.of(
                step(BACKFILL, 5.0, 1_000_000L, 1000.0),
                StepResult.skipped(PEER_FULL, "peer", "peer: not available (x)"),
                new StepResult(NIGHTLY, "nightly", StepResult.FAILED, List.of(), 1, 12.0, 100L, 500.0, null, 8192.0, "n.log", "ews nightly: boom")));
        Map<String, String> s = statuses(steps);
        assertEquals(MET, s.get("backfill_lines_per_s")); // 200,000 lines/s
        for (String id : List.of("nightly_wall_s", "nightly_vs_small_history", "nightly_vs_peer", "backfill_vs_peer", "peak_driver_heap_mb")) {
            assertEquals(NOT_MEASURED, s.get(id), id + ": a failed or skipped step is no measurement");
        }
        Map<String, Double> r = ratios(steps);
        assertNull(r.get("full_ours_over_peer"));
        assertNull(r.get("nightly_ours_over_peer"));
    }

    private static Results results(List<StepResult> steps, String peer, String failed) {
        BenchLanding.Params p = BenchLanding.Params.forScale(1_000_000, 100_000, 42);
        BenchLanding.Zone zone = new BenchLanding.Zone(Path.of("bench/landing-1000000"), p, true, 1_001_000, 99_000, 21.5);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", 2);
        machine.put("step_max_heap_mb", 8192.0);
        machine.put("load_average_start", 3.5);
        return new Results(1_000_000, 42, machine, List.of(zone), steps, peer, peer == null ? "org.ews.bench.DuckDbPeer is not in this build" : null,
                failed, failed == null ? null : "exit 1: ews nightly: boom", "2025-12-31T00:00:00Z", "2025-12-31T00:10:00Z");
    }

    @Test
    void resultsJsonShape() throws Exception {
        List<StepResult> steps = List.of(step(BACKFILL, 50.0, 1_000_000L, 3000.0), step(PEER_FULL, 20.0, 1_000_000L, 100.0),
                step(NIGHTLY, 45.0, 100_000L, 4200.0), step(PEER_NIGHTLY, 90.0, 1_100_000L, 100.0));
        ObjectMapper json = new ObjectMapper();
        JsonNode j = json.readTree(json.writeValueAsString(json(results(steps, "duckdb", null))));
        assertEquals(1_000_000, j.get("scale").asLong());
        assertEquals("completed", j.get("result").asText());
        assertTrue(j.get("failed_step").isNull());
        assertEquals(2, j.get("machine").get("cores").asInt());
        assertEquals(8192.0, j.get("machine").get("step_max_heap_mb").asDouble());
        JsonNode landing = j.get("landing").get(0);
        assertEquals(292, landing.get("lines_per_day").asInt());
        assertEquals(21_368, landing.get("day_lines_per_day").asInt());
        assertEquals(1_001_000, landing.get("history_lines").asLong());
        assertTrue(landing.get("reused").asBoolean());
        assertEquals(4, j.get("steps").size());
        JsonNode backfill = j.get("steps").get(0);
        assertEquals(BACKFILL, backfill.get("name").asText());
        assertEquals("ok", backfill.get("status").asText());
        assertEquals(0, backfill.get("exit_code").asInt());
        assertEquals(50.0, backfill.get("wall_s").asDouble());
        assertEquals(1_000_000, backfill.get("lines").asLong());
        assertEquals(20_000.0, backfill.get("lines_per_s").asDouble());
        assertEquals(6000.0, backfill.get("peak_heap_mb").asDouble());
        assertEquals(3000.0, backfill.get("peak_live_heap_mb").asDouble());
        assertEquals("bin/ews", backfill.get("command").get(0).asText());
        assertEquals("duckdb", j.get("peer").get("name").asText());
        assertTrue(j.get("peer").get("available").asBoolean());
        assertEquals(2.5, j.get("ratios").get("full_ours_over_peer").asDouble());
        assertEquals(0.5, j.get("ratios").get("nightly_ours_over_peer").asDouble());
        assertEquals(6, j.get("targets").size());
        Map<String, String> status = new LinkedHashMap<>();
        j.get("targets").forEach(t -> status.put(t.get("id").asText(), t.get("status").asText()));
        assertEquals(MET, status.get("nightly_vs_peer"), "45 s against the peer's 90 s");
        assertEquals(NOT_MEASURED, status.get("nightly_vs_small_history"));
        JsonNode heap = j.get("targets").get(5);
        assertEquals("peak_driver_heap_mb", heap.get("id").asText());
        assertEquals(4200.0, heap.get("value").asDouble());
        assertEquals(4096.0, heap.get("limit").asDouble());
        assertEquals("<=", heap.get("comparison").asText());
        assertEquals(NOT_MET, heap.get("status").asText());
    }

    @Test
    void theTableSaysWhatRanWhatWasNotAvailableAndWhereItFailed() {
        List<StepResult> steps = List.of(step(BACKFILL, 50.0, 1_000_000L, 3000.0),
                StepResult.skipped(PEER_FULL, "peer", "peer: not available (org.ews.bench.DuckDbPeer is not in this build)"),
                new StepResult(NIGHTLY, "(2) nightly", StepResult.FAILED, List.of(), 1, 12.0, null, null, null, null, "n.log", "ews nightly: boom"));
        Results r = results(steps, null, NIGHTLY);
        String t = table(r);
        assertTrue(t.startsWith("ews bench at 1,000,000 lines (seed 42) on 2 cores, load average 3.5 at the start\n"), t);
        assertTrue(t.contains("peer: not available (org.ews.bench.DuckDbPeer is not in this build)"), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("backfill ") && l.contains("1,000,000") && l.contains("50.0")
                && l.contains("20,000") && l.contains("6,000") && l.contains("3,000")), t);
        assertTrue(t.lines().anyMatch(l -> l.startsWith("nightly ") && l.contains("failed")), t);
        assertTrue(t.contains("FAILED at step nightly: exit 1: ews nightly: boom"), t);
        assertTrue(t.lines().anyMatch(l -> l.contains("100,000 declaration lines/s") && l.contains(NOT_MET)), t);
        assertTrue(t.lines().anyMatch(l -> l.contains("<= 60 s") && l.contains(NOT_MEASURED)), t);
        JsonNode none = new ObjectMapper().valueToTree(json(r));
        assertEquals("failed", none.get("result").asText());
        assertEquals(NIGHTLY, none.get("failed_step").asText());
        assertFalse(none.get("peer").get("available").asBoolean());
        assertTrue(none.get("ratios").get("full_ours_over_peer").isNull());
        assertEquals(LocalDate.of(2025, 12, 31).toString(), none.get("landing").get(0).get("day").asText());
    }
}
