package org.ews.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The corporate registry behind the traders: a few hundred firms in KR, US and JP plus foreign parents, grouped by
 * ownership links of 2-4 levels. It evolves a little at every quarterly snapshot (a new firm, a rename, a changed
 * link) because entity resolution must cope with a registry that moves under it. It carries one circular
 * shareholding and one link to a parent the registry does not hold, as real registries do.
 */
final class FirmRegistry {
    static final String MISSING_PARENT_ID = "F900001";
    private static final String[] SECTORS = {"semiconductors", "semiconductors", "semiconductors", "critical_minerals",
            "critical_minerals", "batteries", "batteries", "ai_compute", "rare_earths", "clean_energy", "clean_energy",
            "ordinary", "ordinary", "trading"};
    private static final Map<String, String[]> SECTOR_WORDS = Map.of(
            "semiconductors", new String[]{"Semicon", "Electronics", "Precision", "Devices"},
            "critical_minerals", new String[]{"Metals", "Materials", "Mining", "Resources"},
            "batteries", new String[]{"Battery", "Energy Materials", "Cell", "Chemical"},
            "ai_compute", new String[]{"Systems", "Computing", "Networks", "Data"},
            "rare_earths", new String[]{"Magnetics", "Rare Metals", "Advanced Materials", "Alloys"},
            "clean_energy", new String[]{"Solar", "Power", "Green Energy", "Motors"},
            "ordinary", new String[]{"Foods", "Motors", "Pharma", "Industrial"},
            "trading", new String[]{"Trading", "International", "Global Trading", "Commerce"});
    private static final Map<String, String> KR_WORDS = Map.ofEntries(Map.entry("Semicon", "반도체"),
            Map.entry("Electronics", "전자"), Map.entry("Precision", "정밀"), Map.entry("Devices", "디바이스"),
            Map.entry("Metals", "금속"), Map.entry("Materials", "소재"), Map.entry("Mining", "광업"),
            Map.entry("Resources", "자원"), Map.entry("Battery", "배터리"), Map.entry("Energy Materials", "에너지소재"),
            Map.entry("Cell", "셀"), Map.entry("Chemical", "화학"), Map.entry("Systems", "시스템"),
            Map.entry("Computing", "컴퓨팅"), Map.entry("Networks", "네트웍스"), Map.entry("Data", "데이터"),
            Map.entry("Magnetics", "자석"), Map.entry("Rare Metals", "희유금속"), Map.entry("Advanced Materials", "첨단소재"),
            Map.entry("Alloys", "합금"), Map.entry("Solar", "솔라"), Map.entry("Power", "파워"),
            Map.entry("Green Energy", "그린에너지"), Map.entry("Motors", "모터스"), Map.entry("Foods", "식품"),
            Map.entry("Pharma", "제약"), Map.entry("Industrial", "산업"), Map.entry("Trading", "상사"),
            Map.entry("International", "인터내셔널"), Map.entry("Global Trading", "글로벌상사"), Map.entry("Commerce", "통상"));
    /** Japanese renderings of the sector words, so a firm's local name is as distinct as its English one. */
    private static final Map<String, String> JP_WORDS = Map.ofEntries(Map.entry("Semicon", "半導体"),
            Map.entry("Electronics", "電子"), Map.entry("Precision", "精密"), Map.entry("Devices", "デバイス"),
            Map.entry("Metals", "金属"), Map.entry("Materials", "材料"), Map.entry("Mining", "鉱業"),
            Map.entry("Resources", "資源"), Map.entry("Battery", "電池"), Map.entry("Energy Materials", "エネルギー材料"),
            Map.entry("Cell", "セル"), Map.entry("Chemical", "化学"), Map.entry("Systems", "システム"),
            Map.entry("Computing", "コンピューティング"), Map.entry("Networks", "ネットワークス"), Map.entry("Data", "データ"),
            Map.entry("Magnetics", "磁石"), Map.entry("Rare Metals", "レアメタル"), Map.entry("Advanced Materials", "先端材料"),
            Map.entry("Alloys", "合金"), Map.entry("Solar", "ソーラー"), Map.entry("Power", "パワー"),
            Map.entry("Green Energy", "グリーンエナジー"), Map.entry("Motors", "モーターズ"), Map.entry("Foods", "食品"),
            Map.entry("Pharma", "製薬"), Map.entry("Industrial", "産業"), Map.entry("Trading", "商事"),
            Map.entry("International", "インターナショナル"), Map.entry("Global Trading", "グローバル商事"),
            Map.entry("Commerce", "通商"));
    private static final String[][] KR_STEMS = {{"Hanseong", "한성"}, {"Daejin", "대진"}, {"Samil", "삼일"},
            {"Kumho", "금호"}, {"Mirae", "미래"}, {"Sejin", "세진"}, {"Taeyang", "태양"}, {"Woojin", "우진"},
            {"Hanul", "한울"}, {"Saehan", "새한"}, {"Daewon", "대원"}, {"Shinsung", "신성"}, {"Dongbang", "동방"},
            {"Jinyang", "진양"}, {"Gukje", "국제"}, {"Pungsan", "풍산"}, {"Seoyeon", "서연"}, {"Hyopsung", "협성"},
            {"Yeonghwa", "영화"}, {"Boryung", "보령"}, {"Cheonji", "천지"}, {"Hwaseong", "화성"}, {"Namyang", "남양"},
            {"Gwangmyeong", "광명"}};
    private static final String[][] JP_STEMS = {{"Nippon", "日本"}, {"Tokai", "東海"}, {"Kanto", "関東"},
            {"Yamato", "大和"}, {"Fuji", "富士"}, {"Sakura", "桜"}, {"Hokuriku", "北陸"}, {"Kyowa", "協和"},
            {"Daiichi", "第一"}, {"Toyo", "東洋"}, {"Chuo", "中央"}, {"Sanyo", "山陽"}, {"Kinki", "近畿"},
            {"Hokkai", "北海"}, {"Seiwa", "清和"}, {"Meiko", "明光"}, {"Shinwa", "新和"}, {"Tohoku", "東北"},
            {"Kyushu", "九州"}, {"Heisei", "平成"}};
    private static final String[] US_STEMS = {"Apex", "Summit", "Pioneer", "Liberty", "Cascade", "Redwood", "Granite",
            "Keystone", "Frontier", "Atlas", "Meridian", "Northstar", "Bluewater", "Ironbridge", "Silverline",
            "Lakeshore", "Harbor", "Prairie", "Evergreen", "Sterling", "Copperfield", "Westgate"};
    private static final String[] CN_STEMS = {"Jiangxi Ganfeng", "Baotou Northern", "Ganzhou Tianli", "Shenzhen Huaxin",
            "Hunan Xiangtan", "Yunnan Lincang", "Qinghai Salt Lake", "Inner Mongolia Baiyun", "Guangdong Xinyi",
            "Shandong Yuhuang", "Sichuan Tianqi", "Fujian Zijin"};
    private static final String[] DE_STEMS = {"Rheinwerk", "Nordmetall", "Sachsen Halbleiter", "Bayerische Optik",
            "Hanse Chemie", "Elbtal Technik"};
    private static final String[] TW_STEMS = {"Formosa Wafer", "Hsinchu Micro", "Taichung Precision",
            "Kaohsiung Materials", "Tainan Photonics", "Pacific Silicon"};
    private static final String[] NL_STEMS = {"Veldhoven Lithography", "Delta Optics", "Zeeland Metals"};
    private static final String[] SG_STEMS = {"Straits Components", "Jurong Semitech", "Marina Trading"};

