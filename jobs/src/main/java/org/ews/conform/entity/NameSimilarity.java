package org.ews.conform.entity;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.io.Serializable;

/**
 * Similarity of two normalised names, 0-1. Jaro-Winkler on the whole name alone rates "hanseong semicon" and
 * "hanseong electronics" close, because they share a long prefix; the token share pulls such pairs down, since half
 * of their words find no partner, while a typo or a dropped letter leaves every word with a close partner.
 *
 * <p>Serializable because Spark ships it to executors inside a UDF.
 */
public final class NameSimilarity implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Stateless, so one instance serves all threads; static because it is not Serializable. */
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    private final double nameWeight;
    private final double tokenMatchMin;

    public NameSimilarity(double nameWeight, double tokenMatchMin) {
        this.nameWeight = nameWeight;
        this.tokenMatchMin = tokenMatchMin;
    }

    /** 0 when either name is missing: no evidence is not a weak match. */
    public double score(String normA, String normB) {
        if (normA == null || normB == null || normA.isEmpty() || normB.isEmpty()) {
            return 0.0;
        }
        String compactA = NameNormalizer.compact(normA);
        String compactB = NameNormalizer.compact(normB);
        if (compactA.equals(compactB)) {
            // Same letters, different spacing: the same name, whatever the token share says.
            return 1.0;
        }
        double whole = JARO_WINKLER.apply(compactA, compactB);
        return nameWeight * whole + (1 - nameWeight) * tokenShare(normA.split(" "), normB.split(" "));
    }

    /** Share of the tokens of both names that have a close partner in the other name. */
    private double tokenShare(String[] a, String[] b) {
        int matched = countWithPartner(a, b) + countWithPartner(b, a);
        return (double) matched / (a.length + b.length);
    }

    private int countWithPartner(String[] tokens, String[] others) {
        int n = 0;
        for (String t : tokens) {
            if (hasPartner(t, others)) {
                n++;
            }
        }
        return n;
    }

    private boolean hasPartner(String token, String[] others) {
        for (String o : others) {
            if (JARO_WINKLER.apply(token, o) >= tokenMatchMin) {
                return true;
            }
        }
        return false;
    }
}
