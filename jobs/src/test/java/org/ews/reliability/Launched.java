package org.ews.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * One {@code bin/ews} process started as an operator or Airflow would: its stdout and stderr read line by line (kept, and
 * copied to {@code <logs>/<name>.out|.err}), so a test can wait for a line the process writes, or for a file it creates,
 * and then kill it with SIGKILL ({@link Process#destroyForcibly()}; {@code bin/ews} execs the JVM, so the pid is the JVM's).
 */
final class Launched implements AutoCloseable {
    private static final long POLL_MS = 5;

    final String name;
    private final Process process;
    private final long startNanos = System.nanoTime();
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private Integer exit;
    private volatile long endNanos;
    private boolean killed;

    private Launched(String name, Process process, Path logs) {
        this.name = name;
        this.process = process;
        readers.add(pump(process.getInputStream(), out, logs.resolve(name + ".out")));
        readers.add(pump(process.getErrorStream(), err, logs.resolve(name + ".err")));
        process.onExit().thenRun(() -> endNanos = System.nanoTime());
    }

    static Launched start(String name, Path repo, Path logs, java.util.Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(repo.resolve("bin/ews").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().putAll(env);
        try {
            Files.createDirectories(logs);
            return new Launched(name, pb.start(), logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private Thread pump(InputStream in, List<String> lines, Path copy) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(copy, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    w.println(line);
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }, "pump-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Seconds from start to its end (or to now while it runs). */
    double seconds() {
        return ((endNanos != 0 ? endNanos : System.nanoTime()) - startNanos) / 1e9;
    }

    /** Waits until a stderr line matches (the process's own stage lines and warnings); fails if it ends first. */
    String awaitErr(Pattern pattern, Duration timeout) {
        String[] found = new String[1];
        await("a stderr line matching " + pattern, timeout, () -> {
            synchronized (err) {
                for (String l : err) {
                    if (pattern.matcher(l).find()) {
                        found[0] = l;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits until {@code condition} holds while the process runs; fails (with the stderr tail) if it ends or times out. */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                drain();
                if (condition.getAsBoolean()) {
                    return;
                }
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before " + what + ":\n" + tail(err, 30));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + ":\n" + tail(err, 30));
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** SIGKILL, at once; returns the exit status (137). Fails if the process had already ended by itself. */
    int kill() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " had already ended (exit " + process.exitValue() + ") when it was to be killed");
        }
        killed = true;
        process.destroyForcibly();
        return waitFor(Duration.ofMinutes(1));
    }

    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + ":\n" + tail(err, 30));
            }

        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        drain();
        exit = process.exitValue();
        return exit;
    }

    private void drain() {
        for (Thread t : readers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean killed() {
        return killed;
    }

    String out() {
        synchronized (out) {
            return String.join("\n", out);
        }
    }

    String err() {
        synchronized (err) {
            return String.join("\n", err);
        }
    }

    /** The stderr lines that are ours (not Spark's or Delta's), for the report. */
    List<String> errLines(Pattern keep) {
        synchronized (err) {
            return err.stream().filter(l -> keep.matcher(l).find()).toList();
        }
    }

    static String tail(List<String> lines, int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