    private final List<Firm> firms = new ArrayList<>();
    /** parent|child -> pct, in insertion order so snapshots are stable. */
    private final LinkedHashMap<String, Double> links = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final SplittableRandom rng;
    private Map<String, List<Firm>> traderPools = new HashMap<>();
    private int snapshots;

    FirmRegistry(SplittableRandom rng) {
        this.rng = rng;
        for (int i = 0; i < 140; i++) {
            create("KR", SECTORS[i % SECTORS.length]);
        }
        for (int i = 0; i < 140; i++) {
            create("US", SECTORS[(i + 3) % SECTORS.length]);
        }
        for (int i = 0; i < 110; i++) {
            create("JP", SECTORS[(i + 5) % SECTORS.length]);
        }
        String[] foreign = {"CN", "CN", "CN", "CN", "CN", "CN", "CN", "CN", "CN", "CN", "DE", "DE", "DE", "DE", "TW",
                "TW", "TW", "TW", "NL", "NL", "SG", "SG"};
        for (int i = 0; i < foreign.length; i++) {
            create(foreign[i], SECTORS[i % SECTORS.length]);
        }
        buildGroups();
        rebuildPools();
    }

    private Firm create(String country, String sector) {
        String[] words = SECTOR_WORDS.get(sector);
        for (int attempt = 0; ; attempt++) {
            String word = words[rng.nextInt(words.length)];
            String stem;
            String local = "";
            String legal;
            switch (country) {
                case "KR": {
                    String[] s = KR_STEMS[rng.nextInt(KR_STEMS.length)];
                    stem = s[0] + " " + word;
                    local = s[1] + KR_WORDS.get(word);
                    legal = "Co., Ltd.";
                    break;
                }
                case "JP": {
                    String[] s = JP_STEMS[rng.nextInt(JP_STEMS.length)];
                    stem = s[0] + " " + word;
                    local = s[1] + JP_WORDS.get(word);
                    legal = Pick.of(new String[]{"Co., Ltd.", "Corporation", "K.K."}, rng);
                    break;
                }
                case "US":
                    stem = Pick.of(US_STEMS, rng) + " " + word;
                    legal = Pick.of(new String[]{"Inc.", "Corp.", "LLC", "Corporation"}, rng);
                    break;
                case "CN":
                    stem = Pick.of(CN_STEMS, rng) + " " + word;
                    legal = "Co., Ltd.";
                    break;
                case "DE":
                    stem = Pick.of(DE_STEMS, rng) + (rng.nextBoolean() ? "" : " " + word);
                    legal = rng.nextBoolean() ? "GmbH" : "AG";
                    break;
                case "TW":
                    stem = Pick.of(TW_STEMS, rng) + " " + word;
                    legal = "Corporation";
                    break;
                case "NL":
                    stem = Pick.of(NL_STEMS, rng) + (rng.nextBoolean() ? "" : " " + word);
                    legal = "B.V.";
                    break;
                default:
                    stem = Pick.of(SG_STEMS, rng) + " " + word;
                    legal = "Pte. Ltd.";
                    break;
            }
            if (attempt > 20) {
                stem = stem + " " + (firms.size() + 1);
                // The local name is unique exactly when the English stem is: keep it so when the stem is numbered.
                local = local.isEmpty() ? local : local + (firms.size() + 1);
            }
            if (!names.add(stem)) {
                continue;
            }
            String reg = switch (country) {
                case "KR" -> RegistryNumbers.korean(rng);
                case "US" -> RegistryNumbers.ein(rng);
                case "JP" -> RegistryNumbers.japanese(rng);
                default -> RegistryNumbers.foreign(country, rng);
            };
            String scheme = switch (country) {
                case "KR" -> "KSIC";
                case "US" -> "NAICS";
                case "JP" -> "JSIC";
                default -> "ISIC4";
            };
            int employees = (int) Math.max(5, Math.round(300 * Pick.logNormal(1.4, rng)));
            long revenue = Math.round(employees * 400_000 * Pick.logNormal(0.5, rng) / 1000) * 1000;
            String lei = rng.nextDouble() < (country.length() == 2 && employees > 200 ? 0.9 : 0.5)
                    ? RegistryNumbers.lei(rng) : "";
            Firm f = new Firm(String.format("F%06d", firms.size() + 1), country, sector, stem, local, legal, reg, lei,
                    industryCode(scheme, sector), scheme, employees, revenue);
            if (!local.isEmpty()) {
                f.aliases.add(local);
            }
            if (rng.nextDouble() < 0.4) {
                f.aliases.add(stem.toUpperCase(java.util.Locale.ROOT));
            }
            firms.add(f);
            return f;
        }
    }

