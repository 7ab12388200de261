package org.ews.conform.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CountryKeyTest {

    @Test
    void nothingToLookUpGivesNull() {
        assertNull(CountryKey.normalize(null));
        assertNull(CountryKey.normalize(""));
        assertNull(CountryKey.normalize("   \t "));
        assertNull(CountryKey.normalize("---"));
        assertNull(CountryKey.normalize("The"));
        assertNull(CountryKey.normalize("(the)"));
    }

    @Test
    void caseSpacingAndPunctuationDoNotMatter() {
        assertEquals("KOREA REPUBLIC OF", CountryKey.normalize("Korea, Republic of"));
        assertEquals("KOREA REPUBLIC OF", CountryKey.normalize("  KOREA ,REPUBLIC   OF. "));
        assertEquals("SOUTH KOREA", CountryKey.normalize("south\tkorea"));
        assertEquals("U S A", CountryKey.normalize("U.S.A."));
        assertEquals("GUINEA BISSAU", CountryKey.normalize("Guinea-Bissau"));
        assertEquals("KOREA DEM PEOPLE S REP", CountryKey.normalize("Korea, Dem. People's Rep."));
    }

    @Test
    void diacriticsAreRemoved() {
        assertEquals("COTE D IVOIRE", CountryKey.normalize("Côte d'Ivoire"));
        assertEquals("COTE D IVOIRE", CountryKey.normalize("Côte d’Ivoire"));
        assertEquals("COTE D IVOIRE", CountryKey.normalize("COTE D'IVOIRE"));
        assertEquals("TURKIYE", CountryKey.normalize("Türkiye"));
        assertEquals("ALAND ISLANDS", CountryKey.normalize("Åland Islands"));
        assertEquals("CURACAO", CountryKey.normalize("Curaçao"));
        assertEquals("SAINT BARTHELEMY", CountryKey.normalize("Saint-Barthélemy"));
        assertEquals("REUNION", CountryKey.normalize("Réunion"));
    }

    @Test
    void lettersThatDoNotDecomposeAreFolded() {
        assertEquals("FAEROERNE", CountryKey.normalize("Færøerne"));
        assertEquals("STRASSE", CountryKey.normalize("Straße"));
        assertEquals("LODZ", CountryKey.normalize("Łódź"));
    }

    @Test
    void compatibilityFormsAreUnfolded() {
        assertEquals("KOR", CountryKey.normalize("ＫＯＲ")); // full-width letters
        assertEquals("410", CountryKey.normalize("４１０"));
    }

    @Test
    void ampersandIsAnd() {
        assertEquals("BOSNIA AND HERZEGOVINA", CountryKey.normalize("Bosnia & Herzegovina"));
        assertEquals("TRINIDAD AND TOBAGO", CountryKey.normalize("Trinidad&Tobago"));
        assertEquals("SAO TOME AND PRINCIPE", CountryKey.normalize("São Tomé & Príncipe"));
        assertEquals("ANTIGUA AND BARBUDA", CountryKey.normalize("Antigua and Barbuda"));
    }

    @Test
    void theWordTheIsDroppedWhereverItStands() {
        assertEquals("NETHERLANDS", CountryKey.normalize("Netherlands (the)"));
        assertEquals("NETHERLANDS", CountryKey.normalize("The Netherlands"));
        assertEquals("GAMBIA", CountryKey.normalize("the Gambia"));
        assertEquals("REPUBLIC OF CONGO", CountryKey.normalize("the Republic of THE Congo"));
        assertEquals("CONGO DEMOCRATIC REPUBLIC OF", CountryKey.normalize("Congo, Democratic Republic of the"));
        // only the whole word
        assertEquals("OTHER ASIA NES", CountryKey.normalize("Other Asia, nes"));
        assertEquals("THEBES", CountryKey.normalize("Thebes"));
        assertEquals("BATHE", CountryKey.normalize("bathe"));
    }

    @Test
    void numericCodesLoseLeadingZeros() {
        assertEquals("4", CountryKey.normalize("004"));
        assertEquals("4", CountryKey.normalize("4"));
        assertEquals("410", CountryKey.normalize("0410"));
        assertEquals("410", CountryKey.normalize(" 410 "));
        assertEquals("842", CountryKey.normalize("842"));
        assertEquals("0", CountryKey.normalize("000"));
        // not purely numeric: digits stay as written
        assertEquals("004 A", CountryKey.normalize("004 A"));
    }

    @Test
    void codesKeepTheirLetters() {
        assertEquals("NA", CountryKey.normalize("NA"));
        assertEquals("NA", CountryKey.normalize("na"));
        assertEquals("KOR", CountryKey.normalize("kor"));
        assertEquals("EL", CountryKey.normalize("EL"));
    }

    @Test
    void normalizingAKeyGivesTheSameKey() {
        for (String s : new String[] {"Korea, Republic of", "Côte d'Ivoire", "004", "Netherlands (the)", "Bosnia & Herzegovina"}) {
            String k = CountryKey.normalize(s);
            assertEquals(k, CountryKey.normalize(k), s);
        }
    }
}
