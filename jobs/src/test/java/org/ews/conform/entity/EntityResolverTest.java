package org.ews.conform.entity;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.EwsConfig;
import org.ews.tables.Silver;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(SharedSpark.class)
class EntityResolverTest {
    private static final EwsConfig.Entity SETTINGS = EwsConfig.defaults().entity();
    /**
     * The default settings but max_block_size 2, so this small registry has blocks to purge: three KR names contain
     * "metals" (and three start with "mira"), two contain "hanseong".
     */
    private static final int MAX_BLOCK_SIZE = 2;
    private static final StructType FIRMS = new StructType()
            .add(FIRM_ID, DataTypes.StringType)
            .add(NAME, DataTypes.StringType)
            .add(COUNTRY, DataTypes.StringType)
            .add(REGISTRATION_NUMBER_NORM, DataTypes.StringType)
            .add(ALIASES, DataTypes.createArrayType(DataTypes.StringType));
    private static final StructType TRADERS = new StructType()
            .add(REPORTER, DataTypes.StringType)
            .add(TRADER_ID, DataTypes.StringType)
            .add(TRADER_NAME, DataTypes.StringType);

    /** Resolved once for the whole class: Spark jobs are the slow part. */
    private static Map<List<String>, Row> traders;
    private static List<Row> traderRows;
    private static List<Row> candidates;
    private static String tradersPlan;
    private static String candidatesPlan;

    private static Row firm(String id, String name, String country, String number, String... aliases) {
        return RowFactory.create(id, name, country, number, aliases == null ? null : Arrays.asList(aliases));
    }

    private static Dataset<Row> registry() {
        return SharedSpark.session().createDataFrame(List.of(
                firm("KR001", "Hanseong Semicon Co., Ltd.", "KR", "3568485498", "한성반도체"),
                // Shares "Hanseong" with KR001 but is another firm.
                firm("KR002", "Hanseong Electronics Co., Ltd.", "KR", "1208812345", (String[]) null),
                firm("KR003", "Daejin Metals Co., Ltd.", "KR", "2118700001"),
                // Its alias normalises like its name; KR004 and KR005 share a registration number.
                firm("KR004", "Daewon Metals Co., Ltd.", "KR", "5550011111", "DAEWON METALS"),
                // Renamed: the old name lives on as an alias.
                firm("KR005", "Seoul Precision Co., Ltd.", "KR", "5550011111", "Seoul Machinery Co., Ltd."),
                // Two firms whose aliases normalise alike ("mirae trading").
                firm("KR006", "Mirae Chemical Co., Ltd.", "KR", "3012200006", "Mirae Trading"),
                firm("KR007", "Mirae Plastics Co., Ltd.", "KR", "3012200007", "Mirae Trading Co., Ltd."),
                // With KR003 and KR004, the third KR name holding "metals".
                firm("KR008", "Gamma Metals Co., Ltd.", "KR", "2118700008"),
                firm("US001", "Apex Devices, Inc.", "US", null, null, "  "),
                // Same number as KR001, in another country: not a duplicate.
                firm("US002", "Liberty Alloys L.L.C.", "US", "3568485498", (String[]) null),
                firm("JP001", "Nippon Metals K.K.", "JP", "0100010001", "日本金属株式会社")), FIRMS);
    }

    private static Row trader(String reporter, String id, String name) {
        return RowFactory.create(reporter, id, name);
    }

    private static List<Row> traderLines() {
        return List.of(
                trader("KR", "356-84-85498", "Hanseong Semicon Co., Ltd."),
                trader("KR", "356-84-85498", "Hanseong Semicon Co., Ltd."), // a second line of the same trader
                trader("KR", "3568485498", "HANSEONG SEMICON CO LTD"),
                trader("KR", " 356 84 85498 ", "㈜한성반도체"),
                trader("KR", "999-99-99999", "Hanseong Electronics Co.,Ltd"),
                trader("KR", "", "Hanseong Electronics Co., Ltd."),
                trader("KR", null, "Hanseong Semicno Co., Ltd."),
                trader("KR", null, "Hanseng Semicon"),
                trader("KR", null, "HanseongSemicon Co Ltd"),
                trader("KR", null, "HANSEONG SEMICON"),
                trader("KR", null, "Hanseong Semicon Co., Ltd."),
                trader("KR", null, "주식회사 한성반도체"),
                trader("KR", null, "한성반도체(주)"),
                trader("KR", null, "Seoul Machinery Co., Ltd."),
                trader("KR", "555-00-11111", "Daewon Metals Co., Ltd."),
                trader("KR", "555-00-11111", "Gwangmyeong Textile Co., Ltd."),
                trader("KR", null, "DAEJIN METALS CO., LTD."),
                trader("KR", null, "Mirae Trading"),
                trader("KR", null, "Hanseong Semicon Korea"),
                trader("KR", null, " 주식회사 "),
                trader("KR", null, "Metals"),
                trader("KR", null, "Hanseong"),
                trader("KR", null, null),
                trader("US", null, "Hanseong Semicon Co., Ltd."),
                trader("US", "356-84-85498", "Liberty Alloys L.L.C."),
                trader("US", null, "APEX DEVICES INCORPORATED"),
                trader("JP", null, "(株)日本金属"),
                trader("JP", null, "Nippon Metals KK"));
    }

