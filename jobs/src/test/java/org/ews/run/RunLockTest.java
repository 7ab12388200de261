package org.ews.run;

import org.apache.hadoop.conf.Configuration;
import org.ews.config.ConfigException;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.testing.FaultyFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warehouse's run lock on its own: no Spark. Holders are written by hand to stand for other processes and hosts. */
class RunLockTest {
    private static final EwsConfig.Lock SETTINGS = new EwsConfig.Lock(true, 30, 300);
    private static final Instant NOW = Instant.parse("2026-01-05T02:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RunLock.Processes ALL_DEAD = (pid, started) -> false;
    private static final RunLock.Processes ALL_ALIVE = (pid, started) -> true;

    private static RunLock.Holder me(String runId) {
        RunLock.Holder self = RunLock.Holder.self(runId, "nightly 2026-01-04", CLOCK);
        return self;
    }

    /** Another process on this host (same host name and pid namespace), or on another host. */
    private static RunLock.Holder other(String runId, String host, long pid, Instant heartbeat) {
        RunLock.Holder self = me("x");
        return new RunLock.Holder(runId, "backfill 2026-01-01..2026-01-04", host, pid, self.pidNamespace(), null,
                heartbeat.minusSeconds(60), heartbeat);
    }

    private static LockFile local(Path dir) {
        return LockFile.at(dir.resolve("wh").toUri().toString().replaceAll("/$", "") + "/_ews/run.lock", new Configuration());
    }

    /** Writes another process's lock, its file time at its heartbeat (as the holder's last write left it). */
    private static void plant(LockFile file, RunLock.Holder holder) throws Exception {
        assertTrue(file.createExclusive(holder.toJson()));
        Files.setLastModifiedTime(Path.of(java.net.URI.create(file.path())), java.nio.file.attribute.FileTime.from(holder.heartbeatAt()));
    }

    private static RunLock take(LockFile file, String runId, RunLock.Processes processes) {
        return RunLock.acquire(file, me(runId), SETTINGS, CLOCK, processes, null);
    }

    @Test
    void takesWritesItsHolderAndReleases(@TempDir Path dir) throws Exception {
        LockFile file = local(dir);
        Path onDisk = dir.resolve("wh/_ews/run.lock");
        try (RunLock lock = take(file, "run-a", ALL_ALIVE)) {
            assertTrue(Files.isRegularFile(onDisk));
            String json = Files.readString(onDisk, StandardCharsets.UTF_8);
            for (String field : List.of("\"run_id\" : \"run-a\"", "\"host\" : \"" + ThisHost.name() + "\"",
                    "\"pid\" : " + ProcessHandle.current().pid(), "\"command\" : \"nightly 2026-01-04\"", "\"heartbeat_at\"")) {
                assertTrue(json.contains(field), field + " in " + json);
            }
            assertTrue(lock.takeover().isEmpty());
        }
        assertFalse(Files.exists(onDisk), "released");
        try (Stream s = new Stream(dir.resolve("wh/_ews"))) {
            assertEquals(List.of(), s.names(), "no temporary file left beside it");
        }
    }

    @Test
    void aLiveHolderIsNamedAndTheRunRefused(@TempDir Path dir) throws Exception {
        LockFile file = local(dir);
        RunLock.Holder airflow = other("scheduled__2026-01-04T02:00:00+00:00", "worker-7", 4242, NOW.minusSeconds(20));
        plant(file, airflow);
        RunLockedException e = assertThrows(RunLockedException.class, () -> take(file, "manual-1", ALL_ALIVE));
        for (String part : List.of("run scheduled__2026-01-04T02:00:00+00:00", "(backfill 2026-01-01..2026-01-04)", "host worker-7",
                "pid 4242", "started 2026-01-05T01:58:40Z", "last heartbeat 20 s ago", file.path(), "lock.stale_after_seconds (300 s)")) {
            assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
        }
        assertEquals(3, RunLockedException.EXIT_CODE);
        assertTrue(new String(file.read().orElseThrow().bytes(), StandardCharsets.UTF_8).contains("4242"), "left as it was");
    }

    @Test
    void aHolderOnThisHostWhoseProcessIsGoneIsTakenOverAtOnce(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LockFile file = local(dir);
        plant(file, other("killed-run", ThisHost.name(), gone.pid(), NOW.minusSeconds(5)));
        try (RunLock lock = RunLock.acquire(file, me("rerun"), SETTINGS, CLOCK, RunLock.Processes.LOCAL, null)) {
            RunLock.Takeover t = lock.takeover().orElseThrow();
            assertEquals("killed-run", t.previous().runId());
            assertTrue(t.reason().contains("pid " + gone.pid()) && t.reason().contains("is gone"), t.reason());
            assertTrue(new String(file.read().orElseThrow().bytes(), StandardCharsets.UTF_8).contains("\"rerun\""));
        }
    }

    @Test
    void aPidReusedByALaterProcessIsNotTheHolder(@TempDir Path dir) throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            LockFile file = local(dir);
            RunLock.Holder h = other("old-run", ThisHost.name(), sleeper.pid(), NOW.minusSeconds(5));
            // The lock's process started an hour before the live process that now has its pid.
            h = new RunLock.Holder(h.runId(), h.command(), h.host(), h.pid(), h.pidNamespace(),
                    sleeper.info().startInstant().orElseThrow().minus(Duration.ofHours(1)), h.startedAt(), h.heartbeatAt());
            plant(file, h);
            try (RunLock lock = RunLock.acquire(file, me("rerun"), SETTINGS, CLOCK, RunLock.Processes.LOCAL, null)) {
                assertTrue(lock.takeover().isPresent());
            }
            // The same pid with its own start time is alive: refused.
            plant(file, other("live-run", ThisHost.name(), sleeper.pid(), NOW.minusSeconds(5)));
            assertThrows(RunLockedException.class, () -> RunLock.acquire(file, me("rerun-2"), SETTINGS, CLOCK, RunLock.Processes.LOCAL, null));
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void anotherHostIsJudgedByItsHeartbeat(@TempDir Path dir) throws Exception {
        LockFile file = local(dir);
        // A dead pid on another host proves nothing: that pid is another machine's.
        plant(file, other("remote", "worker-2", 99999, NOW.minusSeconds(299)));
        assertThrows(RunLockedException.class, () -> take(file, "mine", ALL_DEAD));
        assertTrue(file.deleteIfSame(file.read().orElseThrow().bytes()));
        plant(file, other("remote", "worker-2", 99999, NOW.minusSeconds(301)));
        try (RunLock lock = take(file, "mine", ALL_ALIVE)) {
            RunLock.Takeover t = lock.takeover().orElseThrow();
            assertTrue(t.reason().contains("last heartbeat is 301 s old, above lock.stale_after_seconds (300 s)"), t.reason());
        }
    }

    @Test
    void anUnreadableLockCountsAsHeldUntilItsFileIsOld(@TempDir Path dir) throws Exception {
        LockFile file = local(dir);
        assertTrue(file.createExclusive("{half a lo".getBytes(StandardCharsets.UTF_8)));
        Clock realNow = Clock.systemUTC();
        RunLockedException e = assertThrows(RunLockedException.class,
                () -> RunLock.acquire(file, me("a"), SETTINGS, realNow, ALL_DEAD, null));
        assertTrue(e.getMessage().contains("(unreadable: not JSON"), e.getMessage());
        Clock later = Clock.offset(realNow, Duration.ofMinutes(6));
        try (RunLock lock = RunLock.acquire(file, me("a"), SETTINGS, later, ALL_DEAD, null)) {
            assertTrue(lock.takeover().orElseThrow().reason().contains("above lock.stale_after_seconds"));
        }
    }

    @Test
    void theHeartbeatRenewsAndNoticesATakeover(@TempDir Path dir) throws Exception {
        LockFile file = local(dir);
        Clock[] clock = {CLOCK};
        Clock moving = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return clock[0].instant(); }
        };
        RunLock lock = RunLock.acquire(file, me("beating"), SETTINGS, moving, ALL_ALIVE, null);
        clock[0] = Clock.offset(CLOCK, Duration.ofSeconds(30));
        lock.beat();
        String json = new String(file.read().orElseThrow().bytes(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"heartbeat_at\" : \"2026-01-05T02:00:30Z\""), json);
        lock.checkHeld();

