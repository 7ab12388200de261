package org.ews.anomalies;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.ews.config.AnomaliesConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the closed months of one {@link SeriesGroup} with every enabled detector, and completes each finding with
 * what an analyst needs to act on it: severity, the detector's parameters, and the partners and traders that moved
 * most in the finding's direction. Also counts, per month, how many series were judged and why the others were not.
 * Plain Java, no Spark: the same code runs in the stage's tasks and in the tests' hand-made series.
 */
public final class GroupJudge {
    public enum Severity {
        low, medium, high
    }

    /** A partner or trader's share of a change: its value then, its expected value, and the difference. */
    public record Contribution(String id, double observed, double expected, double change) {}

    public record Judged(Finding finding, Severity severity, String parameters, String explanation,
                         List<Contribution> partners, List<Contribution> traders) {}

    /** Series of the group in month t: considered, judged, left out as immaterial or for short history. */
    public record Coverage(int t, int series, int judged, int immaterial, int shortHistory, int findings) {}

    public record Result(List<Judged> findings, List<Coverage> coverage) {}

    /** A member whose change is below a dollar did not contribute (it also keeps rounding noise out of the list). */
    static final double MIN_CONTRIBUTION_USD = 1.0;

    private final AnomaliesConfig config;
    private final List<Detector> detectors = new ArrayList<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();

    public GroupJudge(AnomaliesConfig config) {
        this(config, null);
    }

    /** @param only detector names to run (tests); null runs every enabled detector */
    GroupJudge(AnomaliesConfig config, Set<String> only) {
        this.config = config;
        AnomaliesConfig.Detectors d = config.detectors();
        add(d.seasonalRobust().enabled(), new SeasonalRobustScore(d.seasonalRobust()), d.seasonalRobust(), only);
        add(d.supplyStop().enabled(), new SupplyStop(d.supplyStop()), d.supplyStop(), only);
        add(d.unitValueBand().enabled(), new UnitValueBand(d.unitValueBand()), d.unitValueBand(), only);
        add(d.shareShift().enabled(), new PartnerShareShift(d.shareShift()), d.shareShift(), only);
        add(d.twelveVsTwelve().enabled(), new TwelveVsTwelve(d.twelveVsTwelve()), d.twelveVsTwelve(), only);
        add(d.diversion().enabled(), new Diversion(d.diversion()), d.diversion(), only);
        add(d.newPartner().enabled(), new NewPartner(d.newPartner(), config.minMonthlyValueUsd()), d.newPartner(), only);
        add(d.mirrorGap().enabled(), new MirrorGap(d.mirrorGap()), d.mirrorGap(), only);
    }

    private void add(boolean enabled, Detector detector, Object settings, Set<String> only) {
        if (!enabled || (only != null && !only.contains(detector.name()))) {
            return;
        }
        detectors.add(detector);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("detector", settings);
        p.put("min_monthly_value_usd", config.minMonthlyValueUsd());
        p.put("min_partner_share", config.minPartnerShare());
        p.put("min_declarations", config.minDeclarations());
        p.put("level_months", config.levelMonths());
        p.put("history_months", config.historyMonths());
        try {
            parameters.put(detector.name(), new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(p));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the parameters of " + detector.name(), e);
        }
    }

    /** Judges the given months (array indexes of {@code g}); months without enough history count as such. */
    public Result judge(SeriesGroup g, int[] months) {
        List<Judged> findings = new ArrayList<>();
        List<Coverage> coverage = new ArrayList<>();
        for (int t : months) {
            if (t < 1 || t >= g.months) {
                continue;
            }
            MonthContext m = new MonthContext(g, t, config);
            int series = 1;
            for (MonthlySeries s : g.partners.values()) {
                series += RobustStats.sum(s.value, t - 12, t + 1) > 0 ? 1 : 0;
            }
            if (!m.hasHistory()) {
                coverage.add(new Coverage(t, series, 0, 0, series, 0));
                continue;
            }
            List<Finding> found = new ArrayList<>();
            for (Detector d : detectors) {
                d.judge(m, found);
            }
            int judged = m.materialSeries().size();
            coverage.add(new Coverage(t, series, judged, Math.max(0, series - judged), 0, found.size()));
            for (Finding f : found) {
                findings.add(complete(m, f));
            }
        }
        return new Result(findings, coverage);
    }