    private static String industryCode(String scheme, String sector) {
        String[] order = {"semiconductors", "ai_compute", "batteries", "critical_minerals", "rare_earths",
                "clean_energy", "ordinary", "trading"};
        String[] codes = switch (scheme) {
            case "KSIC" -> new String[]{"26110", "26310", "28202", "24219", "24290", "28114", "46109", "46800"};
            case "NAICS" -> new String[]{"334413", "334111", "335911", "331410", "331492", "221114", "423990",
                    "425120"};
            case "JSIC" -> new String[]{"2814", "3011", "2961", "2321", "2329", "2911", "5219", "5211"};
            default -> new String[]{"2610", "2620", "2720", "2420", "2420", "2710", "4690", "4690"};
        };
        for (int i = 0; i < order.length; i++) {
            if (order[i].equals(sector)) {
                return codes[i];
            }
        }
        return codes[6];
    }

    private List<Firm> ofCountry(String country) {
        List<Firm> out = new ArrayList<>();
        for (Firm f : firms) {
            if (f.country.equals(country)) {
                out.add(f);
            }
        }
        return out;
    }

    private double pct() {
        double u = rng.nextDouble();
        if (u < 0.35) {
            return 100.0;
        }
        if (u < 0.8) {
            return Text.round(50.01 + rng.nextDouble() * 49, 2);
        }
        return Text.round(20 + rng.nextDouble() * 29.9, 2);
    }

