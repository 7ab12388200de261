package org.ews.metrics;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What makes the stored gold figures stale (a different fingerprint, so the next run recomputes everything) and what
 * does not (descriptions; the watchlist, rebuilt every run).
 */
class FingerprintTest {
    private static final List<Row> BRIDGE = List.of(RowFactory.create("850760", "batteries", 0.8),
            RowFactory.create("850760", "clean_energy", 0.2));

    private static String fingerprint(Map<String, String> settings, List<Row> bridge) {
        ConfigLoader loader = ConfigLoader.create().environment(Map.of());
        settings.forEach(loader::set);
        return MetricsStage.fingerprint(loader.load(), bridge);
    }

    @Test
    void settingsTheFiguresDependOnChangeIt() {
        String base = fingerprint(Map.of(), BRIDGE);
        assertEquals(base, MetricsStage.fingerprint(EwsConfig.defaults(), BRIDGE), "the same settings, the same fingerprint");
        for (Map.Entry<String, String> changed : Map.of(
                "metrics.firm_min_import_usd", "5000",
                "metrics.firm_exposed_share", "0.6",
                "metrics.dependent_screen", "eu_2021",
                "metrics.no_exports_ratio", "1000",
                "countries.groups.concern", "CN,RU",
                "periods.month_close_lag_days", "30").entrySet()) {
            assertNotEquals(base, fingerprint(Map.of(changed.getKey(), changed.getValue()), BRIDGE), changed.getKey());
        }
        assertNotEquals(base, fingerprint(Map.of(), List.of(RowFactory.create("850760", "batteries", 1.0))), "a new bridge");
    }

    @Test
    void watchlistSettingsAndUnusedGroupsDoNot() {
        String base = fingerprint(Map.of(), BRIDGE);
        assertEquals(base, fingerprint(Map.of("metrics.watchlist.drop_after_months", "6"), BRIDGE));
        assertEquals(base, fingerprint(Map.of("countries.groups.trilateral", "KR,US"), BRIDGE), "a group no metric reads");
    }
}
