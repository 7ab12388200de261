package org.ews.generate;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a firm's name the way declarants do: legal-form variants, the home-script name with its legal-form
 * marker, shouting capitals, stray spaces and the odd typo. Entity resolution is developed against this.
 */
final class TraderNameMangler {
    private static final Map<String, String[]> LEGAL_FORMS = Map.of(
            "Co., Ltd.", new String[]{"Co., Ltd.", "CO LTD", "Co.,Ltd", "CO., LTD.", "Company Limited", "Co Ltd",
                    "Co.,Ltd."},
            "Inc.", new String[]{"Inc.", "INC", "Inc", "Incorporated", ", Inc."},
            "Corp.", new String[]{"Corp.", "Corporation", "CORP", "Corp"},
            "Corporation", new String[]{"Corporation", "Corp.", "CORPORATION", "Corp"},
            "LLC", new String[]{"LLC", "L.L.C.", "Llc"},
            "K.K.", new String[]{"K.K.", "Kabushiki Kaisha", "KK", "K.K"},
            "GmbH", new String[]{"GmbH", "GMBH", "Gmbh"},
            "AG", new String[]{"AG"},
            "B.V.", new String[]{"B.V.", "BV"},
            "Pte. Ltd.", new String[]{"Pte. Ltd.", "PTE LTD"});
    private static final String[] KR_FORMS = {"주식회사 %s", "%s 주식회사", "(주)%s", "㈜%s", "%s(주)", "주식회사%s"};
    private static final String[] JP_FORMS = {"株式会社%s", "%s株式会社", "(株)%s", "%s(株)"};

    String mangle(Firm firm, SplittableRandom rng) {
        double u = rng.nextDouble();
        String s;
        if (u < 0.15 && !firm.localName.isEmpty()) {
            String[] forms = firm.country.equals("KR") ? KR_FORMS : JP_FORMS;
            return String.format(forms[rng.nextInt(forms.length)], firm.localName);
        } else if (u < 0.25 && !firm.aliases.isEmpty()) {
            s = firm.aliases.get(rng.nextInt(firm.aliases.size()));
            if (!s.isEmpty() && Character.UnicodeBlock.of(s.charAt(0)) != Character.UnicodeBlock.BASIC_LATIN) {
                return s;
            }
        } else if (u < 0.30) {
            s = firm.stem;
        } else {
            String[] forms = LEGAL_FORMS.getOrDefault(firm.legalForm, new String[]{firm.legalForm});
            String form = forms[rng.nextInt(forms.length)];
            String stem = firm.name.substring(0, firm.name.length() - firm.legalForm.length()).trim();
            s = form.startsWith(",") ? stem + form : stem + " " + form;
        }
        double c = rng.nextDouble();
        if (c < 0.2) {
            s = s.toUpperCase(Locale.ROOT);
        } else if (c < 0.25) {
            s = s.toLowerCase(Locale.ROOT);
        }
        double sp = rng.nextDouble();
        if (sp < 0.08) {
            s = s.replaceFirst(" ", "  ");
        } else if (sp < 0.12) {
            s = " " + s + " ";
        }
        if (rng.nextDouble() < 0.03) {
            s = typo(s, rng);
        }
        return s;
    }

    /** One swapped or dropped letter, never touching the first character (people rarely get that wrong). */
    static String typo(String s, SplittableRandom rng) {
        if (s.length() < 5) {
            return s;
        }
        int i = 1 + rng.nextInt(s.length() - 3);
        if (!Character.isLetter(s.charAt(i)) || !Character.isLetter(s.charAt(i + 1))) {
            return s;
        }
        if (rng.nextBoolean()) {
            return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
        }
        return s.substring(0, i) + s.substring(i + 1);
    }
}
