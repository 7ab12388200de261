package org.ews.conform.reference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-made and extracted reference files the conform stage reads: fx_rates.csv, units.csv, hs6_sectors.csv. */
class ReferenceFilesTest {
    static final Path REFERENCE = Path.of("../conf/reference");

    // ---------------------------------------------------------------- fx_rates.csv

    /** currency -> month -> usd_per_unit, asserting the header, key uniqueness and formats on the way. */
    static Map<String, TreeMap<YearMonth, Double>> fxRates() {
        ReferenceCsv.Table t = ReferenceCsv.read(REFERENCE.resolve("fx_rates.csv"));
        assertEquals(List.of("currency", "month", "usd_per_unit"), t.header());
        Map<String, TreeMap<YearMonth, Double>> m = new TreeMap<>();
        Pattern month = Pattern.compile("\\d{4}-\\d{2}");
        for (String[] r : t.rows()) {
            assertTrue(r[0].matches("[A-Z]{3}"), "currency " + r[0]);
            assertTrue(month.matcher(r[1]).matches(), "month " + r[1]);
            double v = Double.parseDouble(r[2]);
            assertTrue(v > 0 && Double.isFinite(v), r[0] + " " + r[1] + " rate " + r[2]);
            Double before = m.computeIfAbsent(r[0], c -> new TreeMap<>()).put(YearMonth.parse(r[1]), v);
            assertTrue(before == null, "duplicate (currency, month) " + r[0] + " " + r[1]);
        }
        return m;
    }

    @Test
    void fxRatesCoverTheRequiredCurrenciesForEveryMonthFrom2017() {
        Map<String, TreeMap<YearMonth, Double>> m = fxRates();
        for (String c : List.of("USD", "KRW", "JPY", "CNY", "EUR", "GBP", "TWD", "CHF", "CAD", "AUD", "INR", "SGD", "HKD",
                "MYR", "THB", "MXN", "BRL", "SEK", "DKK", "NOK", "ZAR")) {
            assertTrue(m.containsKey(c), "missing currency " + c);
        }
        TreeMap<YearMonth, Double> usd = m.get("USD");
        assertEquals(YearMonth.of(2017, 1), usd.firstKey());
        assertTrue(!usd.lastKey().isBefore(YearMonth.of(2025, 12)), "last month " + usd.lastKey());
        int months = 0;
        for (YearMonth ym = usd.firstKey(); !ym.isAfter(usd.lastKey()); ym = ym.plusMonths(1)) {
            months++;
            assertEquals(1.0, usd.get(ym), "USD is 1 in " + ym);
        }
        assertEquals(months, usd.size());
        for (Map.Entry<String, TreeMap<YearMonth, Double>> e : m.entrySet()) {
            assertEquals(usd.keySet(), e.getValue().keySet(), e.getKey() + " covers the same months as USD");
        }
    }

    @Test
    void fxRatesAreUsDollarsPerUnitInBothQuoteDirectionsOfTheSource() {
        Map<String, TreeMap<YearMonth, Double>> m = fxRates();
        // FRED quotes KRW and JPY as units per dollar ...
        assertBetween(1250, 1400, 1 / average(m.get("KRW"), 2023), "KRW per USD, 2023 average");
        assertBetween(125, 155, 1 / average(m.get("JPY"), 2023), "JPY per USD, 2023 average");
        for (int month = 1; month <= 12; month++) {
            double krw = 1 / m.get("KRW").get(YearMonth.of(2023, month));
            double jpy = 1 / m.get("JPY").get(YearMonth.of(2023, month));
            assertBetween(1200, 1450, krw, "KRW per USD 2023-" + month);
            assertBetween(125, 155, jpy, "JPY per USD 2023-" + month);
        }
        assertBetween(6.5, 7.5, 1 / average(m.get("CNY"), 2023), "CNY per USD, 2023 average");
        // ... and EUR, GBP, AUD, NZD as dollars per unit: after conversion all point the same way
        assertBetween(1.05, 1.12, average(m.get("EUR"), 2023), "USD per EUR, 2023 average");
        assertBetween(1.20, 1.30, average(m.get("GBP"), 2023), "USD per GBP, 2023 average");
        assertBetween(0.63, 0.70, average(m.get("AUD"), 2023), "USD per AUD, 2023 average");
        assertBetween(0.58, 0.65, average(m.get("NZD"), 2023), "USD per NZD, 2023 average");
        assertBetween(1.08, 1.16, average(m.get("CHF"), 2023), "USD per CHF, 2023 average");
    }

