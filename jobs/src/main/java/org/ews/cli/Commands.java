package org.ews.cli;

import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.generate.GenerationSummary;
import org.ews.conform.ConformStage;
import org.ews.ingest.IngestStage;
import org.ews.metrics.MetricsStage;
import org.ews.publish.MaintainStage;
import org.ews.publish.PublishStage;
import org.ews.report.Report;
import org.ews.anomalies.AnomaliesStage;
import org.ews.generate.LandingGenerator;
import org.ews.notebook.NotebookException;
import org.ews.notebook.NotebookRunner;
import org.ews.run.EwsException;
import org.ews.run.Pipeline;
import org.ews.run.RunContext;
import org.ews.run.RunLock;
import org.ews.run.RunSummary;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.run.Stages;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;
import org.ews.sql.ReadOnlySqlExtension;
import org.ews.sql.ServeCommand;
import org.ews.sql.SqlCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Every command the launcher has, with its options and help. Only commands that exist are listed. */
public final class Commands {
    private Commands() {}

    /**
     * Checks a command's words, options, values and configuration, without starting Spark, and returns what it will
     * do. {@code bin/ews ... --dry-run} stops there (the Airflow DAG's check asks the launcher this way).
     */
    @FunctionalInterface
    public interface Action {
        Prepared prepare(Args args, Map<String, String> env);
    }

    /** A checked command: one line saying what it will do, and the doing. */
    public record Prepared(String plan, Consumer<PrintStream> work) {
        public void run(PrintStream out) {
            work.accept(out);
        }
    }

    public record Command(String name, String synopsis, String description, Set<String> options, Action action) {
        public String help() {
            StringBuilder s = new StringBuilder("usage: bin/ews " + name + " " + synopsis + "\n\n" + description + "\n\noptions:\n");
            OPTION_HELP.forEach((option, text) -> {
                if (options.contains(option)) {
                    s.append(text).append('\n');
                }
            });
            return s.append(DRY_RUN_HELP).append('\n').append(PRECEDENCE).toString();
        }
    }

    private static final Set<String> COMMON = Set.of("config", "warehouse", "set");
    /** Options that take no value (a flag): given or not. */
    static final Set<String> FLAGS = Set.of("keep");
    private static final Set<String> RUN_OPTIONS = union(COMMON, Set.of("landing", "run-id"));
    /** Every option's help line, in the order help shows them; a command shows the ones it takes. */
    private static final Map<String, String> OPTION_HELP = new java.util.LinkedHashMap<>();

