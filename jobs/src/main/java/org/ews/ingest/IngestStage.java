package org.ews.ingest;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ews.config.EwsConfig;
import org.ews.run.EwsException;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.tables.Bronze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Bronze ingestion of the run's landing dates: customs lines of every reporter and the corporate snapshots,
 * in every allowed format, each row typed and checked. Good rows go to {@code bronze.customs_lines},
 * {@code bronze.firms}, {@code bronze.ownership}; the rest to {@code bronze.quarantine} with a reason.
 * Every write replaces exactly the (reporter, landing date) slices the run has files for, so a rerun leaves the
 * tables as one run does, and nothing is written when the quality gate fails.
 */
public final class IngestStage implements Stage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngestStage.class);
    public static final String NAME = "ingest";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        SparkSession spark = ctx.spark();
        EwsConfig.Ingest limits = ctx.config().ingest();
        LandingZone zone = new LandingZone(ctx.landing(), spark.sparkContext().hadoopConfiguration());
        LandingFileReader reader = LandingFileReader.create(spark, limits.maxLinesPerRecord());

        Map<Feed, Dataset<Row>> checked = new EnumMap<>(Feed.class);
        Map<Feed, Slices> slices = new EnumMap<>(Feed.class);
        Map<Feed, Integer> fileCounts = new EnumMap<>(Feed.class);
        for (Feed feed : Feed.values()) {
            List<LandingFile> files = new ArrayList<>(zone.files(feed, ctx.from(), ctx.to()));
            if (!feed.byReporter()) {
                files.addAll(snapshotInForce(ctx, zone, feed, files));
            }
            fileCounts.put(feed, files.size());
            slices.put(feed, Slices.of(files));
            Dataset<Row> raw = read(spark, reader, feed, files, limits.minReadTasks());
            // Parsed and checked once, then counted, quarantined and written from the cache.
            checked.put(feed, validate(feed, raw, limits).persist(StorageLevel.MEMORY_AND_DISK()));
        }
        if (slices.get(Feed.CUSTOMS).isEmpty()) {
            LOG.warn("No customs files in {} for {}", ctx.landing(), ctx.describeDates());
        }
        try {
            List<IngestCounts> counts = countRows(checked);
            // Decide before writing anything: a failed run leaves every table as it was.
            List<String> violations = IngestGate.violations(counts, limits);
            if (!violations.isEmpty()) {
                throw new EwsException("ingest stopped, nothing written: " + String.join("; ", violations)
                        + ". Fix the feed, or rerun with a higher limit (--set ingest.max_bad_row_share=...)");
            }
            long expectedBad = counts.stream().mapToLong(IngestCounts::quarantined).sum();
            long quarantined = writeQuarantine(ctx, checked, slices);
            requireEqual(Bronze.QUARANTINE.qualifiedName(), quarantined, expectedBad);
            long rowsOut = 0;
            List<String> detail = new ArrayList<>();
            List<String> tables = new ArrayList<>();
            for (Feed feed : Feed.values()) {
                long expected = counts.stream().filter(c -> c.feed().equals(feed.id())).mapToLong(IngestCounts::accepted).sum();
                long written = 0;
                if (!slices.get(feed).isEmpty()) {
                    Dataset<Row> good = checked.get(feed).where(col(REASON_CODE).isNull()).withColumn(RUN_ID, lit(ctx.runId()));
                    written = ctx.warehouse().replace(feed.table(), good, replacePredicate(feed, slices.get(feed)));
                    tables.add(feed.table().qualifiedName());
                }
                requireEqual(feed.table().qualifiedName(), written, expected);
                rowsOut += written;
                detail.add(String.format("%s %,d files, %,d rows", feed.id(), fileCounts.get(feed), written));
            }
            if (!tables.isEmpty()) { // the quarantine was written for the same slices
                tables.add(Bronze.QUARANTINE.qualifiedName());
            }
            Map<String, Long> reasons = new TreeMap<>();
            counts.forEach(c -> c.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum)));
            long rowsIn = counts.stream().mapToLong(IngestCounts::rows).sum();
            return new StageResult(NAME, rowsIn, rowsOut, quarantined, tables, String.join("; ", detail), reasons, 0);
        } finally {
            checked.values().forEach(Dataset::unpersist);
        }
    }

    /**
     * A registry snapshot applies until the next one, so the run's first date needs the newest snapshot before
     * it when none is dated that day. It is loaded only if bronze does not hold it yet: once ingested (and
     * gated, perhaps accepted by an operator's override), later runs leave it alone.
     */
    private static List<LandingFile> snapshotInForce(RunContext ctx, LandingZone zone, Feed feed, List<LandingFile> inRange) {
        if (inRange.stream().anyMatch(f -> f.landingDate().equals(ctx.from()))) {
            return List.of();
        }
        java.util.Optional<java.time.LocalDate> before = zone.snapshotBefore(feed, ctx.from());
        if (before.isEmpty() || ctx.warehouse().hasRows(feed.table(), SNAPSHOT_DATE + " = DATE'" + before.get() + "'")) {
            return List.of();
        }
        return zone.files(feed, before.get(), before.get());
    }

    /** Customs slices are (reporter, landing date); snapshots are replaced by snapshot date. */
    static String replacePredicate(Feed feed, Slices s) {
        return feed.byReporter() ? s.predicate(REPORTER, LANDING_DATE) : s.predicate(null, SNAPSHOT_DATE);
    }

    private static long writeQuarantine(RunContext ctx, Map<Feed, Dataset<Row>> checked, Map<Feed, Slices> slices) {
        List<String> predicates = new ArrayList<>();
        for (Feed feed : Feed.values()) {
            if (!slices.get(feed).isEmpty()) {
                predicates.add("(" + FEED + " = '" + feed.id() + "' AND "
                        + slices.get(feed).predicate(feed.byReporter() ? REPORTER : null, LANDING_DATE) + ")");
            }
        }
        if (predicates.isEmpty()) {
            return 0;
        }
        return ctx.warehouse().replace(Bronze.QUARANTINE, quarantineRows(ctx, checked),
                STAGE + " = '" + NAME + "' AND (" + String.join(" OR ", predicates) + ")");
    }

    /** Spreads the files over tasks; each task streams its files through the reader. */
    static Dataset<Row> read(SparkSession spark, LandingFileReader reader, Feed feed, List<LandingFile> files, int minTasks) {
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), RawRows.schema(feed));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int tasks = Math.min(files.size(), Math.max(minTasks, jsc.defaultParallelism() * 2));
        JavaRDD<Row> rows = jsc.parallelize(files, tasks).flatMap(reader::read);
        return spark.createDataFrame(rows, RawRows.schema(feed));
    }

    static Dataset<Row> validate(Feed feed, Dataset<Row> raw, EwsConfig.Ingest limits) {
        return switch (feed) {
            case CUSTOMS -> CustomsRules.validate(raw, limits.maxFilingLagDays());
            case FIRMS -> CorporateRules.validateFirms(raw);
            case OWNERSHIP -> CorporateRules.validateOwnership(raw);
        };
    }

    /** One Spark job: rows per feed, reporter, landing date and reason code (null for accepted rows). */
    static List<IngestCounts> countRows(Map<Feed, Dataset<Row>> checked) {
        Dataset<Row> all = null;
        for (Map.Entry<Feed, Dataset<Row>> e : checked.entrySet()) {
            Dataset<Row> slice = e.getValue().select(lit(e.getKey().id()).as(FEED), col(REPORTER), col(LANDING_DATE),
                    col(REASON_CODE), col(SOURCE_ROW));
            all = all == null ? slice : all.unionByName(slice);
        }
        Column fileLevel = col(REASON_CODE).isNotNull().and(col(SOURCE_ROW).isNull());
        Map<List<Object>, IngestCounts> bySlice = new LinkedHashMap<>();
        for (Row r : all.groupBy(col(FEED), col(REPORTER), col(LANDING_DATE), col(REASON_CODE))
                .agg(count(lit(1)), sum(when(fileLevel, 1).otherwise(0))).collectAsList()) {
            List<Object> key = Arrays.asList(r.get(0), r.get(1), r.get(2));
            IngestCounts c = bySlice.getOrDefault(key, new IngestCounts(r.getString(0), r.getString(1),
                    r.getDate(2).toLocalDate(), 0, 0, 0, new TreeMap<>()));
            String reason = r.getString(3);
            long n = r.getLong(4);
            if (reason != null) {
                c.reasons().merge(reason, n, Long::sum);
            }
            bySlice.put(key, new IngestCounts(c.feed(), c.reporter(), c.landingDate(), c.rows() + n,
                    c.quarantined() + (reason == null ? 0 : n), c.unreadableFiles() + r.getLong(5), c.reasons()));
        }
        return bySlice.values().stream().sorted(Comparator.comparing(IngestCounts::label)).toList();
    }

    static Dataset<Row> quarantineRows(RunContext ctx, Map<Feed, Dataset<Row>> checked) {
        Dataset<Row> all = null;
        for (Map.Entry<Feed, Dataset<Row>> e : checked.entrySet()) {
            Dataset<Row> bad = e.getValue().where(col(REASON_CODE).isNotNull()).select(
                    lit(ctx.runId()).as(RUN_ID), lit(NAME).as(STAGE), lit(e.getKey().id()).as(FEED), col(REPORTER),
                    col(LANDING_DATE), col(SOURCE_FILE), col(SOURCE_ROW), col(ROW_TEXT), col(REASON_CODE), col(REASON));
            all = all == null ? bad : all.unionByName(bad);
        }
        return all;
    }

    /** Nothing is lost silently: what was written must be what was counted. */
    private static void requireEqual(String table, long written, long expected) {
        if (written != expected) {
            throw new EwsException("row accounting broken for " + table + ": wrote " + written + " rows, counted "
                    + expected + "; the run is marked failed so no later stage reads it; rerun the dates");
        }
    }
}
