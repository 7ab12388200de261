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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Bronze ingestion of the run's landing dates: customs lines of every reporter and the corporate snapshots,
 * in every allowed format, each row typed and checked. Good rows go to {@code bronze.customs_lines},
 * {@code bronze.firms}, {@code bronze.ownership}; the rest to {@code bronze.quarantine} with a reason.
 * Every write replaces exactly the run's landing dates, so a rerun leaves the tables as one run does.
 */
public final class IngestStage implements Stage {
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
        LandingFileReader reader = LandingFileReader.forHadoop(spark.sparkContext().hadoopConfiguration());

        Map<Feed, Dataset<Row>> checked = new EnumMap<>(Feed.class);
        Map<Feed, Integer> fileCounts = new EnumMap<>(Feed.class);
        for (Feed feed : Feed.values()) {
            List<LandingFile> files = zone.files(feed, ctx.from(), ctx.to());
            fileCounts.put(feed, files.size());
            Dataset<Row> raw = read(spark, reader, feed, files, limits.minReadTasks());
            // Parsed and checked once, then counted, quarantined and written from the cache.
            checked.put(feed, validate(feed, raw, limits).persist(StorageLevel.MEMORY_AND_DISK()));
        }
        try {
            List<IngestCounts> counts = countRows(checked);
            long quarantined = ctx.warehouse().replace(Bronze.QUARANTINE, quarantineRows(ctx, checked),
                    ctx.dateRangePredicate(LANDING_DATE) + " AND " + STAGE + " = '" + NAME + "'");
            List<String> violations = IngestGate.violations(counts, limits);
            if (!violations.isEmpty()) {
                throw new EwsException("ingest stopped, bronze left unchanged: " + String.join("; ", violations)
                        + " (see bronze.quarantine for run " + ctx.runId() + ")");
            }
            long rowsIn = counts.stream().mapToLong(IngestCounts::rows).sum();
            long expectedBad = counts.stream().mapToLong(IngestCounts::quarantined).sum();
            long rowsOut = 0;
            List<String> detail = new ArrayList<>();
            for (Feed feed : Feed.values()) {
                String dateColumn = feed == Feed.CUSTOMS ? LANDING_DATE : SNAPSHOT_DATE;
                Dataset<Row> good = checked.get(feed).where(col(REASON_CODE).isNull()).withColumn(RUN_ID, lit(ctx.runId()));
                long written = ctx.warehouse().replace(feed.table(), good, ctx.dateRangePredicate(dateColumn));
                long expected = counts.stream().filter(c -> c.feed().equals(feed.id())).mapToLong(IngestCounts::accepted).sum();
                requireEqual(feed.table().qualifiedName(), written, expected);
                rowsOut += written;
                detail.add(feed.id() + " " + fileCounts.get(feed) + " files, " + written + " rows");
            }
            requireEqual(Bronze.QUARANTINE.qualifiedName(), quarantined, expectedBad);
            long unreadable = counts.stream().mapToLong(IngestCounts::unreadableFiles).sum();
            if (unreadable > 0) {
                detail.add(unreadable + " unreadable files quarantined whole");
            }
            List<String> tables = new ArrayList<>();
            for (Feed feed : Feed.values()) {
                tables.add(feed.table().qualifiedName());
            }
            tables.add(Bronze.QUARANTINE.qualifiedName());
            return new StageResult(NAME, rowsIn, rowsOut, quarantined, tables, String.join("; ", detail), 0);
        } finally {
            checked.values().forEach(Dataset::unpersist);
        }
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

    /** One Spark job: rows, quarantined rows and unreadable files per feed, reporter and landing date. */
    static List<IngestCounts> countRows(Map<Feed, Dataset<Row>> checked) {
        Dataset<Row> all = null;
        for (Map.Entry<Feed, Dataset<Row>> e : checked.entrySet()) {
            Dataset<Row> slice = e.getValue().select(lit(e.getKey().id()).as(FEED), col(REPORTER), col(LANDING_DATE),
                    col(REASON_CODE), col(SOURCE_ROW));
            all = all == null ? slice : all.unionByName(slice);
        }
        Column fileLevel = col(REASON_CODE).isNotNull().and(col(SOURCE_ROW).isNull());
        return all.groupBy(FEED, REPORTER, LANDING_DATE)
                .agg(count(lit(1)), count(col(REASON_CODE)), sum(when(fileLevel, 1).otherwise(0)))
                .collectAsList().stream()
                .map(r -> new IngestCounts(r.getString(0), r.getString(1), r.getDate(2).toLocalDate(), r.getLong(3),
                        r.getLong(4), r.getLong(5)))
                .sorted(java.util.Comparator.comparing(IngestCounts::label))
                .collect(Collectors.toList());
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
            throw new EwsException("row accounting broken for " + table + ": wrote " + written + " rows, expected "
                    + expected + "; the run is stopped before anything downstream reads it");
        }
    }
}
