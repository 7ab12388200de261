package org.ews.sql;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.run.EwsException;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;

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
                "WITH x AS (SELECT 1) INSERT INTO bronze.quarantine SELECT * FROM x", "ALTER TABLE bronze.quarantine ADD COLUMNS (c INT)")) {
            EwsException e = assertThrows(EwsException.class, () -> SqlCommand.requireReadOnly(SharedSpark.session(), write), write);
            assertTrue(e.getMessage().startsWith("bin/ews sql is read-only"), e.getMessage());
        }
        assertDoesNotThrow(() -> SqlCommand.requireReadOnly(SharedSpark.session(), "SHOW TABLES IN bronze"));
        assertDoesNotThrow(() -> SqlCommand.requireReadOnly(SharedSpark.session(), "DESCRIBE TABLE bronze.quarantine"));
    }

    @Test
    void tableFormatAlignsColumnsAndCountsRows() {
        List<Row> rows = List.of(RowFactory.create("KR", 12L), RowFactory.create("US", null));
        assertEquals("reporter | n   \n-------- | ----\nKR       | 12  \nUS       | NULL\n(2 rows)\n",
                SqlCommand.table(new String[]{"reporter", "n"}, rows).replace(System.lineSeparator(), "\n"));
    }
}