        // Frozen past the limit: another run took the lock over. The heartbeat must not write over it.
        file.replace(other("newcomer", "worker-9", 7, NOW.plusSeconds(400)).toJson());
        lock.beat();
        assertTrue(lock.lost());
        EwsException stop = assertThrows(EwsException.class, lock::checkHeld);
        assertTrue(stop.getMessage().contains("taken over by run newcomer") && stop.getMessage().contains("stopping"), stop.getMessage());
        lock.close();
        assertTrue(new String(file.read().orElseThrow().bytes(), StandardCharsets.UTF_8).contains("newcomer"), "the other's lock stays");
    }

    @Test
    void ofRunsStartingAtOnceExactlyOneGetsIt(@TempDir Path dir) throws Exception {
        List<RunLock> winners = race(local(dir), 8, ALL_ALIVE);
        assertEquals(1, winners.size());
        winners.get(0).close();
    }

    /** {@code n} runs try to take the lock at the same moment; those that got it. */
    private static List<RunLock> race(LockFile file, int n, RunLock.Processes processes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunLock>> tries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "racer-" + i;
            tries.add(pool.submit(() -> {
                go.await();
                try {
                    return take(file, id, processes);
                } catch (RunLockedException e) {
                    return null;
                }
            }));
        }
        go.countDown();
        List<RunLock> winners = new ArrayList<>();
        for (Future<RunLock> f : tries) {
            if (f.get() != null) {
                winners.add(f.get());
            }
        }
        pool.shutdown();
        return winners;
    }

    /**
     * Eight runs find the same dead holder's lock at once: each judges it dead and tries to take it over. Exactly one may
     * get it; a racer that deleted the lock after another had already replaced it would let two runs write.
     */
    @Test
    void ofRunsTakingOverTheSameDeadLockExactlyOneGetsIt(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 20; round++) {
            LockFile file = local(dir.resolve("round-" + round));
            RunLock.Holder dead = other("killed", me("x").host(), 999_999_999L, NOW);
            plant(file, dead);
            RunLock.Processes onlyTheKilledIsGone = (pid, started) -> pid != 999_999_999L;
            List<RunLock> winners = race(file, 8, onlyTheKilledIsGone);
            // (Which racer logs the takeover is a matter of timing: the one that deleted the dead lock may lose the create.)
            assertEquals(1, winners.size(), "round " + round);
            winners.get(0).close();
            try (var left = Files.list(Path.of(java.net.URI.create(file.path())).getParent())) {
                assertEquals(List.of(), left.map(q -> q.getFileName().toString()).toList(), "no lock, claim or temp file left");
            }
        }
    }

    @Test
    void throughHadoopsFileSystemToo(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration(false);
        FaultyFileSystem.settings().forEach(conf::set);
        String path = FaultyFileSystem.uri(dir.resolve("wh")) + "/_ews/run.lock";
        LockFile file = LockFile.at(path, conf);
        assertTrue(file instanceof LockFile.Hadoop);
        try (RunLock lock = take(file, "first", ALL_ALIVE)) {
            assertTrue(Files.isRegularFile(dir.resolve("wh/_ews/run.lock")));
            RunLockedException e = assertThrows(RunLockedException.class, () -> take(file, "second", ALL_ALIVE));
            assertTrue(e.getMessage().contains("run first"), e.getMessage());
            assertNotNull(lock.holder());
        }
        assertFalse(Files.exists(dir.resolve("wh/_ews/run.lock")));

        // A full disk: the run stops at once, naming the lock's path.
        conf.set(FaultyFileSystem.FULL, dir.resolve("wh").toString());
        EwsException full = assertThrows(EwsException.class, () -> take(LockFile.at(path, conf), "third", ALL_ALIVE));
        assertFalse(full instanceof RunLockedException);
        assertTrue(full.getMessage().contains("cannot take the run lock " + path) && full.getMessage().contains("disk full"),
                full.getMessage());
    }

    @Test
    void settingsAreCheckedByName() {
        EwsConfig d = ConfigLoader.create().environment(Map.of()).load();
        assertTrue(d.lock().enabled());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.create().environment(Map.of())
                .set("lock.stale_after_seconds", "60").load());
        assertTrue(e.getMessage().contains("lock.stale_after_seconds") && e.getMessage().contains("90"), e.getMessage());
        EwsConfig off = ConfigLoader.create().environment(Map.of("EWS_LOCK_ENABLED", "false")).load();
        assertFalse(off.lock().enabled());
    }

    /** File names in a folder. */
    private record Stream(Path dir) implements AutoCloseable {
        List<String> names() throws Exception {
            List<String> out = new ArrayList<>();
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> out.add(p.getFileName().toString()));
            }
            out.remove("run.lock");
            return out;
        }

        @Override
        public void close() {}
    }
}
