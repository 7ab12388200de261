package org.ews.bench;

import org.ews.config.EwsConfig;
import org.ews.config.MetricsConfig.Condition;
import org.ews.config.MetricsConfig.Screen;
import org.ews.ingest.Feed;
import org.ews.metrics.Concentration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark's peer: DuckDB, in-process and in memory, computes {@code gold.trade_monthly} and
 * {@code gold.product_dependency} from the same landing files as our pipeline, with the same normalisation, in the
 * plain SQL of {@code ews/bench/duckdb_peer.sql}: the rows our ingest and conform reject are not counted, the version
 * in force of each declaration line, HS6, ISO partner through the alias table, USD at the month's rate (the shipped
 * rates overridden month by month by the landing's), kilograms, then the cube and the yearly concentration figures
 * and screens. {@link PeerComparison} then checks that DuckDB's rows equal ours, so the benchmark compares the cost of
 * the same result.
 *
 * <pre>
 * DuckDbPeer.Result r = new DuckDbPeer(DuckDbPeer.Settings.of(landing, reference, config, runDate)).run(exportDir);
 * </pre>
 *
 * What the peer reads and refuses is {@link PeerLanding}'s; which columns it cannot compute is
 * {@link PeerComparison#TRADE_MONTHLY}'s.
 */
public final class DuckDbPeer {
    public static final String SQL_RESOURCE = "/ews/bench/duckdb_peer.sql";
    public static final String TRADE_MONTHLY = "trade_monthly";
    public static final String PRODUCT_DEPENDENCY = "product_dependency";

    /**
     * @param runDate      the last landing date of the run the peer stands for: decides which months are closed
     *                     ({@code is_closed_month}, {@code is_partial_year}), as {@code --to} does for ours
     * @param from         first landing date read, or null for every date folder
     * @param to           last landing date read, or null for every date folder
     * @param threads      DuckDB's threads ({@code PRAGMA threads}); also the threads that check the files
     * @param memoryLimit  DuckDB's {@code memory_limit} (e.g. {@code 8GB}), or null for its default (80% of RAM)
     * @param profileDir   where DuckDB writes each step's profile ({@code duckdb_<step>.json}: operators, rows, time),
     *                     or null for none
     */
    public record Settings(Path landing, Path reference, EwsConfig config, LocalDate runDate, LocalDate from, LocalDate to,
                           int threads, String memoryLimit, Path profileDir) {
        public Settings {
            Objects.requireNonNull(landing, "landing");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(runDate, "runDate");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** Every date folder of the landing zone, on all available cores, DuckDB's default memory limit. */
        public static Settings of(Path landing, Path reference, EwsConfig config, LocalDate runDate) {
            return new Settings(landing, reference, config, runDate, null, null, Runtime.getRuntime().availableProcessors(), null,
                    null);
        }

        public Settings withProfile(Path dir) {
            return new Settings(landing, reference, config, runDate, from, to, threads, memoryLimit, dir);
        }
    }

    /** One step of the SQL and its wall time. */
    public record Step(String name, double seconds) {}

    /** A table the peer computed: rows, the wall time of its step, and its rows exported as one Parquet file. */
    public record Table(String name, long rows, double seconds, Path parquet) {}

    /**
     * @param landing      what was read and what was left out whole
     * @param steps        every SQL step in order, with the export last
     * @param tables       {@link #TRADE_MONTHLY} and {@link #PRODUCT_DEPENDENCY}
     * @param linesInForce declaration lines counted in the cube (the versions in force)
     * @param seconds      wall time from the first file listed to the last table exported
     */
    public record Result(PeerLanding landing, List<Step> steps, Map<String, Table> tables, long linesInForce, double seconds) {
        public Table table(String name) {
            return tables.get(name);
        }

        /** Wall time of the computation proper: the SQL steps, without listing and checking files or the export. */
        public double sqlSeconds() {
            return steps.stream().filter(s -> !s.name().equals(EXPORT)).mapToDouble(Step::seconds).sum();
        }

        public String describe() {
            return String.format("DuckDB peer: %,d lines in force; %s in %.1f s (files %.1f s: %s%s; SQL %.1f s: %s)",
                    linesInForce, tables.values().stream().map(t -> String.format("%s %,d rows", t.name(), t.rows()))
                            .collect(Collectors.joining(", ")), seconds, landing.seconds(),
                    landing.filesByFormat().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                            .collect(Collectors.joining(", ")),
                    landing.rejected().isEmpty() ? "" : "; left out whole: " + landing.rejected().entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")),
                    sqlSeconds(), steps.stream().map(s -> String.format("%s %.1f", s.name(), s.seconds()))
                            .collect(Collectors.joining(", ")));
        }
    }

    static final String EXPORT = "export";

    private final Settings settings;

    public DuckDbPeer(Settings settings) {
        this.settings = settings;
    }

    /** Runs the SQL on a fresh in-memory database and writes each table to {@code exportDir/<table>.parquet}. */
    public Result run(Path exportDir) {
        long start = System.nanoTime();
        PeerLanding landing = PeerLanding.scan(settings.landing(), settings.from(), settings.to(), settings.threads());
        if (landing.groups().isEmpty()) {
            throw new IllegalStateException("no readable customs files under " + settings.landing()
                    + (settings.from() == null ? "" : " from " + settings.from() + " to " + settings.to()));
        }
        Script script = Script.load();
        try {
            Files.createDirectories(exportDir);
            Path spill = Files.createDirectories(exportDir.resolve("duckdb_tmp"));
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
                st.execute("SET temp_directory = " + quote(spill.toString()));
                Path profile = settings.profileDir() == null ? null : Files.createDirectories(settings.profileDir());
                if (profile != null) {
                    st.execute("PRAGMA enable_profiling = 'json'");
                    st.execute("SET profiling_output = " + quote(profile.resolve("duckdb_setup.json").toString()));
                }
                if (settings.memoryLimit() != null) {
                    st.execute("SET memory_limit = " + quote(settings.memoryLimit()));
                }
                Map<String, String> params = parameters(db, script, landing);
                List<Step> steps = new ArrayList<>();
                Map<String, Double> stepSeconds = new LinkedHashMap<>();
                for (Script.Block step : script.steps()) {
                    if (step.condition() != null && params.get(step.condition()).isEmpty()) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    if (profile != null) {
                        st.execute("SET profiling_output = " + quote(profile.resolve("duckdb_" + step.name() + ".json").toString()));
                    }
                    for (String sql : step.statements()) {
                        execute(st, substitute(sql, params), step.name());
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    steps.add(new Step(step.name(), s));
                    stepSeconds.put(step.name(), s);
                }
                long t0 = System.nanoTime();
                Map<String, Table> tables = new LinkedHashMap<>();
                for (String t : List.of(TRADE_MONTHLY, PRODUCT_DEPENDENCY)) {
                    Path file = exportDir.resolve(t + ".parquet");
                    Files.deleteIfExists(file);
                    execute(st, "COPY " + t + " TO " + quote(file.toString()) + " (FORMAT parquet)", EXPORT);
                    tables.put(t, new Table(t, longValue(st, "SELECT count(*) FROM " + t), stepSeconds.get(t), file));
                }
                steps.add(new Step(EXPORT, (System.nanoTime() - t0) / 1e9));
                long lines = longValue(st, "SELECT coalesce(sum(lines), 0)::BIGINT FROM " + TRADE_MONTHLY);
                return new Result(landing, steps, tables, lines, (System.nanoTime() - start) / 1e9);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB peer failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The key the peer's SQL ({@code country_key}) gives each spelling, in order: for checking it against
     * {@code CountryKey.normalize}.
     */
    public static List<String> countryKeys(List<String> spellings) {
        Script script = Script.load();
        List<String> macros = script.steps().get(0).statements().stream().filter(s -> s.startsWith("CREATE MACRO")).toList();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            for (String m : macros) {
                st.execute(substitute(m, Map.of("blocs", "CAST([] AS VARCHAR[][])", "blank", blankCharacters())));
            }
            List<String> keys = new ArrayList<>();
            if (spellings.isEmpty()) {
                return keys;
            }
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < spellings.size(); i++) {
                values.append(i == 0 ? "" : ", ").append('(').append(i).append(", ")
                        .append(spellings.get(i) == null ? "NULL" : quote(spellings.get(i))).append(')');
            }
            try (ResultSet r = st.executeQuery("SELECT country_key(s) FROM (VALUES " + values + ") t(i, s) ORDER BY i")) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB peer failed: " + e.getMessage(), e);
        }
    }

    private Map<String, String> parameters(Connection db, Script script, PeerLanding landing) throws SQLException {
        EwsConfig config = settings.config();
        Concentration groups = Concentration.of(config);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("threads", Integer.toString(settings.threads()));
        p.put("blank", blankCharacters());
        p.put("aliases_file", quote(settings.reference().resolve("partner_aliases.csv").toString()));
        p.put("units_file", quote(settings.reference().resolve("units.csv").toString()));
        p.put("fx_reference_file", quote(settings.reference().resolve("fx_rates.csv").toString()));
        p.put("fx_landing_files", landing.fxFiles().isEmpty() ? "" : files(landing.fxFiles()));
        p.put("customs_sources", sources(db, script, landing));
        p.put("max_filing_lag_days", Integer.toString(config.ingest().maxFilingLagDays()));
        p.put("run_date", "DATE " + quote(settings.runDate().toString()));
        p.put("month_close_lag_days", Integer.toString(config.periods().monthCloseLagDays()));
        p.put("concern", textList(groups.concern()));
        p.put("blocs", groups.blocs().isEmpty() ? "CAST([] AS VARCHAR[][])"
                : groups.blocs().values().stream().map(DuckDbPeer::textList).collect(Collectors.joining(", ", "[", "]")));
        p.put("no_exports_ratio", number(config.metrics().noExportsRatio()));
        p.putAll(screens(config.metrics().enabledScreens()));
        return p;
    }

    /** One reader per group of files, unioned: every source yields the same columns in the same order. */
    private static String sources(Connection db, Script script, PeerLanding landing) throws SQLException {
        List<String> contract = Feed.CUSTOMS.columns();
        List<String> selects = new ArrayList<>();
        for (PeerLanding.Group g : landing.groups()) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("files", files(g.files()));
            Map<String, String> present = new LinkedHashMap<>(); // contract column -> expression
            switch (g.format()) {
                case CSV, JSONL -> {
                    p.put("columns", g.columns().stream().map(c -> quote(c) + ": 'VARCHAR'")
                            .collect(Collectors.joining(", ", "{", "}")));
                    g.columns().stream().filter(contract::contains).forEach(c -> present.put(c, ident(c)));
                }
                case PARQUET -> {
                    // Parquet carries its own column names and types: the ones of the contract, read as text.
                    try (Statement st = db.createStatement();
                         ResultSet r = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + files(g.files())
                                 + ", union_by_name = true)")) {
                        while (r.next()) {
                            String name = r.getString(1);
                            String c = PeerLanding.normaliseName(name);
                            if (contract.contains(c)) {
                                present.put(c, "CAST(" + ident(name) + " AS VARCHAR)");
                            }
                        }
                    }
                }
            }
            p.put("select", contract.stream().map(c -> present.containsKey(c) ? present.get(c) + " AS " + ident(c)
                    : "NULL::VARCHAR AS " + ident(c)).collect(Collectors.joining(", ")));
            String template = switch (g.format()) {
                case CSV -> "read_csv";
                case JSONL -> "read_json";
                case PARQUET -> "read_parquet";
            };
            selects.add(substitute(script.template(template), p));
        }
        return String.join("\n    UNION ALL\n    ", selects);
    }

    /** metrics.screens as SQL: per condition, per screen before and after persistence, and the list of names. */
    static Map<String, String> screens(Map<String, Screen> screens) {
        StringBuilder conditions = new StringBuilder();
        StringBuilder passes = new StringBuilder();
        StringBuilder results = new StringBuilder();
        List<String> names = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Screen> e : screens.entrySet()) {
            Screen s = e.getValue();
            List<String> terms = new ArrayList<>();
            int j = 0;
            for (Condition c : s.all()) {
                String flag = "_c_" + i + "_" + j;
                conditions.append(",\n           ").append(condition(c)).append(" AS ").append(flag);
                terms.add(c.years() == 1 ? flag : "(" + yearsHeld(flag, c.years()) + ") = " + c.years());
                j++;
            }
            String pass = "_p_" + i;
            passes.append(",\n           (").append(String.join(" AND ", terms)).append(") AS ").append(pass);
            results.append(",\n           ").append(s.persistence() == null ? pass
                            : "(" + yearsHeld(pass, s.persistence().ofYears()) + ") >= " + s.persistence().minYears())
                    .append(" AS _s_").append(i);
            names.add("CASE WHEN _s_" + i + " THEN " + quote(e.getKey()) + " END");
            i++;
        }
        return Map.of("screen_conditions", conditions.toString(), "screen_passes", passes.toString(),
                "screen_results", results.toString(), "screen_list", names.isEmpty() ? "CAST([] AS VARCHAR[])"
                        : "list_filter([" + String.join(", ", names) + "], lambda s: s IS NOT NULL)");
    }

    /** Of the row's year and the {@code years - 1} before it, how many hold {@code flag} (Screens.yearsHeld). */
    private static String yearsHeld(String flag, int years) {
        if (years == 1) {
            return flag + "::INTEGER";
        }
        return flag + "::INTEGER + coalesce(sum(CASE WHEN counts_as_history THEN " + flag + "::INTEGER ELSE 0 END) "
                + "OVER (PARTITION BY reporter, hs6 ORDER BY year RANGE BETWEEN " + (years - 1)
                + " PRECEDING AND 1 PRECEDING), 0)";
    }

    /** {@code metric op value}, never null: a missing metric fails unless {@code when_missing: pass} (Screens.condition). */
    static String condition(Condition c) {
        String m = ident(c.metric());
        Object v = c.value();
        String test = switch (c.op()) {
            case ">", ">=", "<", "<=" -> m + " " + c.op() + " " + number(((Number) v).doubleValue());
            case "=" -> m + " = " + (v instanceof Number n ? number(n.doubleValue()) : quote(String.valueOf(v)));
            case "!=" -> m + " <> " + (v instanceof Number n ? number(n.doubleValue()) : quote(String.valueOf(v)));
            case "in", "not_in" -> {
                List<?> values = (List<?>) v;
                String in = values.isEmpty() ? "false"
                        : m + " IN (" + values.stream().map(x -> quote(String.valueOf(x))).collect(Collectors.joining(", ")) + ")";
                yield c.op().equals("in") ? in : "NOT (" + in + ")";
            }
            default -> throw new IllegalArgumentException("operator " + c.op());
        };
        return "coalesce(" + test + ", " + c.passWhenMissing() + ")";
    }

    private static void execute(Statement st, String sql, String step) throws SQLException {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("step " + step + ": " + e.getMessage(), e);
        }
    }

    private static long longValue(Statement st, String sql) throws SQLException {
        try (ResultSet r = st.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

    /** The characters ingest trims ({@code RowRules.BLANK}) as a DuckDB expression of chr() codes: no NUL in the SQL. */
    static String blankCharacters() {
        return org.ews.ingest.RowRules.BLANK.codePoints().mapToObj(c -> "chr(" + c + ")").collect(Collectors.joining(" || ", "(", ")"));
    }

    /** Fills every placeholder; one without a value is an error, never left in the SQL. */
    static String substitute(String sql, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("no value for ${" + m.group(1) + "} in " + SQL_RESOURCE);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String ident(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String files(List<Path> files) {
        return files.stream().map(f -> quote(f.toAbsolutePath().toString())).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String textList(List<String> values) {
        return values.isEmpty() ? "CAST([] AS VARCHAR[])" : values.stream().map(DuckDbPeer::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String number(double d) {
        return "CAST(" + quote(Double.toString(d)) + " AS DOUBLE)";
    }

    /** The SQL resource split into templates and steps ("-- template: NAME", "-- step: NAME [if PARAM]"). */
    record Script(Map<String, String> templates, List<Block> steps) {
        record Block(String name, String condition, List<String> statements) {}

        private static final Pattern HEADER = Pattern.compile("^-- (template|step): (\\w+)(?: if (\\w+))?\\s*$");

        static Script load() {
            String text;
            try (InputStream in = DuckDbPeer.class.getResourceAsStream(SQL_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(SQL_RESOURCE + " is not on the classpath");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> templates = new LinkedHashMap<>();
            List<Block> steps = new ArrayList<>();
            String kind = null;
            String name = null;
            String condition = null;
            StringBuilder body = new StringBuilder();
            for (String line : (text + "\n-- step: end").split("\n", -1)) {
                Matcher h = HEADER.matcher(line);
                if (!h.matches()) {
                    if (kind != null) {
                        body.append(line).append('\n');
                    }
                    continue;
                }
                if ("template".equals(kind)) {
                    templates.put(name, body.toString().strip());
                } else if ("step".equals(kind)) {
                    steps.add(new Block(name, condition, statements(body.toString())));
                }
                kind = h.group(1);
                name = h.group(2);
                condition = h.group(3);
                body.setLength(0);
            }
            return new Script(templates, steps);
        }

        /** Statements end with ";" at the end of a line; comment lines are dropped. */
        private static List<String> statements(String body) {
            List<String> out = new ArrayList<>();
            StringBuilder s = new StringBuilder();
            for (String line : body.split("\n")) {
                if (line.strip().startsWith("--")) {
                    continue;
                }
                s.append(line).append('\n');
                if (line.stripTrailing().endsWith(";")) {
                    out.add(s.toString().strip());
                    s.setLength(0);
                }
            }
            if (!s.toString().isBlank()) {
                throw new IllegalStateException(SQL_RESOURCE + ": a statement does not end with ';': " + s.toString().strip());
            }
            return out;
        }

        String template(String name) {
            String t = templates.get(name);
            if (t == null) {
                throw new IllegalStateException(SQL_RESOURCE + " has no template " + name);
            }
            return t;
        }
    }
}
