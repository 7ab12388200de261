package org.ews.conform.entity;

import org.ews.config.EwsConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NameNormalizerTest {
    private final NameNormalizer normalizer = NameNormalizer.of(EwsConfig.defaults().entity());

    private void assertAllNormaliseTo(String expected, String... raws) {
        for (String raw : raws) {
            assertEquals(expected, normalizer.normalize(raw), "normalising '" + raw + "'");
        }
    }

    @Test
    void latinLegalFormVariantsCasePunctuationAndSpacingDisappear() {
        assertAllNormaliseTo("hanseong semicon",
                "Hanseong Semicon Co., Ltd.", "HANSEONG SEMICON CO LTD", "Hanseong Semicon Co.,Ltd",
                "Hanseong Semicon Company Limited", " hanseong  semicon ");
        assertAllNormaliseTo("apex devices", "Apex Devices, Inc.", "Apex Devices Incorporated");
        assertAllNormaliseTo("nippon metals", "Nippon Metals K.K.", "Nippon Metals Kabushiki Kaisha", "NIPPON METALS KK");
        assertAllNormaliseTo("rheinwerk", "Rheinwerk GmbH");
        assertAllNormaliseTo("liberty alloys", "Liberty Alloys L.L.C.");
    }

    @Test
    void koreanAndJapaneseMarkersGoWhereverTheyStandEvenGlued() {
        assertAllNormaliseTo("한성반도체", "주식회사 한성반도체", "(주)한성반도체", "㈜한성반도체", "한성반도체(주)",
                "한성반도체 주식회사", "주식회사한성반도체");
        assertAllNormaliseTo("日本工業", "株式会社日本工業", "(株)日本工業", "日本工業株式会社");
    }

    @Test
    void fullWidthTextIsFoldedToAscii() {
        // U+FF28... are full-width Latin letters, U+3000 an ideographic space, U+FF08/U+FF09 full-width parentheses.
        assertAllNormaliseTo("hanseong semicon", "ＨＡＮＳＥＯＮＧ　ＳＥＭＩＣＯＮ　ＣＯ．，ＬＴＤ．");
        assertAllNormaliseTo("한성반도체", "（주）한성반도체");
    }

    @Test
    void ampersandReadsAsAnd() {
        assertAllNormaliseTo("smith and sons", "Smith & Sons Ltd", "Smith&Sons Ltd");
    }

    @Test
    void legalFormsGoOnlyAsWholeWordsAtEitherEndAndRepeatedly() {
        assertAllNormaliseTo("costa metals", "Costa Metals");           // "co" inside a word stays
        assertAllNormaliseTo("incheon steel", "Incheon Steel Corp.");   // so does "inc"
        assertAllNormaliseTo("toshiba", "Kabushiki Kaisha Toshiba");    // form before the name
        assertAllNormaliseTo("alpha", "Alpha Co., Ltd. Inc.");          // piled-up forms
        assertAllNormaliseTo("alpha co trading", "Alpha Co Trading");   // a form inside the name stays
    }

    @Test
    void aNameThatIsOnlyALegalFormIsKept() {
        assertAllNormaliseTo("co ltd", "Co., Ltd.");
        assertAllNormaliseTo("company limited", "COMPANY LIMITED");
    }

    @Test
    void nothingNameLikeGivesNull() {
        assertNull(normalizer.normalize(null));
        assertNull(normalizer.normalize(""));
        assertNull(normalizer.normalize("   "));
        assertNull(normalizer.normalize("-- / --"));
        assertNull(normalizer.normalize(" 주식회사 "));
        assertNull(normalizer.normalize("(株)"));
    }

    @Test
    void longerLegalFormsAreTriedFirstWhateverTheConfiguredOrder() {
        // "pte" alone is not a form here: stripping "ltd" first would strand it.
        NameNormalizer n = new NameNormalizer(List.of("ltd", "pte ltd"), List.of());
        assertEquals("lion", n.normalize("Lion Pte. Ltd."));
    }

    @Test
    void configuredMarkersAreMatchedInTheirNormalisedSpelling() {
        // Written full-width in the configuration, half-width in the name.
        NameNormalizer n = new NameNormalizer(List.of(), List.of("（株）"));
        assertEquals("日本工業", n.normalize("(株)日本工業"));
    }

    @Test
    void compactDropsSpacesOnly() {
        assertEquals("hanseongsemicon", NameNormalizer.compact("hanseong semicon"));
        assertEquals("한성반도체", NameNormalizer.compact("한성반도체"));
        assertNull(NameNormalizer.compact(null));
    }
}
