package org.ews.conform.entity;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.EwsConfig;
import org.ews.tables.Bronze;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.ews.conform.entity.OwnershipRollup.ISSUE_CYCLE;
import static org.ews.conform.entity.OwnershipRollup.ISSUE_MISSING_PARENT;
import static org.ews.conform.entity.OwnershipRollup.ISSUE_TOO_DEEP;
import static org.ews.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Roll-up of small hand-made registries. A link reads "parent owns child pct"; every expected row is written out:
 * firm, direct parent, its share, ultimate parent, depth, issue.
 *
 * <p>The cases under the default settings (control above 50%, max_depth 30) are one registry of separate groups,
 * each case with its own id prefix, rolled up once: a walk is a few Spark jobs a round, and a real registry holds
 * many unrelated groups side by side too.
 */
@ExtendWith(SharedSpark.class)
class OwnershipRollupTest {
    private static final StructType FIRMS = new StructType()
            .add(FIRM_ID, DataTypes.StringType).add(NAME, DataTypes.StringType);
    private static final StructType LINKS = new StructType()
            .add(PARENT_FIRM_ID, DataTypes.StringType).add(CHILD_FIRM_ID, DataTypes.StringType)
            .add(OWNERSHIP_PCT, Bronze.PERCENT);
    /** The output's columns and types, as silver.firms holds them. */
    private static final List<String> OUT = List.of(
            FIRM_ID + ": string", DIRECT_PARENT_FIRM_ID + ": string", DIRECT_PARENT_PCT + ": decimal(7,4)",
            PARENT_FIRM_ID + ": string", OWNERSHIP_DEPTH + ": int", OWNERSHIP_ISSUE + ": string");

    // 4-level chain. The firm list has a second row for CH-D (one firm still) and CH-X is owned but not registered.
    private static final Case CHAIN = new Case(
            List.of("CH-A", "CH-B", "CH-C", "CH-D", "CH-D"),
            List.of(link("CH-A", "CH-B", "100"), link("CH-B", "CH-C", "75.5"), link("CH-C", "CH-D", "60"),
                    link("CH-D", "CH-X", "100")));
    private static final Case MINORITY = new Case(
            List.of("MI-A", "MI-B", "MI-C"),
            List.of(link("MI-A", "MI-B", "40"), link("MI-A", "MI-C", "60")));
    private static final Case AT_THRESHOLD = new Case(
            List.of("TH-A", "TH-B", "TH-C"),
            List.of(link("TH-A", "TH-B", "50"), link("TH-A", "TH-C", "50.0001")));
    // TP-C is controlled twice (a data error); TP-T is held 60/60 by both.
    private static final Case TWO_PARENTS = new Case(
            List.of("TP-P1", "TP-P2", "TP-C", "TP-T"),
            List.of(link("TP-P1", "TP-C", "55"), link("TP-P2", "TP-C", "70"), link("TP-P2", "TP-T", "60"),
                    link("TP-P1", "TP-T", "60")));
    // A -> B -> C -> A with D under C; a second circle Z <-> Y with X under Z; W stands apart.
    private static final Case CYCLE = new Case(
            List.of("CY-A", "CY-B", "CY-C", "CY-D", "CY-W", "CY-X", "CY-Y", "CY-Z"),
            List.of(link("CY-A", "CY-B", "60"), link("CY-B", "CY-C", "70"), link("CY-C", "CY-A", "80"),
                    link("CY-C", "CY-D", "90"), link("CY-Z", "CY-Y", "51"), link("CY-Y", "CY-Z", "52"),
                    link("CY-Z", "CY-X", "100")));
    // MP-M owns MP-A but is not in the registry; MP-E is clean beside them.
    private static final Case MISSING = new Case(
            List.of("MP-A", "MP-B", "MP-C", "MP-E"),
            List.of(link("MP-M", "MP-A", "75"), link("MP-A", "MP-B", "100"), link("MP-B", "MP-C", "80")));
    // SL-A's self link leaves it alone; SL-B's 100% self link does not hide SL-A's 60%.
    private static final Case SELF_LINK = new Case(
            List.of("SL-A", "SL-B"),
            List.of(link("SL-A", "SL-A", "100"), link("SL-B", "SL-B", "100"), link("SL-A", "SL-B", "60")));

