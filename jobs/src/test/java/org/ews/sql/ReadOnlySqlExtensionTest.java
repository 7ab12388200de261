package org.ews.sql;

import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** The read-only parser guard in-process, with the flag forced on: what it refuses and what it lets through. */
@ExtendWith(SharedSpark.class)
class ReadOnlySqlExtensionTest {
    private static final String WHO = "this server is read-only";

    /** Each write, with the plan node or function the refusal must name. */
    static final List<String[]> WRITES = List.of(
            new String[]{"DROP TABLE gold.trade_monthly", "DropTable"},
            new String[]{"DELETE FROM gold.trade_monthly WHERE true", "DeleteFromTable"},
            new String[]{"INSERT INTO gold.trade_monthly SELECT * FROM gold.trade_monthly", "InsertIntoStatement"},
            new String[]{"WITH x AS (SELECT * FROM gold.trade_monthly) INSERT INTO gold.trade_monthly SELECT * FROM x", "InsertIntoStatement"},
            new String[]{"INSERT OVERWRITE DIRECTORY '/tmp/ews-never' USING parquet SELECT 1", "InsertIntoDir"},
            new String[]{"UPDATE gold.trade_monthly SET value_usd = 0", "UpdateTable"},
            new String[]{"MERGE INTO gold.trade_monthly t USING gold.trade_monthly s ON t.hs6 = s.hs6 WHEN MATCHED THEN DELETE", "MergeIntoTable"},
            new String[]{"ALTER TABLE gold.trade_monthly ADD COLUMNS (c INT)", "AddColumns"},
            new String[]{"CREATE TABLE t AS SELECT 1", "CreateTableAsSelect"},
            new String[]{"CREATE DATABASE x", "CreateNamespace"},
            new String[]{"CREATE TEMPORARY VIEW v AS SELECT 1", "CreateViewCommand"},
            new String[]{"CREATE TEMPORARY FUNCTION f AS 'x.Y'", "CreateFunctionCommand"},
            new String[]{"TRUNCATE TABLE gold.trade_monthly", "TruncateTable"},
            new String[]{"CACHE TABLE gold.trade_monthly", "CacheTable"},
            new String[]{"REFRESH TABLE gold.trade_monthly", "RefreshTable"},
            new String[]{"ANALYZE TABLE gold.trade_monthly COMPUTE STATISTICS", "AnalyzeTable"},
            new String[]{"SET spark.ews.read_only=false", "SetCommand"},
            new String[]{"SET spark.sql.ansi.enabled=true", "SetCommand"},
            new String[]{"RESET", "ResetCommand"},
            new String[]{"ADD JAR /tmp/ews-never.jar", "AddJarsCommand"},
            new String[]{"OPTIMIZE gold.trade_monthly", "OptimizeTableCommand"},
            new String[]{"VACUUM gold.trade_monthly RETAIN 0 HOURS", "VacuumTableCommand"},
            new String[]{"RESTORE TABLE gold.trade_monthly TO VERSION AS OF 0", "RestoreTableStatement"},
            new String[]{"CREATE TABLE c SHALLOW CLONE gold.trade_monthly", "CloneTableStatement"},
            new String[]{"REORG TABLE gold.trade_monthly APPLY (PURGE)", "DeltaReorgTable"},
            new String[]{"CONVERT TO DELTA parquet.`/tmp/ews-never`", "ConvertToDeltaCommand"},
            new String[]{"DROP TABLE IDENTIFIER('gold.trade_monthly')", "DropTable"},
            new String[]{"SELECT TRANSFORM(1) USING 'touch /tmp/ews-never' AS (a)", "ScriptTransformation"},
            new String[]{"SELECT reflect('java.lang.System', 'exit', 1)", "reflect"},
            new String[]{"WITH x AS (SELECT java_method('java.lang.System', 'exit', 1)) SELECT * FROM x", "java_method"},
            new String[]{"SELECT 1 WHERE 1 IN (SELECT reflect('java.lang.System', 'exit', 1))", "reflect"},
            new String[]{"SELECT IDENTIFIER('reflect')('java.lang.System', 'exit', 1)", "IDENTIFIER(...) as a function name"});

    static final List<String> READS = List.of(
            "SELECT * FROM gold.trade_monthly",
            "select hs6, sum(value_usd) from gold.trade_monthly group by hs6 order by 2 desc limit 5",
            "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
            "VALUES (1, 'a'), (2, 'b')",
            "SELECT * FROM gold.trade_monthly VERSION AS OF 0",
            "SELECT * FROM IDENTIFIER('gold.trade_monthly')",
            "SELECT IDENTIFIER('hs6') FROM gold.trade_monthly",
            "SELECT 1 WHERE 1 IN (SELECT 1)",
            "SHOW TABLES IN gold",
            "SHOW DATABASES",
            "SHOW COLUMNS IN gold.trade_monthly",
            "DESCRIBE TABLE gold.trade_monthly",
            "DESCRIBE HISTORY gold.trade_monthly",
            "EXPLAIN SELECT * FROM gold.trade_monthly",
            "USE gold",
            "use default");

    private static ParserInterface guarded() {
        return new ReadOnlySqlExtension.ReadOnlyParser(SharedSpark.session().sessionState().sqlParser(), WHO);
    }

    @Test
    void writesAreRefusedNamingWhatAndWhatIsAllowed() {
        ParserInterface parser = guarded();
        List<String> wrong = new java.util.ArrayList<>();
        for (String[] w : WRITES) {
            String expected = WHO + ": refused " + w[1] + " (only SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN and USE run here)";
            try {
                parser.parsePlan(w[0]);
                wrong.add(w[0] + " => passed");
            } catch (ReadOnlySqlExtension.ReadOnlyException e) {
                if (!expected.equals(e.getMessage())) {
                    wrong.add(w[0] + " => " + e.getMessage());
                }
            } catch (Exception e) {
                wrong.add(w[0] + " => " + e);
            }
        }
        assertEquals(List.of(), wrong, "every write is refused by name");
    }

    @Test
    void readsPass() {
        ParserInterface parser = guarded();
        for (String r : READS) {
            assertDoesNotThrow(() -> parser.parsePlan(r), r);
        }
    }

    private static Object parse(ParserInterface parser, String sql) {
        try {
            return parser.parsePlan(sql);
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTrustedScopeHoldsOnlyOnItsOwnThread() throws Exception {
        ParserInterface parser = guarded();
        String create = "CREATE DATABASE IF NOT EXISTS gold";
        assertDoesNotThrow(() -> ReadOnlySqlExtension.trusted(() -> parse(parser, create)));
        Throwable other = ReadOnlySqlExtension.trusted(() ->
                CompletableFuture.supplyAsync(() -> {
                    try {
                        parser.parsePlan(create);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }).join());
        assertInstanceOf(ReadOnlySqlExtension.ReadOnlyException.class, other, "another thread is not trusted");
        assertThrows(ReadOnlySqlExtension.ReadOnlyException.class, () -> parser.parsePlan(create), "the scope has ended");
    }

    @Test
    void theSharedTestSessionHasTheExtensionButNotTheFlag() {
        // Sessions are built with the guard listed after Delta's; without spark.ews.read_only it only delegates.
        String extensions = SharedSpark.session().sparkContext().getConf().get("spark.sql.extensions");
        assertEquals("io.delta.sql.DeltaSparkSessionExtension," + ReadOnlySqlExtension.class.getName(), extensions);
        assertFalse(SharedSpark.session().sessionState().sqlParser() instanceof ReadOnlySqlExtension.ReadOnlyParser);
    }
}
