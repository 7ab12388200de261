package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/** Each line rule on a handful of rows whose expected values are worked out by hand in the comments. */
@ExtendWith(SharedSpark.class)
class TradeLineRulesTest {
    private final SparkSession spark = SharedSpark.session();

    private Dataset<Row> rows(String columns, String values) {
        return spark.sql("SELECT * FROM VALUES " + values + " AS t(" + columns + ")");
    }

    /** Lines declared without a quantity, for the rules that do not look at it. */
    private static Dataset<Row> withoutQuantity(Dataset<Row> lines) {
        for (String c : List.of("quantity", "quantity_kg", "supplementary_quantity")) {
            lines = lines.withColumn(c, org.apache.spark.sql.functions.lit(null).cast("decimal(24,6)"));
        }
        return lines.withColumn("quantity_unit", org.apache.spark.sql.functions.lit(null).cast("string"));
    }

    @Test
    void theHighestVersionWinsAndAnIdenticalResendKeepsTheFirstArrival() {
        Dataset<Row> lines = rows("reporter, declaration_id, line_no, version, landing_date, source_file, source_row",
                "('KR', 'K1', 1, 1, DATE'2024-01-01', 'a.csv', 1L), "
                        + "('KR', 'K1', 1, 2, DATE'2024-01-05', 'b.csv', 4L), "
                        + "('KR', 'K1', 1, 2, DATE'2024-01-09', 'c.csv', 2L), "   // resend of version 2
                        + "('KR', 'K1', 2, 1, DATE'2024-01-01', 'a.csv', 2L), "
                        + "('US', 'K1', 1, 1, DATE'2024-01-02', 'u.csv', 1L)");     // same id, other reporter
        List<Row> kept = TradeLineRules.latestVersions(lines).orderBy("reporter", "declaration_id", "line_no").collectAsList();
        assertEquals(3, kept.size());
        assertEquals("b.csv", kept.get(0).getAs("source_file"));
        assertEquals(2, (int) kept.get(0).getAs("version"));
        assertEquals("a.csv", kept.get(1).getAs("source_file"));
        assertEquals("US", kept.get(2).getAs("reporter"));
    }

    @Test
    void hs6ComesFromAnyNationalSpellingAndTheEditionFromTheDeclarationDate() {
        Dataset<Row> lines = rows("hs_code, declaration_date",
                "('8542.31.00', DATE'2023-01-01'), ('2504 10 0000', DATE'2021-06-01'), ('280530', DATE'2016-05-01'), "
                        + "('85423100', DATE'2022-01-01')");
        Map<String, String> editions = new LinkedHashMap<>();
        editions.put("HS2022", "2022-01-01");
        editions.put("HS2017", "2017-01-01");
        List<Row> out = TradeLineRules.withHsCodes(lines, editions).select("hs_code", "hs6", "hs_national", "hs_edition")
                .orderBy("declaration_date").collectAsList();
        assertEquals(List.of("280530", "280530", "null"), List.of(out.get(0).getString(1), out.get(0).getString(2), String.valueOf(out.get(0).getString(3))));
        assertEquals(List.of("250410", "2504100000", "HS2017"), List.of(out.get(1).getString(1), out.get(1).getString(2), out.get(1).getString(3)));
        assertEquals(List.of("854231", "85423100", "HS2022"), List.of(out.get(2).getString(1), out.get(2).getString(2), out.get(2).getString(3)));
        assertEquals("HS2022", out.get(3).getString(3), "the edition's first day belongs to it");
    }

