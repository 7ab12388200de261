package org.ews.conform.entity;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.ews.config.EwsConfig;
import org.ews.tables.Bronze;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Rolls every firm of the registry up to its ultimate parent through controlling ownership links.
 *
 * <p>A link controls its child when its share is above {@code ownership.control_threshold_pct}; a firm listed as
 * its own owner is passed over. A firm's direct parent is its controlling owner with the highest share (the
 * smallest parent id on a tie), which can only be one when the data are sound. From there every firm's chain is
 * walked up in Spark, one step per round, by a join of the rows still walking against the parent of every firm.
 * Each round's rows are cut from their lineage ({@code localCheckpoint}) and filled by the one job that also counts
 * the rows still walking; the walk stops when none is, so nothing is collected on the driver. The rounds are as
 * many as the longest chain (at most {@code ownership.max_depth}), after a search for circles that takes as many
 * as the longest run of rising firm ids up a chain (at most as many again, usually one or two).
 *
 * <p>The result reads those checkpoints, kept by the executors of this session: write it out in the same session.
 *
 * <p>Where a chain ends:
 * <ul>
 *   <li>at a firm without a controlling owner: clean, no issue;</li>
 *   <li>at the last firm held in the registry, when its controlling owner is not: {@link #ISSUE_MISSING_PARENT} for
 *       that firm and every firm below it (the firm's direct parent still names the missing owner);</li>
 *   <li>on circular control: the circle is broken at its smallest firm id, which becomes the top of the chain of
 *       every firm on the circle and of every firm whose chain runs into it, all with {@link #ISSUE_CYCLE};</li>
 *   <li>after {@code max_depth} steps when the top is farther away: {@link #ISSUE_TOO_DEEP}, the parent being the
 *       firm reached there. A circle of more than {@code max_depth + 1} firms is such a chain: it is not searched
 *       for further and its firms come out too deep.</li>
 * </ul>
 * The depth is the number of steps from a firm to the parent it is given (0 for a firm that is its own parent).
 */
public final class OwnershipRollup {
    public static final String ISSUE_CYCLE = "cycle", ISSUE_MISSING_PARENT = "missing_parent", ISSUE_TOO_DEEP = "too_deep";

    // Working columns; none reaches the output.
    /** The firm a row of the parent table describes. */
    private static final String NODE = "_node";
    /** The node's controlling owner when the registry holds it and the chain goes on through it; null at a top. */
    private static final String UP = "_up";
    /** The issue of every chain that ends at the node, when it is a top. */
    private static final String END_ISSUE = "_end_issue";
    private static final String RANK = "_rank";
    private static final String START = "_start";
    private static final String AT = "_at";
    private static final String AT_UP = "_at_up";
    private static final String AT_END_ISSUE = "_at_end_issue";
    private static final String STEPS = "_steps";

    private final EwsConfig.Ownership settings;

    public OwnershipRollup(EwsConfig.Ownership settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * firms: FIRM_ID (+ other columns, ignored); links: PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT (decimal).
     * Returns one row per distinct firm of {@code firms}: FIRM_ID, DIRECT_PARENT_FIRM_ID, DIRECT_PARENT_PCT
     * (decimal(7,4)), PARENT_FIRM_ID, OWNERSHIP_DEPTH (int), OWNERSHIP_ISSUE (string, null when clean).
     * The walk's jobs run during the call; the rows returned are computed when read.
     */
    public Dataset<Row> rollUp(Dataset<Row> firms, Dataset<Row> links) {
        Dataset<Row> ids = firms.select(col(FIRM_ID)).where(col(FIRM_ID).isNotNull()).distinct();
        Dataset<Row> direct = directParents(links);
        Dataset<Row> held = ids.select(col(FIRM_ID).as(UP));
        // One row per firm: its direct parent, and that parent again when the registry holds it.
        Dataset<Row> firmParents = ids
                .join(direct, col(FIRM_ID).equalTo(col(CHILD_FIRM_ID)), "left")
                .join(held, col(DIRECT_PARENT_FIRM_ID).equalTo(col(UP)), "left")
                .select(col(FIRM_ID), col(DIRECT_PARENT_FIRM_ID), col(DIRECT_PARENT_PCT), col(UP))
                .localCheckpoint(false);
        long climbing = materialize(firmParents, col(UP).gt(col(FIRM_ID)))[0];

        List<Dataset<Row>> cycleBreaks = cycleMinima(firmParents, climbing);
        Column breaksHere = cycleBreaks.isEmpty() ? lit(false) : col(START).isNotNull();
        Dataset<Row> withBreaks = cycleBreaks.isEmpty() ? firmParents : firmParents.join(
                cycleBreaks.stream().reduce(Dataset::union).orElseThrow(), col(FIRM_ID).equalTo(col(START)), "left");
        Dataset<Row> parents = withBreaks
                .select(col(FIRM_ID).as(NODE),
                        when(breaksHere, lit(null).cast(DataTypes.StringType)).otherwise(col(UP)).as(UP),
                        when(breaksHere, lit(ISSUE_CYCLE))
                                .when(col(DIRECT_PARENT_FIRM_ID).isNotNull().and(col(UP).isNull()),
                                        lit(ISSUE_MISSING_PARENT))
                                .otherwise(lit(null).cast(DataTypes.StringType)).as(END_ISSUE))
                .localCheckpoint(false);
        long owned = materialize(parents, col(UP).isNotNull())[0];

        Dataset<Row> tops = walkUp(parents, owned);
        return firmParents.join(tops, FIRM_ID).select(
                col(FIRM_ID),
                col(DIRECT_PARENT_FIRM_ID),
                col(DIRECT_PARENT_PCT).cast(Bronze.PERCENT).as(DIRECT_PARENT_PCT),
                col(PARENT_FIRM_ID),
                col(OWNERSHIP_DEPTH).cast(DataTypes.IntegerType).as(OWNERSHIP_DEPTH),
                col(OWNERSHIP_ISSUE).cast(DataTypes.StringType).as(OWNERSHIP_ISSUE));
    }

    /** CHILD_FIRM_ID, DIRECT_PARENT_FIRM_ID, DIRECT_PARENT_PCT: the controlling owner with the highest share. */
    private Dataset<Row> directParents(Dataset<Row> links) {
        Column control = col(PARENT_FIRM_ID).isNotNull()
                .and(col(CHILD_FIRM_ID).isNotNull())
                .and(col(PARENT_FIRM_ID).notEqual(col(CHILD_FIRM_ID)))
                .and(col(OWNERSHIP_PCT).gt(lit(BigDecimal.valueOf(settings.controlThresholdPct()))));
        return links
                .select(col(PARENT_FIRM_ID), col(CHILD_FIRM_ID), col(OWNERSHIP_PCT))
                .where(control)
                .withColumn(RANK, row_number().over(Window.partitionBy(col(CHILD_FIRM_ID))
                        .orderBy(col(OWNERSHIP_PCT).desc(), col(PARENT_FIRM_ID).asc())))
                .where(col(RANK).equalTo(1))
                .select(col(CHILD_FIRM_ID), col(PARENT_FIRM_ID).as(DIRECT_PARENT_FIRM_ID),
                        col(OWNERSHIP_PCT).as(DIRECT_PARENT_PCT));
    }

    /**
     * The smallest firm id (START) of every circle of control of at most max_depth + 1 firms, in the parts found
     * round by round (none when there is no such circle). Only the walk from a circle's smallest id comes back to
     * where it started without passing a smaller id, so a walk is dropped as soon as it passes one or reaches a top:
     * the {@code climbing} walks (of firms whose parent has a larger id) set out, and few last long.
     */
    private List<Dataset<Row>> cycleMinima(Dataset<Row> firmParents, long climbing) {
        Dataset<Row> edges = firmParents.where(col(UP).isNotNull()).select(col(FIRM_ID).as(NODE), col(UP));
        Dataset<Row> walks = edges.where(col(UP).gt(col(NODE))).select(col(NODE).as(START), col(UP).as(AT));
        List<Dataset<Row>> found = new ArrayList<>();
        long walking = climbing;
        for (int step = 2; step <= settings.maxDepth() + 1 && walking > 0; step++) {
            Dataset<Row> moved = walks.join(edges, col(AT).equalTo(col(NODE)))
                    .select(col(START), col(UP).as(AT))
                    .where(col(AT).geq(col(START)))
                    .localCheckpoint(false);
            long[] counts = materialize(moved, col(AT).gt(col(START)), col(AT).equalTo(col(START)));
            walking = counts[0];
            if (counts[1] > 0) {
                found.add(moved.where(col(AT).equalTo(col(START))).select(col(START)));
            }
            walks = moved.where(col(AT).gt(col(START)));
        }
        return found;
    }

    /**
     * FIRM_ID, PARENT_FIRM_ID, OWNERSHIP_DEPTH, OWNERSHIP_ISSUE: every firm walked up {@code parents} (NODE, UP,
     * END_ISSUE, circles already broken; {@code owned} of them have an UP) one step a round until it stands at a top
     * or has taken max_depth steps.
     */
    private Dataset<Row> walkUp(Dataset<Row> parents, long owned) {
        int maxDepth = settings.maxDepth();
        Column arrived = col(AT_UP).isNull().or(col(STEPS).geq(maxDepth));
        Dataset<Row> walks = parents.select(col(NODE).as(FIRM_ID), col(NODE).as(AT), col(UP).as(AT_UP),
                col(END_ISSUE).as(AT_END_ISSUE), lit(0).as(STEPS));
        long walking = maxDepth > 0 ? owned : 0;
        List<Dataset<Row>> done = new ArrayList<>();
        while (true) {
            done.add(walks.where(arrived).select(col(FIRM_ID), col(AT).as(PARENT_FIRM_ID),
                    col(STEPS).as(OWNERSHIP_DEPTH),
                    when(col(AT_UP).isNull(), col(AT_END_ISSUE)).otherwise(lit(ISSUE_TOO_DEEP)).as(OWNERSHIP_ISSUE)));
            if (walking == 0) {
                break;
            }
            walks = walks.where(not(arrived)).join(parents, col(AT_UP).equalTo(col(NODE)))
                    .select(col(FIRM_ID), col(NODE).as(AT), col(UP).as(AT_UP), col(END_ISSUE).as(AT_END_ISSUE),
                            col(STEPS).plus(1).as(STEPS))
                    .localCheckpoint(false);
            walking = materialize(walks, not(arrived))[0];
        }
        return done.stream().reduce(Dataset::union).orElseThrow();
    }

    /**
     * Runs the one job that fills a lazily local-checkpointed {@code rows} (it reads every partition), and returns
     * the number of its rows meeting each condition: the lineage is cut and the loop learns whether to go on,
     * without a second pass.
     */
    private static long[] materialize(Dataset<Row> rows, Column... conditions) {
        Column[] counts = new Column[conditions.length];
        for (int i = 0; i < conditions.length; i++) {
            counts[i] = count(when(conditions[i], lit(true)));
        }
        Row r = rows.agg(counts[0], Arrays.copyOfRange(counts, 1, counts.length)).first();
        long[] out = new long[conditions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.getLong(i);
        }
        return out;
    }
}
