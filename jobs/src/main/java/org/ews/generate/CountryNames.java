package org.ews.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Spellings of partner countries. Codes and official names come from the project's country_codes.csv; the
 * colloquial variants real statistics use ("Korea, Republic of", "Viet Nam" and "Vietnam") are added here because
 * that file does not carry them and the matching stage must cope with them.
 */
public final class CountryNames {
    private static final Map<String, List<String>> COMMON_VARIANTS = Map.ofEntries(
            Map.entry("KR", List.of("Korea, Republic of", "Republic of Korea", "South Korea", "KOREA")),
            Map.entry("CN", List.of("China", "China, People's Republic of", "CHINA")),
            Map.entry("VN", List.of("Viet Nam", "Vietnam")),
            Map.entry("TW", List.of("Taiwan", "Chinese Taipei", "Taiwan, Province of China")),
            Map.entry("US", List.of("USA", "United States", "United States of America")),
            Map.entry("HK", List.of("Hong Kong", "Hong Kong, China", "Hong Kong SAR")),
            Map.entry("DE", List.of("Germany", "GERMANY")),
            Map.entry("JP", List.of("Japan", "JAPAN")),
            Map.entry("NL", List.of("Netherlands", "Netherlands (the)", "Holland")),
            Map.entry("GB", List.of("United Kingdom", "UK")),
            Map.entry("RU", List.of("Russian Federation", "Russia")),
            Map.entry("CD", List.of("Congo, Democratic Republic of the", "DR Congo")),
            Map.entry("MY", List.of("Malaysia")));

    private final Map<String, String> iso3 = new HashMap<>();
    private final Map<String, List<String>> names = new HashMap<>();

    public CountryNames(Path countryCodesCsv) {
        List<String[]> rows = Text.readCsv(countryCodesCsv);
        String[] header = rows.get(0);
        int a2 = Text.column(header, "ISO3166-1-Alpha-2");
        int a3 = Text.column(header, "ISO3166-1-Alpha-3");
        int official = Text.column(header, "official_name_en");
        int cldr = Text.column(header, "CLDR display name");
        for (String[] r : rows.subList(1, rows.size())) {
            if (r.length <= Math.max(cldr, official) || r[a2].isBlank() || r[a3].isBlank()) {
                continue;
            }
            String code = r[a2].trim();
            iso3.put(code, r[a3].trim());
            Set<String> n = new LinkedHashSet<>(COMMON_VARIANTS.getOrDefault(code, List.of()));
            if (!r[cldr].isBlank()) {
                n.add(r[cldr].trim());
            }
            if (!r[official].isBlank()) {
                n.add(r[official].trim());
            }
            names.put(code, new ArrayList<>(n));
        }
        for (String needed : COMMON_VARIANTS.keySet()) {
            if (!iso3.containsKey(needed)) {
                throw new IllegalArgumentException(countryCodesCsv + " lacks country " + needed);
            }
        }
    }

    /** Every spelling {@link #render} can write, by ISO alpha-2 code: the code, its alpha-3 and its names. */
    public Map<String, List<String>> spellings() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        iso3.forEach((code, a3) -> {
            List<String> all = new ArrayList<>(List.of(code, a3));
            all.addAll(names.get(code));
            out.put(code, all);
        });
        return out;
    }

    boolean known(String iso2) {
        return iso3.containsKey(iso2);
    }

    String render(String iso2, Reporter reporter, SplittableRandom rng) {
        switch (Pick.index(reporter.partnerStyle, rng)) {
            case 0:
                return iso2;
            case 1:
                return iso3.get(iso2);
            default:
                List<String> n = names.get(iso2);
                return n.get(rng.nextInt(n.size()));
        }
    }
}