    static {
        OPTION_HELP.put("date", "  --date YYYY-MM-DD     the landing date to process");
        OPTION_HELP.put("from", "  --from YYYY-MM-DD     first date of the range");
        OPTION_HELP.put("to", "  --to YYYY-MM-DD       last date of the range (inclusive)");
        OPTION_HELP.put("format", "  --format F           table (default), csv (header + RFC 4180 rows) or json (one object per line)");
        OPTION_HELP.put("port", "  --port N             TCP port to listen on, on 127.0.0.1 (default " + ServeCommand.DEFAULT_PORT + ")");
        OPTION_HELP.put("scale", "  --scale LINES        declaration lines of the history (at least " + String.format("%,d", org.ews.bench.BenchSizes.MIN_SCALE)
                + "); make bench: 1000000");
        OPTION_HELP.put("out", "  --out DIR            folder to write into (generate: the landing zone; evaluate: per-seed landing zones and\n"
                + "                       warehouses; notebook: CSVs, charts, the executed notebook, HTML page, manifest.json;\n"
                + "                       bench: landing zones (reused), warehouses, logs, results.json; default " + BenchCommand.DEFAULT_OUT + ")");
        OPTION_HELP.put("param", "  --param NAME=VALUE   a notebook parameter, overriding its parameters cell (repeatable), e.g. --param date=2025-12-31");
        OPTION_HELP.put("lines-per-day", "  --lines-per-day N    average customs lines per reporter per day (generate: default 200; evaluate: 20)");
        OPTION_HELP.put("seed", "  --seed N             random seed (default 42); the same seed writes the same files");
        OPTION_HELP.put("seeds", "  --seeds N,N,...      generator seeds, one landing zone and warehouse each (default " + EvaluateCommand.DEFAULT_SEEDS + ")");
        OPTION_HELP.put("stages", "  --stages all|anomalies  all (default): the whole pipeline into a fresh warehouse; anomalies: rejudge the earlier\n"
                + "                       evaluation's warehouses with the anomaly stage alone (to tune anomalies.* settings)");
        OPTION_HELP.put("config", "  --config FILE        YAML configuration (default: $EWS_CONFIG, else conf/local.yaml)");
        OPTION_HELP.put("landing", "  --landing DIR        landing zone root (paths.landing; default data-samples/landing)");
        OPTION_HELP.put("warehouse", "  --warehouse DIR      Delta warehouse root (paths.warehouse; default warehouse)");
        OPTION_HELP.put("against", "  --against DIR        the warehouse compared with --warehouse (B; --warehouse is A)");
        OPTION_HELP.put("set", "  --set KEY=VALUE      any config key, e.g. --set ingest.max_bad_row_share=0.1 (repeatable)");
        OPTION_HELP.put("schemas", "  --schemas S,S,...    schemas whose tables are compared: gold (default), silver, bronze, ops");
        OPTION_HELP.put("digits", "  --digits N           compare double and float columns to N significant digits (1-17) instead of exactly:\n"
                + "                       sums of doubles over differently partitioned data (a cluster against local mode)\n"
                + "                       may differ in the last bits; a value next to a rounding edge can still differ");
        OPTION_HELP.put("keep", "  --keep               keep the warehouses the bench wrote (default: deleted after a successful bench)");
        OPTION_HELP.put("run-id", "  --run-id ID          run id stamped on rows and commits (default: UTC time + random suffix)");
    }

    private static final String DRY_RUN_HELP =
            "  " + Main.DRY_RUN + "            check the command, its options and the configuration, say what would run, start nothing";

    private static final String PRECEDENCE = """
            settings: command line, then EWS_* environment variables (EWS_SPARK_MASTER, ...), then the config file,
            then defaults.
            """;

