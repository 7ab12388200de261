package org.ews.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.conform.TradeLineRules;
import org.ews.conform.reference.CountryKey;
import org.ews.tables.Bronze;
import org.ews.tables.Silver;
import org.ews.testing.GeneratedRun;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The DuckDB peer against our pipeline: on the generated run's landing zone its two tables must equal our gold tables
 * (and the comparison must notice a changed value or a missing row); on a hand-made landing zone its figures are the
 * ones worked out below by hand.
 */
@ExtendWith(SharedSpark.class)
class DuckDbPeerTest {
    private static final Path REFERENCE = Path.of("../conf/reference");
    private final SparkSession spark = SharedSpark.session();
    private final EwsConfig config = ConfigLoader.create().environment(TestEnv.ENV).load();

    private DuckDbPeer.Result runPeer(Path landing, String runDate, Path out) {
        return new DuckDbPeer(new DuckDbPeer.Settings(landing, REFERENCE, config, LocalDate.parse(runDate), null, null, 2, null, null))
                .run(out);
    }

    @Test
    void equalsOurGoldTablesOnTheGeneratedRun(@TempDir Path out) {
        GeneratedRun run = GeneratedRun.get();
        long start = System.nanoTime();
        DuckDbPeer.Result peer = runPeer(run.landing(), GeneratedRun.LAST_DATE, out);
        System.out.println(peer.describe());

        // Every broken file the generator wrote is left out whole, as ingest does; the lines in force are silver's.
        assertEquals(run.summary().brokenFiles(), peer.landing().rejected().getOrDefault("unreadable_file", 0).longValue());
        assertEquals(Set.of(PeerLanding.Format.CSV, PeerLanding.Format.JSONL, PeerLanding.Format.PARQUET),
                peer.landing().filesByFormat().keySet(), "the generated landing holds every format the peer reads");
        assertEquals(spark.read().format("delta").load(run.table("silver", "trade_lines")).count(), peer.linesInForce());

        List<PeerComparison.Result> results = PeerComparison.compare(spark, run.warehouse().toString(), peer);
        assertEquals(2, results.size());
        for (PeerComparison.Result r : results) {
            System.out.println(r.describe());
            assertTrue(r.same(), r.describe());
            assertTrue(r.oursRows() > 100, r.describe());
            assertEquals(r.oursRows(), r.peerRows());
        }

        // The comparison notices a value a micro-dollar off, a share off in its 9th digit and a missing row, and lets
        // a share differing in its last bits pass.
        PeerComparison.Columns cube = PeerComparison.TRADE_MONTHLY;
        Dataset<Row> ours = spark.read().format("delta").load(run.table("gold", "trade_monthly"));
        Dataset<Row> theirs = spark.read().parquet(peer.table(DuckDbPeer.TRADE_MONTHLY).parquet().toUri().toString());
        List<Row> keys = theirs.select(REPORTER, FLOW, HS6, PARTNER, MONTH).orderBy(REPORTER, FLOW, HS6, PARTNER, MONTH).limit(2).collectAsList();
        Dataset<Row> changed = theirs.where(not(matches(keys.get(1))))
                .withColumn(VALUE_USD, when(matches(keys.get(0)), col(VALUE_USD).plus(lit(new BigDecimal("0.000001"))))
                        .otherwise(col(VALUE_USD)).cast(Bronze.NUMBER));
        PeerComparison.Result broken = PeerComparison.compare(cube, ours, changed);
        assertFalse(broken.same());
        assertEquals(1, broken.onlyOurs());
        assertEquals(0, broken.onlyPeer());
        assertEquals(Map.of(VALUE_USD, 1L), broken.mismatches());
        assertEquals(2, broken.examples().size(), broken.describe());

        Dataset<Row> dependency = spark.read().parquet(peer.table(DuckDbPeer.PRODUCT_DEPENDENCY).parquet().toUri().toString());
        Dataset<Row> oursDependency = spark.read().format("delta").load(run.table("gold", "product_dependency"));
        Row first = dependency.orderBy(REPORTER, HS6, YEAR).first();
        org.apache.spark.sql.Column isFirst = col(REPORTER).equalTo(first.getAs(REPORTER)).and(col(HS6).equalTo(first.getAs(HS6)))
                .and(col(YEAR).equalTo(first.getAs(YEAR)));
        PeerComparison.Result lastBits = PeerComparison.compare(PeerComparison.PRODUCT_DEPENDENCY, oursDependency,
                dependency.withColumn(HHI, when(isFirst, col(HHI).multiply(1 + 4e-16)).otherwise(col(HHI))));
        assertTrue(lastBits.same(), lastBits.describe());
        PeerComparison.Result ninthDigit = PeerComparison.compare(PeerComparison.PRODUCT_DEPENDENCY, oursDependency,
                dependency.withColumn(HHI, when(isFirst, col(HHI).plus(1e-9)).otherwise(col(HHI))));
        assertEquals(Map.of(HHI, 1L), ninthDigit.mismatches());
        System.out.printf("peer and comparisons on the generated run: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static org.apache.spark.sql.Column matches(Row key) {
        return col(REPORTER).equalTo(key.get(0)).and(col(FLOW).equalTo(key.get(1))).and(col(HS6).equalTo(key.get(2)))
                .and(col(PARTNER).equalTo(key.get(3))).and(col(MONTH).equalTo(key.get(4)));
    }

    /*
     * Hand-made landing, run as of 2024-04-15 (closed through March 2024):
     * KR 2024-03-05 (gzip CSV): D1 line 1 version 1 (CN, 1000 USD); D2 1,234,567.89 KRW from "VNM" in 500 KG; D3 a
     *   negative value; D4 an export of 300 USD to the US; D5 from "Atlantis"; a short row.
     * KR 2024-03-06 (gzip CSV): D1 line 1 version 2 (China, 1500 USD, 3 TNE); version 3 from "Atlantis"; and a
     *   truncated gzip whose 9,999 USD line must not count.
     * landing fx: KRW 2024-03 = 0.000750449 USD.
     * DE 2024-03-05 (plain CSV, other column order, an extra column, no version): E1 600 USD from FR, E2 400 USD from
     *   CN; (JSONL) E3 400 USD from "France" as a JSON number, and a line that is not JSON.
     */
    @Test
    void handMadeLandingGivesTheFiguresWorkedOutByHand(@TempDir Path dir) throws IOException {
        Path landing = dir.resolve("landing");
        String krHeader = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,trader_id,trader_name,"
                + "value,currency,quantity,quantity_unit,net_weight_kg";
        gzip(landing.resolve("customs/reporter=KR/date=2024-03-05/part-0001.csv.gz"), krHeader,
                "D1,1,1,I,2024-03-04,8542.31.00,CN,,Alpha Co,1000.00,USD,2,TNE,",
                "D2,1,1,I,2024-03-04,854231,VNM,,Beta Co,1234567.89,KRW,500,KG,",
                "D3,1,1,I,2024-03-04,854231,CN,,Gamma Co,-5,USD,,,",
                "D4,1,1,X,2024-03-04,8542 31 0000,US,,Delta Co,300,USD,,,",
                "D5,1,1,I,2024-03-04,854231,Atlantis,,Eps Co,999,USD,,,",
                "D6,1");
        gzip(landing.resolve("customs/reporter=KR/date=2024-03-06/part-0001.csv.gz"), krHeader,
                "D1,1,2,I,2024-03-04,8542.31.00,China,,Alpha Co,1500,USD,3,TNE,",
                "D1,1,3,I,2024-03-04,8542.31.00,Atlantis,,Alpha Co,7777,USD,,,");
        byte[] lost = gzipBytes(krHeader, "D7,1,1,I,2024-03-05,854231,CN,,Lost Co,9999,USD,,,");
        Files.write(landing.resolve("customs/reporter=KR/date=2024-03-06/part-9999.csv.gz"),
                java.util.Arrays.copyOf(lost, lost.length - 12));
        write(landing.resolve("reference/fx_rates/rates.csv"), "currency,month,usd_per_unit", "KRW,2024-03,0.000750449");
        write(landing.resolve("customs/reporter=DE/date=2024-03-05/part-0001.csv"),
                "declaration_date,declaration_id,line_no,flow,hs_code,partner_country,trader_name,value,currency,port",
                "2024-03-01,E1,1,I,850760,FR,Xaver GmbH,600,USD,HAM",
                "2024-03-01,E2,1,I,850760,CN,Yvonne AG,400,USD,HAM");
        write(landing.resolve("customs/reporter=DE/date=2024-03-05/part-0002.jsonl"),
                "{\"declaration_id\":\"E3\",\"line_no\":1,\"flow\":\"I\",\"declaration_date\":\"2024-03-02\",\"hs_code\":\"850760\","
                        + "\"partner_country\":\"France\",\"trader_name\":\"Zeta SA\",\"value\":400,\"currency\":\"USD\"}",
                "not json");
        // White space and control characters at a value's ends, as RowRules.text trims them (RowRules.BLANK): J1 is
        // accepted with its values trimmed; the id of only a tab is missing, so that line is rejected.
        write(landing.resolve("customs/reporter=JP/date=2024-03-05/part-0001.jsonl"),
                "{\"declaration_id\":\"\\u00a0J1\\u2028\",\"line_no\":\"1\\n\",\"flow\":\"I\",\"declaration_date\":\"2024-03-02\","
                        + "\"hs_code\":\"\\ufeff850760\",\"partner_country\":\"\\u3000KR\",\"trader_name\":\"Kappa KK\\t\","
                        + "\"value\":\"250\\r\\n\",\"currency\":\"usd\\u2028\"}",
                "{\"declaration_id\":\"\\t\",\"line_no\":1,\"flow\":\"I\",\"declaration_date\":\"2024-03-02\",\"hs_code\":\"850760\","
                        + "\"partner_country\":\"KR\",\"trader_name\":\"Lambda KK\",\"value\":900,\"currency\":\"USD\"}");

        DuckDbPeer.Result peer = runPeer(landing, "2024-04-15", dir.resolve("out"));
        assertEquals(Map.of("unreadable_file", 1), peer.landing().rejected());
        // D1 (version 2), D2, D4, E1, E2, E3, J1.
        assertEquals(7, peer.linesInForce());

        Map<String, Row> cube = byKey(spark.read().parquet(peer.table(DuckDbPeer.TRADE_MONTHLY).parquet().toUri().toString()),
                REPORTER, FLOW, PARTNER);
        assertEquals(Set.of("KR I CN", "KR I VN", "KR X US", "DE I FR", "DE I CN", "JP I KR"), cube.keySet());
        assertEquals(new BigDecimal("250.000000"), cube.get("JP I KR").getAs(VALUE_USD), "J1 trimmed; not the tab's 900");
        assertEquals("850760", cube.get("JP I KR").getAs(HS6));
        Row cn = cube.get("KR I CN");
        assertEquals("854231", cn.getAs(HS6));
        assertEquals("2024-03-01", String.valueOf((Object) cn.getAs(MONTH)));
        assertEquals(2024, cn.getInt(cn.fieldIndex(YEAR)));
        assertEquals(new BigDecimal("1500.000000"), cn.getAs(VALUE_USD), "version 2 in force: not 1000, not 7777");
        assertEquals(new BigDecimal("3000.000000"), cn.getAs(QUANTITY_KG), "3 TNE");
        assertEquals(new BigDecimal("1500.000000"), cn.getAs(VALUE_USD_WITH_KG));
        assertEquals(1L, lng(cn, LINES));
        assertEquals(1L, lng(cn, DECLARATIONS));
        assertTrue(bool(cn, IS_CLOSED_MONTH), "March closes on April 10");
        // 1,234,567.89 x 0.000750449 = 926.48023848261: Spark's decimal product keeps 7 places (926.4802385), the cast
        // to 6 rounds again: 926.480239, where one rounding would give 926.480238.
        Row vn = cube.get("KR I VN");
        assertEquals(new BigDecimal("926.480239"), vn.getAs(VALUE_USD));
        assertEquals(new BigDecimal("500.000000"), vn.getAs(QUANTITY_KG));
        assertEquals(new BigDecimal("300.000000"), cube.get("KR X US").getAs(VALUE_USD), "HS written 8542 31 0000");
        assertEquals(new BigDecimal("1000.000000"), cube.get("DE I FR").getAs(VALUE_USD), "E1 and E3 (France, JSONL)");
        assertEquals(2L, lng(cube.get("DE I FR"), DECLARATIONS));
        assertNull(cube.get("DE I FR").getAs(QUANTITY_KG));
        assertNull(cube.get("DE I FR").getAs(VALUE_USD_WITH_KG));

        // Our conform computes the same USD value for D2: the double rounding is Spark's, not the peer's invention.
        StructType lineSchema = new StructType().add(DECLARATION_DATE, DataTypes.DateType).add(CURRENCY, DataTypes.StringType)
                .add(VALUE, Bronze.NUMBER);
        StructType fxSchema = new StructType().add(CURRENCY, DataTypes.StringType).add("fx_month", DataTypes.StringType)
                .add(FX_USD_PER_UNIT, Silver.RATE);
        Dataset<Row> usd = TradeLineRules.withUsdValue(
                spark.createDataFrame(List.of(RowFactory.create(Date.valueOf("2024-03-04"), "KRW", new BigDecimal("1234567.89"))), lineSchema),
                spark.createDataFrame(List.of(RowFactory.create("KRW", "2024-03", new BigDecimal("0.000750449"))), fxSchema));
        assertEquals(new BigDecimal("926.480239"), usd.first().getAs(VALUE_USD));

        Map<String, Row> dependency = byKey(spark.read().parquet(peer.table(DuckDbPeer.PRODUCT_DEPENDENCY).parquet().toUri().toString()),
                REPORTER, HS6, YEAR);
        assertEquals(Set.of("KR 854231 2024", "DE 850760 2024", "JP 850760 2024"), dependency.keySet());
        Row kr = dependency.get("KR 854231 2024");
        double krTotal = 1500 + 926.480239;
        assertEquals(new BigDecimal("2426.480239"), kr.getAs(IMPORT_VALUE_USD));
        assertEquals(new BigDecimal("300.000000"), kr.getAs(EXPORT_VALUE_USD));
        assertEquals(new BigDecimal("3500.000000"), kr.getAs(IMPORT_QUANTITY_KG));
        assertEquals(2L, lng(kr, PARTNERS));
        assertEquals("CN", kr.getAs(TOP_PARTNER));
        assertEquals(new BigDecimal("1500.000000"), kr.getAs(TOP_PARTNER_VALUE_USD));
        assertEquals(1500 / krTotal, dbl(kr, TOP_PARTNER_SHARE), 1e-15);
        assertEquals("VN", kr.getAs(SECOND_PARTNER));
        assertEquals(926.480239 / krTotal, dbl(kr, SECOND_PARTNER_SHARE), 1e-15);
        assertEquals(Math.pow(1500 / krTotal, 2) + Math.pow(926.480239 / krTotal, 2), dbl(kr, HHI), 1e-15);
        assertEquals(1500 / krTotal, dbl(kr, CONCERN_SHARE), 1e-15, "CN is in the concern group");
        assertTrue(kr.isNullAt(kr.fieldIndex(EXTRA_BLOC_SHARE)), "KR is in no bloc");
        assertEquals(krTotal / 300, dbl(kr, IMPORT_EXPORT_RATIO), 1e-12);
        assertEquals(new BigDecimal("-2126.480239"), kr.getAs(TRADE_BALANCE_USD));
        // HHI 0.53 > 0.4, imports/exports 8.1 > 1, no bloc (passes when missing); top partner 62% >= 50%. One year of
        // data only: not persistent; CN not top three years running.
        assertEquals(List.of("eu_2021", "kr_ews_50"), kr.getList(kr.fieldIndex(SCREENS)));
        assertTrue(bool(kr, IS_PARTIAL_YEAR));

        Row de = dependency.get("DE 850760 2024");
        assertEquals(new BigDecimal("1400.000000"), de.getAs(IMPORT_VALUE_USD));
        assertEquals(new BigDecimal("0.000000"), de.getAs(EXPORT_VALUE_USD));
        assertNull(de.getAs(IMPORT_QUANTITY_KG));
        assertEquals("FR", de.getAs(TOP_PARTNER));
        assertEquals(1000 / 1400.0, dbl(de, TOP_PARTNER_SHARE), 1e-15);
        assertEquals(Math.pow(1000 / 1400.0, 2) + Math.pow(400 / 1400.0, 2), dbl(de, HHI), 1e-15);
        assertEquals(400 / 1400.0, dbl(de, CONCERN_SHARE), 1e-15);
        assertEquals(1 - 1000 / 1400.0, dbl(de, EXTRA_BLOC_SHARE), 1e-15, "DE is in the EU: 1 - the share from FR");
        assertEquals(9999.0, dbl(de, IMPORT_EXPORT_RATIO), 0.0, "no exports: metrics.no_exports_ratio");
        assertEquals(new BigDecimal("-1400.000000"), de.getAs(TRADE_BALANCE_USD));
        // extra-bloc share 0.29 fails eu_2021's > 0.5; top partner 71%.
        assertEquals(List.of("kr_ews_50"), de.getList(de.fieldIndex(SCREENS)));
    }

    @Test
    void partnerKeysAreCountryKeys() throws IOException {
        Set<String> spellings = new LinkedHashSet<>(List.of("Korea, Republic of", "  viet nam ", "Côte d'Ivoire", "CÔTE D’IVOIRE",
                "Türkiye", "the Netherlands", "Bosnia & Herzegovina", "Åland Islands", "Ørsted", "Straße", "ĐÀ NẴNG",
                "ＣＨＩＮＡ", "Ｋｏｒｅａ，　Ｒｅｐ．", "004", "0", "000", "840", "0842", "THE", "The the Gambia", "  ", "-", "St. Kitts-Nevis",
                "Curaçao", "Réunion", "São Tomé and Príncipe", "Saint Barthélemy", "Œland", "Łódź", "Þingvellir", "İstanbul"));
        List<String> countryCodes = Files.readAllLines(REFERENCE.resolve("country_codes.csv"), StandardCharsets.UTF_8);
        List<String> header = PeerLanding.splitHeader(countryCodes.get(0));
        List<Integer> nameColumns = new ArrayList<>();
        for (String c : List.of("official_name_en", "UNTERM English Short", "CLDR display name", "ISO3166-1-Alpha-3",
                "ISO3166-1-numeric", "official_name_fr", "official_name_es")) {
            nameColumns.add(header.indexOf(c));
        }
        for (String line : countryCodes.subList(1, countryCodes.size())) {
            List<String> fields = PeerLanding.splitHeader(line);
            nameColumns.forEach(i -> {
                if (i >= 0 && i < fields.size()) {
                    spellings.add(fields.get(i));
                }
            });
        }
        for (String line : Files.readAllLines(REFERENCE.resolve("partner_aliases_curated.csv"), StandardCharsets.UTF_8).stream().skip(1).toList()) {
            spellings.add(PeerLanding.splitHeader(line).get(0));
        }
        List<String> all = new ArrayList<>(spellings);
        List<String> keys = DuckDbPeer.countryKeys(all);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String expected = CountryKey.normalize(all.get(i));
            if (!java.util.Objects.equals(expected, keys.get(i))) {
                wrong.add("'" + all.get(i) + "': ours " + expected + ", DuckDB's " + keys.get(i));
            }
        }
        assertTrue(all.size() > 1000, "spellings checked: " + all.size());
        assertEquals(List.of(), wrong);
    }

