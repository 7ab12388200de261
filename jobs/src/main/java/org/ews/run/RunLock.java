package org.ews.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.ews.Messages;
import org.ews.config.EwsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The warehouse's run lock: one run that writes tables at a time. The lock is a small JSON file,
 * {@code <warehouse>/_ews/run.lock}, naming its holder (run id, what it runs, host, pid, start) and a heartbeat the
 * holder rewrites every {@code lock.heartbeat_seconds}. It is created exclusively (see {@link LockFile}), so of two runs
 * starting at once exactly one gets it; the other is refused with a {@link RunLockedException} naming the holder.
 *
 * <p>It survives a crash: a run killed with SIGKILL leaves its lock behind. The next run takes such a lock over, with a
 * WARN line, when its holder is provably dead (same host and pid namespace, and no process with that pid and start time)
 * or when its heartbeat is older than {@code lock.stale_after_seconds}; otherwise it refuses. A holder that finds the
 * lock taken over by another run (it was frozen longer than the stale limit) marks itself {@link #lost()} and the
 * pipeline stops before its next stage.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    /** Under the warehouse root; a leading underscore keeps it out of Spark's and Delta's listings. */
    public static final String DIR = "_ews";
    public static final String FILE = "run.lock";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Who holds the lock. {@code pidNamespace} tells two containers with one host name apart (null where unknown). */
    public record Holder(String runId, String command, String host, long pid, String pidNamespace, Instant processStartedAt,
                         Instant startedAt, Instant heartbeatAt) {

        /** This process, about to run {@code command} as {@code runId}. */
        public static Holder self(String runId, String command, Clock clock) {
            ProcessHandle me = ProcessHandle.current();
            Instant now = clock.instant();
            return new Holder(runId, command, ThisHost.name(), me.pid(), ThisHost.pidNamespace(),
                    me.info().startInstant().orElse(null), now, now);
        }

        Holder beating(Instant at) {
            return new Holder(runId, command, host, pid, pidNamespace, processStartedAt, startedAt, at);
        }

        /** "run R (backfill 2024-01-01..2024-01-31) on host H, pid P, started T". */
        public String describe() {
            return "run " + runId + (command == null || command.isBlank() ? "" : " (" + command + ")") + " on host " + host
                    + ", pid " + pid + ", started " + startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }

        byte[] toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("run_id", runId);
            m.put("command", command);
            m.put("host", host);
            m.put("pid", pid);
            m.put("pid_namespace", pidNamespace);
            m.put("process_started_at", processStartedAt == null ? null : processStartedAt.toString());
            m.put("started_at", startedAt.toString());
            m.put("heartbeat_at", heartbeatAt.toString());
            try {
                return JSON.writeValueAsBytes(m);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Holder fromJson(byte[] bytes) throws IOException {
            JsonNode n;
            try {
                n = JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IOException("not JSON: " + Messages.firstLine(e.getMessage()), e);
            }
            if (n == null || !n.isObject() || !n.hasNonNull("run_id") || !n.hasNonNull("host") || !n.hasNonNull("heartbeat_at")
                    || !n.hasNonNull("started_at")) {
                throw new IOException("not a run lock (run_id, host, started_at or heartbeat_at missing)");
            }
            try {
                return new Holder(n.get("run_id").asText(), n.hasNonNull("command") ? n.get("command").asText() : null,
                        n.get("host").asText(), n.path("pid").asLong(-1),
                        n.hasNonNull("pid_namespace") ? n.get("pid_namespace").asText() : null,
                        n.hasNonNull("process_started_at") ? Instant.parse(n.get("process_started_at").asText()) : null,
                        Instant.parse(n.get("started_at").asText()), Instant.parse(n.get("heartbeat_at").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IOException("not a run lock (a time is not ISO-8601: " + e.getParsedString() + ")", e);
            }
        }
    }

    /** Whether another process is alive: the one question stale detection asks of this host. */
    @FunctionalInterface
    public interface Processes {
        /** True when a process with this pid runs and, where {@code startedAt} is known, started then. */
        boolean alive(long pid, Instant startedAt);

        Processes LOCAL = (pid, startedAt) -> {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            Optional<Instant> start = p.get().info().startInstant();
            // A pid reused by a later process is not the holder (start times agree to the clock tick, not the ms).
            return startedAt == null || start.isEmpty() || Duration.between(start.get(), startedAt).abs().toMillis() < 2000;
        };
    }

    /** Why a lock was taken over: the holder, and the proof that it is gone. */
    public record Takeover(Holder previous, String reason) {}

    private final LockFile file;
    private final Holder self;
    private final Clock clock;
    private final Takeover takeover;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean lost;
    private volatile String lostTo;
    private boolean released;

    private RunLock(LockFile file, Holder self, Clock clock, Takeover takeover, Duration beat) {
        this.file = file;
        this.self = self;
        this.clock = clock;
        this.takeover = takeover;
        if (beat == null) {
            this.heartbeat = null;
        } else {
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ews-run-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            long ms = beat.toMillis();
            heartbeat.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
        }
        // SIGTERM (Airflow's execution_timeout, a pod eviction) does not unwind the command's try-with-resources; without
        // this the lock would stay behind, its heartbeat fresh, and a retry on another host would wait stale_after_seconds.
        this.release = beat == null ? null : new Thread(this::release, "ews-run-lock-release");
        if (release != null) {
            Runtime.getRuntime().addShutdownHook(release);
        }
    }

    private final Thread release;

    /** The lock file of a warehouse root (as {@code Warehouse.qualify} gives it). */
    public static String path(String warehouseRoot) {
        return warehouseRoot.replaceAll("/+$", "") + "/" + DIR + "/" + FILE;
    }

    /**
     * Takes the warehouse's lock for {@code runId} running {@code command}, with a heartbeat thread, or fails: a
     * {@link RunLockedException} when a live run holds it, an {@link EwsException} naming the lock's path when the
     * storage fails (a full disk, a permission error).
     */
    public static RunLock acquire(String warehouseRoot, Configuration hadoop, String runId, String command, EwsConfig.Lock settings) {
        LockFile file = LockFile.at(path(warehouseRoot), hadoop);
        return acquire(file, Holder.self(runId, command, Clock.systemUTC()), settings, Clock.systemUTC(), Processes.LOCAL,
                Duration.ofSeconds(settings.heartbeatSeconds()));
    }

    /** As above with every collaborator given (tests): {@code beat} null starts no heartbeat thread. */
    static RunLock acquire(LockFile file, Holder self, EwsConfig.Lock settings, Clock clock, Processes processes, Duration beat) {
        Takeover takeover = null;
        // Several runs finding the same dead lock contend for it: only one claim succeeds, the others look again (a live
        // holder then refuses them). A few rounds with a short pause settle it; a lock that keeps changing hands fails.
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                if (file.createExclusive(self.toJson())) {
                    verifyOurs(file, self);
                    if (takeover != null) {
                        LOG.warn("Took over the run lock {} from {}: {}. That run did not finish: ops.runs marks its unfinished "
                                + "stage abandoned; rerun its dates", file.path(), takeover.previous().describe(), takeover.reason());
                    }
                    return new RunLock(file, self, clock, takeover, beat);
                }
                Optional<LockFile.Content> current = file.read();
                if (current.isEmpty()) {
                    continue; // released between our create and our read: try again
                }
                Holder holder = parse(current.get());
                String dead = deadReason(holder, current.get(), self, settings, clock, processes);
                if (dead == null) {
                    throw new RunLockedException(refusal(file.path(), holder, current.get(), settings, clock));
                }
                // Delete only what we judged: a lock that changed since (another run took it over first) is judged again.
                if (file.deleteIfSame(current.get().bytes())) {
                    takeover = new Takeover(holder, dead);
                } else {
                    pause(attempt);
                }
            } catch (IOException e) {
                throw new EwsException("cannot take the run lock " + file.path() + ": " + describe(e), e);
            }
        }
        throw new EwsException("cannot take the run lock " + file.path() + ": it changed hands " + ATTEMPTS + " times while this "
                + "run tried to take it; try again");
    }

    private static final int ATTEMPTS = 20;

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L + 10L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the lock back after creating it. Where exclusive create is only a check followed by a write (an object store
     * without conditional writes), two runs may both think they created it; the later write wins and the earlier run,
     * reading another run id here, backs off.
     */
    private static void verifyOurs(LockFile file, Holder self) throws IOException {
        if (!file.exclusiveCreateIsAtomic()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Optional<LockFile.Content> back = file.read();
        Holder holder = back.isEmpty() ? null : parse(back.get());
        if (holder == null || !self.runId().equals(holder.runId()) || self.pid() != holder.pid()) {
            throw new RunLockedException("the warehouse's run lock " + file.path() + " was taken by "
                    + (holder == null ? "another run" : holder.describe()) + " at the same moment; refusing to run alongside it");
        }
    }

    /** A lock that is not ours and cannot be read is still a lock: its holder is unknown, its file time the heartbeat. */
    private static Holder parse(LockFile.Content c) {
        try {
            return Holder.fromJson(c.bytes());
        } catch (IOException e) {
            return new Holder("(unreadable: " + Messages.firstLine(e.getMessage()) + ")", null, "(unknown)", -1, null, null,
                    c.modifiedAt(), c.modifiedAt());
        }
    }

    /** Why the holder is gone, or null when it may still be running. */
    static String deadReason(Holder holder, LockFile.Content content, Holder self, EwsConfig.Lock settings, Clock clock,
                             Processes processes) {
        if (holder.pid() > 0 && Objects.equals(holder.host(), self.host())
                && (holder.pidNamespace() == null || self.pidNamespace() == null || holder.pidNamespace().equals(self.pidNamespace()))
                && !(holder.pid() == self.pid() && Objects.equals(holder.pidNamespace(), self.pidNamespace()))
                && !processes.alive(holder.pid(), holder.processStartedAt())) {
            return "its process (pid " + holder.pid() + " on this host, " + holder.host() + ") is gone";
        }
        Duration age = heartbeatAge(holder, content, clock);
        if (age.getSeconds() > settings.staleAfterSeconds()) {
            return "its last heartbeat is " + age.getSeconds() + " s old, above lock.stale_after_seconds ("
                    + settings.staleAfterSeconds() + " s)";
        }
        return null;
    }

    private static Duration heartbeatAge(Holder holder, LockFile.Content content, Clock clock) {
        Instant last = holder.heartbeatAt();
        if (content.modifiedAt() != null && content.modifiedAt().isAfter(last)) {
            last = content.modifiedAt();
        }
        Duration age = Duration.between(last, clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    static String refusal(String path, Holder holder, LockFile.Content content, EwsConfig.Lock settings, Clock clock) {
        return "the warehouse is in use by " + holder.describe() + ", last heartbeat " + heartbeatAge(holder, content, clock).getSeconds()
                + " s ago (lock " + path + "); refusing to run alongside it, as two runs at once could duplicate or lose rows. "
                + "Wait for it to end; if that process is gone, its lock is taken over once its heartbeat is older than "
                + "lock.stale_after_seconds (" + settings.staleAfterSeconds() + " s), or at once from its own host; or delete "
                + "the lock file by hand (README \"Reliability\")";
    }

    /** Rewrites the heartbeat, unless the lock is no longer ours: then the run is marked lost and stops at its next stage. */
    void beat() {
        if (lost) {
            return;
        }
        try {
            Optional<LockFile.Content> current = file.read();
            Holder holder = current.isEmpty() ? null : parse(current.get());
            if (holder == null || !self.runId().equals(holder.runId()) || self.pid() != holder.pid()) {
                lostTo = holder == null ? "nobody (the lock file is gone)" : holder.describe();
                lost = true;
                LOG.error("The run lock {} is no longer held by this run ({}): now {}. This run stops before its next stage.",
                        file.path(), self.runId(), lostTo);
                return;
            }
            file.replace(self.beating(clock.instant()).toJson());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not renew the heartbeat of the run lock {}: {}", file.path(), describe(e));
        }
    }

    /** Whether another run took the lock over: this run must not write further. */
    public boolean lost() {
        return lost;
    }

    /** Fails when the lock was lost: what the pipeline checks before each stage. */
    public void checkHeld() {
        if (lost) {
            throw new EwsException("the run lock " + file.path() + " was taken over by " + lostTo + " while this run ("
                    + self.runId() + ") was alive but silent for longer than lock.stale_after_seconds; stopping so that two runs "
                    + "do not write at once. Rerun the dates when that run has ended");
        }
    }

    public Optional<Takeover> takeover() {
        return Optional.ofNullable(takeover);
    }

    public Holder holder() {
        return self;
    }

    public String path() {
        return file.path();
    }

    /** Stops the heartbeat and deletes the lock if it is still this run's. */
    @Override
    public void close() {
        if (release != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(release);
            } catch (IllegalStateException shuttingDown) {
                // called from the hook itself, or during shutdown: releasing below is what the hook does
            }
        }
        release();
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Optional<LockFile.Content> current = file.read();
            if (current.isPresent()) {
                Holder holder = parse(current.get());
                if (self.runId().equals(holder.runId()) && self.pid() == holder.pid()) {
                    file.deleteIfSame(current.get().bytes());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not release the run lock {}: {}; the next run takes it over (this process will be gone)",
                    file.path(), describe(e));
        }
    }

    /** An I/O failure in a line: permission errors and a full disk said plainly, the storage's own words after. */
    static String describe(Throwable e) {
        return Failures.describeIo(e);
    }
}