    @BeforeAll
    static void resolveOnce() {
        SparkSession spark = SharedSpark.session();
        EntityResolver resolver = new EntityResolver(withMaxBlockSize(SETTINGS, MAX_BLOCK_SIZE));
        Dataset<Row> firms = registry();
        // Cached as the silver.firm_names table would be: both collects below read it.
        Dataset<Row> firmNames = resolver.firmNames(firms).cache();
        EntityResolver.Resolution r = resolver.resolve(spark.createDataFrame(traderLines(), TRADERS), firms, firmNames);
        traderRows = r.traders().collectAsList();
        traders = new HashMap<>();
        for (Row row : traderRows) {
            traders.put(Arrays.asList(row.getAs(REPORTER), row.getAs(TRADER_ID), row.getAs(TRADER_NAME)), row);
        }
        candidates = r.candidates().collectAsList();
        tradersPlan = r.traders().queryExecution().executedPlan().toString();
        candidatesPlan = r.candidates().queryExecution().executedPlan().toString();
    }

    private static EwsConfig.Entity withMaxBlockSize(EwsConfig.Entity s, int maxBlockSize) {
        return new EwsConfig.Entity(s.acceptScore(), s.possibleScore(), s.ambiguityMargin(), s.nameWeight(),
                s.tokenMatchMin(), s.tokenMinLength(), s.prefixLength(), maxBlockSize, s.legalForms(),
                s.legalFormMarkers());
    }

