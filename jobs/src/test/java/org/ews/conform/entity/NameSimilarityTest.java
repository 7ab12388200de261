package org.ews.conform.entity;

import org.ews.config.EwsConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameSimilarityTest {
    private static final EwsConfig.Entity SETTINGS = EwsConfig.defaults().entity();
    private final NameSimilarity similarity = new NameSimilarity(SETTINGS.nameWeight(), SETTINGS.tokenMatchMin());

    @Test
    void sameLettersWithDifferentSpacingAreTheSameName() {
        assertEquals(1.0, similarity.score("hanseongsemicon", "hanseong semicon"));
        assertEquals(1.0, similarity.score("hanseong semicon", "hanseong semicon"));
    }

    /**
     * martha / marhta, worked by hand: 6 matching letters, the t-h swap is one transposition, so
     * Jaro = (6/6 + 6/6 + (6-1)/6) / 3 = 0.944444; common prefix "mar" = 3, so Jaro-Winkler = 0.944444 + 3 x 0.1 x
     * (1 - 0.944444) = 0.961111. One token each, partners at 0.961 >= 0.90: token share 2/2 = 1.
     * Score = 0.5 x 0.961111 + 0.5 x 1 = 0.980556.
     */
    @Test
    void transposedLettersScoreAsWorkedByHand() {
        assertEquals(0.980556, similarity.score("martha", "marhta"), 1e-6);
        assertEquals(0.961111, new NameSimilarity(1.0, 0.9).score("martha", "marhta"), 1e-6);
    }

    /**
     * abcdef / abcxyz (compact forms), by hand: the match window is 6/2 - 1 = 2; a, b, c match, d, e, f find no
     * partner, so Jaro = (3/6 + 3/6 + 3/3) / 3 = 0.666667, below 0.7, so no prefix bonus. Tokens: abc-abc match,
     * def-xyz share no letter (0): token share (1 + 1) / 4 = 0.5. Score = 0.5 x 0.666667 + 0.5 x 0.5 = 0.583333.
     */
    @Test
    void aSharedWordAloneIsHalfTheTokenShare() {
        assertEquals(0.583333, similarity.score("abc def", "abc xyz"), 1e-6);
    }

    @Test
    void differentFirmsSharingAWordStayBelowPossible() {
        double possible = SETTINGS.possibleScore();
        assertTrue(similarity.score("hanseong semicon", "hanseong electronics") < possible);
        assertTrue(similarity.score("daejin metals", "daewon metals") < possible);
        assertTrue(similarity.score("mirae chemical", "mirae plastics") < possible);
    }

    @Test
    void typosAndDroppedLettersStayAtOrAboveAccept() {
        double accept = SETTINGS.acceptScore();
        assertTrue(similarity.score("hanseong semicno", "hanseong semicon") >= accept);
        assertTrue(similarity.score("hanseng semicon", "hanseong semicon") >= accept);
        assertTrue(similarity.score("hanseong semicno", "hanseong semicon") < 1.0);
    }

    @Test
    void scoreIsSymmetricAndBounded() {
        String[][] pairs = {{"hanseong semicon", "hanseong electronics"}, {"daejin metals", "daewon metals"},
                {"abc def", "abc xyz"}, {"a", "zzzz"}};
        for (String[] p : pairs) {
            double ab = similarity.score(p[0], p[1]);
            assertEquals(ab, similarity.score(p[1], p[0]), 1e-12, p[0] + " / " + p[1]);
            assertTrue(ab >= 0 && ab <= 1, p[0] + " / " + p[1] + " = " + ab);
        }
    }

    @Test
    void aMissingNameIsNoEvidence() {
        assertEquals(0.0, similarity.score(null, "hanseong semicon"));
        assertEquals(0.0, similarity.score("hanseong semicon", null));
        assertEquals(0.0, similarity.score(null, null));
    }
}
