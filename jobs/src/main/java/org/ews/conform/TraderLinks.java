package org.ews.conform;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ews.conform.entity.EntityResolver;
import org.ews.run.RunContext;
import org.ews.tables.Silver;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Each distinct trader (reporter, id as declared, name as declared) with its firm, ultimate parent and match, and the
 * name-matching candidates behind them. Resolution runs on distinct traders, never on lines: a country's importers
 * number thousands while its lines number millions.
 */
final class TraderLinks {
    private static final String L = "link_";

    private final Dataset<Row> links;
    private final Dataset<Row> candidates;
    private final EntityResolver.Resolution resolution;

    private TraderLinks(Dataset<Row> links, Dataset<Row> candidates, EntityResolver.Resolution resolution) {
        this.links = links;
        this.candidates = candidates;
        this.resolution = resolution;
    }

    /**
     * Resolves the batch's traders; with {@code includeHistory}, also every trader already in silver (after a
     * registry change, so old lines follow the new registry).
     */
    static TraderLinks resolve(RunContext ctx, EntityResolver resolver, RegistryInForce registry, Dataset<Row> batch,
                               boolean includeHistory) {
        Dataset<Row> traders = batch.select(REPORTER, TRADER_ID, TRADER_NAME);
        if (includeHistory) {
            traders = traders.unionByName(ctx.warehouse().read(Silver.TRADE_LINES).select(REPORTER, TRADER_ID, TRADER_NAME));
        }
        EntityResolver.Resolution r = resolver.resolve(traders.distinct(),
                registry.firms().select(FIRM_ID, COUNTRY, REGISTRATION_NUMBER_NORM), registry.firmNames());
        Dataset<Row> parents = registry.firms().select(col(FIRM_ID).as(L + FIRM_ID), col(PARENT_FIRM_ID).as(L + PARENT_FIRM_ID));
        Dataset<Row> links = r.traders().join(parents, col(FIRM_ID).equalTo(col(L + FIRM_ID)), "left")
                .select(col(REPORTER), col(TRADER_ID), col(TRADER_NAME), col(TRADER_NAME_NORM), col(FIRM_ID),
                        coalesce(col(L + PARENT_FIRM_ID), col(FIRM_ID)).as(PARENT_FIRM_ID), col(MATCH_METHOD), col(MATCH_SCORE))
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new TraderLinks(links, r.candidates(), r);
    }

    /** The lines with their trader's firm, parent and match. */
    Dataset<Row> apply(Dataset<Row> lines) {
        Dataset<Row> l = prefixedKeys();
        return lines.join(l, joinCondition(lines, l), "left").drop(L + REPORTER, L + TRADER_ID, L + TRADER_NAME);
    }

    /**
     * Keys of the silver lines whose trader now links differently, with the new link: what a registry change must
     * rewrite, and nothing more.
     */
    Dataset<Row> changedLines(Dataset<Row> silver) {
        Dataset<Row> old = silver.select(col(REPORTER), col(MONTH), col(DECLARATION_ID), col(LINE_NO), col(TRADER_ID), col(TRADER_NAME),
                col(FIRM_ID).as("old_firm"), col(PARENT_FIRM_ID).as("old_parent"), col(MATCH_METHOD).as("old_method"),
                col(MATCH_SCORE).as("old_score"));
        Dataset<Row> l = prefixedKeys();
        Column same = col("old_firm").eqNullSafe(col(FIRM_ID)).and(col("old_parent").eqNullSafe(col(PARENT_FIRM_ID)))
                .and(col("old_method").eqNullSafe(col(MATCH_METHOD))).and(col("old_score").eqNullSafe(col(MATCH_SCORE)));
        return old.join(l, joinCondition(old, l), "inner").where(not(same))
                .select(col(REPORTER), col(MONTH), col(DECLARATION_ID), col(LINE_NO), col(TRADER_NAME_NORM), col(FIRM_ID),
                        col(PARENT_FIRM_ID), col(MATCH_METHOD), col(MATCH_SCORE));
    }

    Dataset<Row> candidates() {
        return candidates;
    }

    void unpersist() {
        links.unpersist();
        resolution.release();
    }

    private Dataset<Row> prefixedKeys() {
        return links.withColumnRenamed(REPORTER, L + REPORTER).withColumnRenamed(TRADER_ID, L + TRADER_ID)
                .withColumnRenamed(TRADER_NAME, L + TRADER_NAME);
    }

    private static Column joinCondition(Dataset<Row> lines, Dataset<Row> l) {
        return lines.col(REPORTER).equalTo(l.col(L + REPORTER)).and(lines.col(TRADER_ID).eqNullSafe(l.col(L + TRADER_ID)))
                .and(lines.col(TRADER_NAME).equalTo(l.col(L + TRADER_NAME)));
    }
}
