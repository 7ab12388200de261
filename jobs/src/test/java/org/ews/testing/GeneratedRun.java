package org.ews.testing;

import org.ews.cli.Main;
import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;

/**
 * A generated landing zone run through the whole pipeline the way operations would: a backfill of 2023-11-01..12-31,
 * the nightly run of 2024-01-01 (a new registry snapshot lands and relinks history; December is not closed yet), and
 * a backfill of 2024-01-02..01-10 (which closes December). Built once per test JVM and shared by the tests that judge
 * silver and gold against the generator's truth, because it is the suite's most expensive fixture: once per mvn
 * invocation, whichever test JVM asks first.
 */
public final class GeneratedRun {
    public static final String LAST_DATE = "2024-01-10";
    private static GeneratedRun instance;

    private final Path landing;
    private final Path warehouse;
    private final GenerationSummary summary;

    private GeneratedRun(Path landing, Path warehouse, GenerationSummary summary) {
        this.landing = landing;
        this.warehouse = warehouse;
        this.summary = summary;
    }

    /**
     * The run, built by the first test JVM of this mvn invocation that asks for it; the other JVM waits on a file lock and
     * reuses it. The generator is deterministic, so a JVM that reuses the run regenerates the (small) landing zone in a
     * scratch folder for its summary, and checks it equals the one the run was built from.
     *
     * <p>The run is built with Spark's code generation on, as in production, though the tests' session otherwise
     * interprets expressions ({@link SharedSpark#testSettings()}): the suite's one whole pipeline, judged against the
     * generator's truth by several classes, covers the compiled path.
     */
    public static synchronized GeneratedRun get() {
        if (instance == null) {
            Path root = Path.of("target", "generated-run").toAbsolutePath();
            try {
                Files.createDirectories(root.getParent());
                try (FileChannel channel = FileChannel.open(root.resolveSibling("generated-run.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                    instance = builtOrReused(root);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the generated run under " + root, e);
            }
        }
        return instance;
    }

    private static GeneratedRun builtOrReused(Path root) throws IOException {
        Path landing = root.resolve("landing");
        Path wh = root.resolve("wh");
        Path complete = root.resolve("COMPLETE");
        String build = TestEnv.build();
        if (!build.isEmpty() && Files.exists(complete)) {
            List<String> marker = Files.readAllLines(complete, StandardCharsets.UTF_8);
            if (marker.size() == 2 && marker.get(0).equals(build)) {
                Path scratch = Path.of(System.getProperty("java.io.tmpdir"), "generated-run-landing").toAbsolutePath();
                Dirs.delete(scratch);
                GenerationSummary truth = generate(scratch);
                Dirs.delete(scratch);
                if (!truth.toString().equals(marker.get(1))) {
                    throw new IllegalStateException("the generator gave another landing zone than the shared run's: " + truth
                            + " vs " + marker.get(1));
                }
                return new GeneratedRun(landing, wh, truth);
            }
        }
        Dirs.delete(root);
        GenerationSummary truth = generate(landing);
        String l = landing.toString();
        org.apache.spark.sql.RuntimeConfig conf = SharedSpark.session().conf();
        java.util.Map<String, String> interpreted = SharedSpark.testSettings();
        SharedSpark.compiledSettings().forEach(conf::set);
        try {
            // With the data-quality gates on, as in production: every default rule must pass on the whole pipeline.
            run(TestEnv.WITH_QUALITY, "backfill", "--from", "2023-11-01", "--to", "2023-12-31", "--landing", l, "--warehouse", wh.toString());
            run(TestEnv.WITH_QUALITY, "nightly", "--date", "2024-01-01", "--landing", l, "--warehouse", wh.toString());
            run(TestEnv.WITH_QUALITY, "backfill", "--from", "2024-01-02", "--to", LAST_DATE, "--landing", l, "--warehouse", wh.toString());
        } finally {
            interpreted.forEach(conf::set);
        }
        // Written whole, then moved into place: a JVM killed mid-write leaves no marker, and the next build starts over.
        Path written = root.resolve("COMPLETE.tmp");
        Files.write(written, List.of(build, truth.toString()), StandardCharsets.UTF_8);
        Files.move(written, complete, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new GeneratedRun(landing, wh, truth);
    }

    private static GenerationSummary generate(Path landing) {
        return LandingGenerator.builder().out(landing).from(LocalDate.parse("2023-11-01"))
                .to(LocalDate.parse(LAST_DATE)).linesPerDay(15).seed(7).referenceDir(Path.of("../conf/reference"))
                .build().run();
    }

    public Path landing() {
        return landing;
    }

    public Path warehouse() {
        return warehouse;
    }

    public GenerationSummary summary() {
        return summary;
    }

    /** A table of the run's warehouse, as a path Spark reads. */
    public String table(String schema, String name) {
        return warehouse.resolve(schema).resolve(name).toUri().toString();
    }

    /** Runs the launcher as a user would; fails the test with its stderr on a non-zero exit. */
    public static String ews(String... args) {
        return run(TestEnv.ENV, args);
    }

    private static String run(java.util.Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        if (exit != 0) {
            throw new AssertionError("bin/ews " + String.join(" ", args) + " exited " + exit + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

}
