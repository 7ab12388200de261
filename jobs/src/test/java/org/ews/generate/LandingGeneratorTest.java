package org.ews.generate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checks the generated landing zone against the contract and against expectations computed here from the files,
 * never by echoing the generator's own bookkeeping.
 */
class LandingGeneratorTest {
    static final Path REFERENCE = Path.of("../conf/reference");
    static final LocalDate FROM = LocalDate.of(2023, 10, 1);
    static final LocalDate TO = LocalDate.of(2024, 1, 31);
    static final int LINES_PER_DAY = 20;
    /** Overridable (-Dews.generate.seed=N) to check the statistical assertions are not tuned to one seed. */
    static final long SEED = Long.getLong("ews.generate.seed", 42);

    @TempDir
    static Path tmp;
    static Path out;
    static GenerationSummary summary;
    static List<String[]> truthLines;
    static List<String[]> badRows;

    static GenerationSummary generate(Path dir, long seed) {
        return LandingGenerator.builder().out(dir).from(FROM).to(TO).linesPerDay(LINES_PER_DAY).seed(seed)
                .referenceDir(REFERENCE).build().run();
    }

    @BeforeAll
    static void generateOnce() {
        out = tmp.resolve("a");
        summary = generate(out, SEED);
        List<String[]> t = LandingFiles.csvGz(out.resolve("truth/lines.csv.gz"));
        assertEquals(LandingColumns.TRUTH_LINES, List.of(t.get(0)));
        truthLines = t.subList(1, t.size());
        try (InputStream in = Files.newInputStream(out.resolve("truth/bad_rows.csv"))) {
            List<String[]> b = LandingFiles.csv(in);
            badRows = b.subList(1, b.size());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws IOException {
        Path same = tmp.resolve("same");
        Path other = tmp.resolve("other");
        generate(same, SEED);
        generate(other, SEED + 1);
        List<Path> a = LandingFiles.files(out);
        List<Path> b = LandingFiles.files(same);
        assertEquals(a.stream().map(p -> LandingFiles.rel(out, p)).toList(),
                b.stream().map(p -> LandingFiles.rel(same, p)).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)), "differs: " + a.get(i));
        }
        assertFalse(Arrays.equals(Files.readAllBytes(out.resolve("truth/lines.csv.gz")),
                Files.readAllBytes(other.resolve("truth/lines.csv.gz"))));
    }

    @Test
    void everyFileFollowsTheLayoutContract() throws IOException {
        Pattern customs = Pattern.compile(
                "customs/reporter=(KR|US|JP)/date=(\\d{4}-\\d{2}-\\d{2})/part-\\d{4}\\.(csv\\.gz|jsonl|parquet)");
        Pattern corporate = Pattern.compile(
                "corporate/(firms/date=(\\d{4}-\\d{2}-\\d{2})/firms|ownership/date=(\\d{4}-\\d{2}-\\d{2})/ownership)\\.csv");
        Set<String> fixed = Set.of("reference/fx_rates/fx_rates.csv", "truth/events.csv", "truth/bad_rows.csv",
                "truth/broken_files.csv", "truth/lines.csv.gz", "truth/summary.json");
        Map<String, Set<String>> formatsByReporter = new TreeMap<>();
        Set<String> daysWithKrCsv = new TreeSet<>();
        for (Path p : LandingFiles.files(out)) {
            String rel = LandingFiles.rel(out, p);
            Matcher m = customs.matcher(rel);
            Matcher c = corporate.matcher(rel);
            if (m.matches()) {
                LocalDate d = LocalDate.parse(m.group(2));
                assertFalse(d.isBefore(FROM) || d.isAfter(TO), rel);
                formatsByReporter.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(3));
                if (m.group(1).equals("KR")) {
                    daysWithKrCsv.add(m.group(2));
                }
            } else if (c.matches()) {
                LocalDate d = LocalDate.parse(c.group(2) != null ? c.group(2) : c.group(3));
                assertFalse(d.isBefore(FROM) || d.isAfter(TO), rel);
            } else {
                assertTrue(fixed.contains(rel), "file outside the contract: " + rel);
            }
        }
        assertEquals(Set.of("csv.gz", "jsonl"), formatsByReporter.get("US"));
        assertEquals(Set.of("csv.gz", "parquet"), formatsByReporter.get("JP"));
        assertEquals(Set.of("csv.gz"), formatsByReporter.get("KR"));
        assertEquals(java.time.temporal.ChronoUnit.DAYS.between(FROM, TO) + 1, daysWithKrCsv.size(),
                "a KR file every landing day");
        // Snapshots on the first landing day and on the first day of each quarter.
        assertTrue(Files.exists(out.resolve("corporate/firms/date=2023-10-01/firms.csv")));
        assertTrue(Files.exists(out.resolve("corporate/ownership/date=2024-01-01/ownership.csv")));
        assertFalse(Files.exists(out.resolve("corporate/firms/date=2023-11-01")));
    }

    /** Independent judgement of each kind of damage. */
    static boolean isBadAs(String kind, String column, LandingFiles.Rec r) {
        return switch (kind) {
            case "missing_required" -> org.ews.ingest.Feed.CUSTOMS.requiredColumns().contains(column) && r.get(column).isEmpty();
            case "unparsable_number" -> decimal(r.get("value")) == null && !r.get("value").isEmpty();
            case "unparsable_date" -> !r.get("declaration_date").matches("\\d{4}-\\d{2}-\\d{2}");
            case "impossible_date" -> r.get("declaration_date").matches("\\d{4}-\\d{2}-\\d{2}")
                    && date(r.get("declaration_date")) == null;
            case "negative_value" -> decimal(r.get("value")) != null && decimal(r.get("value")).signum() < 0;
            case "bad_flow" -> !r.get("flow").isEmpty() && !Set.of("I", "X").contains(r.get("flow"));
            case "malformed_hs" -> !r.get("hs_code").isEmpty()
                    && !r.get("hs_code").replaceAll("[. ]", "").matches("\\d{6,10}");
            case "short_row" -> r.fields().length < r.header().size();
            case "long_row" -> r.fields().length > r.header().size();
            default -> false;
        };
    }

    static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static LocalDate date(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static boolean valid(LandingFiles.Rec r) {
        if (r.fields().length != r.header().size()) {
            return false;
        }
        for (String c : org.ews.ingest.Feed.CUSTOMS.requiredColumns()) {
            if (r.get(c).isEmpty()) {
                return false;
            }
        }
        BigDecimal v = decimal(r.get("value"));
        return v != null && v.signum() >= 0 && date(r.get("declaration_date")) != null
                && Set.of("I", "X").contains(r.get("flow"))
                && r.get("hs_code").replaceAll("[. ]", "").matches("\\d{6,10}")
                && r.get("line_no").matches("\\d+") && r.get("version").matches("\\d+");
    }

    @Test
    void badRowsAreBadAsLabelledAndRowCountsAddUp() throws IOException {
        Map<String, String[]> labelled = new HashMap<>();
        for (String[] b : badRows) {
            assertNull(labelled.put(b[0] + "#" + b[1], b), "bad row listed twice");
        }
        Set<String> broken = new HashSet<>();
        try (InputStream in = Files.newInputStream(out.resolve("truth/broken_files.csv"))) {
            List<String[]> rows = LandingFiles.csv(in);
            rows.subList(1, rows.size()).forEach(r -> broken.add(r[0]));
        }
        Map<String, String[]> truthByKey = new HashMap<>();
        for (String[] t : truthLines) {
            assertNull(truthByKey.put(t[0] + "|" + t[1] + "|" + t[2], t), "truth key twice");
        }
        Map<String, Double> rates = new HashMap<>();
        for (String[] r : LandingFiles.csv(Files.newInputStream(out.resolve("reference/fx_rates/fx_rates.csv")))
                .subList(1, 0 + LandingFiles.csv(Files.newInputStream(
                        out.resolve("reference/fx_rates/fx_rates.csv"))).size())) {
            rates.put(r[0] + "|" + r[1], Double.parseDouble(r[2]));
        }
        long records = 0;
        long bad = 0;
        long validRows = 0;
        Set<String> keys = new HashSet<>();
        Map<String, Integer> maxVersion = new HashMap<>();
        EnumSet<BadRowKind> kindsSeen = EnumSet.noneOf(BadRowKind.class);
        for (Path p : LandingFiles.files(out.resolve("customs"))) {
            String rel = LandingFiles.rel(out, p);
            if (broken.contains(rel)) {
                continue;
            }
            String reporter = rel.substring("customs/reporter=".length(), "customs/reporter=".length() + 2);
            for (LandingFiles.Rec r : LandingFiles.customs(out, p)) {
                records++;
                String[] label = labelled.remove(rel + "#" + r.row());
                if (label != null) {
                    bad++;
                    kindsSeen.add(BadRowKind.valueOf(label[2]));
                    assertTrue(isBadAs(label[2], label[3], r), "not " + label[2] + ": " + rel + " row " + r.row()
                            + " " + r.byName());
                    assertFalse(rel.endsWith(".parquet"), "bad rows only in CSV/JSONL");
                    if (rel.endsWith(".jsonl")) {
                        assertFalse(BadRowKind.valueOf(label[2]).structural());
                    }
                    continue;
                }
                assertTrue(valid(r), "unlabelled bad row " + rel + " row " + r.row() + " " + r.byName());
                validRows++;
                String key = reporter + "|" + r.get("declaration_id") + "|" + r.get("line_no");
                keys.add(key);
                maxVersion.merge(key, Integer.parseInt(r.get("version")), Math::max);
                String[] t = truthByKey.get(key);
                assertNotNull(t, "row without truth: " + key);
                assertTrue(r.get("hs_code").replaceAll("[. ]", "").startsWith(t[6]), key);
                if (Integer.parseInt(r.get("version")) == Integer.parseInt(t[3])) {
                    // The written value converts back to the truth's USD with the published monthly rate.
                    double rate = rates.get(r.get("currency") + "|" + YearMonth.from(LocalDate.parse(t[5])));
                    double usd = Double.parseDouble(r.get("value")) * rate;
                    double truthUsd = Double.parseDouble(t[9]);
                    assertEquals(truthUsd, usd, Math.max(0.02, truthUsd * 1e-6), key);
                }
            }
        }
        assertTrue(labelled.isEmpty(), "bad rows listed but not found: " + labelled.keySet());
        long resends = validRows - keys.size();
        assertEquals(truthLines.size(), keys.size(), "each valid line has exactly one truth row");
        assertEquals(records, truthLines.size() + bad + resends);
        assertEquals(summary.amendments() + summary.duplicateResends(), resends);
        assertEquals(summary.badRows(), bad);
        for (String[] t : truthLines) {
            assertEquals(Integer.parseInt(t[3]), maxVersion.get(t[0] + "|" + t[1] + "|" + t[2]));
        }
        assertEquals(EnumSet.allOf(BadRowKind.class), kindsSeen, "every kind within the range");
        double badShare = (double) bad / records;
        assertTrue(badShare > 0.001 && badShare < 0.02, "bad share " + badShare);
        assertTrue(resends > records * 0.01 && resends < records * 0.04, "resends " + resends);
    }

    @Test
    void everyBadRowKindAppearsInTheFirstThirtyDays() {
        Set<String> kinds = new TreeSet<>();
        Pattern date = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");
        for (String[] b : badRows) {
            Matcher m = date.matcher(b[0]);
            assertTrue(m.find());
            if (LocalDate.parse(m.group(1)).isBefore(FROM.plusDays(30))) {
                kinds.add(b[2]);
            }
        }
        assertEquals(Arrays.stream(BadRowKind.values()).map(Enum::name).collect(java.util.stream.Collectors
                .toCollection(TreeSet::new)), kinds);
    }

    @Test
    void brokenFilesReallyFailToDecompress() throws IOException {
        List<String[]> rows = LandingFiles.csv(Files.newInputStream(out.resolve("truth/broken_files.csv")));
        List<String[]> broken = rows.subList(1, rows.size());
        // Once per reporter per calendar year: the range touches 2023 and 2024.
        assertEquals(6, broken.size());
        Set<String> reporterYears = new TreeSet<>();
        for (String[] b : broken) {
            assertEquals("truncated_gzip", b[1]);
            assertTrue(b[0].endsWith("part-9999.csv.gz"));
            reporterYears.add(b[0].substring(17, 19) + b[0].substring(25, 29));
            Path f = out.resolve(b[0]);
            assertThrows(IOException.class, () -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    in.readAllBytes();
                }
            }, b[0]);
        }
        assertEquals(6, reporterYears.size(), reporterYears.toString());
    }

    /** Sum of truth value_usd by declaration month for one series. */
    static TreeMap<YearMonth, Double> monthly(String reporter, String flow, String hs6, String partner) {
        TreeMap<YearMonth, Double> m = new TreeMap<>();
        for (String[] t : truthLines) {
            if (t[0].equals(reporter) && t[4].equals(flow) && t[6].equals(hs6) && t[7].equals(partner)) {
                m.merge(YearMonth.parse(t[5].substring(0, 7)), Double.parseDouble(t[9]), Double::sum);
            }
        }
        return m;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    @Test
    void graphiteFrontLoadingAndCollapseAreInEventsAndInTheLines() throws IOException {
        List<String> events = Files.readAllLines(out.resolve("truth/events.csv"));
        for (String reporter : List.of("KR", "JP")) {
            assertTrue(events.stream().anyMatch(e -> e.startsWith("E") && e.contains("," + reporter
                    + ",I,250410,CN,surge,2023-11,2023-11,")), events.toString());
            assertTrue(events.stream().anyMatch(e -> e.contains("," + reporter
                    + ",I,250410,CN,collapse,2023-12,")), events.toString());
            TreeMap<YearMonth, Double> m = monthly(reporter, "I", "250410", "CN");
            YearMonth first = YearMonth.from(FROM);
            double oct = m.get(first);
            double nov = m.get(YearMonth.of(2023, 11));
            double dec = m.get(YearMonth.of(2023, 12));
            assertTrue(nov > 1.8 * median(List.of(oct)), reporter + " Nov " + nov + " vs " + oct);
            assertTrue(dec < 0.5 * median(List.of(oct, nov)), reporter + " Dec " + dec + " vs " + m);
        }
    }

    @Test
    void usRareEarthMetalImportsComeAlmostOnlyFromChina() {
        double cn = 0;
        double all = 0;
        for (String[] t : truthLines) {
            if (t[0].equals("US") && t[4].equals("I") && t[6].equals("280530") && t[5].startsWith("2023")) {
                double v = Double.parseDouble(t[9]);
                all += v;
                if (t[7].equals("CN")) {
                    cn += v;
                }
            }
        }
        assertTrue(all > 0);
        double share = cn / all;
        assertTrue(share >= 0.97 && share <= 1.0, "share " + share);
    }

    @Test
    void eventSeriesAreDenseEnoughAndShowTheirShock() throws IOException {
        List<String[]> rows = LandingFiles.csv(Files.newInputStream(out.resolve("truth/events.csv")));
        YearMonth first = YearMonth.from(FROM);
        for (String[] e : rows.subList(1, rows.size())) {
            YearMonth start = YearMonth.parse(e[6]);
            YearMonth end = YearMonth.parse(e[7]);
            Map<YearMonth, Integer> count = new TreeMap<>();
            Map<YearMonth, double[]> unit = new TreeMap<>();
            for (String[] t : truthLines) {
                if (t[0].equals(e[1]) && t[4].equals(e[2]) && t[6].equals(e[3]) && t[7].equals(e[4])) {
                    YearMonth m = YearMonth.parse(t[5].substring(0, 7));
                    count.merge(m, 1, Integer::sum);
                    if (!t[10].isEmpty()) {
                        double[] acc = unit.computeIfAbsent(m, k -> new double[2]);
                        acc[0] += Double.parseDouble(t[9]);
                        acc[1] += Double.parseDouble(t[10]);
                    }
                }
            }
            List<YearMonth> baseline = new ArrayList<>();
            for (YearMonth m = first; m.isBefore(start); m = m.plusMonths(1)) {
                baseline.add(m);
            }
            if (!e[5].equals("new_partner")) {
                for (YearMonth m : baseline) {
                    assertTrue(count.getOrDefault(m, 0) >= 15, e[0] + " only " + count.get(m) + " lines in " + m);
                }
            }
            switch (e[5]) {
                case "supplier_stop" -> {
                    for (YearMonth m = start; !m.isAfter(end); m = m.plusMonths(1)) {
                        assertEquals(0, count.getOrDefault(m, 0), e[0] + " " + m);
                    }
                }
                case "new_partner" -> {
                    // The last month is incomplete: its late filings would land after the range.
                    for (YearMonth m = start; m.isBefore(end); m = m.plusMonths(1)) {
                        assertTrue(count.getOrDefault(m, 0) >= 10, e[0] + " " + m + " " + count);
                    }
                }
                case "price_spike" -> {
                    double before = baseline.stream().mapToDouble(m -> unit.get(m)[0] / unit.get(m)[1]).average()
                            .orElseThrow();
                    double during = unit.get(start)[0] / unit.get(start)[1];
                    assertTrue(during > 1.8 * before, e[0] + " unit value " + during + " vs " + before);
                }
                default -> {
                }
            }
        }
    }

    @Test
    void registryHasGroupsACycleAMissingParentAndNationalNumberFormats() throws IOException {
        List<String[]> firms = LandingFiles.csv(Files.newInputStream(
                out.resolve("corporate/firms/date=2023-10-01/firms.csv")));
        assertEquals(LandingColumns.FIRMS, List.of(firms.get(0)));
        Map<String, String> regByFirm = new HashMap<>();
        Map<String, Integer> byCountry = new TreeMap<>();
        for (String[] f : firms.subList(1, firms.size())) {
            regByFirm.put(f[0], f[3]);
            byCountry.merge(f[2], 1, Integer::sum);
            switch (f[2]) {
                case "KR" -> assertTrue(f[3].matches("\\d{3}-\\d{2}-\\d{5}"), f[3]);
                case "US" -> assertTrue(f[3].matches("\\d{2}-\\d{7}"), f[3]);
                case "JP" -> assertTrue(f[3].matches("\\d{13}"), f[3]);
                default -> {
                }
            }
            if (!f[4].isEmpty()) {
                assertTrue(f[4].matches("[0-9A-Z]{18}\\d{2}"), f[4]);
            }
        }
        assertTrue(firms.size() > 300, "several hundred firms");
        assertTrue(byCountry.keySet().containsAll(Set.of("KR", "US", "JP", "CN")), byCountry.toString());
        List<String[]> own = LandingFiles.csv(Files.newInputStream(
                out.resolve("corporate/ownership/date=2023-10-01/ownership.csv")));
        Map<String, List<String>> children = new TreeMap<>();
        long missingParents = 0;
        for (String[] o : own.subList(1, own.size())) {
            double pct = Double.parseDouble(o[2]);
            assertTrue(pct > 0 && pct <= 100);
            children.computeIfAbsent(o[0], k -> new ArrayList<>()).add(o[1]);
            if (!regByFirm.containsKey(o[0])) {
                missingParents++;
            }
        }
        assertEquals(1, missingParents);
        assertTrue(hasCycle(children), "one circular shareholding expected");
        // Quarterly snapshot shows one more firm.
        List<String[]> later = LandingFiles.csv(Files.newInputStream(
                out.resolve("corporate/firms/date=2024-01-01/firms.csv")));
        assertEquals(firms.size() + 1, later.size());
    }

    @Test
    void noTwoFirmsShareANameOrAnAliasInAnySnapshot() throws IOException {
        List<Path> snapshots = LandingFiles.files(out.resolve("corporate/firms"));
        assertEquals(2, snapshots.size(), snapshots.toString());
        for (Path snapshot : snapshots) {
            assertNoSharedNames(snapshot);
        }
    }

    /**
     * Reads a written firms.csv and fails when one name, registered or alias, belongs to two firms. Names are
     * compared case- and space-insensitively, as a declarant's spelling would be; Japanese and Korean local names
     * must be as distinct as the English ones, or matching a trader by name cannot be judged against the truth.
     */
    static void assertNoSharedNames(Path firmsCsv) throws IOException {
        List<String[]> rows;
        try (InputStream in = Files.newInputStream(firmsCsv)) {
            rows = LandingFiles.csv(in);
        }
        List<String> header = List.of(rows.get(0));
        int id = header.indexOf("firm_id");
        int name = header.indexOf("name");
        int aliases = header.indexOf("aliases");
        Map<String, String> firmByName = new HashMap<>();
        List<String> shared = new ArrayList<>();
        long localNames = 0;
        for (String[] f : rows.subList(1, rows.size())) {
            Set<String> own = new TreeSet<>();
            own.add(f[name]);
            if (!f[aliases].isEmpty()) {
                own.addAll(Arrays.asList(f[aliases].split(";")));
            }
            for (String n : own) {
                if (Character.UnicodeBlock.of(n.charAt(0)) != Character.UnicodeBlock.BASIC_LATIN) {
                    localNames++;
                }
            }
            Set<String> keys = new TreeSet<>();
            for (String n : own) {
                keys.add(n.toLowerCase(java.util.Locale.ROOT).trim().replaceAll("\\s+", " "));
            }
            for (String k : keys) {
                String other = firmByName.putIfAbsent(k, f[id]);
                if (other != null) {
                    shared.add(k + " (" + other + ", " + f[id] + ")");
                }
            }
        }
        assertTrue(shared.isEmpty(), firmsCsv + ": names held by more than one firm: " + shared);
        assertTrue(localNames > 200, "Korean and Japanese firms carry local names: " + localNames);
    }

    static boolean hasCycle(Map<String, List<String>> g) {
        Map<String, Integer> state = new HashMap<>();
        for (String n : g.keySet()) {
            if (dfs(n, g, state)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dfs(String n, Map<String, List<String>> g, Map<String, Integer> state) {
        Integer s = state.get(n);
        if (s != null) {
            return s == 1;
        }
        state.put(n, 1);
        for (String c : g.getOrDefault(n, List.of())) {
            if (dfs(c, g, state)) {
                return true;
            }
        }
        state.put(n, 2);
        return false;
    }

    @Test
    void badArgumentsAreRejectedClearly() {
        LocalDate d = LocalDate.of(2023, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LandingGenerator.builder()
                .out(tmp).from(d.plusDays(1)).to(d).referenceDir(REFERENCE).build());
        assertTrue(e.getMessage().contains("after"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LandingGenerator.builder().out(tmp).from(d).to(d)
                .linesPerDay(0).referenceDir(REFERENCE).build());
        e = assertThrows(IllegalArgumentException.class, () -> LandingGenerator.builder().out(tmp).from(d).to(d)
                .referenceDir(tmp.resolve("nowhere")).build());
        assertTrue(e.getMessage().contains("hs6_strategic_sectors.csv"), e.getMessage());
    }

    @Test
    void summaryIsReadableAndMatchesTheTruthFiles() throws IOException {
        assertEquals(truthLines.size(), summary.totalLines());
        Map<String, Long> perReporter = new TreeMap<>();
        truthLines.forEach(t -> perReporter.merge(t[0], 1L, Long::sum));
        assertEquals(perReporter, summary.linesPerReporter());
        assertEquals(badRows.size(), summary.badRows());
        String json = Files.readString(out.resolve("truth/summary.json"));
        assertTrue(json.contains("\"lines_total\": " + truthLines.size()), json);
        assertTrue(json.contains("\"seed\": " + SEED));
        assertTrue(summary.describe().contains("lines"));
        assertFalse(summary.describe().contains("\n"));
    }
}
