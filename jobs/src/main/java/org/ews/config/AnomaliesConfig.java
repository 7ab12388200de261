package org.ews.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Trend anomalies: which monthly series are judged (materiality, history), how a finding's severity is graded, and
 * each detector's switch and parameters. Serializable because the detectors run inside Spark tasks.
 *
 * <p>Every detector compares a closed month with the series' own trailing history, so thresholds are in units of the
 * series' own noise (robust z = (x - median) / (1.4826 MAD), 3.5 the textbook cut-off) plus a minimum relative change,
 * so a very regular series does not page anyone for a 10% move.
 */
public record AnomaliesConfig(
        /* A series is judged only if its mean monthly value over the trailing 12 months reaches this (USD). */
        @JsonProperty("min_monthly_value_usd") double minMonthlyValueUsd,
        /* A partner series is judged only if the partner supplied at least this share of the product over the trailing 12 months (ThirdEye's 5%). */
        @JsonProperty("min_partner_share") double minPartnerShare,
        /* Month-level detectors judge a series only if it averaged at least this many declarations a month over the trailing 12 months: sparser flows are lumpy by nature (one shipment more or less doubles a month). */
        @JsonProperty("min_declarations") double minDeclarations,
        /* Months of the series' product history a month needs before it is judged. */
        @JsonProperty("min_history_months") int minHistoryMonths,
        /* Trailing months the robust spread (MAD) is measured over. */
        @JsonProperty("history_months") int historyMonths,
        /* Trailing months the expected level (median) is measured over; shorter than history_months so a trend is followed. */
        @JsonProperty("level_months") int levelMonths,
        /* Partners and traders listed as the top contributors to a change of an all-partners series. */
        @JsonProperty("top_contributors") int topContributors,
        @JsonProperty("severity") Severity severity,
        @JsonProperty("detectors") Detectors detectors) implements Serializable {

    /**
     * Severity from the value at stake (USD a month the finding is about) and its strength (score over the detector's
     * threshold): high when both are large, medium when the value at stake is material, low otherwise.
     */
    public record Severity(
            @JsonProperty("medium_value_usd") double mediumValueUsd,
            @JsonProperty("high_value_usd") double highValueUsd,
            @JsonProperty("high_strength") double highStrength) implements Serializable {}

    public record Detectors(
            @JsonProperty("seasonal_robust") SeasonalRobust seasonalRobust,
            @JsonProperty("supply_stop") SupplyStop supplyStop,
            @JsonProperty("unit_value_band") UnitValueBand unitValueBand,
            @JsonProperty("share_shift") ShareShift shareShift,
            @JsonProperty("twelve_vs_twelve") TwelveVsTwelve twelveVsTwelve,
            @JsonProperty("diversion") Diversion diversion,
            @JsonProperty("new_partner") NewPartner newPartner,
            @JsonProperty("mirror_gap") MirrorGap mirrorGap) implements Serializable {}

    /**
     * The month against its expected level on log values: the median of the trailing level_months, plus the
     * same-month seasonal offset of each of the last seasonal_years years when they agree in sign (the smallest, so
     * one odd year never sets the season); flagged when |robust z| >= threshold, the change is at least min_change,
     * and the month's number of declarations moved the same way beyond chance (Poisson probability of as few, or as
     * many, at most max_count_chance), so that one exceptional cargo more or less is not a surge or a collapse.
     */
    public record SeasonalRobust(
            @JsonProperty("enabled") boolean enabled,
            /* value_usd and/or quantity_kg. */
            @JsonProperty("metrics") List<String> metrics,
            @JsonProperty("threshold") double threshold,
            @JsonProperty("min_change") double minChange,
            @JsonProperty("seasonal_years") int seasonalYears,
            @JsonProperty("max_count_chance") double maxCountChance) implements Serializable {}

    /**
     * A partner that supplied in at least min_active_months of the last 12 falls below near_zero_share of its mean
     * month; flagged when so few declarations are that unlikely by chance (Poisson probability at most max_chance).
     */
    public record SupplyStop(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("min_active_months") int minActiveMonths,
            @JsonProperty("near_zero_share") double nearZeroShare,
            @JsonProperty("max_chance") double maxChance) implements Serializable {}

    /**
     * Unit value (USD/kg) outside the trailing-12-month range widened by margin (the German statistics office's
     * rule), and beyond threshold robust z of that history.
     */
    public record UnitValueBand(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("margin") double margin,
            @JsonProperty("threshold") double threshold,
            /* Declarations with kilograms the month needs: a unit value of one or two lines says little. */
            @JsonProperty("min_month_declarations") int minMonthDeclarations) implements Serializable {}

    /** The trailing-12-month top partner's share moves at least min_points (0-1) from its trailing share, beyond threshold robust z. */
    public record ShareShift(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("min_points") double minPoints,
            @JsonProperty("threshold") double threshold) implements Serializable {}

    /**
     * The last 12 months against the 12 before (slow drifts): flagged in the month the change first reaches
     * min_change and threshold z (noise of the log ratio of two 12-month sums: from the series' monthly spread, and
     * at least declaration_noise x sqrt(1/n1 + 1/n0) for n1, n0 declarations in them, since a flow of a few cargoes a
     * year moves by whole cargoes).
     */
    public record TwelveVsTwelve(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("min_change") double minChange,
            @JsonProperty("threshold") double threshold,
            @JsonProperty("declaration_noise") double declarationNoise) implements Serializable {}

    /** Trade diversion: quantity up at least min_volume_rise while unit value falls at least min_unit_value_fall, both beyond threshold z. */
    public record Diversion(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("min_volume_rise") double minVolumeRise,
            @JsonProperty("min_unit_value_fall") double minUnitValueFall,
            @JsonProperty("threshold") double threshold) implements Serializable {}

    /**
     * A partner with at most max_quiet_share of the product over the last quiet_months appears with a material month
     * (min_monthly_value_usd) of at least min_share of the product.
     */
    public record NewPartner(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("quiet_months") int quietMonths,
            @JsonProperty("max_quiet_share") double maxQuietShare,
            @JsonProperty("min_share") double minShare,
            @JsonProperty("min_month_declarations") int minMonthDeclarations) implements Serializable {}

    /** B's imports from A against A's exports to B (both loaded): the log ratio against its trailing median, robust z. */
    public record MirrorGap(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("threshold") double threshold,
            @JsonProperty("min_change") double minChange) implements Serializable {}

    public static final Set<String> SEASONAL_METRICS = Set.of("value_usd", "quantity_kg");

    static AnomaliesConfig defaults() {
        return new AnomaliesConfig(250_000.0, 0.05, 6.0, 12, 24, 12, 3,
                new Severity(500_000.0, 5_000_000.0, 2.0),
                new Detectors(
                        new SeasonalRobust(true, List.of("value_usd"), 3.5, 0.5, 2, 0.01),
                        new SupplyStop(true, 10, 0.1, 0.0001),
                        new UnitValueBand(true, 0.15, 3.5, 3),
                        new ShareShift(true, 0.2, 3.5),
                        new TwelveVsTwelve(true, 0.5, 3.5, 1.5),
                        new Diversion(true, 0.5, 0.2, 3.0),
                        new NewPartner(true, 12, 0.005, 0.05, 3),
                        new MirrorGap(true, 3.5, 0.5)));
    }

    /**
     * Months before the earliest judged month a run must read: the longest look-back of any detector. The seasonal
     * profile reads 12 x seasonal_years + 12 back (36 with the defaults), twelve-against-twelve 24 and the month
     * before it, a supply stop 12 before a run of up to 3 months.
     */
    public int lookbackMonths() {
        int seasonal = 12 * detectors.seasonalRobust.seasonalYears() + 12;
        return Math.max(Math.max(Math.max(historyMonths, levelMonths), minHistoryMonths),
                Math.max(Math.max(seasonal, 25), Math.max(detectors.newPartner.quietMonths() + 1, 12 + 3)));
    }

    void validate() {
        require(minMonthlyValueUsd >= 0, "anomalies.min_monthly_value_usd", "must be >= 0, got " + minMonthlyValueUsd);
        share(minPartnerShare, "anomalies.min_partner_share");
        require(minDeclarations >= 0, "anomalies.min_declarations", "must be >= 0, got " + minDeclarations);
        require(minHistoryMonths >= 3 && minHistoryMonths <= 60, "anomalies.min_history_months", "must be from 3 to 60, got " + minHistoryMonths);
        require(historyMonths >= minHistoryMonths && historyMonths <= 60, "anomalies.history_months",
                "must be from min_history_months (" + minHistoryMonths + ") to 60, got " + historyMonths);
        require(levelMonths >= 3 && levelMonths <= historyMonths, "anomalies.level_months",
                "must be from 3 to history_months (" + historyMonths + "), got " + levelMonths);
        require(topContributors >= 0 && topContributors <= 20, "anomalies.top_contributors", "must be from 0 to 20, got " + topContributors);
        require(severity != null, "anomalies.severity", "is required");
        require(severity.mediumValueUsd() >= 0 && severity.highValueUsd() >= severity.mediumValueUsd(), "anomalies.severity.high_value_usd",
                "must be at least medium_value_usd (" + severity.mediumValueUsd() + "), got " + severity.highValueUsd());
        require(severity.highStrength() >= 1, "anomalies.severity.high_strength", "must be at least 1, got " + severity.highStrength());
        require(detectors != null, "anomalies.detectors", "is required");
        SeasonalRobust s = detectors.seasonalRobust();
        require(s.metrics() != null && !s.metrics().isEmpty() && SEASONAL_METRICS.containsAll(s.metrics()),
                "anomalies.detectors.seasonal_robust.metrics", "must list some of " + SEASONAL_METRICS + ", got " + s.metrics());
        positive(s.threshold(), "anomalies.detectors.seasonal_robust.threshold");
        share(s.minChange(), "anomalies.detectors.seasonal_robust.min_change");
        require(s.seasonalYears() >= 0 && s.seasonalYears() <= 4, "anomalies.detectors.seasonal_robust.seasonal_years",
                "must be from 0 (no seasonal offset) to 4, got " + s.seasonalYears());
        require(s.maxCountChance() > 0 && s.maxCountChance() <= 1, "anomalies.detectors.seasonal_robust.max_count_chance",
                "must be a probability above 0 and at most 1 (1: no count check), got " + s.maxCountChance());
        SupplyStop stop = detectors.supplyStop();
        require(stop.minActiveMonths() >= 1 && stop.minActiveMonths() <= 12, "anomalies.detectors.supply_stop.min_active_months",
                "must be from 1 to 12, got " + stop.minActiveMonths());
        share(stop.nearZeroShare(), "anomalies.detectors.supply_stop.near_zero_share");
        require(stop.maxChance() > 0 && stop.maxChance() < 1, "anomalies.detectors.supply_stop.max_chance",
                "must be a probability above 0 and below 1, got " + stop.maxChance());
        UnitValueBand uv = detectors.unitValueBand();
        require(uv.margin() >= 0 && uv.margin() < 1, "anomalies.detectors.unit_value_band.margin", "must be from 0 to below 1, got " + uv.margin());
        positive(uv.threshold(), "anomalies.detectors.unit_value_band.threshold");
        require(uv.minMonthDeclarations() >= 1, "anomalies.detectors.unit_value_band.min_month_declarations", "must be at least 1");
        share(detectors.shareShift().minPoints(), "anomalies.detectors.share_shift.min_points");
        positive(detectors.shareShift().threshold(), "anomalies.detectors.share_shift.threshold");
        share(detectors.twelveVsTwelve().minChange(), "anomalies.detectors.twelve_vs_twelve.min_change");
        positive(detectors.twelveVsTwelve().threshold(), "anomalies.detectors.twelve_vs_twelve.threshold");
        require(detectors.twelveVsTwelve().declarationNoise() >= 0, "anomalies.detectors.twelve_vs_twelve.declaration_noise", "must be >= 0");
        require(detectors.diversion().minVolumeRise() >= 0, "anomalies.detectors.diversion.min_volume_rise", "must be >= 0");
        share(detectors.diversion().minUnitValueFall(), "anomalies.detectors.diversion.min_unit_value_fall");
        positive(detectors.diversion().threshold(), "anomalies.detectors.diversion.threshold");
        NewPartner np = detectors.newPartner();
        require(np.quietMonths() >= 1 && np.quietMonths() <= 36, "anomalies.detectors.new_partner.quiet_months", "must be from 1 to 36, got " + np.quietMonths());
        share(np.maxQuietShare(), "anomalies.detectors.new_partner.max_quiet_share");
        share(np.minShare(), "anomalies.detectors.new_partner.min_share");
        require(np.minMonthDeclarations() >= 1, "anomalies.detectors.new_partner.min_month_declarations", "must be at least 1");
        require(np.maxQuietShare() < np.minShare(), "anomalies.detectors.new_partner.max_quiet_share",
                "must be below min_share (" + np.minShare() + "), got " + np.maxQuietShare());
        positive(detectors.mirrorGap().threshold(), "anomalies.detectors.mirror_gap.threshold");
        share(detectors.mirrorGap().minChange(), "anomalies.detectors.mirror_gap.min_change");
    }

    private static void share(double v, String key) {
        require(v >= 0 && v <= 1, key, "must be between 0 and 1, got " + v);
    }

    private static void positive(double v, String key) {
        require(v > 0, key, "must be positive, got " + v);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
