package org.ews.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import com.holdenkarau.spark.testing.SparkSessionProvider;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.spark.SparkSessions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * One SparkSession for the whole test JVM, built by the production factory (same Delta wiring), and handed
 * to spark-testing-base for its DataFrame assertions. Use with {@code @ExtendWith(SharedSpark.class)}.
 */
public final class SharedSpark implements BeforeAllCallback {
    private static SparkSession spark;
    private static JavaDataFrameSuiteBase assertions;

    @Override
    public void beforeAll(ExtensionContext context) {
        session();
    }

    public static synchronized SparkSession session() {
        if (spark == null) {
            EwsConfig d = EwsConfig.defaults();
            EwsConfig config = new EwsConfig(
                    new EwsConfig.Paths(d.paths().landing(), Path.of("target", "test-warehouse-" + TestEnv.fork()).toString(), d.paths().reference()),
                    new EwsConfig.SparkSettings("local[2]", "ews-tests", 2, false, "ERROR", testSettings()),
                    d.ingest(), d.countries(), d.conform(), d.entity(), d.ownership(), d.periods(), d.metrics(), d.anomalies(), d.publish(),
                    d.lock(), d.quality());
            spark = SparkSessions.create(config);
            SparkSessionProvider._sparkSession_$eq(spark);
            assertions = new JavaDataFrameSuiteBase(); // not runBefore(): it would build its own context
        }
        return spark;
    }

    /**
     * Spark settings of the tests' session, beyond the config file's. The suite's rows are few and its queries many, so
     * compiling each query to Java (janino) costs more than running it: expressions are interpreted instead
     * ({@code spark.sql.codegen.factoryMode=NO_CODEGEN}, Spark's own switch for testing both paths, with
     * {@code spark.sql.codegen.wholeStage=false}). Results do not depend on it; production keeps code generation.
     * {@code EWS_TEST_CODEGEN=true} runs the suite with it.
     */
    static java.util.Map<String, String> testSettings() {
        java.util.Map<String, String> settings = new LinkedHashMap<>();
        if (!"true".equals(System.getenv("EWS_TEST_CODEGEN"))) {
            settings.put("spark.sql.codegen.wholeStage", "false");
            settings.put("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        }
        return settings;
    }

    /** The same keys at Spark's defaults: code generation on, as in production (for {@link GeneratedRun}). */
    static java.util.Map<String, String> compiledSettings() {
        return java.util.Map.of("spark.sql.codegen.wholeStage", "true", "spark.sql.codegen.factoryMode", "FALLBACK");
    }

    /** Same rows in any order, same column names and types (column comments are not compared). */
    public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        session();
        assertions.assertDataFrameNoOrderEquals(withoutMetadata(expected), withoutMetadata(actual));
    }

    private static Dataset<Row> withoutMetadata(Dataset<Row> rows) {
        // An alias with empty metadata still carries Delta's column comments through, so rebuild the schema.
        org.apache.spark.sql.types.StructType clean = new org.apache.spark.sql.types.StructType(
                java.util.Arrays.stream(rows.schema().fields())
                        .map(f -> new org.apache.spark.sql.types.StructField(f.name(), f.dataType(), f.nullable(),
                                org.apache.spark.sql.types.Metadata.empty()))
                        .toArray(org.apache.spark.sql.types.StructField[]::new));
        return spark.createDataFrame(rows.javaRDD(), clean);
    }
}
