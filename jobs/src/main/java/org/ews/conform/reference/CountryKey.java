package org.ews.conform.reference;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The lookup key of a partner country as written in a declaration ("Korea, Republic of", "KOR", "410", "Côte
 * d'Ivoire"): the key column of {@code conf/reference/partner_aliases.csv}. Two spellings that differ only in case,
 * accents, punctuation, spacing, "&amp;" against "and" or a "the" get the same key.
 *
 * <p>Steps: Unicode NFKD with the combining marks removed (a few letters that do not decompose, such as Ø, Æ, ß, Ł,
 * are folded to their base letters too), upper case in {@link Locale#ROOT}, "&amp;" to " AND ", every character that is
 * neither a letter nor a digit to a space, spaces collapsed, the word THE dropped wherever it stands, trimmed. A text
 * of digits only is a numeric country code and keeps its integer value: "004" and "4" both give "4". Null, blank or
 * nothing left gives null.
 *
 * <p>Static and stateless, so it can be called from Spark UDFs without serialisation concerns.
 */
public final class CountryKey {
    private CountryKey() {}

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /** The lookup key of {@code text}, or null when there is nothing to look up. */
    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        s = fold(s).toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length() + 8);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ' ';
            if (c == '&') {
                flush(out, word);
                word.append("AND");
                flush(out, word);
            } else if (Character.isLetterOrDigit(c)) {
                word.append(c);
            } else {
                flush(out, word);
            }
        }
        if (out.length() == 0) {
            return null;
        }
        String key = out.toString();
        if (DIGITS.matcher(key).matches()) {
            int first = 0;
            while (first < key.length() - 1 && key.charAt(first) == '0') {
                first++;
            }
            key = key.substring(first);
        }
        return key;
    }

    /** Appends the pending word (unless it is THE) with a single separating space. */
    private static void flush(StringBuilder out, StringBuilder word) {
        if (word.length() == 0) {
            return;
        }
        if (!(word.length() == 3 && word.charAt(0) == 'T' && word.charAt(1) == 'H' && word.charAt(2) == 'E')) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word);
        }
        word.setLength(0);
    }

    /** Latin letters with a stroke or ligature that NFKD leaves alone. */
    private static String fold(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case 'Ø' -> "O";
                case 'ø' -> "o";
                case 'Æ' -> "AE";
                case 'æ' -> "ae";
                case 'Œ' -> "OE";
                case 'œ' -> "oe";
                case 'ß' -> "ss";
                case 'Ł' -> "L";
                case 'ł' -> "l";
                case 'Đ' -> "D";
                case 'đ' -> "d";
                case 'Þ' -> "TH";
                case 'þ' -> "th";
                case 'ı' -> "i";
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 4).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
