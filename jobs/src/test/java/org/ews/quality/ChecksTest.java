package org.ews.quality;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.QualityConfig;
import org.ews.config.QualityConfig.Rule;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The Deequ facade on small hand-made frames; every expected metric is counted by hand in the comments. */
@ExtendWith(SharedSpark.class)
class ChecksTest {
    private final SparkSession spark = SharedSpark.session();

    private static CheckOutcome find(List<CheckOutcome> outcomes, String rule) {
        return outcomes.stream().filter(o -> o.rule().equals(rule)).findFirst().orElseThrow(() -> new AssertionError(rule + " in " + outcomes));
    }

    @Test
    void aDuplicateBusinessKeyAndAMissingKeyFailWithTheirShares() {
        StructType schema = new StructType().add("reporter", DataTypes.StringType).add("declaration_id", DataTypes.StringType)
                .add("line_no", DataTypes.IntegerType);
        // Five lines; (KR, D1, 1) twice: 3 of 5 rows have a key of their own, uniqueness 3/5 = 0.6. One declaration_id
        // is null: completeness 4/5 = 0.8.
        Dataset<Row> lines = spark.createDataFrame(List.of(
                RowFactory.create("KR", "D1", 1), RowFactory.create("KR", "D1", 1), RowFactory.create("KR", "D1", 2),
                RowFactory.create("KR", "D2", 1), RowFactory.create("US", null, 1)), schema);
        List<CheckOutcome> out = Checks.verify(lines, "silver.trade_lines", List.of(
                Rule.of("unique", "error", "reporter", "declaration_id", "line_no"),
                Rule.of("complete", "warning", "reporter", "declaration_id")), "test batch");
        CheckOutcome unique = find(out, "unique(reporter, declaration_id, line_no)");
        assertEquals(CheckOutcome.Status.FAILED, unique.status());
        assertEquals(0.6, unique.metricValue(), 1e-12);
        assertEquals("error", unique.level());
        assertTrue(unique.stops());
        assertTrue(unique.message().contains("2 of 5 rows share their (reporter, declaration_id, line_no)"), unique.message());
        assertEquals(5L, unique.rowsChecked());
        CheckOutcome complete = find(out, "complete(declaration_id)");
        assertEquals(CheckOutcome.Status.FAILED, complete.status());
        assertEquals(0.8, complete.metricValue(), 1e-12);
        assertFalse(complete.stops(), "a warning does not stop the run");
        assertEquals(CheckOutcome.Status.PASSED, find(out, "complete(reporter)").status());
        assertEquals(1.0, find(out, "complete(reporter)").metricValue(), 1e-12);
    }

    @Test
    void aShareOfOnePointTwoAndOtherDomainBreachesAreCaught() {
        StructType schema = new StructType().add("hhi", DataTypes.DoubleType).add("top_partner", DataTypes.StringType)
                .add("severity", DataTypes.StringType).add("import_value_usd", DataTypes.createDecimalType(24, 6));
        // Four rows: hhi 1.2 breaks share (3 of 4 comply: 0.75); 1.0000000001 is rounding (allowed) and null is unknown.
        // top_partner 'CHN' is not two letters (3 of 4: 0.75); severity 'urgent' is not a severity (0.75); -5 USD is
        // negative (0.75), and 2e11 USD is not (Deequ's own isNonNegative would cast it to DECIMAL(20,10), make it null
        // and let a negative one of that size through).
        Dataset<Row> gold = spark.createDataFrame(List.of(
                RowFactory.create(0.4, "CN", "low", new java.math.BigDecimal("100")),
                RowFactory.create(1.2, "US", "high", new java.math.BigDecimal("200000000000")),
                RowFactory.create(1.0000000001, "CHN", "medium", new java.math.BigDecimal("-5")),
                RowFactory.create(null, null, "urgent", null)), schema);
        List<CheckOutcome> out = Checks.verify(gold, "gold.product_dependency", List.of(
                Rule.of("share", "error", "hhi"),
                Rule.of("pattern", "error", "top_partner").withPattern("^[A-Z]{2}$"),
                Rule.of("in_set", "warning", "severity").withValues("low", "medium", "high"),
                Rule.of("non_negative", "error", "import_value_usd"),
                new Rule("between", List.of("hhi"), "warning", 0.0, 0.5, null, null, null, 0.5, "low_hhi")), "all rows");
        CheckOutcome share = find(out, "share(hhi)");
        assertEquals(CheckOutcome.Status.FAILED, share.status());
        assertEquals(0.75, share.metricValue(), 1e-12);
        assertTrue(share.message().contains("1 of 4 rows have hhi outside [0, 1]"), share.message());
        assertEquals(0.75, find(out, "pattern(top_partner)").metricValue(), 1e-12);
        assertEquals(0.75, find(out, "in_set(severity)").metricValue(), 1e-12);
        assertEquals(0.75, find(out, "non_negative(import_value_usd)").metricValue(), 1e-12);
        // hhi <= 0.5: 0.4 and null comply, 2 of 4 = 0.5, and at_least 0.5 asks no more.
        CheckOutcome low = find(out, "low_hhi");
        assertEquals(0.5, low.metricValue(), 1e-12);
        assertEquals(CheckOutcome.Status.PASSED, low.status());
    }

    @Test
    void noRowsIsSkippedNotFailed() {
        StructType schema = new StructType().add("firm_id", DataTypes.StringType);
        List<CheckOutcome> out = Checks.verify(spark.createDataFrame(List.of(), schema), "silver.firms",
                List.of(Rule.of("complete", "error", "firm_id"), Rule.of("unique", "error", "firm_id")), "empty");
        assertEquals(2, out.size());
        out.forEach(o -> assertEquals(CheckOutcome.Status.SKIPPED, o.status(), o.toString()));
    }

    @Test
    void predicatesKeepNullsAndQuoteValues() {
        assertEquals("`partner` IS NULL OR (`partner` RLIKE '^([A-Z]{2}|\\\\*)$')",
                Checks.predicate(Rule.of("pattern", "error", "partner").withPattern("^([A-Z]{2}|\\*)$"), List.of("partner")));
        assertEquals("`status` IS NULL OR (`status` IN ('new', 'o\\'k'))",
                Checks.predicate(Rule.of("in_set", "error", "status").withValues("new", "o'k"), List.of("status")));
        assertEquals(QualityConfig.ERROR, Rule.of("unique", "error", "x").level());
    }
}
