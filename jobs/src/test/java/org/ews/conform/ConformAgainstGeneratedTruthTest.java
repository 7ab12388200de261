package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.generate.GenerationSummary;
import org.ews.testing.GeneratedRun;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The generator records, for every valid declaration line, its final version, HS6, ISO partner, USD value, kilograms
 * and the firm that really declared it. Silver must reproduce them: one row per line at its amended value, every line
 * with a known trader id resolved by id, and of the lines without one at least 98% resolved to the right firm and at
 * most 0.5% to a wrong one (issue 3's bar). The run mixes a backfill, a nightly run on the day a new registry
 * snapshot lands (re-resolving the history) and another backfill, as operations would ({@link GeneratedRun}).
 */
@ExtendWith(SharedSpark.class)
class ConformAgainstGeneratedTruthTest {

    @Test
    void silverReproducesTheGeneratorsTruth() {
        SparkSession spark = SharedSpark.session();
        GeneratedRun run = GeneratedRun.get();
        GenerationSummary truth = run.summary();

        Dataset<Row> expected = spark.read().option("header", true).csv(run.landing().resolve("truth/lines.csv.gz").toString());
        Dataset<Row> silver = spark.read().format("delta").load(run.table("silver", "trade_lines"));
        assertEquals(truth.totalLines(), expected.count());
        assertEquals(truth.totalLines(), silver.count(), "one silver row per declaration line");

        Dataset<Row> joined = silver.as("s").join(expected.as("e"), col("s.reporter").equalTo(col("e.reporter"))
                .and(col("s.declaration_id").equalTo(col("e.declaration_id")))
                .and(col("s.line_no").equalTo(col("e.line_no").cast("int"))), "full_outer").cache();
        try {
            assertEquals(0, joined.where(col("s.reporter").isNull().or(col("e.reporter").isNull())).count(), "same declaration lines");
            assertEquals(0, joined.where(col("s.version").notEqual(col("e.final_version").cast("int"))).count(), "final versions");
            assertEquals(0, joined.where(col("s.hs6").notEqual(col("e.hs6"))).count(), "hs6");
            assertEquals(0, joined.where(col("s.partner").notEqual(col("e.partner_iso2"))).count(), "partners");
            assertEquals(0, joined.where(col("s.declaration_date").notEqual(col("e.declaration_date").cast("date"))).count());
            // Values in JPY and KRW are declared in whole units, so USD may differ by a fraction of a cent.
            assertEquals(0, joined.where(abs(col("s.value_usd").minus(col("e.value_usd").cast("decimal(24,6)"))).gt(0.01)).count(), "USD values");
            assertEquals(0, joined.where(not(col("s.quantity_kg").eqNullSafe(col("e.quantity_kg").cast("decimal(24,6)")))
                    .and(coalesce(abs(col("s.quantity_kg").minus(col("e.quantity_kg").cast("decimal(24,6)"))), lit(1)).gt(0.001))).count(), "kilograms");

            Dataset<Row> withId = joined.where(col("s.trader_id").isNotNull());
            long ids = withId.count();
            assertTrue(ids > 0);
            assertEquals(ids, withId.where(col("s.match_method").equalTo("id").and(col("s.firm_id").equalTo(col("e.firm_id")))).count(),
                    "every line with a known trader id is resolved by id to its firm");

            Dataset<Row> byName = joined.where(col("s.trader_id").isNull());
            long total = byName.count();
            long right = byName.where(col("s.firm_id").equalTo(col("e.firm_id"))).count();
            long wrong = byName.where(col("s.match_method").equalTo("name").and(col("s.firm_id").notEqual(col("e.firm_id")))).count();
            assertTrue(total > 500, "enough lines without an id to judge: " + total);
            assertTrue(right >= 0.98 * total, String.format("resolved right: %d of %d (%.2f%%)", right, total, 100.0 * right / total));
            assertTrue(wrong <= 0.005 * total, String.format("resolved wrong: %d of %d (%.2f%%)", wrong, total, 100.0 * wrong / total));
        } finally {
            joined.unpersist();
        }
        Dataset<Row> quarantine = spark.read().format("delta").load(run.table("bronze", "quarantine"));
        assertEquals(0, quarantine.where(col("stage").equalTo("conform")).count(), "the generator writes only valid partners and rates");
    }
}