    private static final Case DEFAULT_CASES =
            Case.together(CHAIN, MINORITY, AT_THRESHOLD, TWO_PARENTS, CYCLE, MISSING, SELF_LINK);
    private static StructType underDefaultsSchema;
    private static List<Row> underDefaults;

    @BeforeAll
    static void rollUpTheDefaultCasesTogether() {
        Dataset<Row> out = new OwnershipRollup(EwsConfig.defaults().ownership())
                .rollUp(firmsOf(DEFAULT_CASES.firms), linksOf(DEFAULT_CASES.links));
        underDefaultsSchema = out.schema();
        underDefaults = out.collectAsList();
    }

    @Test
    void oneRowPerDistinctFirmWithTheSilverColumns() {
        assertEquals(OUT, Arrays.stream(underDefaultsSchema.fields())
                .map(f -> f.name() + ": " + f.dataType().simpleString()).toList());
        List<String> ids = underDefaults.stream().map(r -> r.getString(0)).sorted().toList();
        assertEquals(List.copyOf(new TreeSet<>(DEFAULT_CASES.firms)), ids, "each registered firm once, no other");
    }

    @Test
    void fourLevelChainRollsUpToItsTop() {
        assertRows(CHAIN, underDefaults,
                out("CH-A", null, null, "CH-A", 0, null),
                out("CH-B", "CH-A", "100.0000", "CH-A", 1, null),
                out("CH-C", "CH-B", "75.5000", "CH-A", 2, null),
                out("CH-D", "CH-C", "60.0000", "CH-A", 3, null));
    }

    @Test
    void minorityStakeDoesNotRollUp() {
        assertRows(MINORITY, underDefaults,
                out("MI-A", null, null, "MI-A", 0, null),
                out("MI-B", null, null, "MI-B", 0, null),
                out("MI-C", "MI-A", "60.0000", "MI-A", 1, null));
    }

    @Test
    void exactlyTheThresholdIsNotControl() {
        assertRows(AT_THRESHOLD, underDefaults,
                out("TH-A", null, null, "TH-A", 0, null),
                out("TH-B", null, null, "TH-B", 0, null),
                out("TH-C", "TH-A", "50.0001", "TH-A", 1, null));
    }

    @Test
    void ofTwoControllingParentsTheHighestShareWinsThenTheSmallestId() {
        assertRows(TWO_PARENTS, underDefaults,
                out("TP-P1", null, null, "TP-P1", 0, null),
                out("TP-P2", null, null, "TP-P2", 0, null),
                out("TP-C", "TP-P2", "70.0000", "TP-P2", 1, null),
                out("TP-T", "TP-P1", "60.0000", "TP-P1", 1, null));
    }

    @Test
    void cycleIsBrokenAtItsSmallestFirmAndTakesItsTailAlong() {
        assertRows(CYCLE, underDefaults,
                out("CY-A", "CY-C", "80.0000", "CY-A", 0, ISSUE_CYCLE),
                out("CY-B", "CY-A", "60.0000", "CY-A", 1, ISSUE_CYCLE),
                out("CY-C", "CY-B", "70.0000", "CY-A", 2, ISSUE_CYCLE),
                out("CY-D", "CY-C", "90.0000", "CY-A", 3, ISSUE_CYCLE),
                out("CY-W", null, null, "CY-W", 0, null),
                out("CY-X", "CY-Z", "100.0000", "CY-Y", 2, ISSUE_CYCLE),
                out("CY-Y", "CY-Z", "51.0000", "CY-Y", 0, ISSUE_CYCLE),
                out("CY-Z", "CY-Y", "52.0000", "CY-Y", 1, ISSUE_CYCLE));
    }

    @Test
    void missingParentStopsTheChainAtTheLastFirmHeld() {
        assertRows(MISSING, underDefaults,
                out("MP-A", "MP-M", "75.0000", "MP-A", 0, ISSUE_MISSING_PARENT),
                out("MP-B", "MP-A", "100.0000", "MP-A", 1, ISSUE_MISSING_PARENT),
                out("MP-C", "MP-B", "80.0000", "MP-A", 2, ISSUE_MISSING_PARENT),
                out("MP-E", null, null, "MP-E", 0, null));
    }

