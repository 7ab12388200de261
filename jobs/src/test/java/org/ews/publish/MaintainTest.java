package org.ews.publish;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.spark.Warehouse;
import org.ews.tables.Ops;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/ews maintain on a table of five appended commits: compacted to one file, the four old ones vacuumed, rows kept. */
@ExtendWith(SharedSpark.class)
class MaintainTest {
    private final SparkSession spark = SharedSpark.session();

    private static long parquetFiles(Path table) throws Exception {
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
        }
    }

    @Test
    void compactsAndVacuumsAndSaysSo(@TempDir Path dir) throws Exception {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        for (int i = 0; i < 5; i++) {
            Row row = RowFactory.create("run-" + i, Date.valueOf("2024-01-01"), Date.valueOf("2024-01-01"), Date.valueOf("2024-01-01"),
                    "ingest", "succeeded", new Timestamp(0), new Timestamp(1000), 10L, 0L, 10L, "fixture");
            wh.replace(Ops.RUNS, spark.createDataFrame(List.of(row), Ops.RUNS.columns()), Ops.RUNS.columns().fieldNames()[0] + " = 'run-" + i + "'");
        }
        Path table = dir.resolve("wh").resolve("ops").resolve("runs");
        assertEquals(5, parquetFiles(table), "one file a commit");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Retention 0: the files OPTIMIZE just replaced may go at once (the default keeps them a week for readers).
        int exit = Main.run(new String[]{"maintain", "--warehouse", dir.resolve("wh").toString(),
                        "--set", "publish.retention.deleted_file_days=0", "--set", "publish.maintain.vacuum_retain_hours=0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), TestEnv.ENV);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        String summary = out.toString(StandardCharsets.UTF_8);
        // Maintain's own ops.runs row reads 'running' from its start (a sixth file): the six are compacted into one and
        // vacuumed. Its 'succeeded' then replaces that row: the compacted file is rewritten without it (the old one stays
        // until the next VACUUM) and the new row is a file of its own.
        assertEquals(3, parquetFiles(table), "compacted into one file, the six old ones deleted; then maintain's own ops.runs row");
        assertEquals(5, wh.read(Ops.RUNS).where("stage = 'ingest'").count(), "the rows are all there");
        assertTrue(summary.contains("1 tables: 6 -> 1 files, 6 old files vacuumed (retain 0 h)"), summary);
        // maintain is a run of its own: one ops.runs row, and its commits carry its stage.
        assertEquals(1, wh.read(Ops.RUNS).where("stage = 'maintain' AND status = 'succeeded'").count());
        assertTrue(io.delta.tables.DeltaTable.forPath(spark, wh.location(Ops.RUNS)).history().where("operation = 'OPTIMIZE'")
                .select("userMetadata").head().getString(0).contains("\"stage\":\"maintain\""));
    }
}
