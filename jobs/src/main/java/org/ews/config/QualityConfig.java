package org.ews.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static org.ews.tables.Columns.*;

/**
 * Data-quality gates (org.ews.quality): rules checked on the rows a stage is about to write, before it writes them, and
 * the anomaly check of the run's own metrics against their history. A failed {@code error} rule stops the stage before
 * the write it guards (exit 1, tables as they were); a failed {@code warning} rule is recorded in {@code ops.dq_results}
 * and shown in the bulletin. Rule sets are data, like screens: written in the YAML file, not with --set or EWS_*.
 */
public record QualityConfig(
        /* false: no rule is checked and no metric recorded (the stages write as before). */
        @JsonProperty("enabled") boolean enabled,
        /* Rules per table (schema.table), checked on the rows each write replaces. A table listed in the file gets exactly
           the rules listed there (its default list is replaced); an empty list checks nothing. */
        @JsonProperty("rules") Map<String, List<Rule>> rules,
        @JsonProperty("anomaly") Anomaly anomaly) {

    public static final String ERROR = "error";
    public static final String WARNING = "warning";
    public static final List<String> LEVELS = List.of(ERROR, WARNING);

    /** What a rule checks, for each column it names (unique: the columns together). */
    public static final List<String> CHECKS = List.of("complete", "unique", "share", "between", "non_negative", "in_set",
            "pattern", "satisfies");
    /** Shares are ratios of sums of doubles: a last-bit rounding above 1 is not a wrong figure (as the tables' CHECKs). */
    public static final double SHARE_ROUNDING = 1e-9;
    /** The run's own metrics the anomaly check follows, per reporter and landing date of the lines conform accepts. */
    public static final List<String> ANOMALY_METRICS = List.of("rows", "value_usd");
    /** The tables a stage checks before writing them: silver by conform, gold by metrics and anomalies. */
    public static final List<TableSpec> GATED = gated();

    /**
     * One rule. {@code check}: complete (no nulls), unique (the columns together identify a row), share (in [0, 1]),
     * between ({@code min}..{@code max}, either may be left out), non_negative, in_set ({@code values}), pattern (a Java
     * regular expression the whole value matches), satisfies (a SQL {@code predicate}; give it a {@code name}). Nulls
     * pass every check but complete. {@code at_least}: the share of rows that must pass (default 1: all of them).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(
            @JsonProperty("check") String check,
            @JsonProperty("columns") List<String> columns,
            @JsonProperty("level") String level,
            @JsonProperty("min") Double min,
            @JsonProperty("max") Double max,
            @JsonProperty("values") List<String> values,
            @JsonProperty("pattern") String pattern,
            @JsonProperty("predicate") String predicate,
            @JsonProperty("at_least") Double atLeast,
            @JsonProperty("name") String name) {

        public static Rule of(String check, String level, String... columns) {
            return new Rule(check, List.of(columns), level, null, null, null, null, null, null, null);
        }

        public Rule withValues(String... values) {
            return new Rule(check, columns, level, min, max, List.of(values), pattern, predicate, atLeast, name);
        }

        public Rule withPattern(String pattern) {
            return new Rule(check, columns, level, min, max, values, pattern, predicate, atLeast, name);
        }

        public Rule withAtLeast(double atLeast) {
            return new Rule(check, columns, level, min, max, values, pattern, predicate, atLeast, name);
        }

        @JsonIgnore
        public double required() {
            return atLeast == null ? 1.0 : atLeast;
        }

        @JsonIgnore
        public boolean isError() {
            return ERROR.equals(level);
        }
    }

    /**
     * The anomaly check of the run's own metrics ({@link #ANOMALY_METRICS}) per reporter and landing date, against the
     * same reporter's earlier landing dates in {@code ops.dq_metrics} (Deequ's BatchNormalStrategy: outside mean ±
     * factor x standard deviation of the history), and only when the value also moved at least {@code min_change} from
     * the history's mean: a steady history has a tiny deviation, and a few rows more is not a broken feed.
     */
    public record Anomaly(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("level") String level,
            @JsonProperty("metrics") List<String> metrics,
            /* The history: earlier landing dates within this many days. */
            @JsonProperty("history_days") int historyDays,
            /* Compare a Monday with Mondays only: customs filings follow the working week. */
            @JsonProperty("same_weekday") boolean sameWeekday,
            /* Fewer earlier points than this: the slice is not judged (status skipped). */
            @JsonProperty("min_history") int minHistory,
            /* Deequ BatchNormalStrategy's lower and upper deviation factors (standard deviations from the mean). */
            @JsonProperty("deviation_factor") double deviationFactor,
            /* ... and the relative change from the history's mean that a flagged value must reach as well. */
            @JsonProperty("min_change") double minChange,
            /* A reporter whose history averages fewer rows a day than this is not judged: at a few dozen lines a day, chance
               alone moves a day's count and value by more than min_change (the bundled sample flagged one day in seven). */
            @JsonProperty("min_mean_rows") long minMeanRows) {}

    static QualityConfig defaults() {
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        String[] lineKey = {REPORTER, DECLARATION_ID, LINE_NO};
        String iso2 = "^[A-Z]{2}\\z";
        rules.put("silver.trade_lines", List.of(
                Rule.of("complete", ERROR, lineKey),
                Rule.of("unique", ERROR, lineKey),
                Rule.of("complete", ERROR, MONTH, HS6, PARTNER, VALUE_USD, FIRM_ID),
                Rule.of("pattern", ERROR, PARTNER).withPattern(iso2),
                Rule.of("in_set", ERROR, FLOW).withValues("I", "X"),
                Rule.of("non_negative", ERROR, VALUE_USD, QUANTITY_KG)));
        rules.put("silver.firms", List.of(
                Rule.of("complete", ERROR, FIRM_ID),
                Rule.of("unique", ERROR, FIRM_ID)));
        rules.put("gold.trade_monthly", List.of(
                Rule.of("pattern", ERROR, PARTNER).withPattern(iso2),
                Rule.of("in_set", ERROR, FLOW).withValues("I", "X"),
                Rule.of("non_negative", ERROR, VALUE_USD, QUANTITY_KG, LINES),
                Rule.of("share", ERROR, TOP_TRADER_SHARE)));
        rules.put("gold.product_dependency", dependencyRules(iso2));
        rules.put("gold.product_dependency_12m", dependencyRules(iso2));
        rules.put("gold.sector_exposure", List.of(
                Rule.of("share", ERROR, HHI, TOP_PARTNER_SHARE, CONCERN_SHARE),
                Rule.of("non_negative", ERROR, IMPORT_VALUE_USD, FIRMS_EXPOSED)));
        rules.put("gold.watchlist", List.of(
                Rule.of("in_set", ERROR, WATCH_STATUS).withValues("new", "continuing", "dropped"),
                Rule.of("share", ERROR, TOP_PARTNER_SHARE, HHI)));
        rules.put("gold.trend_anomalies", List.of(
                Rule.of("in_set", ERROR, SEVERITY).withValues("low", "medium", "high"),
                Rule.of("in_set", ERROR, DIRECTION).withValues("up", "down"),
                Rule.of("pattern", ERROR, PARTNER).withPattern("^([A-Z]{2}|\\*)\\z"),
                Rule.of("non_negative", ERROR, VALUE_AT_STAKE_USD)));
        return new QualityConfig(true, rules, new Anomaly(true, WARNING, ANOMALY_METRICS, 56, true, 4, 3.0, 0.5, 200));
    }

    private static List<Rule> dependencyRules(String iso2) {
        return List.of(
                Rule.of("share", ERROR, HHI, TOP_PARTNER_SHARE, SECOND_PARTNER_SHARE, CONCERN_SHARE, EXTRA_BLOC_SHARE),
                Rule.of("non_negative", ERROR, IMPORT_VALUE_USD, EXPORT_VALUE_USD),
                Rule.of("pattern", ERROR, TOP_PARTNER, SECOND_PARTNER).withPattern(iso2));
    }

    /** The rules of a table; none when the gates are off. */
    public List<Rule> rulesFor(TableSpec spec) {
        if (!enabled) {
            return List.of();
        }
        List<Rule> r = rules.get(spec.qualifiedName());
        return r == null ? List.of() : r;
    }

    /** Whether the anomaly check of the run's metrics runs. */
    public boolean anomalyChecks() {
        return enabled && anomaly.enabled() && !anomaly.metrics().isEmpty();
    }

    void validate() {
        require(rules != null, "quality.rules", "must be a mapping of table names to lists of rules");
        List<String> gatedNames = GATED.stream().map(TableSpec::qualifiedName).toList();
        rules.forEach((table, list) -> {
            String key = "quality.rules." + table;
            TableSpec spec = GATED.stream().filter(s -> s.qualifiedName().equals(table)).findFirst().orElse(null);
            require(spec != null, key, "names no table a stage checks before writing it; tables: " + String.join(", ", gatedNames));
            require(list != null, key, "must be a list of rules (empty: check nothing)");
            for (int i = 0; i < list.size(); i++) {
                validate(list.get(i), spec, key + "[" + i + "]");
            }
        });
        require(anomaly != null, "quality.anomaly", "must be set");
        require(LEVELS.contains(anomaly.level()), "quality.anomaly.level", "must be one of " + LEVELS + ", got '" + anomaly.level() + "'");
        require(anomaly.metrics() != null, "quality.anomaly.metrics", "must be a list of " + ANOMALY_METRICS);
        for (String m : anomaly.metrics()) {
            require(ANOMALY_METRICS.contains(m), "quality.anomaly.metrics", "'" + m + "' is not one of " + ANOMALY_METRICS);
        }
        require(anomaly.historyDays() >= 1 && anomaly.historyDays() <= 3660, "quality.anomaly.history_days",
                "must be from 1 to 3660, got " + anomaly.historyDays());
        require(anomaly.minHistory() >= 2, "quality.anomaly.min_history",
                "must be at least 2 (a standard deviation needs two points), got " + anomaly.minHistory());
        require(anomaly.deviationFactor() > 0, "quality.anomaly.deviation_factor", "must be positive, got " + anomaly.deviationFactor());
        require(anomaly.minChange() >= 0, "quality.anomaly.min_change", "must be >= 0, got " + anomaly.minChange());
        require(anomaly.minMeanRows() >= 0, "quality.anomaly.min_mean_rows", "must be >= 0, got " + anomaly.minMeanRows());
    }

    private static void validate(Rule r, TableSpec spec, String key) {
        require(r != null, key, "must be a rule {check, columns, level, ...}");
        require(r.check() != null && CHECKS.contains(r.check()), key + ".check", "must be one of " + CHECKS + ", got '" + r.check() + "'");
        require(LEVELS.contains(r.level()), key + ".level", "must be one of " + LEVELS + ", got '" + r.level() + "'");
        List<String> known = Arrays.asList(spec.columns().fieldNames());
        List<String> cols = r.columns() == null ? List.of() : r.columns();
        require("satisfies".equals(r.check()) || !cols.isEmpty(), key + ".columns", "must name at least one column of " + spec.qualifiedName());
        for (String c : cols) {
            require(known.contains(c), key + ".columns", "'" + c + "' is not a column of " + spec.qualifiedName() + "; columns: "
                    + String.join(", ", known));
        }
        require(r.atLeast() == null || (r.atLeast() > 0 && r.atLeast() <= 1), key + ".at_least",
                "must be a share above 0 and at most 1, got " + r.atLeast());
        switch (r.check()) {
            case "between" -> {
                require(r.min() != null || r.max() != null, key, "between needs min, max or both");
                require(r.min() == null || r.max() == null || r.min() <= r.max(), key + ".min", "must not exceed max, got " + r.min());
            }
            case "in_set" -> require(r.values() != null && !r.values().isEmpty() && r.values().stream().allMatch(v -> v != null && !v.isEmpty()),
                    key + ".values", "in_set needs a list of allowed values");
            case "pattern" -> {
                require(r.pattern() != null && !r.pattern().isEmpty(), key + ".pattern", "pattern needs a regular expression");
                try {
                    Pattern.compile(r.pattern());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(key + ".pattern", "is not a valid regular expression: " + e.getDescription());
                }
            }
            case "satisfies" -> {
                require(r.predicate() != null && !r.predicate().isBlank(), key + ".predicate", "satisfies needs a SQL predicate");
                require(r.name() != null && !r.name().isBlank(), key + ".name", "satisfies needs a name (it is what a failure reports)");
            }
            default -> { }
        }
        Set<String> unused = new java.util.TreeSet<>();
        if (!"between".equals(r.check()) && (r.min() != null || r.max() != null)) unused.add("min/max");
        if (!"in_set".equals(r.check()) && r.values() != null) unused.add("values");
        if (!"pattern".equals(r.check()) && r.pattern() != null) unused.add("pattern");
        if (!"satisfies".equals(r.check()) && r.predicate() != null) unused.add("predicate");
        require(unused.isEmpty(), key, "has " + unused + ", which " + r.check() + " does not use");
    }

    private static List<TableSpec> gated() {
        List<TableSpec> out = new ArrayList<>();
        for (TableSpec s : Tables.ALL) {
            if (s.qualifiedName().equals("silver.trade_lines") || s.qualifiedName().equals("silver.firms") || s.schema().equals("gold")) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
