package org.ews.conform;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ews.conform.entity.EntityResolver;
import org.ews.conform.entity.OwnershipRollup;
import org.ews.ingest.RowRules;
import org.ews.run.RunContext;
import org.ews.spark.Warehouse;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;

import java.time.LocalDate;
import java.util.Objects;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * The firm registry traders are resolved against: the newest firms snapshot and the newest ownership snapshot on or
 * before the run date, with every firm rolled up to its ultimate parent. Silver holds the registry last built; it is
 * rebuilt only when bronze has a newer snapshot, and never moved back to an older one (rerunning an old date to fix its
 * customs files must not undo the registry a later night loaded). {@link #changed()} tells the stage to re-resolve
 * the traders already in silver.
 */
public final class RegistryInForce {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RegistryInForce.class);

    private final Dataset<Row> firms;
    private final Dataset<Row> firmNames;
    private final LocalDate snapshotDate;
    private final LocalDate ownershipDate;
    private final boolean changed;

    private RegistryInForce(Dataset<Row> firms, Dataset<Row> firmNames, LocalDate snapshotDate, LocalDate ownershipDate,
                            boolean changed) {
        this.firms = firms;
        this.firmNames = firmNames;
        this.snapshotDate = snapshotDate;
        this.ownershipDate = ownershipDate;
        this.changed = changed;
    }

    public static RegistryInForce load(RunContext ctx, EntityResolver resolver, OwnershipRollup rollup) {
        Warehouse wh = ctx.warehouse();
        LocalDate firmsSnapshot = newestSnapshot(wh, Bronze.FIRMS, ctx.to());
        LocalDate ownershipSnapshot = newestSnapshot(wh, Bronze.OWNERSHIP, ctx.to());
        LocalDate[] current = currentSnapshots(wh);
        boolean newer = firmsSnapshot != null && (current == null || firmsSnapshot.isAfter(current[0])
                || (firmsSnapshot.equals(current[0]) && ownershipSnapshot != null
                && (current[1] == null || ownershipSnapshot.isAfter(current[1]))));
        if (!newer) {
            if (current == null) {
                LOG.warn("No firm registry snapshot on or before {} in bronze.firms: every trader stays unresolved", ctx.to());
                Dataset<Row> none = ctx.spark().createDataFrame(java.util.List.of(), Silver.FIRMS.columns());
                return new RegistryInForce(none, ctx.spark().createDataFrame(java.util.List.of(), Silver.FIRM_NAMES.columns()),
                        null, null, false);
            }
            if (firmsSnapshot != null && !Objects.equals(firmsSnapshot, current[0])) {
                LOG.info("silver.firms holds snapshot {}, newer than {} in force on {}: kept", current[0], firmsSnapshot, ctx.to());
            }
            return new RegistryInForce(wh.read(Silver.FIRMS), wh.read(Silver.FIRM_NAMES), current[0], current[1], false);
        }
        Dataset<Row> registry = registryFirms(wh, firmsSnapshot);
        Dataset<Row> links = ownershipSnapshot == null
                ? ctx.spark().createDataFrame(java.util.List.of(), Bronze.OWNERSHIP.columns())
                : wh.read(Bronze.OWNERSHIP).where(col(SNAPSHOT_DATE).equalTo(lit(java.sql.Date.valueOf(ownershipSnapshot))));
        Dataset<Row> parents = rollup.rollUp(registry.select(FIRM_ID), links.select(PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT));
        Dataset<Row> firms = registry.join(parents, FIRM_ID)
                .withColumn(OWNERSHIP_SNAPSHOT_DATE, lit(ownershipSnapshot == null ? null : java.sql.Date.valueOf(ownershipSnapshot)).cast("date"))
                .withColumn(RUN_ID, lit(ctx.runId()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> names = resolver.firmNames(firms)
                .withColumn(SNAPSHOT_DATE, lit(java.sql.Date.valueOf(firmsSnapshot)))
                .withColumn(RUN_ID, lit(ctx.runId()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        LOG.info("Registry snapshot {} (ownership {}) replaces {}", firmsSnapshot, ownershipSnapshot,
                current == null ? "nothing" : current[0] + " (ownership " + current[1] + ")");
        return new RegistryInForce(firms, names, firmsSnapshot, ownershipSnapshot, true);
    }

    /**
     * One row per firm of the snapshot, in silver's shape minus the ownership columns. A firm listed twice (two files
     * of one snapshot) keeps its last listing by file and row, with a warning: two rows would double its lines.
     */
    static Dataset<Row> registryFirms(Warehouse wh, LocalDate snapshot) {
        Column aliases = filter(transform(split(coalesce(col(ALIASES), lit("")), ";"), a -> trim(a, RowRules.BLANK)), a -> length(a).gt(0));
        Dataset<Row> listed = wh.read(Bronze.FIRMS).where(col(SNAPSHOT_DATE).equalTo(lit(java.sql.Date.valueOf(snapshot))));
        Row n = listed.agg(count(lit(1)), countDistinct(col(FIRM_ID))).head();
        if (n.getLong(0) != n.getLong(1)) {
            LOG.warn("Registry snapshot {} lists {} firms in {} rows: each repeated firm keeps its last listing", snapshot,
                    n.getLong(1), n.getLong(0));
        }
        String rank = "listing_rank";
        return listed.withColumn(rank, row_number().over(org.apache.spark.sql.expressions.Window.partitionBy(col(FIRM_ID))
                        .orderBy(col(SOURCE_FILE).desc(), col(SOURCE_ROW).desc())))
                .where(col(rank).equalTo(1))
                .select(col(FIRM_ID), col(NAME), col(COUNTRY), col(REGISTRATION_NUMBER),
                        EntityResolver.registrationNumberNorm(col(REGISTRATION_NUMBER)).as(REGISTRATION_NUMBER_NORM),
                        col(LEI), col(INDUSTRY_CODE), col(INDUSTRY_SCHEME), col(EMPLOYEES), col(REVENUE_USD),
                        aliases.as(ALIASES), col(SNAPSHOT_DATE));
    }

    private static LocalDate newestSnapshot(Warehouse wh, org.ews.tables.TableSpec spec, LocalDate onOrBefore) {
        if (!wh.exists(spec)) {
            return null;
        }
        Row r = wh.read(spec).where(col(SNAPSHOT_DATE).leq(lit(java.sql.Date.valueOf(onOrBefore))))
                .agg(max(col(SNAPSHOT_DATE))).head();
        return r.isNullAt(0) ? null : r.getDate(0).toLocalDate();
    }

    /** [firms snapshot, ownership snapshot] of silver.firms, or null when it is empty or absent. */
    private static LocalDate[] currentSnapshots(Warehouse wh) {
        if (!wh.exists(Silver.FIRMS)) {
            return null;
        }
        java.util.List<Row> rows = wh.read(Silver.FIRMS).select(SNAPSHOT_DATE, OWNERSHIP_SNAPSHOT_DATE).limit(1).collectAsList();
        if (rows.isEmpty()) {
            return null;
        }
        Row r = rows.get(0);
        return new LocalDate[]{r.getDate(0).toLocalDate(), r.isNullAt(1) ? null : r.getDate(1).toLocalDate()};
    }

    public Dataset<Row> firms() {
        return firms;
    }

    public Dataset<Row> firmNames() {
        return firmNames;
    }

    public LocalDate snapshotDate() {
        return snapshotDate;
    }

    public LocalDate ownershipDate() {
        return ownershipDate;
    }

    public boolean changed() {
        return changed;
    }

    public String describe() {
        return snapshotDate == null ? "no registry" : "registry " + snapshotDate + (ownershipDate == null ? "" : ", ownership " + ownershipDate)
                + (changed ? " (loaded)" : " (unchanged)");
    }

    public void unpersist() {
        if (changed) {
            firms.unpersist();
            firmNames.unpersist();
        }
    }
}