    @Test
    void selfLinkIsIgnored() {
        assertRows(SELF_LINK, underDefaults,
                out("SL-A", null, null, "SL-A", 0, null),
                out("SL-B", "SL-A", "60.0000", "SL-A", 1, null));
    }

    @Test
    void maxDepthCutsALongChainWhereItStands() {
        // The chain A -> B -> C -> D once more, and a circle of four firms (more than max_depth + 1 = 3): it is
        // not searched for, its firms are cut after 2 steps like any long chain.
        Case chain = new Case(List.of("A", "B", "C", "D"),
                List.of(link("A", "B", "100"), link("B", "C", "75.5"), link("C", "D", "60")));
        Case circle = new Case(List.of("Q1", "Q2", "Q3", "Q4"),
                List.of(link("Q1", "Q2", "60"), link("Q2", "Q3", "60"), link("Q3", "Q4", "60"),
                        link("Q4", "Q1", "60")));
        List<Row> rows = rollUp(new EwsConfig.Ownership(50.0, 2), Case.together(chain, circle));
        assertRows(chain, rows,
                out("A", null, null, "A", 0, null),
                out("B", "A", "100.0000", "A", 1, null),
                out("C", "B", "75.5000", "A", 2, null),
                out("D", "C", "60.0000", "B", 2, ISSUE_TOO_DEEP));
        assertRows(circle, rows,
                out("Q1", "Q4", "60.0000", "Q3", 2, ISSUE_TOO_DEEP),
                out("Q2", "Q1", "60.0000", "Q4", 2, ISSUE_TOO_DEEP),
                out("Q3", "Q2", "60.0000", "Q1", 2, ISSUE_TOO_DEEP),
                out("Q4", "Q3", "60.0000", "Q2", 2, ISSUE_TOO_DEEP));
    }

    @Test
    void zeroThresholdMakesASmallStakeControl() {
        // Every stake above 0 controls, like the generated registry's 4.5% back link; a 0% stake still does not.
        Case small = new Case(List.of("A", "B", "C"), List.of(link("A", "B", "4.5"), link("A", "C", "0")));
        assertRows(small, rollUp(new EwsConfig.Ownership(0.0, 30), small),
                out("A", null, null, "A", 0, null),
                out("B", "A", "4.5000", "A", 1, null),
                out("C", null, null, "C", 0, null));
    }

    /** A registry (firm ids, in order, repeats allowed) and its ownership links. */
    private record Case(List<String> firms, List<Row> links) {
        static Case together(Case... cases) {
            List<String> firms = new ArrayList<>();
            List<Row> links = new ArrayList<>();
            for (Case c : cases) {
                firms.addAll(c.firms);
                links.addAll(c.links);
            }
            return new Case(firms, links);
        }
    }

    private static List<Row> rollUp(EwsConfig.Ownership settings, Case registry) {
        return new OwnershipRollup(settings).rollUp(firmsOf(registry.firms), linksOf(registry.links)).collectAsList();
    }

    /** The rows of the case's firms, in firm order, are exactly {@code expected}. */
    private static void assertRows(Case c, List<Row> actual, Row... expected) {
        Set<String> ids = new TreeSet<>(c.firms);
        List<Row> mine = actual.stream().filter(r -> ids.contains(r.getString(0)))
                .sorted(Comparator.comparing(r -> r.getString(0))).toList();
        List<Row> want = Stream.of(expected).sorted(Comparator.comparing(r -> r.getString(0))).toList();
        assertEquals(want.toString(), mine.toString());
        assertEquals(want, mine);
    }

    private static SparkSession spark() {
        return SharedSpark.session();
    }

    /** Registry rows carry other columns too (a name here); the roll-up reads only the id. */
    private static Dataset<Row> firmsOf(List<String> ids) {
        return spark().createDataFrame(ids.stream().map(id -> RowFactory.create(id, "Firm " + id)).toList(), FIRMS);
    }

    private static Dataset<Row> linksOf(List<Row> links) {
        return spark().createDataFrame(links, LINKS);
    }

    private static Row link(String parent, String child, String pct) {
        return RowFactory.create(parent, child, new BigDecimal(pct));
    }

    private static Row out(String firm, String directParent, String directPct, String parent, int depth,
                           String issue) {
        return RowFactory.create(firm, directParent, directPct == null ? null : new BigDecimal(directPct), parent,
                depth, issue);
    }
}
