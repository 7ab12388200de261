package org.ews.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one launcher process cost, for {@code bin/ews bench}: when the environment variable {@value #ENV} (or the system
 * property {@value #PROPERTY}) names a file, the process writes there at the end of its command a JSON object with its
 * exit code, wall seconds since the JVM started, and its peak heap. Off (nothing installed, nothing written) otherwise.
 *
 * <p>Two heap figures, both read from the collector's notifications (no sampling thread): {@code peak_heap_mb}, the
 * most heap in use at any one time, garbage included (the heap just before the fullest collection, or at the end if
 * that is more). G1 lets the heap fill up to what -Xmx allows before it collects, so this figure grows with -Xmx.
 * {@code peak_live_heap_mb}, the most heap still in use right after a collection: what the process held on to, the
 * figure that says how much heap it needs (null when no collection ran). Not the sum of each pool's peak: pools peak at
 * different times, and that sum came to 9.0 GB for a backfill in an 8 GB heap.
 */
public final class ProcessMetrics {
    public static final String ENV = "EWS_METRICS_FILE";
    public static final String PROPERTY = "ews.metrics.file";
    private static final double MB = 1024.0 * 1024.0;

    private final Path file;
    /** -1 until a collection is seen. */
    private final AtomicLong peakLive = new AtomicLong(-1);
    /**
     * The largest heap in use at one instant: the total just before each collection (its local maximum) and at the end.
     * Not the sum of each pool's own peak, which adds peaks reached at different times and can exceed -Xmx.
     */
    private final AtomicLong peakUsed = new AtomicLong(0);
    private final List<Runnable> uninstall = new ArrayList<>();

    private ProcessMetrics(Path file) {
        this.file = file;
    }

    /** Started (the collection listener installed) when {@value #ENV} or {@value #PROPERTY} names a file; else null. */
    public static ProcessMetrics startIfAsked(Map<String, String> env) {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = env.get(ENV);
        }
        if (name == null || name.isBlank()) {
            return null;
        }
        ProcessMetrics m = new ProcessMetrics(Path.of(name));
        m.listen();
        return m;
    }

    public Path file() {
        return file;
    }

    private void listen() {
        NotificationListener listener = (Notification n, Object handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long live = 0;
            long before = 0;
            for (MemoryPoolMXBean pool : heapPools()) {
                MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                live += after == null ? 0 : after.getUsed();
                MemoryUsage atStart = info.getGcInfo().getMemoryUsageBeforeGc().get(pool.getName());
                before += atStart == null ? 0 : atStart.getUsed();
            }
            peakLive.accumulateAndGet(live, Math::max);
            peakUsed.accumulateAndGet(before, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                uninstall.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    /** The figures now, as the JSON object written: command, exit_code, wall_s, peak_heap_mb, peak_live_heap_mb, max_heap_mb, cores. */
    public Map<String, Object> figures(String command, int exitCode) {
        long peak = peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("exit_code", exitCode);
        m.put("wall_s", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        m.put("peak_heap_mb", round(peak / MB));
        m.put("peak_live_heap_mb", peakLive.get() < 0 ? null : round(peakLive.get() / MB));
        m.put("max_heap_mb", round(Runtime.getRuntime().maxMemory() / MB));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        return m;
    }

    /** Writes the figures (replacing the file) and removes the listener. A file that cannot be written is said on err, not fatal. */
    public void write(String command, int exitCode, java.io.PrintStream err) {
        uninstall.forEach(Runnable::run);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures(command, exitCode));
        } catch (IOException | UncheckedIOException e) {
            err.println("ews: cannot write the metrics file " + file + " (" + ENV + "): " + e.getMessage());
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