    @Test
    void partnersResolveThroughTheAliasTableAndUnknownOnesAreNeverGuessed() {
        Dataset<Row> aliases = rows("alias, iso2", "('KOREA REPUBLIC OF', 'KR'), ('KR', 'KR'), ('KOR', 'KR'), ('410', 'KR'), "
                + "('GREECE', 'GR'), ('EL', 'GR'), ('VIET NAM', 'VN'), ('VIETNAM', 'VN')");
        Dataset<Row> lines = rows("id, partner_country, currency, declaration_date, value",
                "(1, 'Korea, Republic of', 'USD', DATE'2024-03-01', 1.0BD), (2, 'kor', 'USD', DATE'2024-03-01', 1.0BD), "
                        + "(3, '0410', 'USD', DATE'2024-03-01', 1.0BD), (4, 'EL', 'USD', DATE'2024-03-01', 1.0BD), "
                        + "(5, 'Viet Nam', 'USD', DATE'2024-03-01', 1.0BD), (6, ' Vietnam ', 'USD', DATE'2024-03-01', 1.0BD), "
                        + "(7, 'Atlantis', 'USD', DATE'2024-03-01', 1.0BD)")
                .withColumn("value", col("value").cast("decimal(24,6)"));
        lines = withoutQuantity(lines);
        Dataset<Row> fx = spark.createDataFrame(List.of(), ReferenceData.FX_SCHEMA);
        Dataset<Row> out = TradeLineRules.withReasons(TradeLineRules.withUsdValue(TradeLineRules.withPartner(lines, aliases), fx), "fx.csv");
        Map<Integer, String> partner = new LinkedHashMap<>();
        out.orderBy("id").collectAsList().forEach(r -> partner.put(r.getAs("id"), r.getAs("partner")));
        assertEquals(Map.of(1, "KR", 2, "KR", 3, "KR", 4, "GR", 5, "VN", 6, "VN"),
                partner.entrySet().stream().filter(e -> e.getValue() != null)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        Row atlantis = out.where(col("id").equalTo(7)).head();
        assertNull(atlantis.getAs("partner"));
        assertEquals(TradeLineRules.UNKNOWN_PARTNER, atlantis.getAs("reason_code"));
        String reason = atlantis.getAs("reason");
        assertTrue(reason.contains("'Atlantis'"), reason);
    }

    @Test
    void valuesConvertAtTheDeclarationMonthsRateAndAMissingRateNamesCurrencyAndMonth() {
        Dataset<Row> fx = spark.createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create("EUR", "2024-03", new BigDecimal("1.0875")),
                org.apache.spark.sql.RowFactory.create("KRW", "2024-03", new BigDecimal("0.00075"))), ReferenceData.FX_SCHEMA);
        Dataset<Row> lines = rows("id, currency, declaration_date, value, partner, partner_country",
                "(1, 'EUR', DATE'2024-03-31', 1000.50BD, 'DE', 'DE'), (2, 'KRW', DATE'2024-03-01', 1334000BD, 'CN', 'CN'), "
                        + "(3, 'USD', DATE'2019-07-04', 12.34BD, 'CN', 'CN'), (4, 'EUR', DATE'2024-04-01', 10BD, 'DE', 'DE')")
                .withColumn("value", col("value").cast("decimal(24,6)"));
        lines = withoutQuantity(lines);
        List<Row> out = TradeLineRules.withReasons(TradeLineRules.withUsdValue(lines, fx), "conf/reference/fx_rates.csv")
                .orderBy("id").collectAsList();
        // 1000.50 x 1.0875 = 1088.04375; 1,334,000 x 0.00075 = 1000.5; USD is itself.
        assertEquals(0, new BigDecimal("1088.043750").compareTo(out.get(0).getAs("value_usd")));
        assertEquals(java.sql.Date.valueOf("2024-03-01"), out.get(0).getAs("month"));
        assertEquals(0, new BigDecimal("1000.5").compareTo(out.get(1).getAs("value_usd")));
        assertEquals(0, new BigDecimal("12.34").compareTo(out.get(2).getAs("value_usd")));
        assertNull(out.get(2).getAs("reason_code"));
        assertEquals(TradeLineRules.MISSING_FX_RATE, out.get(3).getAs("reason_code"));
        String reason = out.get(3).getAs("reason");
        assertTrue(reason.startsWith("no USD rate for EUR in 2024-04"), reason);
    }

    @Test
    void massUnitsBecomeKilogramsAndOtherUnitsStayAsSupplementaryQuantities() {
        Dataset<Row> units = spark.createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create("KG", "mass", new BigDecimal("1")),
                org.apache.spark.sql.RowFactory.create("TNE", "mass", new BigDecimal("1000")),
                org.apache.spark.sql.RowFactory.create("G", "mass", new BigDecimal("0.001")),
                org.apache.spark.sql.RowFactory.create("U", "count", null)), ReferenceData.UNITS_SCHEMA);
        Dataset<Row> lines = rows("id, quantity, quantity_unit",
                "(1, 2.5BD, 'TNE'), (2, 1500BD, 'G'), (3, 10BD, 'U'), (4, 3BD, 'XYZ'), (5, CAST(NULL AS DECIMAL(24,6)), 'KG'), (6, 7BD, 'KG')")
                .withColumn("quantity", col("quantity").cast("decimal(24,6)"));
        List<Row> out = TradeLineRules.withQuantities(lines, units).orderBy("id").collectAsList();
        assertEquals(0, new BigDecimal("2500").compareTo(out.get(0).getAs("quantity_kg")));
        assertEquals(0, new BigDecimal("1.5").compareTo(out.get(1).getAs("quantity_kg")));
        assertNull(out.get(2).getAs("quantity_kg"));
        assertEquals(0, BigDecimal.TEN.compareTo(out.get(2).getAs("supplementary_quantity")));
        assertEquals("U", out.get(2).getAs("supplementary_unit"));
        assertEquals("XYZ", out.get(3).getAs("supplementary_unit"), "an unknown unit keeps its quantity, without kilograms");
        assertNull(out.get(4).getAs("quantity_kg"));
        assertNull(out.get(4).getAs("supplementary_quantity"));
        assertEquals(0, new BigDecimal("7").compareTo(out.get(5).getAs("quantity_kg")));
    }

    @Test
    void aQuantityTooLargeInKilogramsIsQuarantinedNotNulled() {
        Dataset<Row> units = spark.createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create("TNE", "mass", new BigDecimal("1000"))), ReferenceData.UNITS_SCHEMA);
        // 5e15 t is 5e18 kg: more than the 18 integer digits a quantity column holds.
        Dataset<Row> lines = rows("id, quantity, quantity_unit, partner, partner_country, currency, declaration_date, value",
                "(1, 5000000000000000BD, 'TNE', 'CN', 'CN', 'USD', DATE'2024-03-01', 1BD), (2, 5BD, 'TNE', 'CN', 'CN', 'USD', DATE'2024-03-01', 1BD)")
                .withColumn("quantity", col("quantity").cast("decimal(24,6)")).withColumn("value", col("value").cast("decimal(24,6)"));
        Dataset<Row> fx = spark.createDataFrame(List.of(), ReferenceData.FX_SCHEMA);
        List<Row> out = TradeLineRules.withReasons(TradeLineRules.withUsdValue(TradeLineRules.withQuantities(lines, units), fx), "fx.csv")
                .orderBy("id").collectAsList();
        assertEquals(TradeLineRules.QUANTITY_OUT_OF_RANGE, out.get(0).getAs("reason_code"));
        assertNull(out.get(1).getAs("reason_code"));
        assertEquals(0, new BigDecimal("5000").compareTo(out.get(1).getAs("quantity_kg")));
    }
}
