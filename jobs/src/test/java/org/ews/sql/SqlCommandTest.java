package org.ews.sql;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.run.EwsException;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(SharedSpark.class)
class SqlCommandTest {

    @Test
    void csvIsRfc4180WithAHeaderCrlfAndQuotesWhereNeeded() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SqlCommand.csv(new String[]{"name", "value", "day", "note"}, List.of(
                RowFactory.create("Samsung Electronics Co., Ltd.", new BigDecimal("0.9749"), Date.valueOf("2023-12-01"), "say \"hi\""),
                RowFactory.create("plain", null, null, "two\nlines")).iterator(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String csv = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("name,value,day,note\r\n"
                + "\"Samsung Electronics Co., Ltd.\",0.9749,2023-12-01,\"say \"\"hi\"\"\"\r\n"
                + "plain,,,\"two\nlines\"\r\n", csv);
    }

    @Test
    void cellsAreReadableText() {
        assertEquals("10000000000", SqlCommand.cell(1.0e10));
        assertEquals("0.9749", SqlCommand.cell(0.9749));
        assertEquals("1000", SqlCommand.cell(new BigDecimal("1E+3")));
        assertEquals("[\"kr_ews_50\",\"eu_2021\"]", SqlCommand.cell(
                scala.collection.JavaConverters.asScalaBufferConverter(Arrays.asList("kr_ews_50", "eu_2021")).asScala().toSeq()));
    }

    @Test
    void queriesRunAndWritesAreRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SqlCommand.run(SharedSpark.session(), "SELECT 1 AS a, 'x' AS b, CAST(NULL AS STRING) AS c", SqlCommand.Format.JSON,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("{\"a\":1,\"b\":\"x\",\"c\":null}\n", out.toString(StandardCharsets.UTF_8), "null fields are kept as keys");
        ByteArrayOutputStream dotted = new ByteArrayOutputStream();
        SqlCommand.run(SharedSpark.session(), "SELECT 1.5, 2 * 0.5", SqlCommand.Format.JSON,
                new PrintStream(dotted, true, StandardCharsets.UTF_8));
        assertEquals("{\"1.5\":1.5,\"(2 * 0.5)\":1.0}\n", dotted.toString(StandardCharsets.UTF_8), "column names with dots");
        for (String write : List.of("DROP TABLE bronze.quarantine", "INSERT INTO bronze.quarantine SELECT * FROM bronze.quarantine",
                "DELETE FROM bronze.customs_lines WHERE true", "CREATE TABLE t AS SELECT 1", "SET spark.sql.ansi.enabled=true",
                "WITH x AS (SELECT 1) INSERT INTO bronze.quarantine SELECT * FROM x", "ALTER TABLE bronze.quarantine ADD COLUMNS (c INT)",
                // Not Commands in Spark's or Delta's plans, and refused all the same.
                "RESTORE TABLE bronze.quarantine TO VERSION AS OF 0", "INSERT OVERWRITE DIRECTORY '/tmp/ews-never' USING csv SELECT 1")) {
            EwsException e = assertThrows(EwsException.class, () -> SqlCommand.requireReadOnly(SharedSpark.session(), write), write);
            assertTrue(e.getMessage().startsWith("bin/ews sql is read-only: refused "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (only SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN and USE run here)"), e.getMessage());
        }
        EwsException drop = assertThrows(EwsException.class, () -> SqlCommand.requireReadOnly(SharedSpark.session(), "DROP TABLE bronze.quarantine"));
        assertEquals("bin/ews sql is read-only: refused DropTable (only SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN and USE run here)",
                drop.getMessage());
        for (String read : List.of("SHOW TABLES IN bronze", "DESCRIBE TABLE bronze.quarantine", "EXPLAIN SELECT 1", "USE bronze",
                "VALUES (1)")) {
            assertDoesNotThrow(() -> SqlCommand.requireReadOnly(SharedSpark.session(), read), read);
        }
    }

    /**
     * {@code bin/ews sql} while another process's run commits to the table it reads: every answer is one committed
     * state, never a mix of two and never an error. The writer alternates 3 rows summing to 6 and 5 rows summing to 150.
     */
    @Test
    void sqlReadsOneCommittedStateWhileAWriterReplacesTheTable(@TempDir Path dir) throws Exception {
        SparkSession spark = SharedSpark.session();
        Warehouse warehouse = new Warehouse(spark, dir.toString());
        List<Dataset<Row>> states = List.of(tradeRows(spark, 1, 2, 3), tradeRows(spark, 10, 20, 30, 40, 50));
        Set<String> committed = Set.of("3,6", "5,150");
        warehouse.replace(Gold.TRADE_MONTHLY, states.get(0), null);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger commits = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 1; !stop.get(); i++) {
                warehouse.replace(Gold.TRADE_MONTHLY, states.get(i % 2), null);
                commits.incrementAndGet();
            }
        });
        List<String> answers = new ArrayList<>();
        try {
            for (int q = 0; q < 6 || commits.get() < 2; q++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int exit = Main.run(new String[]{"sql", "--warehouse", dir.toString(), "--format", "csv",
                                "SELECT count(*) AS n, CAST(sum(value_usd) AS BIGINT) AS total FROM gold.trade_monthly"},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), TestEnv.ENV);
                assertEquals(0, exit, "query " + q + " failed: " + err.toString(StandardCharsets.UTF_8));
                List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
                assertEquals("n,total", lines.get(0));
                assertEquals(2, lines.size(), lines.toString());
                answers.add(lines.get(1));
                assertTrue(q < 40, "the writer made fewer than 2 commits during 40 queries");
            }
        } finally {
            stop.set(true);
            writer.get(120, TimeUnit.SECONDS);
        }
        for (String a : answers) {
            assertTrue(committed.contains(a), "answer " + a + " is not a committed state; all answers: " + answers);
        }
        assertTrue(commits.get() >= 2, "the writer committed while the reader read: " + commits.get());
    }

    /** gold.trade_monthly rows with the given value_usd, one partner each. */
    private static Dataset<Row> tradeRows(SparkSession spark, int... values) {
        List<Row> rows = new ArrayList<>();
        java.sql.Date month = Date.valueOf("2024-01-01");
        for (int i = 0; i < values.length; i++) {
            rows.add(RowFactory.create("KR", "I", "854231", "P" + i, month, 2024, new BigDecimal(values[i]), null, null,
                    1L, 1L, 1L, 1.0, true, "sql-test"));
        }
        return spark.createDataFrame(rows, Gold.TRADE_MONTHLY.columns());
    }

    @Test
    void tableFormatAlignsColumnsAndCountsRows() {
        List<Row> rows = List.of(RowFactory.create("KR", 12L), RowFactory.create("US", null));
        assertEquals("reporter | n   \n-------- | ----\nKR       | 12  \nUS       | NULL\n(2 rows)\n",
                SqlCommand.table(new String[]{"reporter", "n"}, rows).replace(System.lineSeparator(), "\n"));
    }
}