    /** Independent of the code under test: SHA-256 by the JDK, hex by hand. */
    private static String expectedSyntheticId(String reporter, String key) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest((reporter + "|" + key).getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : hash) {
            hex.append(String.format("%02x", b));
        }
        return "U-" + reporter + "-" + hex.substring(0, 12);
    }

    private static Row resolved(String reporter, String id, String name) {
        Row row = traders.get(Arrays.asList(reporter, id, name));
        assertNotNull(row, "no output row for " + reporter + " / " + id + " / " + name);
        return row;
    }

    private static void assertResolved(String reporter, String id, String name, String firm, String method,
                                       double score) {
        Row row = resolved(reporter, id, name);
        String what = reporter + " / " + id + " / " + name;
        assertEquals(firm, row.getAs(FIRM_ID), what);
        assertEquals(method, row.getAs(MATCH_METHOD), what);
        assertEquals(score, (double) row.getAs(MATCH_SCORE), 1e-9, what);
    }

    private static void assertNamedWithScoreIn(String reporter, String name, String firm, double from, double below) {
        Row row = resolved(reporter, null, name);
        assertEquals(firm, row.getAs(FIRM_ID), name);
        assertEquals(Silver.METHOD_NAME, row.getAs(MATCH_METHOD), name);
        double score = row.getAs(MATCH_SCORE);
        assertTrue(score >= from && score < below, name + " scored " + score);
    }

    @Test
    void oneRowPerDistinctTraderWithNullIdAsAValue() {
        assertEquals(traderLines().size() - 1, traderRows.size(), "the repeated line collapses, nothing else");
        assertEquals(traderRows.size(), traders.size(), "no (reporter, trader_id, trader_name) twice");
        assertEquals(Silver.METHOD_NAME, resolved("KR", null, "Hanseong Semicon Co., Ltd.").getAs(MATCH_METHOD));
        assertEquals(Silver.METHOD_ID, resolved("KR", "356-84-85498", "Hanseong Semicon Co., Ltd.").getAs(MATCH_METHOD));
        assertEquals(List.of(REPORTER, TRADER_ID, TRADER_NAME, TRADER_ID_NORM, TRADER_NAME_NORM, FIRM_ID, MATCH_METHOD,
                MATCH_SCORE), Arrays.asList(traderRows.get(0).schema().fieldNames()));
    }

    @Test
    void registrationNumberInAnyFormatResolvesById() {
        assertResolved("KR", "356-84-85498", "Hanseong Semicon Co., Ltd.", "KR001", Silver.METHOD_ID, 1.0);
        assertResolved("KR", "3568485498", "HANSEONG SEMICON CO LTD", "KR001", Silver.METHOD_ID, 1.0);
        assertResolved("KR", " 356 84 85498 ", "㈜한성반도체", "KR001", Silver.METHOD_ID, 1.0);
        // The same number is held by a US firm: the reporter's country decides which one.
        assertResolved("US", "356-84-85498", "Liberty Alloys L.L.C.", "US002", Silver.METHOD_ID, 1.0);
        Row row = resolved("KR", " 356 84 85498 ", "㈜한성반도체");
        assertEquals("3568485498", row.getAs(TRADER_ID_NORM));
        assertEquals("한성반도체", row.getAs(TRADER_NAME_NORM));
    }

    @Test
    void unknownEmptyOrSharedNumbersFallBackToTheName() {
        assertResolved("KR", "999-99-99999", "Hanseong Electronics Co.,Ltd", "KR002", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", "", "Hanseong Electronics Co., Ltd.", "KR002", Silver.METHOD_NAME, 1.0);
        assertNull(resolved("KR", "", "Hanseong Electronics Co., Ltd.").getAs(TRADER_ID_NORM));
        // 5550011111 belongs to KR004 and KR005: the number alone cannot say which.
        assertResolved("KR", "555-00-11111", "Daewon Metals Co., Ltd.", "KR004", Silver.METHOD_NAME, 1.0);
        assertEquals(Silver.METHOD_UNRESOLVED,
                resolved("KR", "555-00-11111", "Gwangmyeong Textile Co., Ltd.").getAs(MATCH_METHOD));
    }

    @Test
    void nameVariantsResolveToTheRightFirm() {
        assertResolved("KR", null, "HanseongSemicon Co Ltd", "KR001", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "HANSEONG SEMICON", "KR001", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "Hanseong Semicon Co., Ltd.", "KR001", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "주식회사 한성반도체", "KR001", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "한성반도체(주)", "KR001", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "Seoul Machinery Co., Ltd.", "KR005", Silver.METHOD_NAME, 1.0);
        assertResolved("KR", null, "DAEJIN METALS CO., LTD.", "KR003", Silver.METHOD_NAME, 1.0);
        assertResolved("US", null, "APEX DEVICES INCORPORATED", "US001", Silver.METHOD_NAME, 1.0);
        assertResolved("JP", null, "(株)日本金属", "JP001", Silver.METHOD_NAME, 1.0);
        assertResolved("JP", null, "Nippon Metals KK", "JP001", Silver.METHOD_NAME, 1.0);
    }

    @Test
    void typosResolveWithAScoreBelowOne() {
        assertNamedWithScoreIn("KR", "Hanseong Semicno Co., Ltd.", "KR001", SETTINGS.acceptScore(), 1.0);
        assertNamedWithScoreIn("KR", "Hanseng Semicon", "KR001", SETTINGS.acceptScore(), 1.0);
    }

    @Test
    void unresolvedTradersGetASyntheticIdFromReporterAndName() throws Exception {
        // Only KR has a Hanseong Semicon: a US trader of that name must not borrow it.
        assertResolved("US", null, "Hanseong Semicon Co., Ltd.",
                expectedSyntheticId("US", "hanseong semicon"), Silver.METHOD_UNRESOLVED, 0.0);
        assertResolved("KR", "555-00-11111", "Gwangmyeong Textile Co., Ltd.",
                expectedSyntheticId("KR", "gwangmyeong textile"), Silver.METHOD_UNRESOLVED, 0.0);
        // Both firms carry "mirae trading": a perfect score that cannot be used.
        assertResolved("KR", null, "Mirae Trading",
                expectedSyntheticId("KR", "mirae trading"), Silver.METHOD_UNRESOLVED, 1.0);
        // A name that normalises to nothing keys on its raw spelling; no name at all on "?".
        assertResolved("KR", null, " 주식회사 ", expectedSyntheticId("KR", "주식회사"), Silver.METHOD_UNRESOLVED, 0.0);
        assertNull(resolved("KR", null, " 주식회사 ").getAs(TRADER_NAME_NORM));
        assertResolved("KR", null, null, expectedSyntheticId("KR", "?"), Silver.METHOD_UNRESOLVED, 0.0);
    }

    @Test
    void aPossibleMatchKeepsItsScoreButNotTheFirm() throws Exception {
        Row row = resolved("KR", null, "Hanseong Semicon Korea");
        assertEquals(expectedSyntheticId("KR", "hanseong semicon korea"), row.getAs(FIRM_ID));
        assertEquals(Silver.METHOD_UNRESOLVED, row.getAs(MATCH_METHOD));
        double score = row.getAs(MATCH_SCORE);
        assertTrue(score >= SETTINGS.possibleScore() && score < SETTINGS.acceptScore(), "scored " + score);
    }

    @Test
    void syntheticIdAgreesWithAnIndependentSha256() throws Exception {
        assertEquals(expectedSyntheticId("KR", "hanseong semicon"), EntityResolver.syntheticId("KR", "hanseong semicon"));
        assertEquals(expectedSyntheticId("JP", "日本工業"), EntityResolver.syntheticId("JP", "日本工業"));
        assertTrue(EntityResolver.syntheticId("KR", "x").matches("U-KR-[0-9a-f]{12}"));
    }

    private static List<List<Object>> candidatesOf(String reporter, String nameNorm) {
        List<List<Object>> out = new ArrayList<>();
        for (Row c : candidates) {
            if (reporter.equals(c.getAs(REPORTER)) && nameNorm.equals(c.getAs(TRADER_NAME_NORM))) {
                out.add(Arrays.asList(c.getAs(TRADER_NAME), c.getAs(CANDIDATE_FIRM_ID), c.getAs(CANDIDATE_NAME),
                        c.getAs(CANDIDATE_RANK), c.getAs(DECISION)));
            }
        }
        out.sort((a, b) -> Integer.compare((int) a.get(3), (int) b.get(3)));
        return out;
    }

    private static double candidateScore(String reporter, String nameNorm, String firm) {
        for (Row c : candidates) {
            if (reporter.equals(c.getAs(REPORTER)) && nameNorm.equals(c.getAs(TRADER_NAME_NORM))
                    && firm.equals(c.getAs(CANDIDATE_FIRM_ID))) {
                return c.getAs(SCORE);
            }
        }
        return fail("no candidate " + firm + " for " + nameNorm);
    }

    @Test
    void candidatesRecordAcceptedAmbiguousAndPossibleLinks() {
        assertEquals(List.of(List.of("Hanseong Semicno Co., Ltd.", "KR001", "Hanseong Semicon Co., Ltd.", 1,
                        Silver.DECISION_ACCEPTED)),
                candidatesOf("KR", "hanseong semicno"));
        // The registered name is not what matched here; the alias is.
        assertEquals(List.of(List.of("주식회사 한성반도체", "KR001", "한성반도체", 1, Silver.DECISION_ACCEPTED)),
                candidatesOf("KR", "한성반도체"));
        // Ties rank by firm id.
        assertEquals(List.of(
                        List.of("Mirae Trading", "KR006", "Mirae Trading", 1, Silver.DECISION_AMBIGUOUS),
                        List.of("Mirae Trading", "KR007", "Mirae Trading Co., Ltd.", 2, Silver.DECISION_AMBIGUOUS)),
                candidatesOf("KR", "mirae trading"));
        assertEquals(1.0, candidateScore("KR", "mirae trading", "KR007"), 1e-9);
        assertEquals(List.of(List.of("Hanseong Semicon Korea", "KR001", "Hanseong Semicon Co., Ltd.", 1,
                        Silver.DECISION_POSSIBLE)),
                candidatesOf("KR", "hanseong semicon korea"));
        assertEquals((double) resolved("KR", null, "Hanseong Semicon Korea").getAs(MATCH_SCORE),
                candidateScore("KR", "hanseong semicon korea", "KR001"), 1e-12);
    }

    @Test
    void candidatesCoverOnlyNamesLeftToTheNameMatchAndOnlyPossibleScores() {
        assertEquals(List.of(), candidatesOf("US", "liberty alloys"), "resolved by id, never name-matched");
        assertEquals(List.of(), candidatesOf("US", "hanseong semicon"), "no US firm of that name");
        Set<List<Object>> keys = new HashSet<>();
        for (Row c : candidates) {
            assertTrue((double) c.getAs(SCORE) >= SETTINGS.possibleScore(), c.toString());
            assertTrue(keys.add(Arrays.asList(c.getAs(REPORTER), c.getAs(TRADER_NAME_NORM), c.getAs(CANDIDATE_FIRM_ID))),
                    "one row per (reporter, name, firm): " + c);
        }
        assertEquals(List.of(REPORTER, TRADER_NAME_NORM, TRADER_NAME, CANDIDATE_FIRM_ID, CANDIDATE_NAME, SCORE,
                CANDIDATE_RANK, DECISION), Arrays.asList(candidates.get(0).schema().fieldNames()));
    }

    @Test
    void noCartesianProductOrNestedLoopJoin() {
        for (String plan : List.of(tradersPlan, candidatesPlan)) {
            assertFalse(plan.contains("CartesianProduct"), plan);
            assertFalse(plan.contains("NestedLoopJoin"), plan);
        }
    }

    @Test
    void firmNamesHoldEveryDistinctNormalisedNameTheRegisteredOneFirst() {
        EntityResolver resolver = new EntityResolver(SETTINGS);
        Set<List<String>> actual = new HashSet<>();
        for (Row r : resolver.firmNames(registry()).collectAsList()) {
            actual.add(Arrays.asList(r.getAs(FIRM_ID), r.getAs(COUNTRY), r.getAs(NAME), r.getAs(NAME_KIND),
                    r.getAs(NAME_NORM)));
        }
        Set<List<String>> expected = Set.of(
                List.of("KR001", "KR", "Hanseong Semicon Co., Ltd.", "name", "hanseong semicon"),
                List.of("KR001", "KR", "한성반도체", "alias", "한성반도체"),
                List.of("KR002", "KR", "Hanseong Electronics Co., Ltd.", "name", "hanseong electronics"),
                List.of("KR003", "KR", "Daejin Metals Co., Ltd.", "name", "daejin metals"),
                List.of("KR004", "KR", "Daewon Metals Co., Ltd.", "name", "daewon metals"),
                List.of("KR008", "KR", "Gamma Metals Co., Ltd.", "name", "gamma metals"),
                List.of("KR005", "KR", "Seoul Precision Co., Ltd.", "name", "seoul precision"),
                List.of("KR005", "KR", "Seoul Machinery Co., Ltd.", "alias", "seoul machinery"),
                List.of("KR006", "KR", "Mirae Chemical Co., Ltd.", "name", "mirae chemical"),
                List.of("KR006", "KR", "Mirae Trading", "alias", "mirae trading"),
                List.of("KR007", "KR", "Mirae Plastics Co., Ltd.", "name", "mirae plastics"),
                List.of("KR007", "KR", "Mirae Trading Co., Ltd.", "alias", "mirae trading"),
                List.of("US001", "US", "Apex Devices, Inc.", "name", "apex devices"),
                List.of("US002", "US", "Liberty Alloys L.L.C.", "name", "liberty alloys"),
                List.of("JP001", "JP", "Nippon Metals K.K.", "name", "nippon metals"),
                List.of("JP001", "JP", "日本金属株式会社", "alias", "日本金属"));
        assertEquals(expected, actual);
    }

    @Test
    void registrationNumberNormKeepsDigitsAndGivesNullWithoutAny() {
        SparkSession spark = SharedSpark.session();
        StructType schema = new StructType().add(TRADER_ID, DataTypes.StringType);
        List<Row> in = List.of(RowFactory.create("356-84-85498"), RowFactory.create(" 356 84 85498 "),
                RowFactory.create("356.84.85498"), RowFactory.create("３５６－８４－８５４９８"), RowFactory.create("N/A"),
                RowFactory.create(""), RowFactory.create((Object) null));
        List<Object> out = new ArrayList<>();
        for (Row r : spark.createDataFrame(in, schema)
                .select(EntityResolver.registrationNumberNorm(col(TRADER_ID))).collectAsList()) {
            out.add(r.get(0));
        }
        assertEquals(Arrays.asList("3568485498", "3568485498", "3568485498", "3568485498", null, null, null), out);
    }

    /**
     * "Metals" shares only the word "metals" with the registry (its prefix "meta" starts no registry name), and three
     * KR names hold it: more than max_block_size, so that block is never searched. "Hanseong" shares only "hanseong"
     * and the prefix "hans", each held by two names: at max_block_size, still searched (it scores too low to link).
     */
    @Test
    void blocksLargerThanMaxBlockSizeAreDropped() throws Exception {
        assertResolved("KR", null, "Metals", expectedSyntheticId("KR", "metals"), Silver.METHOD_UNRESOLVED, 0.0);
        Row hanseong = resolved("KR", null, "Hanseong");
        assertEquals(expectedSyntheticId("KR", "hanseong"), hanseong.getAs(FIRM_ID));
        assertEquals(Silver.METHOD_UNRESOLVED, hanseong.getAs(MATCH_METHOD));
        double score = hanseong.getAs(MATCH_SCORE);
        assertTrue(score > 0.0 && score < SETTINGS.possibleScore(), "scored " + score);
    }
}
