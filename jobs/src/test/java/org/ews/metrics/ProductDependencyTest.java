package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Product dependency on small fixtures; every expected figure is worked out by hand in the comments. */
@ExtendWith(SharedSpark.class)
class ProductDependencyTest {
    private static final double EPS = 1e-12;
    private final SparkSession spark = SharedSpark.session();
    private final Concentration concentration = Concentration.of(EwsConfig.defaults());

    /** Monthly trade rows: reporter, flow, hs6, partner, month, year, value_usd, quantity_kg. */
    private Dataset<Row> trade(String values) {
        return spark.sql("SELECT reporter, flow, hs6, partner, month, year(month) AS year, CAST(v AS DECIMAL(24,6)) AS value_usd,"
                + " CAST(kg AS DECIMAL(24,6)) AS quantity_kg FROM VALUES " + values
                + " AS t(reporter, flow, hs6, partner, month, v, kg)");
    }

    private Map<String, Row> byKey(Dataset<Row> rows, String period) {
        return rows.collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("reporter") + " " + r.getAs("hs6") + " " + r.getAs(period), r -> r));
    }

    @Test
    void sharesHhiTopPartnersConcernShareAndSubstitutability() {
        Dataset<Row> t = trade(
                // KR lithium hydroxide 2023: CN 800 + 80 = 880, CL 100, AR 20; total 1000; exports 250.
                "('KR', 'I', '282520', 'CN', DATE'2023-01-01', 800, 8000), ('KR', 'I', '282520', 'CN', DATE'2023-06-01', 80, NULL), "
                        + "('KR', 'I', '282520', 'CL', DATE'2023-02-01', 100, 900), ('KR', 'I', '282520', 'AR', DATE'2023-03-01', 20, 100), "
                        + "('KR', 'X', '282520', 'VN', DATE'2023-03-01', 250, NULL), "
                        // A tie: JP 500 and TW 500.
                        + "('KR', 'I', '854231', 'TW', DATE'2023-05-01', 500, NULL), ('KR', 'I', '854231', 'JP', DATE'2023-05-01', 500, NULL), "
                        // A single supplier, no exports.
                        + "('US', 'I', '280530', 'CN', DATE'2023-04-01', 987, 10), "
                        // Exports only: no import dependency row.
                        + "('US', 'X', '848620', 'CN', DATE'2023-04-01', 50, NULL), "
                        // DE is in the EU bloc: CN 600, PL 300, FR 100 -> 40% from inside the bloc.
                        + "('DE', 'I', '850760', 'CN', DATE'2023-04-01', 600, NULL), ('DE', 'I', '850760', 'PL', DATE'2023-04-01', 300, NULL), "
                        + "('DE', 'I', '850760', 'FR', DATE'2023-04-01', 100, NULL)");
        Map<String, Row> rows = byKey(ProductDependency.measure(t, "year", concentration, 9999.0), "year");
        assertEquals(4, rows.size(), "one row per product with imports: " + rows.keySet());

        Row li = rows.get("KR 282520 2023");
        assertEquals(0, new BigDecimal("1000").compareTo(li.getAs("import_value_usd")));
        assertEquals(0, new BigDecimal("250").compareTo(li.getAs("export_value_usd")));
        assertEquals(0, new BigDecimal("9000").compareTo(li.getAs("import_quantity_kg")), "8000 + 900 + 100, the null ignored");
        assertEquals(3L, (long) li.getAs("partners"));
        assertEquals("CN", li.getAs("top_partner"));
        assertEquals(0, new BigDecimal("880").compareTo(li.getAs("top_partner_value_usd")));
        assertEquals(0.88, li.getAs("top_partner_share"), EPS);
        assertEquals("CL", li.getAs("second_partner"));
        assertEquals(0.10, li.getAs("second_partner_share"), EPS);
        assertEquals(0.88 * 0.88 + 0.10 * 0.10 + 0.02 * 0.02, li.getAs("hhi"), EPS); // 0.7848
        assertEquals(0.88, li.getAs("concern_share"), EPS);
        assertNull(li.getAs("extra_bloc_share"), "KR is in no configured bloc");
        assertEquals(4.0, li.getAs("import_export_ratio"), EPS);
        assertEquals(0, new BigDecimal("-750").compareTo(li.getAs("trade_balance_usd")));

        Row tie = rows.get("KR 854231 2023");
        assertEquals("JP", tie.getAs("top_partner"), "equal values: the first code alphabetically");
        assertEquals("TW", tie.getAs("second_partner"));
        assertEquals(0.5, tie.getAs("top_partner_share"), EPS);
        assertEquals(0.5, tie.getAs("second_partner_share"), EPS);
        assertEquals(0.5, tie.getAs("hhi"), EPS);
        assertEquals(0.0, tie.getAs("concern_share"), EPS);

        Row single = rows.get("US 280530 2023");
        assertEquals(1.0, single.getAs("hhi"), EPS);
        assertEquals(1.0, single.getAs("top_partner_share"), EPS);
        assertEquals(1L, (long) single.getAs("partners"));
        assertNull(single.getAs("second_partner"));
        assertEquals(0, BigDecimal.ZERO.compareTo(single.getAs("export_value_usd")));
        assertEquals(9999.0, single.getAs("import_export_ratio"), EPS, "exports zero: CEPII's 9999");

        Row de = rows.get("DE 850760 2023");
        assertEquals(0.6, de.getAs("extra_bloc_share"), EPS);
        assertEquals(0.36 + 0.09 + 0.01, de.getAs("hhi"), EPS);
    }

    @Test
    void twelveMonthWindowsSumTheMonthsEndingAtEachMonth() {
        // Imports of one product from CN in 2023-01 (100) and 2023-12 (300), from JP in 2024-01 (100).
        Dataset<Row> t = trade("('KR', 'I', '250410', 'CN', DATE'2023-01-01', 100, NULL), "
                + "('KR', 'I', '250410', 'CN', DATE'2023-12-01', 300, NULL), ('KR', 'I', '250410', 'JP', DATE'2024-01-01', 100, NULL)");
        Dataset<Row> windows = ProductDependency.windows(t, LocalDate.parse("2024-01-01"));
        Map<String, Row> rows = byKey(ProductDependency.measure(windows, "month", concentration, 9999.0), "month");
        // Windows end at 2023-01 .. 2024-01 (13 months); the one ending 2023-12 holds CN 100 + 300;
        // the one ending 2024-01 (Feb 2023 .. Jan 2024) holds CN 300 and JP 100.
        assertEquals(13, rows.size());
        assertEquals(0, new BigDecimal("400").compareTo(rows.get("KR 250410 2023-12-01").getAs("import_value_usd")));
        Row jan = rows.get("KR 250410 2024-01-01");
        assertEquals(0, new BigDecimal("400").compareTo(jan.getAs("import_value_usd")));
        assertEquals(0.75, jan.getAs("top_partner_share"), EPS);
        assertEquals(0.75 * 0.75 + 0.25 * 0.25, jan.getAs("hhi"), EPS);
        assertEquals(0, new BigDecimal("100").compareTo(rows.get("KR 250410 2023-11-01").getAs("import_value_usd")));
    }

    @Test
    void monthsCloseAfterTheLagAndYearsArePartialUntilDecemberCloses() {
        assertEquals(LocalDate.parse("2025-11-01"), Periods.closedThrough(LocalDate.parse("2025-12-31"), 10));
        assertEquals(LocalDate.parse("2025-11-01"), Periods.closedThrough(LocalDate.parse("2025-12-10"), 10), "Nov 30 + 10 days");
        assertEquals(LocalDate.parse("2025-10-01"), Periods.closedThrough(LocalDate.parse("2025-12-09"), 10));
        assertEquals(LocalDate.parse("2024-03-01"), Periods.closedThrough(LocalDate.parse("2024-03-31"), 0));
        assertEquals(LocalDate.parse("2024-02-01"), Periods.closedThrough(LocalDate.parse("2024-03-30"), 0));

        Dataset<Row> years = spark.sql("SELECT * FROM VALUES (2022, DATE'2022-12-01'), (2023, DATE'2022-12-01'), "
                + "(2025, DATE'2022-12-01'), (2024, DATE'2024-01-01') AS t(year, first)");
        List<Row> out = years.select(org.apache.spark.sql.functions.col("year"),
                        Periods.isPartialYear(LocalDate.parse("2025-11-01"), org.apache.spark.sql.functions.col("first")).as("partial"))
                .orderBy("year").collectAsList();
        assertTrue(out.get(0).getBoolean(1), "2022: the data starts in its December");
        assertFalse(out.get(1).getBoolean(1), "2023: closed and covered");
        assertFalse(out.get(2).getBoolean(1), "2024: data from its January, December closed");
        assertTrue(out.get(3).getBoolean(1), "2025: December not closed");
    }
}
