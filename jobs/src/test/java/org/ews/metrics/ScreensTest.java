package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.ConfigException;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The shipped screens, persistence, "N years running" and a screen added in YAML, on hand-made product rows. */
@ExtendWith(SharedSpark.class)
class ScreensTest {
    private final SparkSession spark = SharedSpark.session();

    /** Yearly product rows with the metrics the screens read. */
    private Dataset<Row> rows(String values) {
        return spark.sql("SELECT reporter, hs6, year, CAST(imp AS DECIMAL(24,6)) AS import_value_usd, top_partner, "
                + "CAST(share AS DOUBLE) AS top_partner_share, CAST(top_value AS DECIMAL(24,6)) AS top_partner_value_usd, "
                + "CAST(hhi AS DOUBLE) AS hhi, CAST(ratio AS DOUBLE) AS import_export_ratio, "
                + "CAST(balance AS DECIMAL(24,6)) AS trade_balance_usd, CAST(extra AS DOUBLE) AS extra_bloc_share FROM VALUES "
                + values + " AS t(reporter, hs6, year, imp, top_partner, share, top_value, hhi, ratio, balance, extra)");
    }

    private static Map<String, List<String>> screensByKey(Dataset<Row> out) {
        return out.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("hs6") + " " + r.getAs("year"),
                r -> r.getList(r.fieldIndex("screens"))));
    }

    @Test
    void shippedScreensOnHandMadeRows() {
        Dataset<Row> r = rows(
                // A: China 80% three years running, US$8M from China, deficit, HHI 0.66, ratio 5: every screen, KITA from the third year.
                "('KR', 'A', 2021, 10000000, 'CN', 0.8, 8000000, 0.66, 5.0, -9000000, NULL), "
                        + "('KR', 'A', 2022, 10000000, 'CN', 0.8, 8000000, 0.66, 5.0, -9000000, NULL), "
                        + "('KR', 'A', 2023, 10000000, 'CN', 0.8, 8000000, 0.66, 5.0, -9000000, NULL), "
                        // B: China on top in 2021 and 2023 but not 2022: never three years running.
                        + "('KR', 'B', 2021, 10000000, 'CN', 0.8, 8000000, 0.66, 5.0, -1, NULL), "
                        + "('KR', 'B', 2022, 10000000, 'JP', 0.8, 8000000, 0.66, 5.0, -1, NULL), "
                        + "('KR', 'B', 2023, 10000000, 'CN', 0.8, 8000000, 0.66, 5.0, -1, NULL), "
                        // C: exactly 50% top share (kr_ews_50 is >=), HHI 0.4 (eu_2021 needs > 0.4).
                        + "('KR', 'C', 2023, 100, 'JP', 0.5, 50, 0.4, 2.0, -50, NULL), "
                        // D: concentrated but exported more than imported (ratio 0.5): no EU dependency.
                        + "('KR', 'D', 2023, 100, 'US', 0.9, 90, 0.82, 0.5, 100, NULL), "
                        // E: an EU reporter with 60% from inside its bloc: extra-bloc share 0.4 fails eu_2021.
                        + "('DE', 'E', 2023, 100, 'CN', 0.6, 60, 0.5, 3.0, -50, 0.4), "
                        // F: eu_2021 passes in 2021 and 2023, not 2022: persistent (2 of 3) in 2023, not in 2022.
                        + "('KR', 'F', 2021, 100, 'CN', 0.7, 70, 0.5, 3.0, -50, NULL), "
                        + "('KR', 'F', 2022, 100, 'CN', 0.7, 70, 0.3, 3.0, -50, NULL), "
                        + "('KR', 'F', 2023, 100, 'CN', 0.7, 70, 0.5, 3.0, -50, NULL)");
        Map<String, List<String>> s = screensByKey(new Screens(EwsConfig.defaults().metrics().enabledScreens())
                .apply(r, Screens.Period.CALENDAR_YEAR, org.apache.spark.sql.functions.lit(true)));
        assertEquals(List.of("eu_2021", "kr_ews_50"), s.get("A 2021"), "persistence needs two years, KITA three");
        assertEquals(List.of("eu_2021", "eu_2021_persistent", "kr_ews_50"), s.get("A 2022"));
        assertEquals(List.of("eu_2021", "eu_2021_persistent", "kr_ews_50", "kita_vulnerable"), s.get("A 2023"));
        assertFalse(s.get("B 2023").contains("kita_vulnerable"), "China top in 2021 and 2023 only");
        assertEquals(List.of("kr_ews_50"), s.get("C 2023"));
        assertEquals(List.of("kr_ews_50"), s.get("D 2023"));
        assertEquals(List.of("kr_ews_50"), s.get("E 2023"), "extra-bloc share known and below 0.5");
        assertEquals(List.of("eu_2021", "kr_ews_50"), s.get("F 2021"));
        assertEquals(List.of("kr_ews_50"), s.get("F 2022"), "1 of the last 3 years");
        assertEquals(List.of("eu_2021", "eu_2021_persistent", "kr_ews_50"), s.get("F 2023"), "2021 and 2023: 2 of 3");
    }

    @Test
    void aYearTheDataCoversOnlyInPartDoesNotCountForLaterYears() {
        // eu_2021 passes in 2021, 2022 and 2023, but the data starts in December 2021: 2021 is judged on its own figures,
        // yet does not make 2022 persistent (1 covered year of 3); 2023 is (2022 and 2023).
        Dataset<Row> r = rows("('KR', 'G', 2021, 100, 'CN', 0.7, 70, 0.5, 3.0, -50, NULL), "
                + "('KR', 'G', 2022, 100, 'CN', 0.7, 70, 0.5, 3.0, -50, NULL), ('KR', 'G', 2023, 100, 'CN', 0.7, 70, 0.5, 3.0, -50, NULL)");
        Map<String, List<String>> s = screensByKey(new Screens(EwsConfig.defaults().metrics().enabledScreens())
                .apply(r, Screens.Period.CALENDAR_YEAR, org.apache.spark.sql.functions.col("year").gt(2021)));
        assertEquals(List.of("eu_2021", "kr_ews_50"), s.get("G 2021"));
        assertEquals(List.of("eu_2021", "kr_ews_50"), s.get("G 2022"));
        assertEquals(List.of("eu_2021", "eu_2021_persistent", "kr_ews_50"), s.get("G 2023"));
    }

    @Test
    void aScreenWrittenInYamlRunsWithoutJava(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), """
                metrics:
                  screens:
                    eu_2021: {enabled: false}
                    eu_2021_persistent: {enabled: false}
                    kita_vulnerable: {enabled: false}
                    big_and_from_concern_countries:
                      description: top partner China or Russia with at least 70%, imports of at least 1000
                      all:
                        - {metric: top_partner, op: in, value: [CN, RU]}
                        - {metric: top_partner_share, op: ">=", value: 0.7}
                        - {metric: import_value_usd, op: ">=", value: 1000}
                """);
        EwsConfig c = ConfigLoader.create().environment(Map.of()).file(yaml).load();
        assertEquals(List.of("kr_ews_50", "big_and_from_concern_countries"), List.copyOf(c.metrics().enabledScreens().keySet()));
        Dataset<Row> r = rows("('KR', 'A', 2023, 5000, 'RU', 0.75, 3750, 0.6, 2.0, -1, NULL), "
                + "('KR', 'B', 2023, 500, 'CN', 0.95, 475, 0.9, 2.0, -1, NULL), "
                + "('KR', 'C', 2023, 5000, 'JP', 0.95, 4750, 0.9, 2.0, -1, NULL)");
        Map<String, List<String>> s = screensByKey(new Screens(c.metrics().enabledScreens()).apply(r, Screens.Period.CALENDAR_YEAR, org.apache.spark.sql.functions.lit(true)));
        assertEquals(List.of("kr_ews_50", "big_and_from_concern_countries"), s.get("A 2023"));
        assertEquals(List.of("kr_ews_50"), s.get("B 2023"), "below 1000");
        assertEquals(List.of("kr_ews_50"), s.get("C 2023"), "JP is not listed");
    }

    @Test
    void badScreensAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Map<String, String> cases = Map.of(
                "metrics:\n  screens:\n    x:\n      all: [{metric: hhi_typo, op: '>', value: 0.4}]\n", "metrics.screens.x.all[0].metric",
                "metrics:\n  screens:\n    x:\n      all: [{metric: hhi, op: '>', value: high}]\n", "metrics.screens.x.all[0].value",
                "metrics:\n  screens:\n    x:\n      all: [{metric: top_partner, op: '>', value: CN}]\n", "metrics.screens.x.all[0].op",
                "metrics:\n  screens:\n    x:\n      all: [{metric: hhi, op: '>', value: 0.4}]\n      persistence: {min_years: 3, of_years: 2}\n",
                "metrics.screens.x.persistence.min_years",
                "metrics:\n  dependent_screen: nope\n", "metrics.dependent_screen",
                "metrics:\n  concern_group: enemies\n", "metrics.concern_group");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path yaml = Files.writeString(dir.resolve("c.yaml"), e.getKey());
            ConfigException ex = assertThrows(ConfigException.class,
                    () -> ConfigLoader.create().environment(Map.of()).file(yaml).load(), e.getKey());
            assertTrue(ex.getMessage().contains("'" + e.getValue() + "'"), ex.getMessage());
        }
        ConfigException set = assertThrows(ConfigException.class, () -> ConfigLoader.create().environment(Map.of())
                .set("metrics.screens.kr_ews_50.enabled", "false").load());
        assertTrue(set.getMessage().contains("config file"), set.getMessage());
    }
}
