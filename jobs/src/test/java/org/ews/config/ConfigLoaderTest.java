package org.ews.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("ews.yaml"), text);
    }

    private ConfigException failure(ConfigLoader loader) {
        return assertThrows(ConfigException.class, loader::load);
    }

    @Test
    void withoutAnyLayerTheDefaultsApply() {
        EwsConfig c = ConfigLoader.create().environment(Map.of()).file(null).load();
        assertEquals("warehouse", c.paths().warehouse());
        assertEquals(4, c.spark().shufflePartitions());
        assertEquals(0.05, c.ingest().maxBadRowShare());
        assertEquals(List.of("KR", "US", "JP"), c.countryGroup("trilateral"));
    }

    @Test
    void fileOverridesDefaultsAndKeepsTheKeysItDoesNotName() throws IOException {
        Path f = yaml("spark:\n  shuffle_partitions: 16\ncountries:\n  groups:\n    concern: [CN]\n");
        EwsConfig c = ConfigLoader.create().environment(Map.of()).file(f).load();
        assertEquals(16, c.spark().shufflePartitions());
        assertEquals("local[*]", c.spark().master(), "a key the file does not name keeps its default");
        assertEquals(List.of("CN"), c.countryGroup("concern"));
        assertEquals(List.of("KR", "US", "JP"), c.countryGroup("trilateral"), "groups merge by name");
    }

    @Test
    void precedenceIsCommandLineThenEnvironmentThenFileThenDefaults() throws IOException {
        Path f = yaml("paths:\n  warehouse: from-file\n  landing: from-file\n  reference: from-file\n");
        Map<String, String> env = Map.of("EWS_PATHS_WAREHOUSE", "from-env", "EWS_PATHS_LANDING", "from-env");
        EwsConfig c = ConfigLoader.create().environment(env).file(f).set("paths.warehouse", "from-cli").load();
        assertEquals("from-cli", c.paths().warehouse());
        assertEquals("from-env", c.paths().landing());
        assertEquals("from-file", c.paths().reference());
        assertEquals("data-samples/landing", ConfigLoader.create().environment(Map.of()).file(null).load().paths().landing());
    }

    @Test
    void environmentValuesAreTypedAfterTheKeyTheyReplace() {
        Map<String, String> env = Map.of("EWS_SPARK_SHUFFLE_PARTITIONS", "8", "EWS_SPARK_UI", "true",
                "EWS_INGEST_MAX_BAD_ROW_SHARE", "0.2", "EWS_COUNTRIES_GROUPS_CONCERN", "CN, RU",
                "EWS_COUNTRIES_GROUPS_ALLIES", "AU,NZ");
        EwsConfig c = ConfigLoader.create().environment(env).file(null).load();
        assertEquals(8, c.spark().shufflePartitions());
        assertTrue(c.spark().ui());
        assertEquals(0.2, c.ingest().maxBadRowShare());
        assertEquals(List.of("CN", "RU"), c.countryGroup("concern"));
        assertEquals(List.of("AU", "NZ"), c.countryGroup("allies"));
    }

    @Test
    void sparkConfEntriesPassThroughFromTheCommandLine() {
        EwsConfig c = ConfigLoader.create().environment(Map.of()).file(null)
                .set("spark.conf.spark.sql.adaptive.enabled", "false").load();
        assertEquals("false", c.spark().conf().get("spark.sql.adaptive.enabled"));
    }

    @Test
    void sparkConfMayNotOverrideATypedKey() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(null)
                .set("spark.conf.spark.sql.shuffle.partitions", "200"));
        assertTrue(e.getMessage().contains("'spark.conf.spark.sql.shuffle.partitions' is set by spark.shuffle_partitions"), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.create().environment(Map.of()).file(null)
                .set("spark.conf.spark.master", "local[1]").load());
    }

    @Test
    void theConfigOptionWinsOverEwsConfig() throws IOException {
        Path f = yaml("spark:\n  app_name: from-option\n");
        Path other = Files.writeString(dir.resolve("other.yaml"), "spark:\n  app_name: from-env-file\n");
        EwsConfig c = ConfigLoader.create().environment(Map.of("EWS_CONFIG", other.toString())).file(f).load();
        assertEquals("from-option", c.spark().appName());
    }

    @Test
    void configFileComesFromEwsConfigWhenNotGiven() throws IOException {
        Path f = yaml("spark:\n  app_name: from-env-file\n");
        EwsConfig c = ConfigLoader.create().environment(Map.of("EWS_CONFIG", f.toString())).file(null).load();
        assertEquals("from-env-file", c.spark().appName());
    }

    @Test
    void unknownKeyInTheFileIsNamedWithItsFile() throws IOException {
        Path f = yaml("ingest:\n  max_bad_rows_share: 0.1\n");
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(f));
        assertTrue(e.getMessage().contains("'ingest.max_bad_rows_share'"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a config key"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("max_bad_row_share"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void unknownSectionIsRefused() throws IOException {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(yaml("thresholds:\n  hhi: 0.4\n")));
        assertTrue(e.getMessage().contains("'thresholds'"), e.getMessage());
    }

    @Test
    void wrongTypeIsNamedWithTheValue() throws IOException {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(yaml("spark:\n  shuffle_partitions: four\n")));
        assertTrue(e.getMessage().startsWith("config key 'spark.shuffle_partitions'"), e.getMessage());
        assertTrue(e.getMessage().contains("four"), e.getMessage());
    }

    @Test
    void fractionForAWholeNumberIsRefusedNotTruncated() throws IOException {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(yaml("spark:\n  shuffle_partitions: 4.5\n")));
        assertTrue(e.getMessage().contains("'spark.shuffle_partitions'"), e.getMessage());
    }

    @Test
    void outOfRangeValueIsNamedWithItsSource() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of("EWS_INGEST_MAX_BAD_ROW_SHARE", "1.5")).file(null));
        assertTrue(e.getMessage().contains("'ingest.max_bad_row_share'"), e.getMessage());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("EWS_INGEST_MAX_BAD_ROW_SHARE"), e.getMessage());
    }

    @Test
    void badNumberFromTheEnvironmentNamesTheVariable() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of("EWS_SPARK_SHUFFLE_PARTITIONS", "many")).file(null));
        assertTrue(e.getMessage().contains("'spark.shuffle_partitions' expects a whole number, got 'many'"), e.getMessage());
        assertTrue(e.getMessage().contains("EWS_SPARK_SHUFFLE_PARTITIONS"), e.getMessage());
    }

    @Test
    void unknownEwsVariableIsRefusedButOtherVariablesAreIgnored() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of("EWS_WAREHOSE", "x", "HOME", "/root")).file(null));
        assertTrue(e.getMessage().contains("EWS_WAREHOSE"), e.getMessage());
        assertDoesNotThrow(() -> ConfigLoader.create().environment(Map.of("EWS_JAVA_OPTS", "-Xmx1g", "PATH", "/bin")).file(null).load());
    }

    @Test
    void unknownCommandLineKeyIsRefused() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(null).set("ingest.nope", "1"));
        assertTrue(e.getMessage().contains("'ingest.nope'"), e.getMessage());
    }

    @Test
    void countryGroupMustHoldIsoCodes() throws IOException {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(yaml("countries:\n  groups:\n    concern: [China]\n")));
        assertTrue(e.getMessage().contains("'countries.groups.concern'"), e.getMessage());
        assertTrue(e.getMessage().contains("'China'"), e.getMessage());
    }

    @Test
    void emptyValueAndMissingFileAndBrokenYamlAreClear() throws IOException {
        assertTrue(failure(ConfigLoader.create().environment(Map.of()).file(yaml("paths:\n  warehouse:\n")))
                .getMessage().contains("'paths.warehouse' has no value"));
        assertTrue(failure(ConfigLoader.create().environment(Map.of()).file(dir.resolve("missing.yaml")))
                .getMessage().contains("missing.yaml does not exist"));
        assertTrue(failure(ConfigLoader.create().environment(Map.of()).file(yaml("spark: [unclosed\n")))
                .getMessage().contains("is not valid YAML"));
    }

    @Test
    void shippedConfigFilesLoad() {
        Path conf = Path.of("..", "conf");
        EwsConfig local = ConfigLoader.create().environment(Map.of()).file(conf.resolve("local.yaml")).load();
        assertEquals("local[*]", local.spark().master());
        // local.yaml spells out the default screens and tiers so an operator sees and edits them.
        EwsConfig d = EwsConfig.defaults();
        assertEquals(d.metrics().screens().keySet(), local.metrics().screens().keySet());
        d.metrics().screens().forEach((name, s) -> {
            MetricsConfig.Screen l = local.metrics().screens().get(name);
            assertEquals(describe(s.all()), describe(l.all()), name);
            assertEquals(s.persistence(), l.persistence(), name);
            assertEquals(s.isEnabled(), l.isEnabled(), name);
        });
        assertEquals(d.metrics().watchlist().dropAfterMonths(), local.metrics().watchlist().dropAfterMonths());
        assertEquals(d.metrics().watchlist().tiers().stream().map(t -> t.tier() + " " + describe(t.all())).toList(),
                local.metrics().watchlist().tiers().stream().map(t -> t.tier() + " " + describe(t.all())).toList());
        assertEquals(d.anomalies(), local.anomalies(), "local.yaml spells out every anomaly setting at its default");
        assertEquals(d.publish(), local.publish(), "local.yaml spells out every publish setting at its default");
        assertEquals(d.lock(), local.lock(), "local.yaml spells out every lock setting at its default");
        assertEquals(d.quality(), local.quality(), "local.yaml spells out every quality rule and setting at its default");
        ConfigException vacuum = failure(ConfigLoader.create().environment(Map.of()).set("publish.maintain.vacuum_retain_hours", "24"));
        assertTrue(vacuum.getMessage().contains("publish.maintain.vacuum_retain_hours") && vacuum.getMessage().contains("168"), vacuum.getMessage());
        EwsConfig cluster = ConfigLoader.create().environment(org.ews.testing.TestEnv.CLUSTER_SECRETS).file(conf.resolve("cluster.yaml")).load();
        assertTrue(cluster.paths().warehouse().startsWith("s3a://"));
        // Executors and a cluster-mode driver see no local folder of the submitting machine.
        assertTrue(cluster.paths().landing().startsWith("s3a://"));
        assertTrue(cluster.paths().reference().startsWith("s3a://"));
        assertEquals("hive", cluster.spark().conf().get("spark.sql.catalogImplementation"));
        assertEquals(d.quality(), cluster.quality());
    }

    /** Conditions as text, numbers as doubles: YAML reads 5000000 as an int where the defaults hold 5000000.0. */
    private static String describe(java.util.List<MetricsConfig.Condition> conditions) {
        return conditions.stream().map(c -> c.metric() + " " + c.op() + " "
                + (c.value() instanceof Number n ? String.valueOf(n.doubleValue()) : String.valueOf(c.value()))
                + " " + c.years() + " " + c.passWhenMissing()).toList().toString();
    }

    @Test
    void anomalySettingsAreCheckedAndNamed() {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of())
                .set("anomalies.detectors.seasonal_robust.metrics", "value_usd,price"));
        assertTrue(e.getMessage().contains("anomalies.detectors.seasonal_robust.metrics"), e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).set("anomalies.detectors.new_partner.max_quiet_share", "0.2"));
        assertTrue(e.getMessage().contains("must be below min_share"), e.getMessage());
        EwsConfig off = ConfigLoader.create().environment(Map.of("EWS_ANOMALIES_DETECTORS_MIRROR_GAP_ENABLED", "false")).load();
        assertFalse(off.anomalies().detectors().mirrorGap().enabled());
    }

    @Test
    void qualityRulesAreCheckedAndNamed() throws IOException {
        ConfigException e = failure(ConfigLoader.create().environment(Map.of()).file(yaml(
                "quality:\n  rules:\n    gold.trade_monthly:\n      - {check: share, columns: [hhi], level: error}\n")));
        assertTrue(e.getMessage().contains("'quality.rules.gold.trade_monthly[0].columns'") && e.getMessage().contains("'hhi' is not a column"),
                e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).file(yaml(
                "quality:\n  rules:\n    silver.firms:\n      - {check: unique, columns: [firm_id], level: fatal}\n")));
        assertTrue(e.getMessage().contains("'quality.rules.silver.firms[0].level'") && e.getMessage().contains("error, warning"), e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).file(yaml(
                "quality:\n  rules:\n    bronze.customs_lines: []\n")));
        assertTrue(e.getMessage().contains("'quality.rules.bronze.customs_lines'") && e.getMessage().contains("names no table"), e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).file(yaml(
                "quality:\n  rules:\n    gold.watchlist:\n      - {check: pattern, columns: [reporter], pattern: \"[A-Z\", level: warning}\n")));
        assertTrue(e.getMessage().contains("'quality.rules.gold.watchlist[0].pattern'"), e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).set("quality.rules.silver.firms", "x"));
        assertTrue(e.getMessage().contains("is a rule set"), e.getMessage());
        e = failure(ConfigLoader.create().environment(Map.of()).set("quality.anomaly.min_history", "1"));
        assertTrue(e.getMessage().contains("'quality.anomaly.min_history'"), e.getMessage());
        // A table listed in the file gets exactly its rules; the others keep their defaults. Settings from the environment.
        EwsConfig c = ConfigLoader.create().environment(Map.of("EWS_QUALITY_ANOMALY_LEVEL", "error")).file(yaml(
                "quality:\n  rules:\n    gold.watchlist: []\n")).load();
        assertTrue(c.quality().rules().get("gold.watchlist").isEmpty());
        assertEquals(EwsConfig.defaults().quality().rules().get("silver.trade_lines"), c.quality().rules().get("silver.trade_lines"));
        assertEquals("error", c.quality().anomaly().level());
        assertTrue(ConfigLoader.create().environment(Map.of()).set("quality.enabled", "false").load().quality()
                .rulesFor(org.ews.tables.Silver.TRADE_LINES).isEmpty());
    }
}
