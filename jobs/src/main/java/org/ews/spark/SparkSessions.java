package org.ews.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.sql.ReadOnlySqlExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the one SparkSession a process uses. Local mode by default ({@code spark.master} in config);
 * under spark-submit the cluster's master wins. Delta is wired in, the catalog is in-memory (tables are
 * registered by path from the warehouse, so any number of processes can read while one writes), time is UTC.
 */
public final class SparkSessions {
    private SparkSessions() {}

    /** Delta's extension, then the read-only guard wrapping Delta's parser (it acts only with spark.ews.read_only=true). */
    static final String EXTENSIONS = "io.delta.sql.DeltaSparkSessionExtension," + ReadOnlySqlExtension.class.getName();

    public static SparkSession create(EwsConfig config) {
        return create(config, Map.of());
    }

    /**
     * A session with {@code settings} applied last, over the config file's {@code spark.conf}: e.g. the command's own
     * {@link #READ_ONLY} flag, which must reach the SparkContext's configuration to count.
     */
    public static SparkSession create(EwsConfig config, Map<String, String> settings) {
        EwsConfig.SparkSettings s = config.spark();
        // spark-submit passes its settings as spark.* system properties; SparkConf picks them up.
        SparkConf submitted = new SparkConf(true);
        String master = submitted.contains("spark.master") ? submitted.get("spark.master") : s.master();

        SparkSession.Builder b = SparkSession.builder()
                .appName(s.appName())
                .master(master)
                .config("spark.sql.extensions", EXTENSIONS)
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.catalogImplementation", "in-memory")
                .config("spark.sql.warehouse.dir", Warehouse.qualify(config.paths().warehouse()) + "/_spark")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", s.shufflePartitions())
                .config("spark.sql.adaptive.enabled", true)
                // Validation relies on casts returning null for bad text, and on strict date parsing.
                .config("spark.sql.ansi.enabled", false)
                .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
                .config("spark.ui.enabled", s.ui())
                .config("spark.ui.showConsoleProgress", false);
        if (master.startsWith("local")) {
            // This machine's hostname resolves to a non-loopback address (STACK.md).
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            // Delta replays the log over 50 tasks by default, sized for clusters; on a few local cores that
            // dominates every small write. spark.conf in the config file still wins.
            b.config("spark.databricks.delta.snapshotPartitions", Math.max(2, Runtime.getRuntime().availableProcessors()));
        } else {
            // Added to what spark-submit or spark-defaults already give (GC, Kerberos, logging flags), not instead of it.
            String flags = jvmFlags();
            for (String key : new String[]{"spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions"}) {
                String given = submitted.get(key, "").trim();
                b.config(key, given.contains(flags) ? given : (given + " " + flags).trim());
            }
        }
        s.conf().forEach(b::config);
        settings.forEach(b::config);
        // Extensions from the config file come first; the read-only guard is always listed, after Delta's.
        String extensions = s.conf().getOrDefault("spark.sql.extensions", EXTENSIONS);
        if (!java.util.Arrays.asList(extensions.split("\\s*,\\s*")).contains(ReadOnlySqlExtension.class.getName())) {
            extensions = extensions + "," + ReadOnlySqlExtension.class.getName();
        }
        b.config("spark.sql.extensions", extensions);
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(s.logLevel().toUpperCase());
        // setLogLevel moves the root logger; our one line per stage must survive it where our log4j2.properties is not
        // the one in force (a cluster's own logging configuration under spark-submit).
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.ews", org.apache.logging.log4j.Level.INFO);
        return spark;
    }

    /**
     * Runs {@code work} with a session: the one already active in this JVM (tests, notebooks), left running,
     * or a new one, stopped afterwards.
     */
    public static <T> T withSession(EwsConfig config, java.util.function.Function<SparkSession, T> work) {
        return withSession(config, Map.of(), work);
    }

    /** As {@link #withSession(EwsConfig, java.util.function.Function)}; a new session gets {@code settings} too. */
    public static <T> T withSession(EwsConfig config, Map<String, String> settings,
                                    java.util.function.Function<SparkSession, T> work) {
        boolean existed = SparkSession.getDefaultSession().isDefined();
        SparkSession spark = existed ? SparkSession.getDefaultSession().get() : create(config, settings);
        try {
            return work.apply(spark);
        } finally {
            if (!existed) {
                spark.stop();
            }
        }
    }

    /**
     * The Hadoop settings file systems are opened with, before any SparkSession starts (the run lock is taken first): the
     * running session's when there is one (tests, notebooks), else every {@code spark.hadoop.*} setting that spark-submit
     * or the config file's {@code spark.conf} gives, as Spark itself would pass them to Hadoop.
     */
    public static org.apache.hadoop.conf.Configuration hadoopConfiguration(EwsConfig config) {
        if (SparkSession.getDefaultSession().isDefined()) {
            return new org.apache.hadoop.conf.Configuration(SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration());
        }
        SparkConf conf = new SparkConf(true);
        config.spark().conf().forEach(conf::set);
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        for (scala.Tuple2<String, String> e : conf.getAll()) {
            if (e._1().startsWith("spark.hadoop.")) {
                hadoop.set(e._1().substring("spark.hadoop.".length()), e._2());
            }
        }
        return hadoop;
    }

    /** Settings for a read-only session: SQL that would write is refused by the parser ({@link ReadOnlySqlExtension}). */
    public static final Map<String, String> READ_ONLY = Map.of(ReadOnlySqlExtension.FLAG, "true");

    /** The Java 17 flags from the build (one pom property, filtered into ews/jvm.options). */
    public static String jvmFlags() {
        try (InputStream in = SparkSessions.class.getResourceAsStream("/ews/jvm.options")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