    private static final List<Command> ALL = List.of(
            new Command("nightly", "--date YYYY-MM-DD [options]",
                    "Runs every stage (" + stageNames() + ") for one landing date.",
                    union(RUN_OPTIONS, Set.of("date")),
                    (a, env) -> {
                        LocalDate d = a.date("date");
                        return runStages("nightly", a, env, d, d, Stages.pipeline());
                    }),
            new Command("backfill", "--from YYYY-MM-DD --to YYYY-MM-DD [options]",
                    "Runs every stage over a range of landing dates in one pass: all partitions in range are read "
                            + "together and each table is written once.",
                    union(RUN_OPTIONS, Set.of("from", "to")),
                    (a, env) -> {
                        LocalDate from = a.date("from");
                        LocalDate to = a.date("to");
                        if (from.isAfter(to)) {
                            throw new UsageException("--from " + from + " is after --to " + to);
                        }
                        return runStages("backfill", a, env, from, to, Stages.pipeline());
                    }),
            stageAlone(IngestStage.NAME, "Bronze ingestion alone: reads the landing partitions of the date, writes "
                    + "bronze.customs_lines, bronze.firms, bronze.ownership and bronze.quarantine."),
            stageAlone(ConformStage.NAME, "Silver conformance alone: bronze lines landed on the date (and the lines they amend) "
                    + "into silver.trade_lines;\nthe registry in force into silver.firms, silver.firm_names and "
                    + "silver.entity_matches; silver.hs6_sectors."),
            stageAlone(MetricsStage.NAME, "Gold metrics alone: the silver lines changed since the last metrics run (and months that closed)\n"
                    + "into gold.trade_monthly, gold.firm_trade_monthly, gold.product_dependency(_12m), gold.firm_exposure,\n"
                    + "gold.sector_exposure and gold.watchlist. --date sets which months are closed."),
            stageAlone(AnomaliesStage.NAME, "Trend anomalies alone: judges the closed months whose trade changed since the last run, and the\n"
                    + "months that closed, with every enabled detector (anomalies.detectors) into gold.trend_anomalies and\n"
                    + "gold.anomaly_coverage. --date sets which months are closed."),
            stageAlone(PublishStage.NAME, "Publish alone: keeps every table's comments, change data feed, retention and CHECK constraints\n"
                    + "in line with its spec, and writes the bulletin for the date under publish.report.dir/<date>/\n"
                    + "(publish.report.on_run)."),
            new Command("report", "--date YYYY-MM-DD --out DIR [options]",
                    "Writes the bulletin for a date from the published tables into DIR: bulletin.html (self-contained: inline\n"
                            + "CSS and SVG), the same content as CSV and JSON extracts, and manifest.json (run id, dates, row counts,\n"
                            + "schema version). Figures that would reveal a firm are withheld and marked (publish.disclosure).",
                    union(COMMON, Set.of("date", "out")),
                    Commands::report),
            new Command(MaintainStage.NAME, "[options]",
                    "Table upkeep, weekly and on its own (never during a nightly run): OPTIMIZE every table (compaction,\n"
                            + "Z-ordered on the columns analysts filter by) and VACUUM files older than publish.maintain.vacuum_retain_hours.\n"
                            + "Prints files before and after per table; stamps its commits and ops.runs like a run.",
                    union(COMMON, Set.of("run-id")),
                    (a, env) -> {
                        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
                        return runStages(MaintainStage.NAME, a, env, today, today, List.of(new MaintainStage()));
                    }),
            new Command("sql", "[--format table|csv|json] [options] \"SELECT ...\"",
                    "Answers one read-only query over the warehouse's tables (bronze.*, silver.*, gold.*, ops.*).\n"
                            + "csv: a header line and RFC 4180 rows on stdout, nothing else; json: one object per line.",
                    union(COMMON, Set.of("format")),
                    Commands::sql),
            new Command("compare", "--warehouse A --against B [--schemas gold[,silver,...]] [--digits N] [options]",
                    "Compares every table of the schemas (default gold) in warehouse A with the same table in B, row for row:\n"
                            + "rows as multisets (a duplicate counts), column names and types, a table missing on one side. Columns\n"
                            + "that only stamp the run (run_id) are left out. One line per table, up to " + org.ews.compare.WarehouseComparison.EXAMPLES
                            + " example rows of each side\nof a table that differs, a total line. Read-only on both. Exit 0: all the same; 1: a table differs\n"
                            + "(named on stderr), or no table was in either warehouse.",
                    union(COMMON, Set.of("against", "schemas", "digits")),
                    CompareCommand::prepare),
            new Command("serve", "[--port N] [options]",
                    "Serves the warehouse's tables read-only over JDBC/ODBC (Spark Thrift server, HiveServer2 protocol) on\n"
                            + "127.0.0.1 for BI tools: jdbc:hive2://127.0.0.1:PORT/default. Tables are registered at start (restart\n"
                            + "to see tables created later); writes, SET and other commands are refused. Runs until killed.",
                    union(COMMON, Set.of("port")),
                    Commands::serve),
            new Command("generate", "--out DIR --from YYYY-MM-DD --to YYYY-MM-DD [--lines-per-day N] [--seed N]",
                    "Writes a synthetic landing zone (customs lines of KR, US, JP; firm registry and ownership; FX rates)\n"
                            + "and its ground truth in DIR/truth. Deterministic for a seed; streams to disk. --lines-per-day is\n"
                            + "the average per reporter (default 200); reference data comes from paths.reference.",
                    Set.of("config", "set", "out", "from", "to", "lines-per-day", "seed"),
                    Commands::generate),
            new Command("evaluate", "--out DIR [--seeds N,N,...] [--from YYYY-MM-DD --to YYYY-MM-DD] [--lines-per-day N] [options]",
                    "Measures the anomaly detectors against injected supply events: per seed, generates a landing zone in\n"
                            + "DIR/seed-N/landing (kept for reuse), runs every stage over it into a fresh DIR/seed-N/warehouse, and\n"
                            + "prints recall per event kind and false medium+ alarms per 1000 clean series-months from the\n"
                            + "generator's truth; writes DIR/evaluation.json. Defaults: 2022-01-01..2024-12-31, 20 lines/day.\n"
                            + "Event ids in the output carry their seed (s11:E01).",
                    Set.of("config", "set", "out", "seeds", "from", "to", "lines-per-day", "stages"),
                    EvaluateCommand::prepare),
            new Command("bench", "--scale LINES [--out DIR] [--seed N] [--keep] [options]",
                    "Measures the pipeline at a scale: generates (or reuses) a landing zone of about LINES declaration lines\n"
                            + "(" + org.ews.bench.BenchSizes.HISTORY_FROM + ".." + org.ews.bench.BenchSizes.HISTORY_TO + ", 3 reporters), one of LINES/10, and a new day "
                            + org.ews.bench.BenchSizes.NEW_DAY + " (100,000 lines, or LINES/10\n"
                            + "if smaller); then runs, each as a separate bin/ews process timed with its JVM start: the full backfill\n"
                            + "into a fresh warehouse, one nightly of the new day on it, the same on the LINES/10 history, and the\n"
                            + "DuckDB peer when it is in the build. Prints wall seconds, lines/s and peak heap per step, the ratios to\n"
                            + "the peer and the issue's targets (met / NOT MET); writes DIR/results.json. A failing step stops the\n"
                            + "bench with exit 1, naming it; the results so far are still written.",
                    Set.of("config", "set", "scale", "out", "seed", "keep"),
                    BenchCommand::prepare),
            new Command("notebook", "FILE --out DIR [--param NAME=VALUE ...] [options]",
                    "Runs an analyst notebook (.ipynb whose SQL cells are %%sql cells) read-only over the warehouse:\n"
                            + "parameters from its 'parameters' cell, overridden by --param, go into {{name}} in the SQL; writes into\n"
                            + "DIR one NN-<slug>.csv per SQL cell, NN-<slug>.svg per chart (-- chart: comment lines), the executed\n"
                            + "notebook, a self-contained HTML page and manifest.json. A failing cell stops the run (exit 1).",
                    union(COMMON, Set.of("out", "param")),
                    Commands::notebook));

