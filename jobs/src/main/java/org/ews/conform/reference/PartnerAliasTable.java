package org.ews.conform.reference;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The partner-country alias table {@code conf/reference/partner_aliases.csv}: every spelling of a country that customs
 * declarations and trade statistics use, as its {@link CountryKey} ({@code alias}), with the ISO 3166 alpha-2 code it
 * stands for and where the spelling comes from.
 *
 * <p>{@link #build} derives it from the project's {@code country_codes.csv} (alpha-2, alpha-3 and numeric codes, the
 * English official, CLDR, UNTERM short and formal names and the ISO 4217 country name) plus a curated file of
 * spellings that file lacks ({@code alias,iso2,note}). A curated row naming an alpha-2 code that is not in
 * country_codes.csv fails the build. A key that two sources give to two different countries is dropped (and reported
 * in {@link Result#dropped()}) rather than guessed. {@link #main} writes the file; {@link #read} loads it for lookups.
 */
public final class PartnerAliasTable implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final List<String> HEADER = List.of("alias", "iso2", "source");
    public static final List<String> CURATED_HEADER = List.of("alias", "iso2", "note");
    public static final String SOURCE_CURATED = "curated";

    /** country_codes.csv columns read, in priority order (a key given by several keeps the first), and their source name. */
    static final List<Map.Entry<String, String>> ISO_COLUMNS = List.of(
            Map.entry("ISO3166-1-Alpha-2", "iso_alpha2"),
            Map.entry("ISO3166-1-Alpha-3", "iso_alpha3"),
            Map.entry("ISO3166-1-numeric", "iso_numeric"),
            Map.entry("official_name_en", "official_name_en"),
            Map.entry("CLDR display name", "cldr"),
            Map.entry("UNTERM English Short", "unterm_short"),
            Map.entry("UNTERM English Formal", "unterm_formal"),
            Map.entry("ISO4217-currency_country_name", "iso4217_country_name"));

    private static final Pattern ALPHA2 = Pattern.compile("[A-Z]{2}");

    /** One row of the table. */
    public record Alias(String alias, String iso2, String source) implements Serializable {}

    /** A key dropped because sources give it to more than one country: each country with the spellings that claim it. */
    public record Conflict(String alias, Map<String, List<String>> claims) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("'" + alias + "' ->");
            claims.forEach((iso2, origins) -> sb.append(' ').append(iso2).append(' ').append(origins));
            return sb.toString();
        }
    }

    /** What {@link #build} produced: the table and the keys it dropped as ambiguous. */
    public record Result(PartnerAliasTable table, List<Conflict> dropped) {}

    private final TreeMap<String, Alias> byAlias;

    private PartnerAliasTable(TreeMap<String, Alias> byAlias) {
        this.byAlias = byAlias;
    }

    /** The ISO alpha-2 code for a partner as written (code, number or name), or null when the table does not know it. */
    public String resolve(String partnerAsWritten) {
        String key = CountryKey.normalize(partnerAsWritten);
        return key == null ? null : iso2(key);
    }

    /** The ISO alpha-2 code for an already normalised key, or null. */
    public String iso2(String alias) {
        Alias a = byAlias.get(alias);
        return a == null ? null : a.iso2();
    }

    /** Rows sorted by alias. */
    public List<Alias> rows() {
        return List.copyOf(byAlias.values());
    }

    /** alias -> iso2, e.g. to broadcast to Spark executors. */
    public Map<String, String> asMap() {
        Map<String, String> m = new HashMap<>(byAlias.size() * 2);
        byAlias.forEach((k, v) -> m.put(k, v.iso2()));
        return m;
    }

    public int size() {
        return byAlias.size();
    }

    /** The file's content: the header and one line per alias in alias order. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(ReferenceCsv.line(HEADER));
        for (Alias a : byAlias.values()) {
            sb.append(ReferenceCsv.line(List.of(a.alias(), a.iso2(), a.source())));
        }
        return sb.toString();
    }

    public void write(Path file) {
        List<List<String>> rows = new ArrayList<>(byAlias.size());
        for (Alias a : byAlias.values()) {
            rows.add(List.of(a.alias(), a.iso2(), a.source()));
        }
        ReferenceCsv.write(file, HEADER, rows);
    }

    /** Loads a built partner_aliases.csv. */
    public static PartnerAliasTable read(Path partnerAliasesCsv) {
        ReferenceCsv.Table t = ReferenceCsv.read(partnerAliasesCsv);
        if (!t.header().equals(HEADER)) {
            throw new IllegalArgumentException(partnerAliasesCsv + ": header must be " + String.join(",", HEADER)
                    + ", found " + String.join(",", t.header()));
        }
        TreeMap<String, Alias> m = new TreeMap<>();
        int line = 1;
        for (String[] r : t.rows()) {
            line++;
            Alias a = new Alias(r[0].trim(), r[1].trim(), r[2].trim());
            if (a.alias().isEmpty() || !ALPHA2.matcher(a.iso2()).matches()) {
                throw new IllegalArgumentException(partnerAliasesCsv + " line " + line + ": needs an alias and a two-letter iso2");
            }
            if (m.put(a.alias(), a) != null) {
                throw new IllegalArgumentException(partnerAliasesCsv + " line " + line + ": alias '" + a.alias() + "' appears twice");
            }
        }
        return new PartnerAliasTable(m);
    }

    /**
     * Builds the table from country_codes.csv and the curated spellings.
     *
     * @throws IllegalArgumentException when a curated row is incomplete, its spelling normalises to nothing, or it
     *     names an alpha-2 code country_codes.csv does not have
     */
    public static Result build(Path countryCodesCsv, Path curatedCsv) {
        ReferenceCsv.Table iso = ReferenceCsv.read(countryCodesCsv);
        int a2 = iso.column("ISO3166-1-Alpha-2");
        int[] cols = new int[ISO_COLUMNS.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = iso.column(ISO_COLUMNS.get(i).getKey());
        }
        // key -> iso2 -> claims (source priority, source, spelling) in the order met
        Map<String, Map<String, List<Claim>>> claims = new TreeMap<>();
        Set<String> known = new HashSet<>();
        int line = 1;
        for (String[] r : iso.rows()) {
            line++;
            String code = r[a2].trim().toUpperCase(java.util.Locale.ROOT);
            if (code.isEmpty()) {
                continue;
            }
            if (!ALPHA2.matcher(code).matches()) {
                throw new IllegalArgumentException(countryCodesCsv + " line " + line + ": alpha-2 code '" + code
                        + "' is not two letters");
            }
            known.add(code);
            for (int i = 0; i < cols.length; i++) {
                String spelling = r[cols[i]].trim();
                String key = CountryKey.normalize(spelling);
                if (key != null) {
                    claim(claims, key, code, new Claim(i, ISO_COLUMNS.get(i).getValue(), spelling));
                }
            }
        }

        ReferenceCsv.Table cur = ReferenceCsv.read(curatedCsv);
        int ca = cur.column("alias");
        int ci = cur.column("iso2");
        int cn = cur.column("note");
        line = 1;
        for (String[] r : cur.rows()) {
            line++;
            String spelling = r[ca].trim();
            String code = r[ci].trim().toUpperCase(java.util.Locale.ROOT);
            String where = curatedCsv + " line " + line + " (alias '" + spelling + "')";
            if (spelling.isEmpty() || code.isEmpty() || r[cn].isBlank()) {
                throw new IllegalArgumentException(where + ": alias, iso2 and note are all required");
            }
            if (!known.contains(code)) {
                throw new IllegalArgumentException(where + ": iso2 '" + code
                        + "' is not an ISO3166-1-Alpha-2 code in " + countryCodesCsv);
            }
            String key = CountryKey.normalize(spelling);
            if (key == null) {
                throw new IllegalArgumentException(where + ": the alias normalises to nothing");
            }
            claim(claims, key, code, new Claim(ISO_COLUMNS.size(), SOURCE_CURATED, spelling));
        }

        TreeMap<String, Alias> table = new TreeMap<>();
        List<Conflict> dropped = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Claim>>> e : claims.entrySet()) {
            Map<String, List<Claim>> byCountry = e.getValue();
            if (byCountry.size() > 1) {
                Map<String, List<String>> why = new TreeMap<>();
                byCountry.forEach((iso2, cs) -> {
                    List<String> origins = new ArrayList<>();
                    for (Claim c : cs) {
                        origins.add(c.source() + " '" + c.spelling() + "'");
                    }
                    why.put(iso2, origins);
                });
                dropped.add(new Conflict(e.getKey(), Collections.unmodifiableMap(why)));
                continue;
            }
            Map.Entry<String, List<Claim>> only = byCountry.entrySet().iterator().next();
            Claim best = only.getValue().get(0);
            for (Claim c : only.getValue()) {
                if (c.priority() < best.priority()) {
                    best = c;
                }
            }
            table.put(e.getKey(), new Alias(e.getKey(), only.getKey(), best.source()));
        }
        return new Result(new PartnerAliasTable(table), List.copyOf(dropped));
    }

    private record Claim(int priority, String source, String spelling) {}

    private static void claim(Map<String, Map<String, List<Claim>>> claims, String key, String iso2, Claim c) {
        claims.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(iso2, k -> new ArrayList<>()).add(c);
    }

    /**
     * {@code PartnerAliasTable <country_codes.csv> <partner_aliases_curated.csv> <output partner_aliases.csv>}: builds
     * and writes the table, printing every key dropped as ambiguous. Exit 0 on success, 1 with one line on stderr on
     * failure, 2 on wrong arguments.
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: PartnerAliasTable <country_codes.csv> <partner_aliases_curated.csv> <output.csv>");
            System.exit(2);
            return;
        }
        try {
            Result r = build(Path.of(args[0]), Path.of(args[1]));
            for (Conflict c : r.dropped()) {
                System.out.println("dropped ambiguous alias " + c);
            }
            r.table().write(Path.of(args[2]));
            System.out.println("wrote " + r.table().size() + " aliases to " + args[2] + " (" + r.dropped().size()
                    + " ambiguous keys dropped)");
        } catch (RuntimeException e) {
            System.err.println("partner aliases: " + e.getMessage());
            System.exit(1);
        }
    }
}
