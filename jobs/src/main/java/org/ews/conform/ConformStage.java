package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ews.config.EwsConfig;
import org.ews.conform.entity.EntityResolver;
import org.ews.conform.entity.OwnershipRollup;
import org.ews.quality.QualityGate;
import org.ews.run.EwsException;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.spark.Warehouse;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Silver conformance of the run's landing dates: bronze customs lines become {@code silver.trade_lines} (the version
 * in force per declaration line, HS6, ISO partner, USD, kg, resolved firm and ultimate parent); the registry in force
 * becomes {@code silver.firms} and {@code silver.firm_names}; name-matching candidates go to
 * {@code silver.entity_matches}; lines that cannot be conformed go to {@code bronze.quarantine}.
 *
 * <p>The work follows the day's data: only bronze rows landed on the run's dates are read, and silver is merged on the
 * business key within the (reporter, month) partitions they touch. A newer registry snapshot re-resolves the traders
 * already in silver (distinct names, not lines) and rewrites only the lines whose firm or parent changed.
 */
public final class ConformStage implements Stage {
    public static final String NAME = "conform";

    private static final String KEY_MATCH = "t." + REPORTER + " = s." + REPORTER + " AND t." + MONTH + " = s." + MONTH
            + " AND t." + DECLARATION_ID + " = s." + DECLARATION_ID + " AND t." + LINE_NO + " = s." + LINE_NO;
    /** A higher version replaces; an equal one only if it is the same arrival (a rerun) or an earlier one. */
    private static final String VERSION_IN_FORCE = "s." + VERSION + " > t." + VERSION + " OR (s." + VERSION + " = t." + VERSION
            + " AND s." + LANDING_DATE + " <= t." + LANDING_DATE + ")";
    private static final List<String> RESOLUTION_COLUMNS = List.of(TRADER_NAME_NORM, FIRM_ID, PARENT_FIRM_ID, MATCH_METHOD,
            MATCH_SCORE, RUN_ID);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        // Silver rows and the run's own metrics are checked before the first write (quality.*); recorded when it closes.
        try (QualityGate gate = QualityGate.open(ctx, NAME)) {
            StageResult result = run(ctx, gate);
            gate.completed();
            return result;
        }
    }

    /**
     * Where the stage's time went, for the operator and the benchmark's profile: each phase ends with the action that
     * computes it (the counts per reason fill the checked batch's cache, the counts per match method the linked one's).
     */
    private static String phases(long started, long ruled, long linked, long gated, long ended) {
        return String.format(java.util.Locale.ROOT, "; time: reference, rules and FX %.1f s, versions and trader links %.1f s, "
                        + "quality gate %.1f s, writes %.1f s", (ruled - started) / 1e9, (linked - ruled) / 1e9, (gated - linked) / 1e9,
                (ended - gated) / 1e9);
    }

    private StageResult run(RunContext ctx, QualityGate gate) {
        long started = System.nanoTime();
        EwsConfig config = ctx.config();
        Warehouse wh = ctx.warehouse();
        ReferenceData reference = ReferenceData.load(ctx.spark(), config.paths().reference(), ctx.landing());
        EntityResolver resolver = new EntityResolver(config.entity());
        RegistryInForce registry = RegistryInForce.load(ctx, resolver, new OwnershipRollup(config.ownership()));

        Dataset<Row> bronze = bronzeLines(ctx);
        // Rules first, then the version in force among the usable rows: a newer version that cannot be used leaves
        // the older one in force, in a backfill exactly as in nightly runs of the same dates.
        Dataset<Row> lines = TradeLineRules.withHsCodes(bronze, config.conform().hsEditions());
        lines = TradeLineRules.withPartner(lines, reference.partnerAliases());
        lines = TradeLineRules.withUsdValue(lines, reference.fxRates());
        lines = TradeLineRules.withQuantities(lines, reference.units());
        Dataset<Row> checked = TradeLineRules.withReasons(lines, reference.fxSources()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<ConformCounts> counts = ConformCounts.of(checked);
            long ruled = System.nanoTime();
            List<String> violations = ConformCounts.violations(counts, config.conform());
            if (!violations.isEmpty()) {
                throw new EwsException("conform stopped, nothing written: " + String.join("; ", violations)
                        + ". Fix the reference data or the feed, or rerun with --set conform.max_bad_row_share=...");
            }
            long rowsIn = counts.stream().mapToLong(ConformCounts::rows).sum();
            long quarantinedExpected = counts.stream().mapToLong(ConformCounts::quarantined).sum();
            Dataset<Row> inForce = TradeLineRules.latestVersions(checked.where(col(REASON_CODE).isNull()));

            TraderLinks links = TraderLinks.resolve(ctx, resolver, registry, inForce, wh.exists(Silver.TRADE_LINES) && registry.changed());
            Dataset<Row> linked = rowsIn > quarantinedExpected
                    ? links.apply(inForce).withColumn(RUN_ID, lit(ctx.runId())).persist(StorageLevel.MEMORY_AND_DISK()) : null;
            try {
                // The lines per match method: the stage's detail, and the action that fills linked's cache, so that the
                // gate below reads the cache and its time is the checks' own. With the gate as linked's first action, its
                // "checking" time included the version pick and the trader-link join of the whole batch.
                Map<String, Long> methods = new TreeMap<>();
                if (linked != null) {
                    linked.groupBy(MATCH_METHOD).count().collectAsList().forEach(r -> methods.put(r.getString(0), r.getLong(1)));
                }
                long conformed = methods.values().stream().mapToLong(Long::longValue).sum();
                long linkedAt = System.nanoTime();
                // The gates, before anything is written: the batch about to be merged into silver, the registry about to
                // replace silver.firms, and the run's rows and value per reporter and landing date against their history.
                if (linked != null) {
                    gate.check(Silver.TRADE_LINES, linked, "the lines landed " + ctx.describeDates() + " at their version in force");
                }
                if (registry.changed()) {
                    gate.check(Silver.FIRMS, registry.firms(), "the registry snapshot of " + registry.snapshotDate());
                }
                gate.checkMetrics(Silver.TRADE_LINES, checked.where(col(REASON_CODE).isNull()));
                long gated = System.nanoTime();

                List<String> tables = new ArrayList<>();
                wh.overwrite(Silver.HS6_SECTORS, reference.hs6Sectors().withColumn(RUN_ID, lit(ctx.runId())));
                tables.add(Silver.HS6_SECTORS.qualifiedName());
                if (registry.changed()) {
                    wh.overwrite(Silver.FIRM_NAMES, registry.firmNames());
                    tables.add(Silver.FIRM_NAMES.qualifiedName());
                }
                String history = "";
                if (registry.changed() && wh.exists(Silver.TRADE_LINES)) {
                    long relinked = relinkHistory(ctx, links);
                    history = String.format(", %,d earlier lines relinked", relinked);
                    tables.add(Silver.TRADE_LINES.qualifiedName());
                }
                writeEntityMatches(ctx, links, registry);
                tables.add(Silver.ENTITY_MATCHES.qualifiedName());

                Warehouse.MergeCounts merged = new Warehouse.MergeCounts(0, 0);
                if (linked != null) {
                    merged = wh.upsert(Silver.TRADE_LINES, linked, partitionFilter(linked) + " AND " + KEY_MATCH, VERSION_IN_FORCE);
                    if (!tables.contains(Silver.TRADE_LINES.qualifiedName())) {
                        tables.add(Silver.TRADE_LINES.qualifiedName());
                    }
                }
                long quarantined = writeQuarantine(ctx, checked);
                if (quarantined != quarantinedExpected) {
                    throw new EwsException("row accounting broken for " + Bronze.QUARANTINE.qualifiedName() + ": wrote "
                            + quarantined + " rows, counted " + quarantinedExpected + "; rerun the dates");
                }
                tables.add(Bronze.QUARANTINE.qualifiedName());
                if (registry.changed()) {
                    // Last: silver.firms is what says which registry is in force, so a run that dies before this
                    // point finds the snapshot still new on its rerun and redoes the names, relinks and matches.
                    wh.overwrite(Silver.FIRMS, registry.firms());
                    tables.add(Silver.FIRMS.qualifiedName());
                }
                Map<String, Long> reasons = new TreeMap<>();
                counts.forEach(c -> c.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum)));
                String detail = String.format("%,d superseded, %,d conformed: %,d inserted, %,d updated, %,d not newer than silver"
                                + "; traders %s; %s%s",
                        rowsIn - quarantined - conformed, conformed, merged.inserted(), merged.updated(), conformed - merged.written(),
                        methods.isEmpty() ? "none" : methods.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")), registry.describe(), history)
                        + phases(started, ruled, linkedAt, gated, System.nanoTime());
                return new StageResult(NAME, rowsIn, merged.written(), quarantined, tables, detail, reasons, 0);
            } finally {
                if (linked != null) {
                    linked.unpersist();
                }
                links.unpersist();
            }
        } finally {
            checked.unpersist();
            registry.unpersist();
        }
    }

    /** Bronze lines landed on the run's dates; nothing when ingest never ran. */
    static Dataset<Row> bronzeLines(RunContext ctx) {
        if (!ctx.warehouse().exists(Bronze.CUSTOMS_LINES)) {
            return ctx.spark().createDataFrame(List.of(), Bronze.CUSTOMS_LINES.columns());
        }
        return ctx.warehouse().read(Bronze.CUSTOMS_LINES).where(col(LANDING_DATE).between(
                lit(java.sql.Date.valueOf(ctx.from())), lit(java.sql.Date.valueOf(ctx.to()))));
    }

    /**
     * Literal filters on the partitions the batch touches, so the MERGE reads those (reporter, month) partitions of
     * silver and no others. The lists are small: reporters, and months within the filing lag.
     */
    static String partitionFilter(Dataset<Row> lines) {
        List<Row> parts = lines.select(REPORTER, MONTH).distinct().collectAsList();
        String reporters = parts.stream().map(r -> "'" + r.getString(0).replace("'", "''") + "'").distinct().sorted()
                .collect(Collectors.joining(", "));
        String months = parts.stream().map(r -> "DATE'" + r.getDate(1) + "'").distinct().sorted().collect(Collectors.joining(", "));
        return "t." + REPORTER + " IN (" + reporters + ") AND t." + MONTH + " IN (" + months + ")";
    }

    /** Rewrites firm, parent and match of the silver lines whose trader now resolves differently. */
    private static long relinkHistory(RunContext ctx, TraderLinks links) {
        Dataset<Row> silver = ctx.warehouse().read(Silver.TRADE_LINES);
        Dataset<Row> changed = links.changedLines(silver).withColumn(RUN_ID, lit(ctx.runId()));
        return ctx.warehouse().updateColumns(Silver.TRADE_LINES, changed, KEY_MATCH, null, RESOLUTION_COLUMNS).updated();
    }

    /**
     * After a registry change the candidates are rebuilt for every trader name; otherwise the batch's names are
     * added (a name's candidates depend only on the registry, so names seen before keep theirs).
     */
    private static void writeEntityMatches(RunContext ctx, TraderLinks links, RegistryInForce registry) {
        Dataset<Row> rows = links.candidates()
                .withColumn(SNAPSHOT_DATE, lit(registry.snapshotDate() == null ? null : java.sql.Date.valueOf(registry.snapshotDate())).cast("date"))
                .withColumn(RUN_ID, lit(ctx.runId()));
        if (registry.changed() || !ctx.warehouse().exists(Silver.ENTITY_MATCHES)) {
            ctx.warehouse().overwrite(Silver.ENTITY_MATCHES, rows);
        } else {
            ctx.warehouse().upsert(Silver.ENTITY_MATCHES, rows, "t." + REPORTER + " = s." + REPORTER + " AND t." + TRADER_NAME_NORM
                    + " = s." + TRADER_NAME_NORM + " AND t." + CANDIDATE_FIRM_ID + " = s." + CANDIDATE_FIRM_ID, "true");
        }
    }

    /** Replaces this stage's quarantine rows of the run's landing dates. */
    private static long writeQuarantine(RunContext ctx, Dataset<Row> checked) {
        Dataset<Row> bad = checked.where(col(REASON_CODE).isNotNull()).select(
                lit(ctx.runId()).as(RUN_ID), lit(NAME).as(STAGE), lit(org.ews.ingest.Feed.CUSTOMS.id()).as(FEED), col(REPORTER), col(LANDING_DATE),
                col(SOURCE_FILE), col(SOURCE_ROW), TradeLineRules.rowText().as(ROW_TEXT), col(REASON_CODE), col(REASON));
        return ctx.warehouse().replace(Bronze.QUARANTINE, bad, STAGE + " = '" + NAME + "' AND " + LANDING_DATE
                + " BETWEEN DATE'" + ctx.from() + "' AND DATE'" + ctx.to() + "'");
    }
}