    /** One stage of the pipeline for one date: what an Airflow task runs. */
    private static Command stageAlone(String stage, String description) {
        return new Command(stage, "--date YYYY-MM-DD [options]", description, union(RUN_OPTIONS, Set.of("date")),
                (a, env) -> {
                    LocalDate d = a.date("date");
                    return runStages(stage, a, env, d, d, List.of(Stages.named(stage).orElseThrow()));
                });
    }

    public static Optional<Command> find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Command::name).toList();
    }

    public static String usage() {
        StringBuilder s = new StringBuilder("usage: bin/ews <command> [options]   (bin/ews <command> --help for its options)\n\ncommands:\n");
        for (Command c : ALL) {
            s.append(String.format("  %-9s %s%n", c.name(), c.synopsis()));
        }
        s.append("\ncommon options:\n");
        for (String o : List.of("config", "landing", "warehouse", "set", "run-id")) {
            s.append(OPTION_HELP.get(o)).append('\n');
        }
        s.append(DRY_RUN_HELP).append('\n');
        return s.append(PRECEDENCE).toString();
    }

    static EwsConfig loadConfig(Args a, Map<String, String> env) {
        return loadConfig(a, env, Map.of());
    }

    /** The configuration with {@code extra} settings applied after the command line's (a command's own paths). */
    static EwsConfig loadConfig(Args a, Map<String, String> env, Map<String, String> extra) {
        ConfigLoader loader = ConfigLoader.create().environment(env)
                .file(a.get("config") == null ? null : Path.of(a.get("config")));
        if (a.get("landing") != null) {
            loader.set("paths.landing", a.get("landing"), "--landing");
        }
        if (a.get("warehouse") != null) {
            loader.set("paths.warehouse", a.get("warehouse"), "--warehouse");
        }
        a.settings().forEach(loader::set);
        extra.forEach(loader::set);
        return loader.load();
    }

    private static Prepared runStages(String verb, Args a, Map<String, String> env, LocalDate from, LocalDate to,
                                      List<Stage> stages) {
        noWords(verb, a);
        String runId = a.get("run-id") != null ? a.get("run-id") : RunContext.newRunId();
        if (!RunContext.isValidRunId(runId)) {
            throw new UsageException("--run-id '" + runId + "' may hold only letters, digits and . _ : + ~ - (at most 200), not dots alone");
        }
        EwsConfig config = loadConfig(a, env);
        String plan = String.join(" → ", stages.stream().map(Stage::name).toList()) + " for "
                + (from.equals(to) ? from.toString() : from + ".." + to) + ", run id " + runId
                + ", landing " + config.paths().landing() + ", warehouse " + config.paths().warehouse();
        return new Prepared(plan, out -> {
            long start = System.nanoTime();
            // The lock first, before Spark starts: a refused run costs a second and touches nothing.
            try (RunLock lock = lock(config, runId, verb + " " + (from.equals(to) ? from.toString() : from + ".." + to))) {
                SparkSessions.withSession(config, spark -> {
                    Warehouse warehouse = Warehouse.of(spark, config).registerExisting();
                    RunContext ctx = new RunContext(runId, from, to, config, spark, warehouse);
                    List<StageResult> results = Pipeline.run(ctx, stages, Pipeline.Guard.of(lock));
                    out.print(RunSummary.format(verb, ctx, results, (System.nanoTime() - start) / 1e9));
                    return results;
                });
            }
        });
    }

    /**
     * The warehouse's run lock for a command that writes tables (README "Reliability"), or null when {@code lock.enabled}
     * is false. Read-only commands never take it.
     */
    static RunLock lock(EwsConfig config, String runId, String command) {
        if (!config.lock().enabled()) {
            return null;
        }
        return RunLock.acquire(Warehouse.qualify(config.paths().warehouse()), SparkSessions.hadoopConfiguration(config), runId,
                command, config.lock());
    }

    static void noWords(String command, Args a) {
        if (!a.positional().isEmpty()) {
            throw new UsageException("'" + command + "' takes no words besides options; got " + a.positional());
        }
    }

    private static Prepared sql(Args a, Map<String, String> env) {
        if (a.positional().size() != 1) {
            throw new UsageException("'sql' takes exactly one query, quoted; got " + a.positional().size() + " words");
        }
        SqlCommand.Format format = SqlCommand.Format.parse(a.get("format") == null ? "table" : a.get("format"))
                .orElseThrow(() -> new UsageException("--format '" + a.get("format") + "' is not one of table, csv, json"));
        EwsConfig config = loadConfig(a, env);
        requireWarehouse(config);
        return new Prepared("one read-only query over " + config.paths().warehouse() + " as " + format.name().toLowerCase(),
                out -> SparkSessions.withSession(config, SparkSessions.READ_ONLY, spark -> {
                    // A session of its own is read-only from the parser up; inside an existing one (tests, notebooks) the
                    // explicit check in SqlCommand.run still refuses writes.
                    ReadOnlySqlExtension.trusted(() -> Warehouse.of(spark, config).registerExisting());
                    SqlCommand.run(spark, a.positional().get(0), format, out);
                    return null;
                }));
    }

    private static Prepared report(Args a, Map<String, String> env) {
        noWords("report", a);
        LocalDate date = a.date("date");
        String dir = a.writableDir("out");
        EwsConfig config = loadConfig(a, env);
        requireWarehouse(config);
        return new Prepared("bulletin for " + date + " from " + config.paths().warehouse() + " into " + dir,
                out -> SparkSessions.withSession(config, spark -> {
                    Warehouse wh = Warehouse.of(spark, config).registerExisting();
                    String target = Warehouse.qualify(dir);
                    out.println("report " + Report.describe(Report.write(spark, wh, config, date, target)));
                    return null;
                }));
    }

    private static Prepared serve(Args a, Map<String, String> env) {
        noWords("serve", a);
        long port = a.number("port", ServeCommand.DEFAULT_PORT);
        if (port < 1 || port > 65535) {
            throw new UsageException("--port must be from 1 to 65535, got " + port);
        }
        EwsConfig config = loadConfig(a, env);
        requireWarehouse(config);
        return new Prepared("serve " + config.paths().warehouse() + " read-only on 127.0.0.1:" + port,
                out -> ServeCommand.run(config, (int) port, out));
    }

    private static Prepared notebook(Args a, Map<String, String> env) {
        if (a.positional().size() != 1) {
            throw new UsageException("'notebook' takes one notebook file (.ipynb); got " + a.positional().size() + " words");
        }
        Path dir = Path.of(a.writableDir("out"));
        NotebookRunner runner;
        try {
            // Everything that can be checked without Spark: parameters, template names, chart lines.
            runner = NotebookRunner.prepare(Path.of(a.positional().get(0)), a.params());
            runner.checkOutput(dir);
        } catch (NotebookException e) {
            throw e.isInvalid() ? new UsageException(e.getMessage()) : e;
        }
        EwsConfig config = loadConfig(a, env);
        requireWarehouse(config);
        return new Prepared("notebook " + a.positional().get(0) + " over " + config.paths().warehouse() + " into " + dir,
                out -> SparkSessions.withSession(config, SparkSessions.READ_ONLY, spark -> {
                    // Read-only from the parser up, as sql: a notebook is analysts' code.
                    Warehouse w = ReadOnlySqlExtension.trusted(() -> Warehouse.of(spark, config).registerExisting());
                    return runner.run(spark, dir, w.root(), out);
                }));
    }

    private static Prepared generate(Args a, Map<String, String> env) {
        noWords("generate", a);
        EwsConfig config = loadConfig(a, env);
        long linesPerDay = a.number("lines-per-day", 200);
        if (linesPerDay < 1 || linesPerDay > Integer.MAX_VALUE) {
            throw new UsageException("--lines-per-day must be a whole number from 1, got " + linesPerDay);
        }
        LandingGenerator generator;
        try {
            generator = LandingGenerator.builder().out(Path.of(a.writableDir("out"))).from(a.date("from")).to(a.date("to"))
                    .linesPerDay((int) linesPerDay).seed(a.number("seed", 42))
                    .referenceDir(Path.of(config.paths().reference())).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new Prepared("a landing zone " + a.get("from") + ".." + a.get("to") + " into " + a.get("out") + ", "
                + linesPerDay + " lines a day per reporter, seed " + a.number("seed", 42), out -> {
            GenerationSummary summary;
            try {
                summary = generator.run();
            } catch (IllegalArgumentException e) { // reference data the generator cannot use (paths.reference)
                throw new UsageException(e.getMessage());
            } catch (java.io.UncheckedIOException e) {
                throw new EwsException("cannot write the landing zone under " + a.get("out") + ": " + e.getCause().getMessage(), e);
            }
            out.println(summary.describe());
        });
    }

    /** Read-only commands need a warehouse: a local one that is missing is a wrong --warehouse, said before Spark starts. */
    static void requireWarehouse(EwsConfig config) {
        String warehouse = config.paths().warehouse();
        if (Warehouse.isLocal(warehouse) && !localWarehouseExists(warehouse)) {
            throw new UsageException("warehouse " + warehouse + " does not exist (set --warehouse)");
        }
    }

    static boolean localWarehouseExists(String warehouse) {
        return java.nio.file.Files.isDirectory(Path.of(java.net.URI.create(Warehouse.qualify(warehouse))));
    }

    private static String stageNames() {
        List<String> n = new ArrayList<>();
        Stages.pipeline().forEach(s -> n.add(s.name()));
        return String.join(" → ", n);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }
}