    private void link(Firm parent, Firm child, double pct) {
        links.put(parent.id + "|" + child.id, pct);
    }

    /**
     * Groups are drawn from the front of each country list (roots) and the back (members) so no firm has two
     * majority parents by accident.
     */
    private void buildGroups() {
        List<Firm> kr = ofCountry("KR");
        List<Firm> us = ofCountry("US");
        List<Firm> jp = ofCountry("JP");
        int[] next = {0, 0, 0};
        List<List<Firm>> pools = List.of(kr, us, jp);
        java.util.function.IntFunction<Firm> take = c -> pools.get(c).get(pools.get(c).size() - 1 - next[c]++);
        // Korean conglomerates: 4 levels, with one circular shareholding (root -> a -> b -> root).
        for (int g = 0; g < 8; g++) {
            Firm root = kr.get(g);
            Firm a = take.apply(0);
            Firm b = take.apply(0);
            Firm c = take.apply(0);
            Firm d = take.apply(0);
            link(root, a, pct());
            link(root, b, pct());
            link(a, c, pct());
            link(c, d, pct());
            if (g == 0) {
                link(c, root, 4.5);
            }
        }
        // US groups of 2-3 levels.
        for (int g = 0; g < 8; g++) {
            Firm root = us.get(g);
            Firm a = take.apply(1);
            link(root, a, pct());
            if (g % 2 == 0) {
                link(a, take.apply(1), pct());
            }
        }
        // Japanese groups, several with a US subsidiary (the parent abroad matters for exposure).
        for (int g = 0; g < 8; g++) {
            Firm root = jp.get(g);
            link(root, take.apply(2), pct());
            if (g < 5) {
                Firm usSub = take.apply(1);
                link(root, usSub, 100.0);
                if (g < 2) {
                    link(usSub, take.apply(1), pct());
                }
            }
        }
        // Foreign parents own subsidiaries in the reporting countries.
        int k = 0;
        for (Firm f : firms) {
            if (f.country.equals("KR") || f.country.equals("US") || f.country.equals("JP")) {
                continue;
            }
            int c = k++ % 3;
            Firm child = take.apply(c);
            link(f, child, pct());
            if (k % 4 == 0) {
                link(child, take.apply(c), pct());
            }
        }
        // A parent the registry does not hold (e.g. an unlisted holding abroad).
        Firm orphan = take.apply(1);
        links.put(MISSING_PARENT_ID + "|" + orphan.id, 75.0);
    }