    @Test
    void refusesAFileItCannotReadInsteadOfSkippingIt(@TempDir Path dir) throws IOException {
        Path landing = dir.resolve("landing");
        write(landing.resolve("customs/reporter=KR/date=2024-03-05/part-0001.csv"),
                "declaration_id,line_no,flow,declaration_date,hs_code,partner_country,trader_name,value,currency",
                "D1,1,I,2024-03-04,854231,CN,Alpha,10,USD");
        write(landing.resolve("customs/reporter=KR/date=2024-03-05/part-0002.xlsx"), "not a spreadsheet");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runPeer(landing, "2024-04-15", dir.resolve("out")));
        assertTrue(e.getMessage().contains("part-0002.xlsx") && e.getMessage().contains("does not read"), e.getMessage());
    }

    private static double dbl(Row r, String column) {
        return r.getDouble(r.fieldIndex(column));
    }

    private static long lng(Row r, String column) {
        return r.getLong(r.fieldIndex(column));
    }

    private static boolean bool(Row r, String column) {
        return r.getBoolean(r.fieldIndex(column));
    }

    private static Map<String, Row> byKey(Dataset<Row> rows, String... key) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : rows.collectAsList()) {
            StringBuilder k = new StringBuilder();
            for (String c : key) {
                k.append(k.length() == 0 ? "" : " ").append((Object) r.getAs(c));
            }
            assertNull(out.put(k.toString(), r), "key " + k + " twice");
        }
        return out;
    }

    private static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static void gzip(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, gzipBytes(lines));
    }

    private static byte[] gzipBytes(String... lines) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buf)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return buf.toByteArray();
    }
}