    private Judged complete(MonthContext m, Finding f) {
        boolean total = f.partner().equals(SeriesGroup.ALL_PARTNERS);
        List<Contribution> partners = !total || f.basis() == null ? List.of()
                : f.basis() == Finding.Basis.UNIT_VALUE ? priceEffects(m, f) : top(m, f, series(m.g.partners));
        Map<String, double[]> firms = m.g.traders.get(f.partner());
        // Firm cubes carry no unit values: traders are named for changes in value only.
        List<Contribution> traders = firms != null && f.basis() != null && f.basis() != Finding.Basis.UNIT_VALUE
                ? top(m, f, firms) : List.of();
        String explanation = f.explanation();
        if (!partners.isEmpty()) {
            String unit = f.basis() == Finding.Basis.UNIT_VALUE ? " price effect" : "";
            explanation += "; " + (partners.size() == 1 ? "driven by " : "mostly ") + partners.stream().limit(2)
                    .map(c -> c.id() + " (" + (c.change() > 0 ? "+" : "") + Explain.usd(c.change()) + unit + ")")
                    .reduce((a, b) -> a + ", " + b).orElse("");
        }
        return new Judged(f, severity(f), parameters.get(f.detector()), explanation, partners, traders);
    }

    Severity severity(Finding f) {
        AnomaliesConfig.Severity s = config.severity();
        if (f.valueAtStakeUsd() >= s.highValueUsd() && f.strength() >= s.highStrength()) {
            return Severity.high;
        }
        return f.valueAtStakeUsd() >= s.mediumValueUsd() ? Severity.medium : Severity.low;
    }

    private static Map<String, double[]> series(Map<String, MonthlySeries> partners) {
        Map<String, double[]> out = new LinkedHashMap<>();
        partners.forEach((p, s) -> out.put(p, s.value));
        return out;
    }

    /** The partners whose unit value moved most in the finding's direction, by price effect in USD. */
    private List<Contribution> priceEffects(MonthContext m, Finding f) {
        List<Contribution> all = new ArrayList<>();
        for (MonthlySeries s : m.g.partners.values()) {
            double u = s.unitValue(m.t);
            double[] logs = UnitValueBand.logUnitValues(s, m.levelFrom(), m.t);
            if (Double.isNaN(u) || logs.length == 0) {
                continue;
            }
            double[] unitValues = java.util.Arrays.stream(logs).map(Math::exp).toArray();
            double expected = RobustStats.median(unitValues);
            double effect = (u - expected) * s.kg[m.t];
            if (f.direction() == Finding.Direction.up ? effect >= MIN_CONTRIBUTION_USD : effect <= -MIN_CONTRIBUTION_USD) {
                all.add(new Contribution(s.partner, u, expected, effect));
            }
        }
        return largestFirst(all);
    }

    /** The members that moved most in the finding's direction, largest change first (equal changes: by id). */
    private List<Contribution> top(MonthContext m, Finding f, Map<String, double[]> members) {
        List<Contribution> all = new ArrayList<>();
        members.forEach((id, v) -> {
            double observed;
            double expected;
            if (f.basis() == Finding.Basis.TWELVE_MONTHS) {
                observed = RobustStats.sum(v, m.t - 11, m.t + 1);
                expected = RobustStats.sum(v, m.t - 23, m.t - 11);
            } else {
                observed = v[m.t];
                expected = RobustStats.median(RobustStats.slice(v, m.levelFrom(), m.t));
            }
            double change = observed - expected;
            if (f.direction() == Finding.Direction.up ? change >= MIN_CONTRIBUTION_USD : change <= -MIN_CONTRIBUTION_USD) {
                all.add(new Contribution(id, observed, expected, change));
            }
        });
        return largestFirst(all);
    }

    private List<Contribution> largestFirst(List<Contribution> all) {
        all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.change())).thenComparing(Contribution::id));
        return all.subList(0, Math.min(config.topContributors(), all.size()));
    }
}