    @Test
    void fxRatesFileEqualsARebuildFromTheShippedExtract() throws IOException {
        List<FxRatesTable.Rate> rebuilt = FxRatesTable.build(REFERENCE.resolve("fred_exchange_rates_monthly.csv"));
        assertEquals(FxRatesTable.toCsv(rebuilt),
                Files.readString(REFERENCE.resolve("fx_rates.csv"), StandardCharsets.UTF_8),
                "fx_rates.csv is stale: rerun FxRatesTable (see conf/reference/SOURCES.md)");
    }

    @Test
    void theFxBuilderInvertsEverySeriesAndRefusesGapsAndUnknownSeries(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "Date,Country,Exchange rate\n"
                + "2016-12-01,Japan,116.0\n"
                + "2017-01-01,Japan,125.0\n2017-02-01,Japan,100.0\n"
                + "2017-01-01,Euro,0.8\n2017-02-01,Euro,0.9\n"
                + "2017-01-01,Austria,13.0\n");
        // a source with only two series: every other currency is missing, so the build must say which
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> FxRatesTable.build(ok));
        assertTrue(gap.getMessage().contains("no ") && gap.getMessage().contains("2017-01"), gap.getMessage());

        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "Date,Country,Exchange rate\n2017-01-01,Atlantis,3.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FxRatesTable.build(unknown));
        assertTrue(e.getMessage().contains("Atlantis"), e.getMessage());

        // the direction on the real extract: JPY 2023-01 130.4475 per USD, Euro 2023-01 0.9279 EUR per USD
        List<FxRatesTable.Rate> rates = FxRatesTable.build(REFERENCE.resolve("fred_exchange_rates_monthly.csv"));
        Map<String, BigDecimal> jan = new HashMap<>();
        for (FxRatesTable.Rate r : rates) {
            if (r.month().equals(YearMonth.of(2023, 1))) {
                jan.put(r.currency(), r.usdPerUnit());
            }
        }
        assertEquals(new BigDecimal("0.00766592"), jan.get("JPY"));
        assertEquals(new BigDecimal("1.07770"), jan.get("EUR"));
        assertEquals(BigDecimal.ONE, jan.get("USD"));
    }

    private static double average(TreeMap<YearMonth, Double> rates, int year) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<YearMonth, Double> e : rates.entrySet()) {
            if (e.getKey().getYear() == year) {
                sum += e.getValue();
                n++;
            }
        }
        assertEquals(12, n, "12 months in " + year);
        return sum / n;
    }

    private static void assertBetween(double lo, double hi, double v, String what) {
        assertTrue(v >= lo && v <= hi, what + " = " + v + ", expected " + lo + ".." + hi);
    }

    // ---------------------------------------------------------------- units.csv

    @Test
    void unitsAreUniqueUpperCaseAndMassUnitsHaveExactFactors() {
        ReferenceCsv.Table t = ReferenceCsv.read(REFERENCE.resolve("units.csv"));
        assertEquals(List.of("unit", "kind", "kg_per_unit", "description"), t.header());
        Set<String> kinds = Set.of("mass", "count", "volume", "area", "length", "energy", "other");
        Map<String, String> factor = new HashMap<>();
        Map<String, String> kind = new HashMap<>();
        for (String[] r : t.rows()) {
            String unit = r[0];
            assertEquals(unit.trim().toUpperCase(java.util.Locale.ROOT), unit, "unit codes are upper case, trimmed");
            assertTrue(!unit.isEmpty() && kinds.contains(r[1]), unit + " kind " + r[1]);
            assertTrue(!r[3].isBlank(), unit + " needs a description");
            assertTrue(kind.put(unit, r[1]) == null, "duplicate unit " + unit);
            if (r[1].equals("mass")) {
                assertTrue(new BigDecimal(r[2]).signum() > 0, unit + " needs a positive kg_per_unit");
            } else {
                assertEquals("", r[2], unit + " is not a mass unit: kg_per_unit must be empty");
            }
            factor.put(unit, r[2]);
        }
        Map<String, String> exact = Map.ofEntries(
                Map.entry("KGM", "1"), Map.entry("KG", "1"), Map.entry("TNE", "1000"), Map.entry("T", "1000"),
                Map.entry("MT", "1000"), Map.entry("G", "0.001"), Map.entry("GRM", "0.001"),
                Map.entry("MGM", "0.000001"), Map.entry("LB", "0.45359237"), Map.entry("LBR", "0.45359237"),
                Map.entry("ONZ", "0.028349523125"), Map.entry("CT", "0.0002"), Map.entry("CTM", "0.0002"),
                Map.entry("TROY", "0.0311034768"), Map.entry("APZ", "0.0311034768"));
        exact.forEach((unit, kg) -> assertEquals(0, new BigDecimal(kg).compareTo(new BigDecimal(factor.get(unit))),
                unit + " kg_per_unit " + factor.get(unit)));
        // 16 ounces make a pound, exactly
        assertEquals(0, new BigDecimal(factor.get("ONZ")).multiply(BigDecimal.valueOf(16))
                .compareTo(new BigDecimal(factor.get("LB"))));
        Map<String, String> nonMass = Map.ofEntries(
                Map.entry("U", "count"), Map.entry("NAR", "count"), Map.entry("PCE", "count"), Map.entry("C62", "count"),
                Map.entry("NMB", "count"), Map.entry("PR", "count"), Map.entry("DZN", "count"), Map.entry("L", "volume"),
                Map.entry("LTR", "volume"), Map.entry("MTQ", "volume"), Map.entry("M3", "volume"), Map.entry("MTK", "area"),
                Map.entry("M2", "area"), Map.entry("MTR", "length"), Map.entry("M", "length"), Map.entry("KWH", "energy"),
                Map.entry("MWH", "energy"), Map.entry("CCT", "other"));
        nonMass.forEach((unit, k) -> assertEquals(k, kind.get(unit), unit));
    }

    // ---------------------------------------------------------------- hs6_sectors.csv

    @Test
    void hs6SectorsIsABridgeWhoseWeightsAddUpToOne() {
        ReferenceCsv.Table t = ReferenceCsv.read(REFERENCE.resolve("hs6_sectors.csv"));
        assertEquals(List.of("hs6", "sector", "subsector", "weight", "label", "hs_version", "confidence", "notes"),
                t.header());
        Map<String, Double> sum = new TreeMap<>();
        Map<String, Set<String>> sectors = new TreeMap<>();
        Set<String> pairs = new HashSet<>();
        for (String[] r : t.rows()) {
            String hs6 = r[0];
            assertTrue(hs6.matches("\\d{6}"), "hs6 '" + hs6 + "' must be six digits");
            double w = Double.parseDouble(r[3]);
            assertTrue(w > 0 && w <= 1, hs6 + " weight " + r[3]);
            assertTrue(pairs.add(hs6 + "|" + r[1]), "two rows for " + hs6 + " in " + r[1]);
            assertTrue(Set.of("high", "medium", "low").contains(r[6]), hs6 + " confidence " + r[6]);
            assertTrue(!r[2].isBlank() && !r[4].isBlank() && r[5].equals("HS2022"), hs6 + " subsector, label, version");
            sum.merge(hs6, w, Double::sum);
            sectors.computeIfAbsent(hs6, k -> new TreeSet<>()).add(r[1]);
        }
        sum.forEach((hs6, s) -> assertEquals(1.0, s, 1e-9, "weights of " + hs6));
        List<String> shared = new ArrayList<>();
        sectors.forEach((hs6, s) -> {
            if (s.size() > 1) {
                shared.add(hs6);
            }
        });
        assertTrue(!shared.isEmpty(), "at least one HS6 belongs to two sectors");
        assertEquals(Set.of("batteries", "clean_energy"), sectors.get("850760"));
        assertEquals(Set.of("semiconductors", "clean_energy"), sectors.get("280461"));
        assertEquals(Set.of("rare_earths", "clean_energy"), sectors.get("850511"));
        assertEquals(Set.of("critical_minerals", "batteries"), sectors.get("282520"));
        assertEquals(Set.of("critical_minerals", "batteries"), sectors.get("283691"));
    }

    @Test
    void hs6SectorsKeepsEveryCodeOfTheStrategicList() {
        ReferenceCsv.Table strategic = ReferenceCsv.read(REFERENCE.resolve("hs6_strategic_sectors.csv"));
        ReferenceCsv.Table bridge = ReferenceCsv.read(REFERENCE.resolve("hs6_sectors.csv"));
        Set<String> rows = new HashSet<>();
        Set<String> knownSectors = new HashSet<>();
        for (String[] r : bridge.rows()) {
            rows.add(r[0] + "|" + r[1] + "|" + r[2]);
        }
        int hs6 = strategic.column("hs6");
        int sector = strategic.column("sector");
        int subsector = strategic.column("subsector");
        for (String[] r : strategic.rows()) {
            knownSectors.add(r[sector]);
            assertTrue(rows.contains(r[hs6] + "|" + r[sector] + "|" + r[subsector]),
                    r[hs6] + " " + r[sector] + "/" + r[subsector] + " is missing from hs6_sectors.csv");
        }
        for (String[] r : bridge.rows()) {
            assertTrue(knownSectors.contains(r[1]), "sector " + r[1] + " of " + r[0] + " is not a strategic sector");
        }
    }
}
