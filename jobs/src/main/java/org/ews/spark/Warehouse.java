package org.ews.spark;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ews.config.EwsConfig;
import org.ews.config.PublishConfig;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import scala.Option;

import static org.apache.spark.sql.functions.col;

/**
 * The warehouse root and its Delta tables at {@code <root>/<schema>/<table>}. Tables are found by path,
 * not through a metastore, so a fresh process sees what another wrote and several can read at once.
 */
public final class Warehouse {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Warehouse.class);
    private static final String CONSTRAINT_PREFIX = "delta.constraints.";
    private final SparkSession spark;
    private final String root;
    private final Map<String, String> retention;
    /** Tables whose properties, constraints and comments this process has already checked against their spec. */
    private final java.util.Set<String> inForce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The warehouse at {@code root}, with the default retention properties. */
    public Warehouse(SparkSession spark, String root) {
        this(spark, root, PublishConfig.defaults().retention());
    }

    public Warehouse(SparkSession spark, String root, PublishConfig.Retention retention) {
        this.spark = spark;
        this.root = qualify(root);
        this.retention = Map.of(
                "delta.logRetentionDuration", "interval " + retention.logDays() + " days",
                "delta.deletedFileRetentionDuration", "interval " + retention.deletedFileDays() + " days");
    }

    /** The configured warehouse: its root and the retention properties its tables carry. */
    public static Warehouse of(SparkSession spark, EwsConfig config) {
        return new Warehouse(spark, config.paths().warehouse(), config.publish().retention());
    }

    /** The Delta properties a table carries: its spec's and the warehouse's retention. */
    public Map<String, String> properties(TableSpec spec) {
        Map<String, String> all = new java.util.TreeMap<>(retention);
        all.putAll(spec.properties());
        return all;
    }

    /** A local path becomes an absolute {@code file:} URI; {@code s3a://}, {@code abfss://} ... stay as given. */
    public static String qualify(String location) {
        if (!isLocal(location)) {
            return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        }
        return Path.of(location.replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize().toUri().toString()
                .replaceAll("/$", "");
    }

    /** A plain path or a {@code file:} URI (one-letter schemes are Windows drives). */
    public static boolean isLocal(String location) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):").matcher(location);
        return !m.find() || m.group(1).equalsIgnoreCase("file");
    }

    public String root() {
        return root;
    }

    public String location(TableSpec spec) {
        return root + "/" + spec.schema() + "/" + spec.name();
    }

    public boolean exists(TableSpec spec) {
        return DeltaTable.isDeltaTable(spark, location(spec));
    }

    /** The table's current rows, read by path. */
    public Dataset<Row> read(TableSpec spec) {
        return spark.read().format("delta").load(location(spec));
    }

    /** The table as of one Delta version: a stage that reads it twice sees one snapshot. */
    public Dataset<Row> readAt(TableSpec spec, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(location(spec));
    }

    /** The table's current Delta version. */
    public long version(TableSpec spec) {
        return lastCommit(spec).version();
    }

    /** Delta's id of the table: it changes when the table is dropped and created again under the same path. */
    public String tableId(TableSpec spec) {
        return metadata(spec).id();
    }

    /**
     * The rows that commits {@code fromVersion..toVersion} inserted, updated (before and after images) or deleted, from
     * Delta's change data feed. Fails when the feed was not on for those versions or their files were vacuumed.
     */
    public Dataset<Row> changes(TableSpec spec, long fromVersion, long toVersion) {
        return spark.read().format("delta").option("readChangeFeed", "true").option("startingVersion", fromVersion)
                .option("endingVersion", toVersion).load(location(spec));
    }

    /**
     * Brings an existing table in line with its spec, once per process: properties (change data feed, retention), CHECK
     * constraints and the comments of the table and its columns, each changed only when missing or different (a table
     * created by an earlier version of the code gets what was added since). Delta validates existing rows against a
     * new constraint and refuses it, naming the constraint, if one breaks it.
     */
    private void keepInForce(TableSpec spec) {
        if (inForce.contains(spec.qualifiedName())) {
            return;
        }
        String table = "delta.`" + location(spec) + "`";
        org.apache.spark.sql.delta.actions.Metadata metadata = metadata(spec);
        Map<String, String> current = scala.collection.JavaConverters.mapAsJavaMap(metadata.configuration());
        Map<String, String> wanted = properties(spec);
        if (!spec.comment().equals(metadata.description())) {
            wanted = new java.util.TreeMap<>(wanted);
            wanted.put("comment", spec.comment());
        }
        List<String> changed = wanted.entrySet().stream().filter(e -> !e.getValue().equals(current.get(e.getKey())))
                .map(e -> "'" + e.getKey() + "' = '" + TableSpec.sqlString(e.getValue()) + "'").toList();
        if (!changed.isEmpty()) {
            spark.sql("ALTER TABLE " + table + " SET TBLPROPERTIES (" + String.join(", ", changed) + ")");
            LOG.info("{}: table properties set: {}", spec.qualifiedName(), String.join(", ", changed));
        }
        for (Map.Entry<String, String> check : spec.checks().entrySet()) {
            String existing = current.get(CONSTRAINT_PREFIX + check.getKey().toLowerCase(java.util.Locale.ROOT));
            // Delta stores the condition re-printed ("IN ( 'I' , 'X' )"): compare without whitespace.
            if (existing != null && existing.replaceAll("\\s+", "").equals(check.getValue().replaceAll("\\s+", ""))) {
                continue;
            }
            if (existing != null) {
                spark.sql("ALTER TABLE " + table + " DROP CONSTRAINT " + check.getKey());
            }
            spark.sql("ALTER TABLE " + table + " ADD CONSTRAINT " + check.getKey() + " CHECK (" + check.getValue() + ")");
            LOG.info("{}: constraint {} CHECK ({})", spec.qualifiedName(), check.getKey(), check.getValue());
        }
        for (String key : current.keySet()) {
            String name = key.startsWith(CONSTRAINT_PREFIX) ? key.substring(CONSTRAINT_PREFIX.length()) : null;
            if (name != null && spec.checks().keySet().stream().noneMatch(c -> c.equalsIgnoreCase(name))) {
                spark.sql("ALTER TABLE " + table + " DROP CONSTRAINT " + name); // no longer in the spec: it would refuse writes
                LOG.info("{}: constraint {} dropped", spec.qualifiedName(), name);
            }
        }
        StructType actual = metadata(spec).schema();
        for (StructField f : spec.columns().fields()) {
            String want = spec.columnComment(f.name());
            java.util.Optional<StructField> have = java.util.Arrays.stream(actual.fields()).filter(a -> a.name().equals(f.name())).findFirst();
            if (want != null && have.isPresent() && !want.equals(have.get().getComment().isDefined() ? have.get().getComment().get() : null)) {
                spark.sql("ALTER TABLE " + table + " ALTER COLUMN " + f.name() + " COMMENT '" + TableSpec.sqlString(want) + "'");
            }
        }
        inForce.add(spec.qualifiedName());
    }

    /** Whether the table exists and has a row matching {@code predicate} (a partition filter reads no data files). */
    public boolean hasRows(TableSpec spec, String predicate) {
        return exists(spec) && !spark.read().format("delta").load(location(spec)).where(predicate).limit(1).isEmpty();
    }

    /** Registers every schema and every table that already exists, so SQL can name them. */
    public Warehouse registerExisting() {
        long t0 = System.nanoTime();
        for (String schema : Tables.SCHEMAS) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + schema + " LOCATION '" + root + "/" + schema + "'");
        }
        for (TableSpec spec : Tables.ALL) {
            if (exists(spec)) {
                register(spec);
            }
        }
        LOG.debug("registered existing tables in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    /** Creates the table with its comments and partitioning if it does not exist yet, and registers it. */
    public void ensure(TableSpec spec) {
        try {
            ensureOnce(spec);
        } catch (Exception e) {
            throw writeFailure(spec, e);
        }
    }

    private void ensureOnce(TableSpec spec) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + spec.schema() + " LOCATION '" + root + "/" + spec.schema() + "'");
        if (!exists(spec)) {
            TableIdentifier id = TableIdentifier.apply(spec.name(), Option.apply(spec.schema()));
            spark.sessionState().catalog().dropTable(id, true, false); // a stale name from another warehouse
            // A new table gets its constraints in its first commit, as properties (where Delta keeps them): one commit, not
            // one ALTER each. Delta checks the table's (empty) rows against them as ALTER would.
            Map<String, String> withChecks = new java.util.TreeMap<>(properties(spec));
            spec.checks().forEach((name, condition) -> withChecks.put(CONSTRAINT_PREFIX + name.toLowerCase(java.util.Locale.ROOT), condition));
            spark.sql(spec.createSql(location(spec), withChecks));
            inForce.add(spec.qualifiedName()); // just made from its spec: nothing to bring in line
        }
        keepInForce(spec);
        register(spec);
    }

    /**
     * Points {@code schema.table} at this warehouse's copy. A name already registered elsewhere (another
     * warehouse used earlier in the same session: tests, notebooks) is re-pointed; the data is not touched,
     * since every table here is external.
     */
    private void register(TableSpec spec) {
        TableIdentifier id = TableIdentifier.apply(spec.name(), Option.apply(spec.schema()));
        if (spark.sessionState().catalog().tableExists(id)) {
            if (sameLocation(registeredLocation(id), location(spec))) {
                return;
            }
            spark.sessionState().catalog().dropTable(id, true, false);
        }
        spark.sql("CREATE TABLE IF NOT EXISTS " + spec.qualifiedName() + " USING delta LOCATION '" + location(spec) + "'");
    }

    private String registeredLocation(TableIdentifier id) {
        try {
            return spark.sessionState().catalog().getTableMetadata(id).location().toString();
        } catch (Exception e) { // the Scala API declares NoSuchTable/NoSuchDatabase; both mean: not registered
            return "";
        }
    }

    private static boolean sameLocation(String a, String b) {
        return a.replaceFirst("^file:/+", "/").replaceAll("/$", "").equals(b.replaceFirst("^file:/+", "/").replaceAll("/$", ""));
    }

    /**
     * Replaces the rows matching {@code replaceWhere} with {@code rows} in one Delta commit: a rerun of the
     * same slice leaves the table as one run leaves it. Returns the rows written, from this write's commit (rows Delta
     * only copied out of rewritten files are not counted).
     */
    public long replace(TableSpec spec, Dataset<Row> rows, String replaceWhere) {
        return replaceOnce(spec, rows, replaceWhere);
    }

    /**
     * A write that failed on the storage (a full disk, a permission error) becomes one line naming the table and its path;
     * Delta committed nothing of it, so the table is as it was. Other failures pass unchanged.
     */
    private RuntimeException writeFailure(TableSpec spec, Exception e) {
        return org.ews.run.Failures.onWrite(e, "cannot write " + spec.qualifiedName() + " at " + location(spec)
                + " (nothing of this write was committed)");
    }

    private long replaceOnce(TableSpec spec, Dataset<Row> rows, String replaceWhere) {
        long t0 = System.nanoTime();
        long before;
        long t1;
        // Only a failure up to the commit is "nothing committed"; reading the commit's metrics afterwards fails as itself.
        try {
            ensure(spec);
            before = lastCommit(spec).version();
            t1 = System.nanoTime();
            org.apache.spark.sql.DataFrameWriter<Row> writer = conformed(spec, rows).write().format("delta").mode("overwrite");
            if (replaceWhere != null) {
                writer = writer.option("replaceWhere", replaceWhere);
            }
            writer.save(location(spec));
        } catch (Exception e) { // Spark throws Delta's checked exceptions undeclared
            throw writeFailure(spec, e);
        }
        long t2 = System.nanoTime();
        Commit commit = lastCommit(spec);
        // Writing nothing over nothing makes no commit: then the last commit is an earlier run's. A replaceWhere on data
        // columns rewrites the files it touches and counts their other rows as output too; those are copies, not writes.
        long written = commit.version() == before ? 0 : commit.metric("numOutputRows") - commit.metric("numCopiedRows");
        LOG.debug("replace {}: ensure {} ms, write {} ms, metrics {} ms", spec.qualifiedName(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
        return written;
    }

    /** Rows a MERGE inserted and updated, from its own commit. */
    public record MergeCounts(long inserted, long updated) {
        public long written() {
            return inserted + updated;
        }
    }

    /**
     * MERGE on a business key in one Delta commit: rows of {@code source} (alias {@code s}) matching a target row
     * (alias {@code t}) on {@code on} replace it when {@code replaceWhen} holds, the others are inserted. The source
     * must hold at most one row per key. Put literal filters on the target's partition columns into {@code on} so
     * Delta prunes the partitions it reads.
     */
    public MergeCounts upsert(TableSpec spec, Dataset<Row> source, String on, String replaceWhen) {
        try {
            return upsertOnce(spec, source, on, replaceWhen);
        } catch (Exception e) {
            throw writeFailure(spec, e);
        }
    }

    private MergeCounts upsertOnce(TableSpec spec, Dataset<Row> source, String on, String replaceWhen) {
        ensure(spec);
        long before = lastCommit(spec).version();
        io.delta.tables.DeltaMergeBuilder merge = DeltaTable.forPath(spark, location(spec)).as("t")
                .merge(conformed(spec, source).as("s"), on);
        (replaceWhen == null ? merge.whenMatched() : merge.whenMatched(replaceWhen)).updateAll()
                .whenNotMatched().insertAll()
                .execute();
        return mergeCounts(spec, before);
    }

    /** MERGE that only updates {@code columns} of matching rows where {@code updateWhen} holds; inserts nothing. */
    public MergeCounts updateColumns(TableSpec spec, Dataset<Row> source, String on, String updateWhen, List<String> columns) {
        try {
            return updateColumnsOnce(spec, source, on, updateWhen, columns);
        } catch (Exception e) {
            throw writeFailure(spec, e);
        }
    }

    private MergeCounts updateColumnsOnce(TableSpec spec, Dataset<Row> source, String on, String updateWhen, List<String> columns) {
        ensure(spec);
        long before = lastCommit(spec).version();
        Map<String, String> set = new java.util.LinkedHashMap<>();
        columns.forEach(c -> set.put(c, "s." + c));
        io.delta.tables.DeltaMergeBuilder merge = DeltaTable.forPath(spark, location(spec)).as("t").merge(source.as("s"), on);
        (updateWhen == null ? merge.whenMatched() : merge.whenMatched(updateWhen)).updateExpr(set).execute();
        return mergeCounts(spec, before);
    }

    private MergeCounts mergeCounts(TableSpec spec, long versionBefore) {
        Commit commit = lastCommit(spec);
        if (commit.version() == versionBefore) {
            return new MergeCounts(0, 0);
        }
        return new MergeCounts(commit.metric("numTargetRowsInserted"), commit.metric("numTargetRowsUpdated"));
    }

    /** Replaces the whole table in one commit (small tables rebuilt from scratch: registry, reference bridges). */
    public long overwrite(TableSpec spec, Dataset<Row> rows) {
        return replace(spec, rows, null);
    }

    /** A commit: its version and its operation metrics (empty when the commit recorded none). */
    private record Commit(long version, Map<String, String> metrics) {
        long metric(String name) {
            String v = metrics.get(name);
            return v == null ? 0L : Long.parseLong(v);
        }
    }

    /**
     * The table's latest commit, read from its Delta log on the driver. {@code DeltaTable.history(1)} gives the same
     * through a DataFrame, at the cost of a Spark job, twice per write: a nightly writes some fifty times. The
     * classes used here are Delta's own (pinned to 3.3.x in the pom); the file is the protocol's
     * {@code _delta_log/<version>.json}.
     */
    private Commit lastCommit(TableSpec spec) {
        DeltaLog log = DeltaLog.forTable(spark, location(spec));
        long version = log.update(false, Option.empty(), Option.empty()).version();
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(log.logPath(), String.format("%020d.json", version));
        Option<org.apache.spark.sql.delta.actions.CommitInfo> info =
                org.apache.spark.sql.delta.DeltaHistoryManager.getCommitInfoOpt(log.store(), file, log.newDeltaHadoopConf());
        Map<String, String> metrics = info.isDefined() && info.get().operationMetrics().isDefined()
                ? scala.collection.JavaConverters.mapAsJavaMap(info.get().operationMetrics().get()) : Map.of();
        return new Commit(version, metrics);
    }

    /** The table's current metadata (properties, description, schema), from the Delta log without a Spark job. */
    private org.apache.spark.sql.delta.actions.Metadata metadata(TableSpec spec) {
        return DeltaLog.forTable(spark, location(spec)).update(false, Option.empty(), Option.empty()).metadata();
    }

    /** The table's columns, in its order and types; a missing column is a programming error, so fail loud. */
    private static Dataset<Row> conformed(TableSpec spec, Dataset<Row> rows) {
        Column[] cols = new Column[spec.columns().fields().length];
        int i = 0;
        for (StructField f : spec.columns().fields()) {
            cols[i++] = col(f.name()).cast(f.dataType()).as(f.name());
        }
        return rows.select(cols);
    }
}
