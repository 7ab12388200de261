package org.ews.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.generate.GenerationSummary;
import org.ews.generate.LandingGenerator;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The generator writes down every bad row and broken file it injects; ingest must quarantine exactly those,
 * with the same reason, and accept every other row.
 */
@ExtendWith(SharedSpark.class)
class IngestAgainstGeneratedTruthTest {
    @TempDir
    Path dir;

    @Test
    void quarantineEqualsTheInjectedBadRowsAndBrokenFiles() {
        SparkSession spark = SharedSpark.session();
        Path landing = dir.resolve("landing");
        GenerationSummary truth = LandingGenerator.builder().out(landing).from(LocalDate.parse("2023-11-01"))
                .to(LocalDate.parse("2024-01-10")).linesPerDay(15).seed(7).referenceDir(Path.of("../conf/reference"))
                .build().run();
        assertTrue(truth.badRows() >= 9 && truth.brokenFiles() >= 1, "the fixture holds bad input: " + truth.describe());

        Path warehouse = dir.resolve("wh");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"backfill", "--from", "2023-11-01", "--to", "2024-01-10", "--landing",
                        landing.toString(), "--warehouse", warehouse.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.ENV);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        org.apache.spark.sql.Column relative = regexp_extract(col("source_file"), "(customs/.*)$", 1);
        Dataset<Row> quarantined = spark.read().format("delta").load(warehouse.resolve("bronze/quarantine").toUri().toString())
                .where(col("feed").equalTo("customs"))
                .select(relative.as("source_file"), col("source_row"), col("reason_code").as("kind"));

        Dataset<Row> badRows = spark.read().option("header", true).csv(landing.resolve("truth/bad_rows.csv").toString())
                .select(col("source_file"), col("source_row").cast("long"), col("kind"));
        Dataset<Row> brokenFiles = spark.read().option("header", true).csv(landing.resolve("truth/broken_files.csv").toString())
                .select(col("source_file"), lit(null).cast("long").as("source_row"), lit("unreadable_file").as("kind"));
        SharedSpark.assertSameRows(badRows.unionByName(brokenFiles), quarantined);

        long accepted = spark.read().format("delta").load(warehouse.resolve("bronze/customs_lines").toUri().toString()).count();
        assertEquals(truth.totalLines() + truth.amendments() + truth.duplicateResends(), accepted,
                "every valid line, amendment and resend is in bronze");
    }

}
