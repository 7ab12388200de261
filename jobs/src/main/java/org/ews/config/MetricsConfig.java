package org.ews.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.ews.tables.Columns.*;

/**
 * Gold metrics: dependency and concentration per product, sector and firm, the screens that flag dependent products,
 * and the watchlist built from them. Screens and watchlist tiers are rule sets written as data ({@link Condition}s on
 * the columns of {@code gold.product_dependency}), so a new screen needs a YAML entry, not Java.
 */
public record MetricsConfig(
        /* The country group (countries.groups.<name>) whose share of imports is the "concern share". */
        @JsonProperty("concern_group") String concernGroup,
        /* Country groups that are trade blocs (e.g. eu): for a reporter inside one, extra_bloc_share is known (inside several: the first listed). */
        @JsonProperty("blocs") List<String> blocs,
        /* import_export_ratio of a product with imports and no exports (CEPII's convention: 9999). */
        @JsonProperty("no_exports_ratio") double noExportsRatio,
        /* The screen whose passing products count as a sector's dependent_products. */
        @JsonProperty("dependent_screen") String dependentScreen,
        /* A firm group is exposed in a sector when at least this share of its sector imports comes from one country ... */
        @JsonProperty("firm_exposed_share") double firmExposedShare,
        /* ... and its sector imports in the year reach this many US dollars (materiality floor). */
        @JsonProperty("firm_min_import_usd") double firmMinImportUsd,
        /* Named screens; each passing screen's name lands in product_dependency.screens. */
        @JsonProperty("screens") Map<String, Screen> screens,
        @JsonProperty("watchlist") Watchlist watchlist) {

    /**
     * A rule set on one product row. It passes when every condition in {@code all} holds; with {@code persistence},
     * when that is so in at least {@code min_years} of the last {@code of_years} years (CEPII GeoDep's persistence).
     */
    public record Screen(
            @JsonProperty("description") String description,
            @JsonProperty("enabled") Boolean enabled,
            @JsonProperty("all") List<Condition> all,
            @JsonProperty("persistence") Persistence persistence) {

        public boolean isEnabled() {
            return enabled == null || enabled;
        }

        /**
         * Years of history the screen looks back over, beyond the row's own year: a condition held for N years reaches
         * N - 1 years back, and persistence over M years asks that of each of the M - 1 years before too.
         */
        public int lookbackYears() {
            int held = all.stream().mapToInt(Condition::years).max().orElse(1);
            return (held - 1) + (persistence == null ? 0 : persistence.ofYears() - 1);
        }
    }

    public record Persistence(@JsonProperty("min_years") int minYears, @JsonProperty("of_years") int ofYears) {}

    /**
     * {@code metric op value}, e.g. {@code hhi > 0.4} or {@code top_partner = CN}. With {@code held_in_years: N} the
     * condition must hold in each of the last N years (KITA: China top supplier three years running). A metric that
     * is unknown for the row (extra_bloc_share outside a bloc) fails the condition unless {@code when_missing: pass}.
     */
    public record Condition(
            @JsonProperty("metric") String metric,
            @JsonProperty("op") String op,
            @JsonProperty("value") Object value,
            @JsonProperty("held_in_years") Integer heldInYears,
            @JsonProperty("when_missing") String whenMissing) {

        public int years() {
            return heldInYears == null ? 1 : heldInYears;
        }

        public boolean passWhenMissing() {
            return "pass".equals(whenMissing);
        }

        public static Condition of(String metric, String op, Object value) {
            return new Condition(metric, op, value, null, null);
        }
    }

    /**
     * The watchlist follows every enabled screen on the rolling 12-month view. An item stays listed until it has
     * failed its screen {@code drop_after_months} months in a row, so one weak month does not drop it. Listed items
     * get the first {@code tiers} entry whose conditions their latest window meets (1 = most urgent).
     */
    public record Watchlist(
            @JsonProperty("drop_after_months") int dropAfterMonths,
            @JsonProperty("tiers") List<Tier> tiers) {}

    public record Tier(
            @JsonProperty("tier") int tier,
            @JsonProperty("description") String description,
            @JsonProperty("all") List<Condition> all) {}

    /** Numeric columns of gold.product_dependency that screens and tiers may test. */
    public static final Set<String> NUMERIC_METRICS = Set.of(IMPORT_VALUE_USD, EXPORT_VALUE_USD, PARTNERS,
            TOP_PARTNER_SHARE, TOP_PARTNER_VALUE_USD, SECOND_PARTNER_SHARE, HHI, CONCERN_SHARE, EXTRA_BLOC_SHARE,
            IMPORT_EXPORT_RATIO, TRADE_BALANCE_USD);
    /** Text columns of gold.product_dependency that screens and tiers may test. */
    public static final Set<String> TEXT_METRICS = Set.of(TOP_PARTNER, SECOND_PARTNER);
    public static final List<String> NUMERIC_OPS = List.of(">", ">=", "<", "<=", "=", "!=");
    public static final List<String> TEXT_OPS = List.of("=", "!=", "in", "not_in");

    static MetricsConfig defaults() {
        Map<String, Screen> screens = new LinkedHashMap<>();
        List<Condition> eu = List.of(Condition.of(HHI, ">", 0.4), Condition.of(IMPORT_EXPORT_RATIO, ">", 1.0),
                new Condition(EXTRA_BLOC_SHARE, ">", 0.5, null, "pass"));
        screens.put("eu_2021", new Screen("EU strategic dependency (SWD(2021) 352): supplier HHI > 0.4, imports/exports > 1,"
                + " and extra-bloc share > 0.5 where the reporter belongs to a configured bloc", true, eu, null));
        screens.put("eu_2021_persistent", new Screen("eu_2021 in at least 2 of the last 3 years (CEPII GeoDep persistence)",
                true, eu, new Persistence(2, 3)));
        screens.put("kr_ews_50", new Screen("Korea EWS watch list (MOEF Nov 2021): one country supplies 50% or more of imports",
                true, List.of(Condition.of(TOP_PARTNER_SHARE, ">=", 0.5)), null));
        screens.put("kita_vulnerable", new Screen("KITA vulnerable item (2022): China top supplier 3 years running, China share"
                + " >= 70%, imports from China >= US$5M a year, trade deficit in the item", true, List.of(
                new Condition(TOP_PARTNER, "=", "CN", 3, null), Condition.of(TOP_PARTNER_SHARE, ">=", 0.7),
                Condition.of(TOP_PARTNER_VALUE_USD, ">=", 5_000_000.0), Condition.of(TRADE_BALANCE_USD, "<", 0.0)), null));
        List<Tier> tiers = List.of(
                new Tier(1, "near-single source of a material flow: top partner >= 90%, >= US$10M in 12 months", List.of(
                        Condition.of(TOP_PARTNER_SHARE, ">=", 0.9), Condition.of(IMPORT_VALUE_USD, ">=", 10_000_000.0))),
                new Tier(2, "highly concentrated: supplier HHI >= 0.5, >= US$1M in 12 months", List.of(
                        Condition.of(HHI, ">=", 0.5), Condition.of(IMPORT_VALUE_USD, ">=", 1_000_000.0))),
                new Tier(3, "every other listed item", List.of()));
        return new MetricsConfig("concern", List.of("eu"), 9999.0, "kr_ews_50", 0.5, 1_000_000.0, screens,
                new Watchlist(3, tiers));
    }

    /** Checks every key; {@code groups} are the configured country groups the names must refer to. */
    void validate(Map<String, List<String>> groups) {
        require(concernGroup != null && groups.containsKey(concernGroup), "metrics.concern_group",
                "names no country group; configured: " + groups.keySet());
        require(blocs != null, "metrics.blocs", "must be a list of country group names (empty: no bloc)");
        for (String bloc : blocs) {
            require(groups.containsKey(bloc), "metrics.blocs", "'" + bloc + "' names no country group; configured: " + groups.keySet());
        }
        require(noExportsRatio > 0, "metrics.no_exports_ratio", "must be positive, got " + noExportsRatio);
        require(firmExposedShare > 0 && firmExposedShare <= 1, "metrics.firm_exposed_share",
                "must be a share above 0 and at most 1, got " + firmExposedShare);
        require(firmMinImportUsd >= 0, "metrics.firm_min_import_usd", "must be >= 0, got " + firmMinImportUsd);
        require(screens != null && !screens.isEmpty(), "metrics.screens", "must hold at least one screen");
        screens.forEach((name, s) -> {
            String key = "metrics.screens." + name;
            require(s != null, key, "must be a screen (description, all, persistence)");
            require(name.matches("[a-z][a-z0-9_]{0,63}"), key, "screen names are lower case letters, digits and _ (they become values in screens)");
            require(s.all() != null && !s.all().isEmpty(), key + ".all", "must list at least one condition");
            for (int i = 0; i < s.all().size(); i++) {
                validate(s.all().get(i), key + ".all[" + i + "]");
            }
            if (s.persistence() != null) {
                require(s.persistence().ofYears() >= 1 && s.persistence().ofYears() <= 10, key + ".persistence.of_years",
                        "must be from 1 to 10, got " + s.persistence().ofYears());
                require(s.persistence().minYears() >= 1 && s.persistence().minYears() <= s.persistence().ofYears(),
                        key + ".persistence.min_years", "must be from 1 to of_years, got " + s.persistence().minYears());
            }
        });
        Screen dependent = screens.get(dependentScreen);
        require(dependent != null && dependent.isEnabled(), "metrics.dependent_screen",
                "'" + dependentScreen + "' is not an enabled screen; screens: " + screens.keySet());
        require(watchlist != null && watchlist.tiers() != null, "metrics.watchlist", "must have drop_after_months and tiers");
        require(watchlist.dropAfterMonths() >= 1 && watchlist.dropAfterMonths() <= 24, "metrics.watchlist.drop_after_months",
                "must be from 1 to 24, got " + watchlist.dropAfterMonths());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < watchlist.tiers().size(); i++) {
            Tier t = watchlist.tiers().get(i);
            String key = "metrics.watchlist.tiers[" + i + "]";
            require(t.tier() >= 1 && seen.add(t.tier()), key + ".tier", "must be a whole number from 1, once each; got " + t.tier());
            require(t.all() != null, key + ".all", "must be a list of conditions (empty: every listed item)");
            for (int j = 0; j < t.all().size(); j++) {
                validate(t.all().get(j), key + ".all[" + j + "]");
                require(t.all().get(j).heldInYears() == null, key + ".all[" + j + "].held_in_years",
                        "does not apply to tiers: a tier judges the latest window only");
            }
        }
    }

    private static void validate(Condition c, String key) {
        require(c != null && c.metric() != null, key + ".metric", "is required");
        boolean numeric = NUMERIC_METRICS.contains(c.metric());
        boolean text = TEXT_METRICS.contains(c.metric());
        require(numeric || text, key + ".metric", "'" + c.metric() + "' is not a metric screens can test; metrics: "
                + new java.util.TreeSet<>(NUMERIC_METRICS) + ", " + new java.util.TreeSet<>(TEXT_METRICS));
        List<String> ops = numeric ? NUMERIC_OPS : TEXT_OPS;
        require(c.op() != null && ops.contains(c.op()), key + ".op", "must be one of " + ops + " for " + c.metric() + ", got '" + c.op() + "'");
        if (numeric) {
            require(c.value() instanceof Number, key + ".value", "must be a number for " + c.metric() + ", got '" + c.value() + "'");
        } else if (c.op().equals("in") || c.op().equals("not_in")) {
            require(c.value() instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(v -> v instanceof String),
                    key + ".value", "must be a list of country codes for '" + c.op() + "', got '" + c.value() + "'");
        } else {
            require(c.value() instanceof String, key + ".value", "must be text for " + c.metric() + ", got '" + c.value() + "'");
        }
        require(c.heldInYears() == null || (c.heldInYears() >= 1 && c.heldInYears() <= 10), key + ".held_in_years",
                "must be from 1 to 10, got " + c.heldInYears());
        require(c.whenMissing() == null || c.whenMissing().equals("pass") || c.whenMissing().equals("fail"),
                key + ".when_missing", "must be pass or fail, got '" + c.whenMissing() + "'");
    }

    /** Screens in force, in configured order. */
    public Map<String, Screen> enabledScreens() {
        Map<String, Screen> out = new LinkedHashMap<>();
        screens.forEach((n, s) -> {
            if (s.isEnabled()) {
                out.put(n, s);
            }
        });
        return out;
    }

    /** Years any enabled screen looks back over beyond the row's own year. */
    public int lookbackYears() {
        return enabledScreens().values().stream().mapToInt(Screen::lookbackYears).max().orElse(0);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
