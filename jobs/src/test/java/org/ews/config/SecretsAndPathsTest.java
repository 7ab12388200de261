package org.ews.config;

import org.ews.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Secrets from the environment through ${NAME} in the config file, none in conf/; write paths checked by key. */
class SecretsAndPathsTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("ews.yaml"), text);
    }

    private static ConfigException failure(ConfigLoader loader) {
        return assertThrows(ConfigException.class, loader::load);
    }

    @Test
    void referencesInTheFileAreReplacedByTheEnvironmentAndTyped() throws IOException {
        Path f = yaml("""
                paths:
                  warehouse: s3a://ews-${STAGE}/warehouse
                spark:
                  shuffle_partitions: ${PARTITIONS}
                  ui: ${UI}
                  conf:
                    spark.hadoop.fs.s3a.access.key: ${S3_KEY}
                    spark.hadoop.fs.s3a.secret.key: "${S3_SECRET}"
                countries:
                  groups:
                    concern: [CN, "${EXTRA_CONCERN}"]
                """);
        EwsConfig c = ConfigLoader.create().file(f).environment(Map.of("STAGE", "prod", "PARTITIONS", "8", "UI", "true",
                "S3_KEY", "AKIAEXAMPLE", "S3_SECRET", "wJalr/K7MDENG+bPxRfi$CYEXAMPLEKEY", "EXTRA_CONCERN", "RU")).load();
        assertEquals("s3a://ews-prod/warehouse", c.paths().warehouse());
        assertEquals(8, c.spark().shufflePartitions(), "typed after the default it replaces");
        assertTrue(c.spark().ui());
        assertEquals("AKIAEXAMPLE", c.spark().conf().get("spark.hadoop.fs.s3a.access.key"));
        assertEquals("wJalr/K7MDENG+bPxRfi$CYEXAMPLEKEY", c.spark().conf().get("spark.hadoop.fs.s3a.secret.key"),
                "a value is used as it is: a $ in it is not read again");
        assertEquals(List.of("CN", "RU"), c.countryGroup("concern"));
    }

    @Test
    void anUnsetVariableStopsTheLoadNamingTheVariableTheKeyAndTheFile() throws IOException {
        Path f = yaml("spark:\n  conf:\n    spark.hadoop.fs.s3a.secret.key: ${S3_SECRET}\n");
        ConfigException e = failure(ConfigLoader.create().file(f).environment(Map.of("S3_KEY", "x")));
        assertTrue(e.getMessage().startsWith("config key 'spark.conf.spark.hadoop.fs.s3a.secret.key' needs the environment "
                + "variable S3_SECRET, which is not set (in " + f + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("$${"), "says how to write a literal ${: " + e.getMessage());
        // Set but empty is set: the value is empty (a key that must not be empty says so itself).
        EwsConfig empty = ConfigLoader.create().file(f).environment(Map.of("S3_SECRET", "")).load();
        assertEquals("", empty.spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
    }

    @Test
    void doubledDollarIsALiteralAndALoneDollarIsItself() throws IOException {
        Path f = yaml("spark:\n  app_name: \"cost $${NOT_A_VAR} in $5, $$ and ${NAME}\"\n");
        EwsConfig c = ConfigLoader.create().file(f).environment(Map.of("NOT_A_VAR", "no", "NAME", "ews")).load();
        assertEquals("cost ${NOT_A_VAR} in $5, $$ and ews", c.spark().appName());
    }

    @Test
    void malformedReferencesAreRefusedNamingTheKey() throws IOException {
        for (String bad : List.of("${}", "${1ABC}", "${NOT CLOSED", "x${A-B}y")) {
            Path f = yaml("spark:\n  app_name: \"" + bad + "\"\n");
            ConfigException e = failure(ConfigLoader.create().file(f).environment(Map.of("A", "1")));
            assertTrue(e.getMessage().startsWith("config key 'spark.app_name' has a malformed reference"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void aWrongTypeNamesTheVariableAndNeverShowsItsValue() throws IOException {
        Path f = yaml("spark:\n  shuffle_partitions: ${PARTITIONS}\n");
        ConfigException e = failure(ConfigLoader.create().file(f).environment(Map.of("PARTITIONS", "hunter2")));
        assertTrue(e.getMessage().contains("spark.shuffle_partitions") && e.getMessage().contains("PARTITIONS"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "a value from the environment may be a secret: " + e.getMessage());
    }

    @Test
    void onlyTheFileIsExpandedAndItsVariablesAreNotMistakenForConfigKeys() throws IOException {
        Path f = yaml("spark:\n  app_name: ${EWS_APP_SECRET}\n");
        EwsConfig c = ConfigLoader.create().file(f).environment(Map.of("EWS_APP_SECRET", "named")).load();
        assertEquals("named", c.spark().appName(), "an EWS_ variable the file refers to is not an unknown config key");
        EwsConfig literal = ConfigLoader.create().file(null).environment(Map.of("EWS_SPARK_APP_NAME", "${HOME}"))
                .set("spark.master", "${HOME}").load();
        assertEquals("${HOME}", literal.spark().appName(), "EWS_* values are taken as they are");
        assertEquals("${HOME}", literal.spark().master(), "--set values are taken as they are");
    }

    /** Keys that name a secret must hold a ${NAME} reference in every shipped file, never a value. */
    @Test
    void theShippedConfigFilesHoldNoCredentials() throws IOException {
        Pattern secretKey = Pattern.compile("(?im)^\\s*([\\w.\\-]*?(secret|password|passwd|token|credentials?|access[._-]?key|secret[._-]?key))\\s*:\\s*(.*)$");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../conf"))) {
            for (Path p : files.filter(x -> x.toString().endsWith(".yaml")).toList()) {
                Matcher m = secretKey.matcher(Files.readString(p));
                while (m.find()) {
                    String value = m.group(3).replaceAll("\\s+#.*$", "").trim().replaceAll("^\"|\"$", "");
                    if (!value.matches("\\$\\{[A-Za-z_][A-Za-z0-9_]*}")) {
                        found.add(p.getFileName() + ": " + m.group(1) + " = " + value);
                    }
                }
            }
        }
        assertEquals(List.of(), found, "secrets come from the environment (${NAME}), never from conf/");
        String cluster = Files.readString(Path.of("../conf/cluster.yaml"));
        assertTrue(cluster.contains("spark.hadoop.fs.s3a.access.key: ${AWS_ACCESS_KEY_ID}"), "cluster.yaml takes the S3A keys from the environment");
        EwsConfig c = ConfigLoader.create().file(Path.of("../conf/cluster.yaml")).environment(TestEnv.CLUSTER_SECRETS).load();
        assertEquals("test-secret-key", c.spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
        ConfigException unset = failure(ConfigLoader.create().file(Path.of("../conf/cluster.yaml")).environment(Map.of()));
        assertTrue(unset.getMessage().contains("AWS_ACCESS_KEY_ID"), unset.getMessage());
    }

    @Test
    void writePathsInTheConfigurationCannotClimbOutOrBeARoot() {
        for (String[] bad : new String[][]{{"paths.warehouse", "../warehouse"}, {"paths.warehouse", "wh/../../etc"},
                {"paths.warehouse", "/"}, {"paths.warehouse", "file:///"}, {"paths.warehouse", "s3a://bucket/prod/../other"},
                {"publish.report.dir", "../reports"}, {"publish.report.dir", "/"}, {"publish.report.dir", "s3a://bucket"},
                {"publish.report.dir", "reports\\..\\..\\x"}}) {
            ConfigException e = failure(ConfigLoader.create().environment(Map.of()).set(bad[0], bad[1]));
            assertTrue(e.getMessage().startsWith("config key '" + bad[0] + "'"), bad[1] + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("(from command line (--set " + bad[0] + "))"), e.getMessage());
        }
        ConfigException named = failure(ConfigLoader.create().environment(Map.of()).set("paths.warehouse", "../wh", "--warehouse"));
        assertEquals("config key 'paths.warehouse' '../wh' climbs out of its folder with '..'; give the path without '..' "
                + "(an absolute path if need be) (from --warehouse)", named.getMessage());
        for (String ok : List.of("warehouse", "/data/ews/warehouse", "s3a://ews-warehouse", "s3a://ews-warehouse/prod",
                "file:///tmp/wh", "wh/..hidden/x", "./wh")) {
            assertEquals(ok, ConfigLoader.create().environment(Map.of()).set("paths.warehouse", ok).load().paths().warehouse());
        }
        // Reading from elsewhere is not writing: the landing zone and the reference data may be given with '..'.
        assertEquals("../conf/reference", ConfigLoader.create().environment(Map.of()).set("paths.reference", "../conf/reference")
                .load().paths().reference());
    }

    @Test
    void namesThatBecomeOnePartOfAPath() {
        for (String ok : List.of("scheduled__2025-12-01T02:00:00+00:00", "20261122T120501Z-1a2b3c", "a..b", ".hidden")) {
            assertNull(SafePaths.component(ok), ok);
        }
        for (String bad : List.of("", ".", "..", "...", "a/b", "..\\x", "a\0b")) {
            assertNotNull(SafePaths.component(bad), bad);
        }
    }
}
