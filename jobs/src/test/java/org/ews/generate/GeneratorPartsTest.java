package org.ews.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The small pieces whose correctness the end-to-end test cannot see directly. */
class GeneratorPartsTest {

    @Test
    void fixedPointFormattingIsPlainAndRounded() {
        assertEquals("1234.50", Text.fixed(1234.5, 2));
        assertEquals("-0.01", Text.fixed(-0.006, 2));
        assertEquals("0.00", Text.fixed(-0.001, 2));
        assertEquals("12345678901", Text.fixed(12345678900.6, 0));
        assertEquals("0.000", Text.fixed(0, 3));
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        StringBuilder sb = new StringBuilder();
        Text.appendCsvField(sb, "Samil Mining Co., Ltd.");
        sb.append('|');
        Text.appendCsvField(sb, "say \"hi\"");
        sb.append('|');
        Text.appendCsvField(sb, "plain");
        assertEquals("\"Samil Mining Co., Ltd.\"|\"say \"\"hi\"\"\"|plain", sb.toString());
    }

    @Test
    void registryNumbersCarryValidCheckDigits() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            String lei = RegistryNumbers.lei(rng);
            assertTrue(lei.matches("[0-9A-Z]{18}\\d{2}"), lei);
            // ISO 17442 validation: the whole code read as base-36 digits is 1 mod 97.
            StringBuilder digits = new StringBuilder();
            for (char c : lei.toCharArray()) {
                digits.append(Character.digit(c, 36));
            }
            assertEquals(1, new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue(), lei);

            String kr = RegistryNumbers.korean(rng);
            assertTrue(kr.matches("\\d{3}-\\d{2}-\\d{5}"), kr);
            int[] d = kr.replace("-", "").chars().map(ch -> ch - '0').toArray();
            int[] w = {1, 3, 7, 1, 3, 7, 1, 3, 5};
            int sum = 0;
            for (int k = 0; k < 9; k++) {
                sum += d[k] * w[k];
            }
            sum += (d[8] * 5) / 10;
            assertEquals((10 - sum % 10) % 10, d[9], kr);

            String jp = RegistryNumbers.japanese(rng);
            assertTrue(jp.matches("\\d{13}"), jp);
            int s = 0;
            for (int k = 1; k <= 12; k++) {
                int digit = jp.charAt(13 - k) - '0';
                s += digit * (k % 2 == 0 ? 2 : 1);
            }
            assertEquals(9 - s % 9, jp.charAt(0) - '0', jp);

            assertTrue(RegistryNumbers.ein(rng).matches("\\d{2}-\\d{7}"));
        }
    }

    @Test
    void declaredTraderIdsKeepTheDigitsOfTheRegistration() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            String reg = RegistryNumbers.korean(rng);
            String declared = RegistryNumbers.asDeclared(reg, "KR", rng);
            assertEquals(reg.replaceAll("\\D", ""), declared.replaceAll("\\D", ""));
        }
    }

    @Test
    void registryNamesStayUniqueAcrossSeedsAndSnapshots(@TempDir Path tmp) throws IOException {
        for (long seed = 1; seed <= 5; seed++) {
            FirmRegistry registry = new FirmRegistry(new SplittableRandom(seed));
            LocalDate date = LocalDate.of(2023, 1, 1);
            for (int q = 0; q < 12; q++, date = date.plusMonths(3)) {
                Path dir = tmp.resolve("seed" + seed);
                registry.writeSnapshot(dir, date);
                LandingGeneratorTest.assertNoSharedNames(dir.resolve("corporate/firms/date=" + date + "/firms.csv"));
            }
        }
    }

    @Test
    void typosChangeOneLetterAtMost() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            String t = TraderNameMangler.typo("Hanseong Materials", rng);
            assertTrue(t.length() >= "Hanseong Materials".length() - 1);
            assertEquals('H', t.charAt(0));
        }
    }

    @Test
    void eventsOutsideTheirYearAreMovedIntoTheRange() {
        SupplyEvents ev = new SupplyEvents(YearMonth.of(2020, 1), YearMonth.of(2020, 12));
        assertFalse(ev.all().isEmpty());
        for (SupplyEvents.Event e : ev.all()) {
            assertFalse(e.start().isBefore(YearMonth.of(2020, 2)), e.toString());
            assertFalse(e.end().isAfter(YearMonth.of(2020, 12)), e.toString());
        }
        // Real 2023 dates are kept when the range covers them.
        SupplyEvents real = new SupplyEvents(YearMonth.of(2023, 1), YearMonth.of(2023, 12));
        assertTrue(real.all().stream().anyMatch(e -> e.hs6().equals("811292")
                && e.start().equals(YearMonth.of(2023, 8))));
        // Volumes respond in the event months only.
        String key = TradeSeries.key(Reporter.KR, 'I', "250410", "CN");
        assertEquals(3.0, real.volume(key, YearMonth.of(2023, 11)), 1e-9);
        assertEquals(0.2, real.volume(key, YearMonth.of(2023, 12)), 1e-9);
        assertEquals(1.0, real.volume(key, YearMonth.of(2023, 10)), 1e-9);
    }

    @Test
    void fxRatesArePlausibleAndDriftMildly() {
        FxRates fx = new FxRates(YearMonth.of(2023, 1), YearMonth.of(2023, 12));
        for (int m = 1; m <= 12; m++) {
            YearMonth ym = YearMonth.of(2023, m);
            assertEquals(1.0, fx.usdPerUnit("USD", ym));
            assertEquals(1 / 1300.0, fx.usdPerUnit("KRW", ym), 1 / 1300.0 * 0.08);
            assertEquals(1 / 140.0, fx.usdPerUnit("JPY", ym), 1 / 140.0 * 0.08);
            assertEquals(1.08, fx.usdPerUnit("EUR", ym), 1.08 * 0.08);
            assertEquals(1 / 7.1, fx.usdPerUnit("CNY", ym), 1 / 7.1 * 0.08);
            if (m > 1) {
                double change = fx.usdPerUnit("KRW", ym) / fx.usdPerUnit("KRW", ym.minusMonths(1)) - 1;
                assertTrue(Math.abs(change) < 0.04, "monthly move " + change);
            }
        }
    }

    @Test
    void productCatalogHoldsTheStrategicListAndOrdinaryGoods() {
        ProductCatalog c = new ProductCatalog(Path.of("../conf/reference/hs6_strategic_sectors.csv"));
        long strategic = c.all().stream().filter(Product::strategic).count();
        long ordinary = c.all().size() - strategic;
        assertEquals(145, strategic);
        assertTrue(ordinary >= 20 && ordinary <= 30, "ordinary " + ordinary);
        assertEquals("U", c.get("854232").unit());
        assertEquals("TNE", c.get("250410").unit());
    }

    @Test
    void blankedColumnsAreRequiredByTheContract() {
        org.junit.jupiter.api.Assertions.assertTrue(
                org.ews.ingest.Feed.CUSTOMS.requiredColumns().containsAll(LandingColumns.BLANKED_REQUIRED));
    }
}
