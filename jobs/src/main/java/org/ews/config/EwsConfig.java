package org.ews.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one typed configuration of the system. Defaults live here, in {@link #defaults()}, and nowhere
 * else; {@link ConfigLoader} layers the YAML file, {@code EWS_*} environment variables and command-line
 * settings on top of them (in that order of increasing precedence) and then calls {@link #validate()}.
 *
 * <p>YAML keys are snake_case and mirror the record components: {@code spark.shuffle_partitions} is
 * {@link SparkSettings#shufflePartitions()}.
 */
public record EwsConfig(
        @JsonProperty("paths") Paths paths,
        @JsonProperty("spark") SparkSettings spark,
        @JsonProperty("ingest") Ingest ingest,
        @JsonProperty("countries") Countries countries) {

    /** Where data comes from and goes to. Relative paths resolve against the working directory. */
    public record Paths(
            @JsonProperty("landing") String landing,
            @JsonProperty("warehouse") String warehouse,
            @JsonProperty("reference") String reference) {}

    /**
     * How the SparkSession is built. {@code master} applies only when no master was given by
     * spark-submit; {@code conf} passes any further {@code spark.*} setting through unchanged.
     */
    public record SparkSettings(
            @JsonProperty("master") String master,
            @JsonProperty("app_name") String appName,
            @JsonProperty("shuffle_partitions") int shufflePartitions,
            @JsonProperty("ui") boolean ui,
            @JsonProperty("log_level") String logLevel,
            @JsonProperty("conf") Map<String, String> conf) {}

    /** Bronze ingestion: when bad input fails the run instead of being quarantined and passed over. */
    public record Ingest(
            /* A reporter's landing date fails the run when more than this share of its rows is quarantined. */
            @JsonProperty("max_bad_row_share") double maxBadRowShare,
            /* The share check applies only from this many rows on: 2 bad rows of 10 say little. */
            @JsonProperty("bad_row_share_min_rows") long badRowShareMinRows,
            /* More unreadable files than this in one run fail it; fewer are quarantined and the run goes on. */
            @JsonProperty("max_unreadable_files") int maxUnreadableFiles,
            /* A declaration dated more than this many days before its landing date is rejected as implausible. */
            @JsonProperty("max_filing_lag_days") int maxFilingLagDays,
            /* A quoted CSV field may hold newlines, but a record spanning more lines than this has an unclosed quote. */
            @JsonProperty("max_lines_per_record") int maxLinesPerRecord,
            /* Lower bound on read tasks; files are spread over max(this, default parallelism) tasks. */
            @JsonProperty("min_read_tasks") int minReadTasks) {}

    /**
     * Named country groups, e.g. {@code concern} (a policy setting: imports from these countries are the
     * "concern share") and {@code trilateral} (the partners whose systems are linked). ISO alpha-2 codes.
     */
    public record Countries(@JsonProperty("groups") Map<String, List<String>> groups) {}

    /** Spark settings that have a typed key of their own; spark.conf may not override them behind its back. */
    private static final Map<String, String> TYPED_SPARK_KEYS = Map.of(
            "spark.master", "spark.master (and spark-submit's --master, which wins)",
            "spark.app.name", "spark.app_name",
            "spark.sql.shuffle.partitions", "spark.shuffle_partitions",
            "spark.ui.enabled", "spark.ui");

    public static EwsConfig defaults() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("concern", List.of("CN", "RU", "KP", "IR"));
        groups.put("trilateral", List.of("KR", "US", "JP"));
        return new EwsConfig(
                new Paths("data-samples/landing", "warehouse", "conf/reference"),
                new SparkSettings("local[*]", "ews", 4, false, "WARN", new LinkedHashMap<>()),
                new Ingest(0.05, 200, 10, 730, 100, 2),
                new Countries(groups));
    }

    /** Checks value domains; each failure names the key. Country codes are checked by the loader. */
    public void validate() {
        require(!blank(paths.landing()), "paths.landing", "must not be empty");
        require(!blank(paths.warehouse()), "paths.warehouse", "must not be empty");
        require(!blank(paths.reference()), "paths.reference", "must not be empty");
        require(!blank(spark.master()), "spark.master", "must not be empty");
        require(spark.shufflePartitions() >= 1, "spark.shuffle_partitions",
                "must be at least 1, got " + spark.shufflePartitions());
        require(List.of("OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL")
                        .contains(spark.logLevel().toUpperCase()), "spark.log_level",
                "must be one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL, got '" + spark.logLevel() + "'");
        spark.conf().keySet().forEach(k -> {
            require(k.startsWith("spark."), "spark.conf." + k, "only spark.* settings belong here");
            require(!TYPED_SPARK_KEYS.containsKey(k), "spark.conf." + k,
                    "is set by " + TYPED_SPARK_KEYS.get(k) + "; set that key instead");
        });
        require(ingest.maxBadRowShare() >= 0 && ingest.maxBadRowShare() <= 1, "ingest.max_bad_row_share",
                "must be a share between 0 and 1, got " + ingest.maxBadRowShare());
        require(ingest.badRowShareMinRows() >= 0, "ingest.bad_row_share_min_rows", "must be >= 0");
        require(ingest.maxUnreadableFiles() >= 0, "ingest.max_unreadable_files", "must be >= 0");
        require(ingest.maxFilingLagDays() >= 0, "ingest.max_filing_lag_days", "must be >= 0");
        require(ingest.maxLinesPerRecord() >= 1, "ingest.max_lines_per_record", "must be at least 1");
        require(ingest.minReadTasks() >= 1, "ingest.min_read_tasks", "must be at least 1");
        countries.groups().forEach((name, codes) -> {
            require(codes != null && !codes.isEmpty(), "countries.groups." + name, "must list at least one country");
            for (String c : codes) {
                require(c != null && c.matches("[A-Z]{2}"), "countries.groups." + name,
                        "'" + c + "' is not an ISO 3166 alpha-2 code (two capital letters)");
            }
        });
    }

    public List<String> countryGroup(String name) {
        List<String> g = countries.groups().get(name);
        if (g == null) {
            throw new ConfigException("countries.groups." + name, "is not configured");
        }
        return g;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
