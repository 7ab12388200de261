package org.ews.publish;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.ews.config.PublishConfig;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weekly upkeep of every table ({@code bin/ews maintain}): OPTIMIZE compacts the small files nightly slice
 * replacements leave, Z-ordered on the columns analysts filter by (data skipping), then VACUUM deletes files no version
 * younger than {@code publish.maintain.vacuum_retain_hours} needs. Its own job, never part of a nightly run, because
 * VACUUM must not race a reader of an old version and OPTIMIZE rewrites whole partitions.
 */
public final class MaintainStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(MaintainStage.class);
    public static final String NAME = "maintain";

    /** What maintenance did to one table. */
    public record TableUpkeep(String table, long filesBefore, long filesRemoved, long filesAdded, long filesVacuumed,
                              long bytesBefore, long bytesAfter) {
        long filesAfter() {
            return filesBefore - filesRemoved + filesAdded;
        }

        String describe() {
            return String.format("%s: %,d -> %,d files (%s -> %s), %,d vacuumed", table, filesBefore, filesAfter(),
                    bytes(bytesBefore), bytes(bytesAfter), filesVacuumed);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        PublishConfig.Maintain m = ctx.config().publish().maintain();
        // VACUUM END commits carry the number of files deleted; history is how we report it.
        ctx.spark().conf().set("spark.databricks.delta.vacuum.logging.enabled", "true");
        List<TableUpkeep> done = new ArrayList<>();
        for (TableSpec spec : Tables.ALL) {
            if (ctx.warehouse().exists(spec)) {
                ctx.warehouse().ensure(spec);
                done.add(maintain(ctx, spec, m));
            }
        }
        done.forEach(u -> LOG.info("maintain {}", u.describe()));
        long before = done.stream().mapToLong(TableUpkeep::filesBefore).sum();
        long after = done.stream().mapToLong(TableUpkeep::filesAfter).sum();
        long vacuumed = done.stream().mapToLong(TableUpkeep::filesVacuumed).sum();
        String detail = String.format("%d tables: %,d -> %,d files, %,d old files vacuumed (retain %d h)%s", done.size(),
                before, after, vacuumed, m.vacuumRetainHours(), m.optimize() ? (m.zorder() ? ", Z-ordered" : ", compacted") : "");
        return new StageResult(NAME, before, after, 0, done.stream().map(TableUpkeep::table).toList(), detail, Map.of(), 0);
    }

    static TableUpkeep maintain(RunContext ctx, TableSpec spec, PublishConfig.Maintain m) {
        String location = ctx.warehouse().location(spec);
        String table = "delta.`" + location + "`";
        Row before = DeltaTable.forPath(ctx.spark(), location).detail().select("numFiles", "sizeInBytes").head();
        long removed = 0;
        long added = 0;
        if (m.optimize()) {
            String zorder = m.zorder() && !spec.zorderBy().isEmpty() ? " ZORDER BY (" + String.join(", ", spec.zorderBy()) + ")" : "";
            Row metrics = ctx.spark().sql("OPTIMIZE " + table + zorder).select("metrics.numFilesAdded", "metrics.numFilesRemoved").head();
            added = metrics.getLong(0);
            removed = metrics.getLong(1);
        }
        ctx.spark().sql("VACUUM " + table + " RETAIN " + m.vacuumRetainHours() + " HOURS").collect();
        Row vacuum = DeltaTable.forPath(ctx.spark(), location).history(1).select("operation", "operationMetrics").head();
        long vacuumed = "VACUUM END".equals(vacuum.getString(0)) && !vacuum.isNullAt(1)
                ? Long.parseLong(vacuum.<String, String>getJavaMap(1).getOrDefault("numDeletedFiles", "0")) : 0;
        long bytesAfter = DeltaTable.forPath(ctx.spark(), location).detail().select("sizeInBytes").head().getLong(0);
        return new TableUpkeep(spec.qualifiedName(), before.getLong(0), removed, added, vacuumed, before.getLong(1), bytesAfter);
    }

    static String bytes(long b) {
        return b >= 1 << 20 ? String.format("%.1f MiB", b / 1048576.0) : String.format("%.0f KiB", b / 1024.0);
    }
}
