package org.ews.testing;

import org.ews.cli.Main;
import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A generated landing zone run through the whole pipeline the way operations would: a backfill of 2023-11-01..12-31,
 * the nightly run of 2024-01-01 (a new registry snapshot lands and relinks history; December is not closed yet), and
 * a backfill of 2024-01-02..01-10 (which closes December). Built once per test JVM and shared by the tests that judge
 * silver and gold against the generator's truth, because it is the suite's most expensive fixture.
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

    public static synchronized GeneratedRun get() {
        if (instance == null) {
            Path root = Path.of("target", "generated-run").toAbsolutePath();
            Dirs.delete(root);
            Path landing = root.resolve("landing");
            GenerationSummary truth = LandingGenerator.builder().out(landing).from(LocalDate.parse("2023-11-01"))
                    .to(LocalDate.parse(LAST_DATE)).linesPerDay(15).seed(7).referenceDir(Path.of("../conf/reference"))
                    .build().run();
            Path wh = root.resolve("wh");
            String l = landing.toString();
            // With the data-quality gates on, as in production: every default rule must pass on the whole pipeline.
            run(TestEnv.WITH_QUALITY, "backfill", "--from", "2023-11-01", "--to", "2023-12-31", "--landing", l, "--warehouse", wh.toString());
            run(TestEnv.WITH_QUALITY, "nightly", "--date", "2024-01-01", "--landing", l, "--warehouse", wh.toString());
            run(TestEnv.WITH_QUALITY, "backfill", "--from", "2024-01-02", "--to", LAST_DATE, "--landing", l, "--warehouse", wh.toString());
            instance = new GeneratedRun(landing, wh, truth);
        }
        return instance;
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
