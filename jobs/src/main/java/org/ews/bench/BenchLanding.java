package org.ews.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One landing zone of the benchmark: a generated history plus the new day's customs files, generated once and reused
 * while its parameters stay the same. A marker file written last ({@value #MARKER}; a dot file, which ingest skips)
 * records the parameters and what was generated; a zone without it (an interrupted generation) or with other
 * parameters is generated again from scratch.
 *
 * <p>The new day is generated on its own with the same seed (so the same firm registry and trader names), into a
 * scratch folder beside the zone, and only its {@code customs/reporter=*}/{@code date=DAY} folders are moved in: the
 * day's own registry snapshot, FX table and truth would clobber the history's. Its declaration ids count from
 * {@link #dayFirstDeclaration} so they are new declarations, not later versions of the history's first ones (each
 * generator run numbers from 1 otherwise, and a colliding id in the same month is taken as a resend).
 */
public final class BenchLanding {
    public static final String MARKER = ".bench-landing.json";
    /** How a zone is built; a zone built another way (a marker with another layout) is generated again. */
    static final int LAYOUT = 2;

    /** What a zone is generated from; any change means a new zone. */
    public record Params(long targetLines, LocalDate from, LocalDate to, int linesPerDay, LocalDate day, int dayLinesPerDay,
                         long seed) {
        /** The zone of {@code scale} lines: history and the new day as {@link BenchSizes} works them out. */
        public static Params forScale(long scale, long dayLines, long seed) {
            return new Params(scale, BenchSizes.HISTORY_FROM, BenchSizes.HISTORY_TO, BenchSizes.historyLinesPerDay(scale),
                    BenchSizes.NEW_DAY, BenchSizes.dayLinesPerDay(dayLines), seed);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layout", LAYOUT);
            m.put("target_lines", targetLines);
            m.put("from", from.toString());
            m.put("to", to.toString());
            m.put("lines_per_day", linesPerDay);
            m.put("day", day.toString());
            m.put("day_lines_per_day", dayLinesPerDay);
            m.put("seed", seed);
            return m;
        }
    }

    /** A zone ready to run on: the lines the generator wrote (valid, final versions) for the history and the day. */
    public record Zone(Path dir, Params params, boolean reused, long historyLines, long dayLines, double generateSeconds) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dir", dir.toString());
            m.putAll(params.toMap());
            m.put("history_lines", historyLines);
            m.put("day_lines", dayLines);
            m.put("reused", reused);
            m.put("generate_s", BenchReport.round(generateSeconds, 1));
            return m;
        }
    }

    private BenchLanding() {}

    /** The zone in {@code dir} if its marker records exactly {@code params}; otherwise empty. */
    public static java.util.Optional<Zone> reusable(Path dir, Params params) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return java.util.Optional.empty();
        }
        Map<String, Object> m;
        try {
            m = new ObjectMapper().readValue(marker.toFile(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            return java.util.Optional.empty(); // a damaged marker: generate again
        }
        // Compared as JSON text, so 42 read back as an Integer equals 42 written as a Long.
        if (!json(params.toMap()).equals(json(m.get("params")))) {
            return java.util.Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) m.get("generated");
        if (g == null || !(g.get("history_lines") instanceof Number h) || !(g.get("day_lines") instanceof Number d)
                || !(g.get("seconds") instanceof Number s)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Zone(dir, params, true, h.longValue(), d.longValue(), s.doubleValue()));
    }

    /** Reuses the zone in {@code dir}, or deletes whatever is there and generates it; says which on {@code log}. */
    public static Zone prepare(Path dir, Params params, Path referenceDir, Consumer<String> log) {
        java.util.Optional<Zone> existing = reusable(dir, params);
        if (existing.isPresent()) {
            log.accept("landing " + dir + ": reused (" + String.format("%,d", existing.get().historyLines()) + " history lines, "
                    + String.format("%,d", existing.get().dayLines()) + " on " + params.day() + ")");
            return existing.get();
        }
        long start = System.nanoTime();
        delete(dir);
        Path scratch = dir.resolveSibling("." + dir.getFileName() + "-day");
        delete(scratch);
        log.accept("landing " + dir + ": generating " + params.from() + ".." + params.to() + " at " + params.linesPerDay()
                + " lines a day per reporter, and " + params.day() + " at " + params.dayLinesPerDay() + ", seed " + params.seed());
        GenerationSummary history = LandingGenerator.builder().out(dir).from(params.from()).to(params.to())
                .linesPerDay(params.linesPerDay()).seed(params.seed()).referenceDir(referenceDir).build().run();
        log.accept("  history: " + history.describe());
        GenerationSummary day = LandingGenerator.builder().out(scratch).from(params.day()).to(params.day())
                .linesPerDay(params.dayLinesPerDay()).seed(params.seed()).referenceDir(referenceDir)
                .firstDeclaration(dayFirstDeclaration(history.totalLines())).build().run();
        log.accept("  new day: " + day.describe());
        moveDay(scratch, dir, params.day());
        delete(scratch);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("params", params.toMap());
        marker.put("generated", Map.of("history_lines", history.totalLines(), "day_lines", day.totalLines(), "seconds", seconds));
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MARKER).toFile(), marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MARKER), e);
        }
        return new Zone(dir, params, false, history.totalLines(), day.totalLines(), seconds);
    }

    /**
     * Where the new day's declaration ids start: the power of ten above twice the history's lines. A reporter's
     * declarations number fewer than its lines (bad rows and broken files included), which are about a third of the
     * history's, so no id of the history is reached; 1,001,748 history lines: 10,000,000.
     */
    static long dayFirstDeclaration(long historyLines) {
        long p = 10;
        while (p <= 2 * historyLines) {
            p *= 10;
        }
        return p;
    }

    /** Moves {@code customs/reporter=*}/{@code date=DAY} from the day's scratch zone into the zone; nothing else. */
    static void moveDay(Path scratch, Path zone, LocalDate day) {
        try (DirectoryStream<Path> reporters = Files.newDirectoryStream(scratch.resolve("customs"), "reporter=*")) {
            for (Path reporter : reporters) {
                Path from = reporter.resolve("date=" + day);
                if (!Files.isDirectory(from)) {
                    continue;
                }
                Path to = zone.resolve("customs").resolve(reporter.getFileName().toString()).resolve("date=" + day);
                delete(to);
                Files.createDirectories(to.getParent());
                Files.move(from, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the new day's files into " + zone, e);
        }
    }

    /** Deletes a folder and everything in it; nothing if it is not there. */
    public static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
