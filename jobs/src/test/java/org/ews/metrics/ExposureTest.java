package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Firm-group and sector exposure through the HS6 -> sector bridge: lithium-ion cells (850760) count 0.8 in batteries
 * and 0.2 in clean energy; processors (854231) are all semiconductors. Expected figures are worked out in the comments.
 */
@ExtendWith(SharedSpark.class)
class ExposureTest {
    private static final double EPS = 1e-9;
    private final SparkSession spark = SharedSpark.session();
    private final Concentration concentration = Concentration.of(EwsConfig.defaults());

    private Dataset<Row> bridge() {
        return spark.sql("SELECT * FROM VALUES ('850760', 'batteries', 0.8D), ('850760', 'clean_energy', 0.2D), "
                + "('854231', 'semiconductors', 1.0D) AS t(hs6, sector, weight)");
    }

    /**
     * Group P1 owns F1 and F2: F1 buys cells from CN (600), F2 cells from JP (300) and processors from TW (100).
     * Group P2 is F3 alone: cells from CN (50). One line of exports of cells (100).
     */
    private Dataset<Row> firmTrade() {
        return spark.sql("SELECT reporter, flow, hs6, partner, year, firm_id, parent_firm_id, CAST(v AS DECIMAL(24,6)) AS value_usd FROM VALUES "
                + "('KR', 'I', '850760', 'CN', 2023, 'F1', 'P1', 600), ('KR', 'I', '850760', 'JP', 2023, 'F2', 'P1', 300), "
                + "('KR', 'I', '854231', 'TW', 2023, 'F2', 'P1', 100), ('KR', 'I', '850760', 'CN', 2023, 'F3', 'P2', 50), "
                + "('KR', 'X', '850760', 'US', 2023, 'F1', 'P1', 100) "
                + "AS t(reporter, flow, hs6, partner, year, firm_id, parent_firm_id, v)");
    }

    private static Map<String, Row> byKey(Dataset<Row> rows, String... keys) {
        return rows.collectAsList().stream().collect(Collectors.toMap(r -> {
            StringBuilder k = new StringBuilder();
            for (String c : keys) {
                k.append(k.length() == 0 ? "" : " ").append((Object) r.getAs(c));
            }
            return k.toString();
        }, r -> r));
    }

    @Test
    void aFirmGroupAddsUpItsSubsidiariesPerSector() {
        // Floor 500: P1's cells in batteries are 0.8 x 900 = 720 (CN 480, JP 240), so exposed at 2/3 from CN.
        Map<String, Row> firms = byKey(FirmExposure.measure(firmTrade(), bridge(), concentration, 0.5, 500.0),
                "parent_firm_id", "sector");
        assertEquals(5, firms.size(), firms.keySet().toString());
        Row p1 = firms.get("P1 batteries");
        assertEquals(0, new BigDecimal("720").compareTo(new BigDecimal(p1.getAs("import_value_usd").toString())));
        assertEquals(2L, (long) p1.getAs("firms"), "F1 and F2");
        assertEquals(1L, (long) p1.getAs("products"));
        assertEquals("CN", p1.getAs("top_partner"));
        assertEquals(2.0 / 3, p1.getAs("top_partner_share"), EPS);
        assertEquals(4.0 / 9 + 1.0 / 9, p1.getAs("hhi"), EPS);
        assertEquals(2.0 / 3, p1.getAs("concern_share"), EPS);
        assertTrue(p1.<Boolean>getAs("is_exposed"));
        // Clean energy: 0.2 x 900 = 180, below the floor although 2/3 from CN.
        assertEquals(180.0, ((Number) firms.get("P1 clean_energy").getAs("import_value_usd")).doubleValue(), EPS);
        assertFalse(firms.get("P1 clean_energy").<Boolean>getAs("is_exposed"));
        // Processors: one supplier but 100 < 500.
        assertEquals(1.0, firms.get("P1 semiconductors").getAs("hhi"), EPS);
        assertEquals(1L, (long) firms.get("P1 semiconductors").getAs("firms"), "only F2 bought processors");
        assertFalse(firms.get("P1 semiconductors").<Boolean>getAs("is_exposed"));
        assertEquals(40.0, ((Number) firms.get("P2 batteries").getAs("import_value_usd")).doubleValue(), EPS);
    }

    @Test
    void sectorTotalsAreTheWeightedSumsOfTheirProducts() {
        Dataset<Row> trade = firmTrade().drop("firm_id", "parent_firm_id");
        // Product rows as gold.product_dependency has them: cells pass kr_ews_50 (CN 650 of 950), processors too (TW 100%).
        Dataset<Row> products = spark.sql("SELECT * FROM VALUES ('KR', '850760', 2023, array('kr_ews_50')), "
                + "('KR', '854231', 2023, array('kr_ews_50', 'eu_2021')) AS t(reporter, hs6, year, screens)");
        Dataset<Row> firms = FirmExposure.measure(firmTrade(), bridge(), concentration, 0.5, 500.0);
        Map<String, Row> sectors = byKey(SectorExposure.measure(trade, bridge(), products, firms, concentration, "kr_ews_50"), "sector");
        assertEquals(3, sectors.size());
        Row bat = sectors.get("batteries");
        // 0.8 x (CN 650 + JP 300) = CN 520 + JP 240 = 760.
        assertEquals(760.0, ((Number) bat.getAs("import_value_usd")).doubleValue(), EPS);
        assertEquals(80.0, ((Number) bat.getAs("export_value_usd")).doubleValue(), EPS, "0.8 x 100");
        assertEquals(520.0 / 760, bat.getAs("top_partner_share"), EPS);
        assertEquals(Math.pow(520.0 / 760, 2) + Math.pow(240.0 / 760, 2), bat.getAs("hhi"), EPS);
        assertEquals(2L, (long) bat.getAs("partners"));
        assertEquals(1L, (long) bat.getAs("products"));
        assertEquals(1L, (long) bat.getAs("dependent_products"));
        assertEquals(2L, (long) bat.getAs("firms"), "P1 and P2");
        assertEquals(1L, (long) bat.getAs("firms_exposed"), "P1 only; P2's 40 is below the floor");
        Row clean = sectors.get("clean_energy");
        assertEquals(190.0, ((Number) clean.getAs("import_value_usd")).doubleValue(), EPS, "0.2 x 950");
        assertEquals(0L, (long) clean.getAs("firms_exposed"));
        Row semi = sectors.get("semiconductors");
        assertEquals(1.0, semi.getAs("hhi"), EPS);
        assertEquals(0.0, semi.getAs("concern_share"), EPS);
        // The three sectors add up to the two products' imports: 950 + 100.
        double sum = sectors.values().stream().mapToDouble(r -> ((Number) r.getAs("import_value_usd")).doubleValue()).sum();
        assertEquals(1050.0, sum, EPS);
    }
}
