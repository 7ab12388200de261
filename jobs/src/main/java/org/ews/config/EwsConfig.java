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
        @JsonProperty("countries") Countries countries,
        @JsonProperty("conform") Conform conform,
        @JsonProperty("entity") Entity entity,
        @JsonProperty("ownership") Ownership ownership,
        @JsonProperty("periods") Periods periods,
        @JsonProperty("metrics") MetricsConfig metrics,
        @JsonProperty("anomalies") AnomaliesConfig anomalies,
        @JsonProperty("publish") PublishConfig publish,
        @JsonProperty("lock") Lock lock,
        @JsonProperty("quality") QualityConfig quality) {

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

    /** Silver conformance of declaration lines. Reference tables it reads live under {@code paths.reference}. */
    public record Conform(
            /* HS edition in force from each date (YYYY-MM-DD); a line gets the newest edition on or before its declaration date. */
            @JsonProperty("hs_editions") Map<String, String> hsEditions,
            /* A reporter's landing date fails the run when more than this share of its lines cannot be conformed. */
            @JsonProperty("max_bad_row_share") double maxBadRowShare,
            /* The share check applies only from this many lines on. */
            @JsonProperty("bad_row_share_min_rows") long badRowShareMinRows) {}

    /**
     * Entity resolution of customs traders to registry firms: by registration number first, then by name. Scores are
     * 0-1: {@code name_weight} x Jaro-Winkler of the names without spaces + (1 - name_weight) x the share of tokens
     * that find a partner token with Jaro-Winkler of at least {@code token_match_min}.
     */
    public record Entity(
            /* A name match at or above this score resolves the trader. */
            @JsonProperty("accept_score") double acceptScore,
            /* Candidates from this score up to accept_score are kept in silver.entity_matches as possible links, not used. */
            @JsonProperty("possible_score") double possibleScore,
            /* When two firms score within this margin of each other at the top, the name is ambiguous: not resolved. */
            @JsonProperty("ambiguity_margin") double ambiguityMargin,
            @JsonProperty("name_weight") double nameWeight,
            @JsonProperty("token_match_min") double tokenMatchMin,
            /* Tokens shorter than this do not form blocks. */
            @JsonProperty("token_min_length") int tokenMinLength,
            /* Leading characters of the space-free name that form a block (catches typos and names written without spaces). */
            @JsonProperty("prefix_length") int prefixLength,
            /* A block key shared by more registry names than this is too common to block on (like "electronics"); it is dropped. */
            @JsonProperty("max_block_size") int maxBlockSize,
            /* Legal forms removed from the start and end of a name, as normalised text: lower case, punctuation as spaces. */
            @JsonProperty("legal_forms") List<String> legalForms,
            /* Legal-form markers removed wherever they stand, also glued to the name (Korean, Japanese): 주식회사, (주), 株式会社. */
            @JsonProperty("legal_form_markers") List<String> legalFormMarkers) {}

    /** Roll-up of firms to their ultimate parent through the ownership snapshot. */
    public record Ownership(
            /* A parent controls a child when it holds more than this percentage; minority stakes do not roll up. */
            @JsonProperty("control_threshold_pct") double controlThresholdPct,
            /* Chains longer than this are cut and reported (real groups have well under 20 levels). */
            @JsonProperty("max_depth") int maxDepth) {}

    /**
     * When a month counts as closed: customs declarations are filed late, so a month is judged only once its last
     * day is this many days before the run date. Before that it is the month in progress: never read as a fall.
     */
    public record Periods(@JsonProperty("month_close_lag_days") int monthCloseLagDays) {}

    /**
     * The warehouse's run lock (README "Reliability"): a run that writes tables holds {@code <warehouse>/_ews/run.lock}
     * for its whole length, so a second run on the same warehouse is refused instead of interleaving its writes.
     */
    public record Lock(
            /* false only where something else already makes runs one at a time: then nothing stops two runs at once. */
            @JsonProperty("enabled") boolean enabled,
            /* The holder rewrites the lock's heartbeat this often. */
            @JsonProperty("heartbeat_seconds") int heartbeatSeconds,
            /* A lock whose heartbeat is older than this is stale and taken over (WARN); a holder on this host whose
               process is gone is taken over at once. */
            @JsonProperty("stale_after_seconds") int staleAfterSeconds) {

        public static Lock defaults() {
            return new Lock(true, 30, 300);
        }
    }

    /** Spark settings that have a typed key of their own; spark.conf may not override them behind its back. */
    private static final Map<String, String> TYPED_SPARK_KEYS = Map.of(
            "spark.master", "spark.master (and spark-submit's --master, which wins)",
            "spark.app.name", "spark.app_name",
            "spark.sql.shuffle.partitions", "spark.shuffle_partitions",
            "spark.ui.enabled", "spark.ui");

    /** Legal forms as they read after normalisation ("Co., Ltd." is "co ltd", "K.K." is "k k"), longest first. */
    static final List<String> DEFAULT_LEGAL_FORMS = List.of(
            "company limited", "co ltd", "co limited", "pte ltd", "pvt ltd", "kabushiki kaisha", "yugen kaisha",
            "incorporated", "corporation", "limited", "company", "l l c", "llc", "inc", "corp", "ltd", "co", "k k",
            "kk", "gmbh", "ag", "b v", "bv", "n v", "nv", "s a", "sa", "plc", "pte", "llp", "lp");
    static final List<String> DEFAULT_LEGAL_FORM_MARKERS = List.of(
            "주식회사", "(주)", "유한회사", "(유)", "株式会社", "(株)", "有限会社", "(有)", "合同会社");

    /** The European Union's 27 members since 2020 (a bloc for extra_bloc_share). */
    static final List<String> EU27 = List.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR",
            "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

    public static EwsConfig defaults() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("concern", List.of("CN", "RU", "KP", "IR"));
        groups.put("trilateral", List.of("KR", "US", "JP"));
        groups.put("eu", EU27);
        return new EwsConfig(
                new Paths("data-samples/landing", "warehouse", "conf/reference"),
                new SparkSettings("local[*]", "ews", 4, false, "WARN", new LinkedHashMap<>()),
                new Ingest(0.05, 200, 10, 730, 100, 2),
                new Countries(groups),
                new Conform(new LinkedHashMap<>(Map.of("HS2017", "2017-01-01", "HS2022", "2022-01-01")), 0.05, 200),
                new Entity(0.92, 0.80, 0.02, 0.5, 0.90, 2, 4, 1000, DEFAULT_LEGAL_FORMS, DEFAULT_LEGAL_FORM_MARKERS),
                new Ownership(50.0, 30),
                new Periods(10),
                MetricsConfig.defaults(),
                AnomaliesConfig.defaults(),
                PublishConfig.defaults(),
                Lock.defaults(),
                QualityConfig.defaults());
    }

    /** Checks value domains; each failure names the key. Country codes are checked by the loader. */
    public void validate() {
        require(!blank(paths.landing()), "paths.landing", "must not be empty");
        require(!blank(paths.warehouse()), "paths.warehouse", "must not be empty");
        require(!blank(paths.reference()), "paths.reference", "must not be empty");
        // Where the run writes: checked, so that a value cannot send writes outside the folder it seems to name.
        String warehouseProblem = SafePaths.writableDir(paths.warehouse(), true);
        require(warehouseProblem == null, "paths.warehouse", warehouseProblem);
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
        conform.hsEditions().forEach((edition, from) -> require(from != null && from.matches("\\d{4}-\\d{2}-\\d{2}")
                && parses(from), "conform.hs_editions." + edition, "must be a date YYYY-MM-DD, got '" + from + "'"));
        require(!conform.hsEditions().isEmpty(), "conform.hs_editions", "must name at least one edition");
        share(conform.maxBadRowShare(), "conform.max_bad_row_share");
        require(conform.badRowShareMinRows() >= 0, "conform.bad_row_share_min_rows", "must be >= 0");
        share(entity.acceptScore(), "entity.accept_score");
        share(entity.possibleScore(), "entity.possible_score");
        require(entity.possibleScore() <= entity.acceptScore(), "entity.possible_score",
                "must not exceed entity.accept_score (" + entity.acceptScore() + "), got " + entity.possibleScore());
        share(entity.ambiguityMargin(), "entity.ambiguity_margin");
        share(entity.nameWeight(), "entity.name_weight");
        share(entity.tokenMatchMin(), "entity.token_match_min");
        require(entity.tokenMinLength() >= 1, "entity.token_min_length", "must be at least 1");
        require(entity.prefixLength() >= 1, "entity.prefix_length", "must be at least 1");
        require(entity.maxBlockSize() >= 1, "entity.max_block_size", "must be at least 1");
        for (String form : entity.legalForms()) {
            require(form != null && form.equals(form.toLowerCase(java.util.Locale.ROOT).trim()) && !form.isBlank()
                    && form.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == ' '), "entity.legal_forms",
                    "entries are normalised text (lower case letters, digits, single spaces), got '" + form + "'");
        }
        for (String marker : entity.legalFormMarkers()) {
            require(marker != null && !marker.isBlank(), "entity.legal_form_markers", "entries must not be empty");
        }
        require(ownership.controlThresholdPct() >= 0 && ownership.controlThresholdPct() < 100,
                "ownership.control_threshold_pct", "must be from 0 to below 100, got " + ownership.controlThresholdPct());
        require(ownership.maxDepth() >= 1, "ownership.max_depth", "must be at least 1");
        countries.groups().forEach((name, codes) -> {
            require(codes != null && !codes.isEmpty(), "countries.groups." + name, "must list at least one country");
            for (String c : codes) {
                require(c != null && c.matches("[A-Z]{2}"), "countries.groups." + name,
                        "'" + c + "' is not an ISO 3166 alpha-2 code (two capital letters)");
            }
        });
        require(periods.monthCloseLagDays() >= 0 && periods.monthCloseLagDays() <= 366, "periods.month_close_lag_days",
                "must be from 0 to 366 days, got " + periods.monthCloseLagDays());
        metrics.validate(countries.groups());
        anomalies.validate();
        publish.validate();
        require(lock.heartbeatSeconds() >= 1, "lock.heartbeat_seconds", "must be at least 1, got " + lock.heartbeatSeconds());
        require(lock.staleAfterSeconds() >= 3L * lock.heartbeatSeconds(), "lock.stale_after_seconds",
                "must be at least 3 x lock.heartbeat_seconds (" + 3L * lock.heartbeatSeconds() + "): a live holder that misses a "
                        + "beat or two must not look stale; got " + lock.staleAfterSeconds());
        quality.validate();
    }

    public List<String> countryGroup(String name) {
        List<String> g = countries.groups().get(name);
        if (g == null) {
            throw new ConfigException("countries.groups." + name, "is not configured");
        }
        return g;
    }

    private static void share(double v, String key) {
        require(v >= 0 && v <= 1, key, "must be between 0 and 1, got " + v);
    }

    private static boolean parses(String date) {
        try {
            java.time.LocalDate.parse(date);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
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