    private void rebuildPools() {
        Map<String, List<Firm>> pools = new HashMap<>();
        for (Firm f : firms) {
            pools.computeIfAbsent(f.country + "|" + f.sector, k -> new ArrayList<>()).add(f);
            pools.computeIfAbsent(f.country + "|*", k -> new ArrayList<>()).add(f);
        }
        traderPools = pools;
    }

    /** The declarant for a line: big firms of the product's sector dominate; trading houses take a slice. */
    Firm pickTrader(String country, String productSector, SplittableRandom r) {
        List<Firm> pool = null;
        if (r.nextDouble() < 0.12) {
            pool = traderPools.get(country + "|trading");
        }
        if (pool == null) {
            pool = traderPools.get(country + "|" + productSector);
        }
        if (pool == null) {
            pool = traderPools.get(country + "|*");
        }
        return pool.get(Pick.zipf(Math.min(pool.size(), 60), r));
    }

    /** Quarterly change before every snapshot but the first: one new firm, one rename, one changed link. */
    void evolve() {
        String country = new String[]{"KR", "US", "JP"}[snapshots % 3];
        create(country, SECTORS[rng.nextInt(SECTORS.length)]);
        Firm renamed = firms.get(rng.nextInt(firms.size()));
        renamed.aliases.add(renamed.name);
        String[] words = SECTOR_WORDS.get(renamed.sector);
        String newName = renamed.stem + " " + words[rng.nextInt(words.length)] + " Holdings " + renamed.legalForm;
        renamed.name = names.add(newName) ? newName : renamed.stem + " New " + renamed.legalForm;
        List<String> keys = new ArrayList<>(links.keySet());
        String changed = keys.get(rng.nextInt(keys.size()));
        links.put(changed, Text.round(Math.max(1, Math.min(100, links.get(changed) + (rng.nextDouble() * 30 - 15))),
                2));
        rebuildPools();
    }

    void writeSnapshot(Path out, java.time.LocalDate date) throws IOException {
        if (snapshots++ > 0) {
            evolve();
        }
        Path firmsFile = out.resolve("corporate/firms/date=" + date + "/firms.csv");
        Files.createDirectories(firmsFile.getParent());
        try (Writer w = Files.newBufferedWriter(firmsFile, StandardCharsets.UTF_8)) {
            w.write(Text.csvLine(LandingColumns.FIRMS, "\n"));
            for (Firm f : firms) {
                w.write(Text.csvLine(List.of(f.id, f.name, f.country, f.registrationNumber, f.lei, f.industryCode,
                        f.industryScheme, Integer.toString(f.employees), Long.toString(f.revenueUsd),
                        String.join(";", f.aliases)), "\n"));
            }
        }
        Path own = out.resolve("corporate/ownership/date=" + date + "/ownership.csv");
        Files.createDirectories(own.getParent());
        try (Writer w = Files.newBufferedWriter(own, StandardCharsets.UTF_8)) {
            w.write(Text.csvLine(LandingColumns.OWNERSHIP, "\n"));
            for (Map.Entry<String, Double> e : links.entrySet()) {
                String[] pc = e.getKey().split("\\|");
                w.write(pc[0] + "," + pc[1] + "," + Text.fixed(e.getValue(), 2) + "\n");
            }
        }
    }

    int size() {
        return firms.size();
    }

    List<Firm> firms() {
        return List.copyOf(firms);
    }

    Map<String, Double> links() {
        return new LinkedHashMap<>(links);
    }
}
