package org.ews.generate;

import java.math.BigInteger;
import java.util.SplittableRandom;

/**
 * National business identifiers with their real check digits, so that a later validation stage can be tested on
 * them, and the ways declarants re-format them in customs data.
 */
final class RegistryNumbers {
    private RegistryNumbers() {
    }

    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** Korean business registration number ddd-dd-ddddd; last digit is the NTS check digit. */
    static String korean(SplittableRandom rng) {
        int[] d = new int[10];
        d[0] = 1 + rng.nextInt(8);
        for (int i = 1; i < 9; i++) {
            d[i] = rng.nextInt(10);
        }
        d[3] = 8; // 81-88 in digits 4-5 marks a corporation
        d[4] = 1 + rng.nextInt(7);
        int[] w = {1, 3, 7, 1, 3, 7, 1, 3, 5};
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += d[i] * w[i];
        }
        sum += d[8] * 5 / 10;
        d[9] = (10 - sum % 10) % 10;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 3 || i == 5) {
                sb.append('-');
            }
            sb.append(d[i]);
        }
        return sb.toString();
    }

    /** US employer identification number dd-ddddddd with a campus prefix the IRS actually issues. */
    static String ein(SplittableRandom rng) {
        int[] prefixes = {10, 12, 13, 20, 26, 27, 30, 33, 36, 38, 41, 45, 46, 47, 52, 54, 56, 61, 62, 65, 74, 75, 81,
                82, 84, 86, 88, 91, 94, 95, 98};
        return prefixes[rng.nextInt(prefixes.length)] + "-" + Reporter.pad(rng.nextInt(10_000_000), 7);
    }

    /** Japanese 13-digit corporate number; the leading digit is the check digit over the 12 base digits. */
    static String japanese(SplittableRandom rng) {
        int[] base = new int[12];
        base[0] = 1 + rng.nextInt(9);
        for (int i = 1; i < 12; i++) {
            base[i] = rng.nextInt(10);
        }
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int fromRight = 12 - i; // 1-based position counted from the lowest digit
            sum += base[i] * (fromRight % 2 == 1 ? 1 : 2);
        }
        int check = 9 - sum % 9;
        StringBuilder sb = new StringBuilder().append(check);
        for (int b : base) {
            sb.append(b);
        }
        return sb.toString();
    }

    static String foreign(String country, SplittableRandom rng) {
        switch (country) {
            case "CN": {
                String set = "0123456789ABCDEFGHJKLMNPQRTUWXY";
                StringBuilder sb = new StringBuilder("91").append(Reporter.pad(110000 + rng.nextInt(540000), 6));
                for (int i = 0; i < 10; i++) {
                    sb.append(set.charAt(rng.nextInt(set.length())));
                }
                return sb.toString();
            }
            case "DE":
                return "HRB " + (10000 + rng.nextInt(200000));
            case "SG":
                return (2000 + rng.nextInt(24)) + Reporter.pad(rng.nextInt(100000), 5) + (char) ('A' + rng.nextInt(26));
            default:
                return Reporter.pad(rng.nextInt(100_000_000), 8);
        }
    }

    /** ISO 17442 LEI: LOU prefix, 00, 12 characters, two ISO 7064 mod 97-10 check digits. */
    static String lei(SplittableRandom rng) {
        String[] lous = {"5493", "9845", "2138", "3003", "9884", "3538", "5299", "8945"};
        StringBuilder sb = new StringBuilder(lous[rng.nextInt(lous.length)]).append("00");
        for (int i = 0; i < 12; i++) {
            sb.append(ALNUM.charAt(rng.nextInt(ALNUM.length())));
        }
        StringBuilder digits = new StringBuilder();
        for (char c : (sb + "00").toCharArray()) {
            digits.append(Character.getNumericValue(c));
        }
        int mod = new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
        return sb.append(Reporter.pad(98 - mod, 2)).toString();
    }

    /** How a declarant writes the number: as registered, without separators, or with spaces. */
    static String asDeclared(String registered, String country, SplittableRandom rng) {
        double u = rng.nextDouble();
        String digits = registered.replaceAll("[^0-9A-Z]", "");
        if (u < 0.55) {
            return registered;
        }
        if (u < 0.85) {
            return digits;
        }
        if (country.equals("JP")) {
            return u < 0.93 ? "T" + digits : digits.substring(0, 1) + " " + digits.substring(1, 5) + " "
                    + digits.substring(5, 9) + " " + digits.substring(9);
        }
        return " " + registered.replace("-", " ") + " ";
    }
}
