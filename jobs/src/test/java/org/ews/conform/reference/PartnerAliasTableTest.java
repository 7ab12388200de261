package org.ews.conform.reference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartnerAliasTableTest {
    static final Path REFERENCE = Path.of("../conf/reference");
    static final Path COUNTRY_CODES = REFERENCE.resolve("country_codes.csv");
    static final Path CURATED = REFERENCE.resolve("partner_aliases_curated.csv");
    static final Path SHIPPED = REFERENCE.resolve("partner_aliases.csv");

    static PartnerAliasTable shipped;

    @BeforeAll
    static void load() {
        shipped = PartnerAliasTable.read(SHIPPED);
    }

    @Test
    void shippedFileEqualsARebuildFromTheShippedInputs() throws IOException {
        PartnerAliasTable.Result rebuilt = PartnerAliasTable.build(COUNTRY_CODES, CURATED);
        assertEquals(rebuilt.table().toCsv(), Files.readString(SHIPPED, StandardCharsets.UTF_8),
                "partner_aliases.csv is stale: rerun PartnerAliasTable (see conf/reference/SOURCES.md)");
        assertEquals(List.of(), rebuilt.dropped(), "the shipped inputs should not give one key to two countries");
    }

    @Test
    void shippedFileIsSortedByAliasAndEveryCodeIsKnown() {
        List<PartnerAliasTable.Alias> rows = shipped.rows();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).alias().compareTo(rows.get(i).alias()) < 0, rows.get(i).alias());
        }
        for (PartnerAliasTable.Alias a : rows) {
            assertEquals(a.iso2(), shipped.resolve(a.iso2()), "every alpha-2 code resolves to itself: " + a.iso2());
            assertEquals(a.alias(), CountryKey.normalize(a.alias()), "aliases are stored normalised");
        }
    }

    @Test
    void spellingsStatisticsUseResolve() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Korea, Republic of", "KR");
        expected.put("Republic of Korea", "KR");
        expected.put("South Korea", "KR");
        expected.put("KOREA", "KR");
        expected.put("North Korea", "KP");
        expected.put("USA", "US");
        expected.put("United States", "US");
        expected.put("United States of America", "US");
        expected.put("Viet Nam", "VN");
        expected.put("Vietnam", "VN");
        expected.put("Russia", "RU");
        expected.put("Russian Federation", "RU");
        expected.put("UAE", "AE");
        expected.put("Hong Kong", "HK");
        expected.put("Hong Kong, China", "HK");
        expected.put("Hong Kong SAR", "HK");
        expected.put("Taiwan", "TW");
        expected.put("Chinese Taipei", "TW");
        expected.put("Taiwan, Province of China", "TW");
        expected.put("Czech Republic", "CZ");
        expected.put("Czechia", "CZ");
        expected.put("Turkey", "TR");
        expected.put("Türkiye", "TR");
        expected.put("Iran", "IR");
        expected.put("Laos", "LA");
        expected.put("Syria", "SY");
        expected.put("Bolivia", "BO");
        expected.put("Venezuela", "VE");
        expected.put("Tanzania", "TZ");
        expected.put("Moldova", "MD");
        expected.put("Macedonia", "MK");
        expected.put("Burma", "MM");
        expected.put("Ivory Coast", "CI");
        expected.put("Côte d'Ivoire", "CI");
        expected.put("Swaziland", "SZ");
        expected.put("Holland", "NL");
        expected.put("Netherlands (the)", "NL");
        expected.put("Great Britain", "GB");
        expected.put("UK", "GB");
        expected.put("Macau", "MO");
        expected.put("Brunei", "BN");
        expected.put("Cape Verde", "CV");
        expected.put("DR Congo", "CD");
        expected.put("Congo, Democratic Republic of the", "CD");
        expected.put("China, People's Republic of", "CN");
        expected.put("China", "CN");
        expected.put("EL", "GR");
        expected.put("410", "KR");
        expected.put("0410", "KR");
        expected.put("KOR", "KR");
        expected.put("KR", "KR");
        expected.put("842", "US");
        expected.put("840", "US");
        expected.put("251", "FR");
        expected.put("699", "IN");
        expected.put("757", "CH");
        expected.put("579", "NO");
        expected.put("490", "TW");
        expected.put("004", "AF");
        expected.put("NA", "NA");
        expected.put("Namibia", "NA");
        expected.put("Germany", "DE");
        expected.put("JAPAN", "JP");
        List<String> wrong = new ArrayList<>();
        expected.forEach((spelling, iso2) -> {
            String got = shipped.resolve(spelling);
            if (!iso2.equals(got)) {
                wrong.add(spelling + " -> " + got + " (expected " + iso2 + ")");
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void unknownSpellingsDoNotResolve() {
        assertNull(shipped.resolve("Atlantis"));
        assertNull(shipped.resolve("XX"));
        assertNull(shipped.resolve("999"));
        assertNull(shipped.resolve(""));
        assertNull(shipped.resolve(null));
        assertNull(shipped.resolve("XK"), "Kosovo is not in country_codes.csv, so it must not be mapped");
    }

    /** Every spelling the test-data generator can write, as the generator itself lists them. */
    @Test
    void everySpellingTheGeneratorWritesResolvesToItsCode() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<String>> e : new org.ews.generate.CountryNames(COUNTRY_CODES).spellings().entrySet()) {
            for (String s : e.getValue()) {
                checked++;
                String got = shipped.resolve(s);
                if (!e.getKey().equals(got)) {
                    wrong.add(s + " -> " + got + " (expected " + e.getKey() + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 700, "about 250 countries, each with two codes and at least one name: checked " + checked);
    }

    @Test
    void aKeyGivenToTwoCountriesIsDroppedNotGuessed(@TempDir Path dir) throws IOException {
        Path codes = write(dir, "codes.csv",
                "ISO3166-1-Alpha-2,ISO3166-1-Alpha-3,ISO3166-1-numeric,official_name_en,CLDR display name,"
                        + "UNTERM English Short,UNTERM English Formal,ISO4217-currency_country_name\n"
                        + "GN,GIN,324,Guinea,Guinea,Guinea,the Republic of Guinea,GUINEA\n"
                        + "GQ,GNQ,226,Equatorial Guinea,Equatorial Guinea,Equatorial Guinea,,EQUATORIAL GUINEA\n"
                        + "NA,NAM,516,Namibia,Namibia,Namibia,the Republic of Namibia,NAMIBIA\n");
        Path curated = write(dir, "curated.csv",
                "alias,iso2,note\n"
                        + "Guinea,GQ,deliberately wrong: Guinea is GN\n"
                        + "Namib,NA,made-up short form\n");
        PartnerAliasTable.Result r = PartnerAliasTable.build(codes, curated);
        assertNull(r.table().iso2("GUINEA"));
        assertEquals(1, r.dropped().size());
        PartnerAliasTable.Conflict c = r.dropped().get(0);
        assertEquals("GUINEA", c.alias());
        assertEquals(List.of("GN", "GQ"), List.copyOf(c.claims().keySet()));
        // everything else still resolves, Namibia's "NA" included
        assertEquals("GN", r.table().resolve("GIN"));
        assertEquals("GQ", r.table().resolve("Equatorial Guinea"));
        assertEquals("NA", r.table().resolve("NA"));
        assertEquals("NA", r.table().resolve("516"));
        assertEquals("NA", r.table().resolve("Namib"));
        assertEquals("curated", r.table().rows().stream().filter(a -> a.alias().equals("NAMIB")).findFirst()
                .orElseThrow().source());
        assertEquals("iso_alpha2", r.table().rows().stream().filter(a -> a.alias().equals("NA")).findFirst()
                .orElseThrow().source());
    }

    @Test
    void aCuratedRowNamingAnUnknownCodeFailsTheBuild(@TempDir Path dir) throws IOException {
        Path curated = write(dir, "curated.csv", "alias,iso2,note\nKosovo,XK,not in country_codes.csv\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PartnerAliasTable.build(COUNTRY_CODES, curated));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'XK'")
                && e.getMessage().contains("Kosovo"), e.getMessage());
    }

    @Test
    void aCuratedRowWithoutANoteFailsTheBuild(@TempDir Path dir) throws IOException {
        Path curated = write(dir, "curated.csv", "alias,iso2,note\nSouth Korea,KR,\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PartnerAliasTable.build(COUNTRY_CODES, curated));
        assertTrue(e.getMessage().contains("note"), e.getMessage());
    }

    @Test
    void writeAndReadRoundTrip(@TempDir Path dir) {
        Path out = dir.resolve("aliases.csv");
        shipped.write(out);
        PartnerAliasTable back = PartnerAliasTable.read(out);
        assertEquals(shipped.rows(), back.rows());
        assertEquals(shipped.size(), back.asMap().size());
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
