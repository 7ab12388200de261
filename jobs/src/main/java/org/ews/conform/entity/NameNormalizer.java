package org.ews.conform.entity;

import org.ews.config.EwsConfig;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Brings a firm name, as declared or as registered, to the form names are compared in. Declarants write the same firm
 * as "Hanseong Semicon Co., Ltd.", "HANSEONG SEMICON CO LTD" or "㈜한성반도체"; everything that varies between such
 * spellings without telling firms apart (case, punctuation, spacing, width, legal form) is removed here so the
 * similarity score only has to deal with real differences such as typos.
 *
 * <p>Serializable because Spark ships it to executors inside a UDF.
 */
public final class NameNormalizer implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Legal forms as token sequences, most tokens first so "co ltd" goes as one piece before "ltd" alone. */
    private final List<String[]> legalForms;
    /** Markers in normalised spelling, longest first so a marker that contains another is removed whole. */
    private final List<String> markers;

    public NameNormalizer(List<String> legalForms, List<String> legalFormMarkers) {
        this.legalForms = legalForms.stream()
                .map(f -> f.trim().split(" +"))
                .sorted(Comparator.<String[]>comparingInt(t -> t.length)
                        .thenComparingInt(t -> String.join(" ", t).length()).reversed())
                .toList();
        // Markers are written as people write them ("(주)"); normalise them like the names they are looked for in, so
        // "㈜" in a name and "(주)" in the configuration meet.
        this.markers = legalFormMarkers.stream()
                .map(NameNormalizer::foldCaseAndWidth)
                .filter(m -> !m.isBlank())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    public static NameNormalizer of(EwsConfig.Entity e) {
        return new NameNormalizer(e.legalForms(), e.legalFormMarkers());
    }

    /** The name for matching, or null when nothing name-like is left (null, blank, punctuation or a marker only). */
    public String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String text = removeMarkers(foldCaseAndWidth(raw)).replace("&", " and ");
        String spaced = collapseSpaces(punctuationToSpaces(text));
        if (spaced.isEmpty()) {
            return null;
        }
        return stripLegalForms(spaced);
    }

    /** The name without spaces: "hanseongsemicon" and "hanseong semicon" are the same name written two ways. */
    public static String compact(String normalized) {
        return normalized == null ? null : normalized.replace(" ", "");
    }

    /** NFKC turns ㈜ into (주) and full-width letters into ASCII, so width and compatibility forms stop mattering. */
    private static String foldCaseAndWidth(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** Markers are glued to the name in Korean and Japanese ("주식회사한성"), so they go wherever they stand. */
    private String removeMarkers(String s) {
        String out = s;
        for (String marker : markers) {
            out = out.replace(marker, " ");
        }
        return out;
    }

    /**
     * Anything but letters and digits becomes a space. Combining marks stay: without them Thai or Devanagari words
     * would be cut apart at every vowel sign (NFKC already composed the Latin accents).
     */
    private static String punctuationToSpaces(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) || isCombiningMark(cp)) {
                b.appendCodePoint(cp);
            } else {
                b.append(' ');
            }
        });
        return b.toString();
    }

    private static boolean isCombiningMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static String collapseSpaces(String s) {
        return s.trim().replaceAll(" +", " ");
    }

    /**
     * Legal forms stand at either end ("Co., Ltd." after the name, "PT" before it) and may pile up ("Co Ltd Inc").
     * A name that is nothing but legal forms ("Company Limited") is still the only name there is, so it is kept whole.
     */
    private String stripLegalForms(String name) {
        List<String> tokens = new ArrayList<>(Arrays.asList(name.split(" ")));
        boolean stripped;
        do {
            stripped = stripOneAtEnd(tokens) || stripOneAtStart(tokens);
        } while (stripped && !tokens.isEmpty());
        return tokens.isEmpty() ? name : String.join(" ", tokens);
    }

    private boolean stripOneAtEnd(List<String> tokens) {
        for (String[] form : legalForms) {
            int from = tokens.size() - form.length;
            if (from >= 0 && matchesAt(tokens, from, form)) {
                tokens.subList(from, tokens.size()).clear();
                return true;
            }
        }
        return false;
    }

    private boolean stripOneAtStart(List<String> tokens) {
        for (String[] form : legalForms) {
            if (form.length <= tokens.size() && matchesAt(tokens, 0, form)) {
                tokens.subList(0, form.length).clear();
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(List<String> tokens, int from, String[] form) {
        for (int i = 0; i < form.length; i++) {
            if (!tokens.get(from + i).equals(form[i])) {
                return false;
            }
        }
        return true;
    }
}
