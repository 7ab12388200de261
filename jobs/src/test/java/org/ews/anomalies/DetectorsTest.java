package org.ews.anomalies;

import org.ews.config.AnomaliesConfig;
import org.ews.config.EwsConfig;
import org.junit.jupiter.api.Test;

import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each detector on hand-made monthly series whose expected values can be worked out on paper. The base series
 * alternates $9.5M (odd months) and $10.5M (even months) on 40 declarations a month, so:
 * <ul>
 *   <li>the median of any 12 log values is (ln 9.5M + ln 10.5M) / 2, the geometric mean 9.987M;</li>
 *   <li>every month deviates from it by d = ln(10.5 / 9.5) / 2 = 0.05004: the alternation is a "season" of +d for even
 *   and -d for odd months, learnt where two earlier years of a calendar month (with six months before each) exist;</li>
 *   <li>so in month 30 an even month expects exactly $10.5M, and the seasonally adjusted history is flat (every month
 *   the geometric mean, except January, whose second earlier year is not in the data): MAD = 0 and the spread is the
 *   floor of 0.05.</li>
 * </ul>
 * Month 0 is 2021-01; month 30 (even) is 2023-07.
 */
class DetectorsTest {
    private static final AnomaliesConfig DEFAULTS = EwsConfig.defaults().anomalies();
    private static final YearMonth FIRST = YearMonth.of(2021, 1);
    private static final int MONTHS = 36;

    private static double base(int t) {
        return t % 2 == 0 ? 10.5e6 : 9.5e6;
    }

    /** A product group with one partner series per call of {@link #partner}; kg at $20/kg. */
    private static SeriesGroup group(String flow) {
        return group(flow, MONTHS);
    }

    private static SeriesGroup group(String flow, int months) {
        return new SeriesGroup("KR", flow, SeriesGroup.LEVEL_HS6, "250410", FIRST, months);
    }

    private interface Values {
        double at(int t);
    }

    private static void partner(SeriesGroup g, String partner, Values value, Values declarations, Values usdPerKg) {
        for (int t = 0; t < g.months; t++) {
            double v = value.at(t);
            double kg = v / usdPerKg.at(t);
            g.addCell(partner, FIRST.plusMonths(t), v, kg, v, declarations.at(t));
        }
    }

    private static List<GroupJudge.Judged> judge(SeriesGroup g, AnomaliesConfig config, Set<String> only, int... months) {
        return new GroupJudge(config, only).judge(g, months).findings();
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    /** Declarations in proportion to value: 40 for a $10M month. */
    private static Values declarationsOf(Values value) {
        return t -> Math.round(40 * value.at(t) / 10e6);
    }

    private static AnomaliesConfig withSeasonal(double minChange, int seasonalYears) {
        return withSeasonal(minChange, seasonalYears, DEFAULTS.detectors().seasonalRobust().maxCountChance());
    }

    private static AnomaliesConfig withSeasonal(double minChange, int seasonalYears, double maxCountChance) {
        AnomaliesConfig.Detectors d = DEFAULTS.detectors();
        AnomaliesConfig.SeasonalRobust s = d.seasonalRobust();
        return new AnomaliesConfig(DEFAULTS.minMonthlyValueUsd(), DEFAULTS.minPartnerShare(), DEFAULTS.minDeclarations(),
                DEFAULTS.minHistoryMonths(), DEFAULTS.historyMonths(), DEFAULTS.levelMonths(), DEFAULTS.topContributors(), DEFAULTS.severity(),
                new AnomaliesConfig.Detectors(new AnomaliesConfig.SeasonalRobust(true, s.metrics(), s.threshold(), minChange, seasonalYears, maxCountChance),
                        d.supplyStop(), d.unitValueBand(), d.shareShift(), d.twelveVsTwelve(), d.diversion(), d.newPartner(), d.mirrorGap()));
    }

    @Test
    void aCleanSeasonalSeriesStaysQuiet() {
        // A Lunar-New-Year February at 65% of the year's level, and a second steady partner with +-5% noise. The seasonal
        // offset needs two earlier Februaries with the six months before each: judged in the fourth year.
        SeriesGroup g = group("I", 48);
        Values lny = t -> (FIRST.plusMonths(t).getMonthValue() == 2 ? 0.65 : 1.0) * base(t);
        partner(g, "CN", lny, declarationsOf(lny), t -> 20.0 * (1 + 0.02 * ((t * 7) % 3 - 1)));
        partner(g, "AU", t -> 3e6 * (1 + 0.05 * ((t * 5) % 3 - 1)), t -> 12, t -> 18.0);
        AnomaliesConfig strict = withSeasonal(0.2, 2); // a 35% dip would pass a 20% minimum change: the season must explain it
        assertEquals(List.of(), judge(g, strict, null, range(36, 48)), "every detector is quiet on a clean seasonal series");

        // Control: without the seasonal offset (and without the declaration count check, which a 35% dip on 26 of 40
        // declarations only just passes), the same February (2024-02, month 37) is flagged, and only it.
        List<GroupJudge.Judged> blind = judge(g, withSeasonal(0.2, 0, 1.0), Set.of(SeasonalRobustScore.NAME), range(36, 48));
        assertFalse(blind.isEmpty(), "the February dip is beyond 3.5 sigma when the season is not expected");
        assertTrue(blind.stream().allMatch(j -> j.finding().t() == 37 && j.finding().direction() == Finding.Direction.down));
    }

    @Test
    void aCollapseIsFoundInItsMonthPointingDownAgainstTheSeasonalExpectation() {
        SeriesGroup g = group("I");
        Values collapse = t -> t == 30 ? 0.2 * base(t) : base(t);
        partner(g, "CN", collapse, declarationsOf(collapse), t -> 20.0);
        List<GroupJudge.Judged> found = judge(g, DEFAULTS, Set.of(SeasonalRobustScore.NAME), range(24, MONTHS));
        // The all-partners series and CN's are the same series here: one finding each, both in month 30.
        assertEquals(List.of("*", "CN"), found.stream().map(j -> j.finding().partner()).toList());
        for (GroupJudge.Judged j : found) {
            Finding f = j.finding();
            assertEquals(30, f.t());
            assertEquals(Finding.Direction.down, f.direction());
            assertEquals(2.1e6, f.observed(), 1e-6);
            assertEquals(10.5e6, f.expected(), 1e-3, "median adjusted level + seasonal offset of an even month");
            assertEquals(Math.log(0.2) / -0.05, f.score(), 1e-6, "|z| = |ln(2.1 / 10.5)| / spread floor");
            assertEquals(10.5e6 * Math.exp(-3.5 * 0.05), f.lower(), 1e-3);
            assertEquals(10.5e6 * Math.exp(3.5 * 0.05), f.upper(), 1e-3);
            assertEquals(8.4e6, f.valueAtStakeUsd(), 1e-3);
            assertEquals(GroupJudge.Severity.high, j.severity(), "$8.4M at stake, 9.2x past the threshold");
        }
        assertTrue(found.get(1).explanation().startsWith("Imports of HS 250410 from CN fell 80% to $2.1M in 2023-07, expected $10.5M (band $8.8-12.5M"),
                found.get(1).explanation());
        GroupJudge.Judged total = found.get(0);
        assertEquals(List.of("CN"), total.partners().stream().map(GroupJudge.Contribution::id).toList());
        // CN's change against its median month over the last 12 (9.5M and 10.5M alternate: median 10.0M).
        assertEquals(2.1e6 - 10.0e6, total.partners().get(0).change(), 1e-3);
        assertTrue(total.explanation().endsWith("; driven by CN (-$7.9M)"), total.explanation());
    }

    @Test
    void aSurgeIsFoundPointingUp() {
        SeriesGroup g = group("X");
        Values surge = t -> t == 31 ? 3 * base(t) : base(t);
        partner(g, "CN", surge, declarationsOf(surge), t -> 20.0);
        List<GroupJudge.Judged> found = judge(g, DEFAULTS, Set.of(SeasonalRobustScore.NAME), range(24, MONTHS));
        assertEquals(2, found.size());
        Finding f = found.get(1).finding();
        assertEquals("CN", f.partner());
        assertEquals(31, f.t());
        assertEquals(Finding.Direction.up, f.direction());
        assertEquals(9.5e6, f.expected(), 1e-3, "an odd month expects 9.5M");
        assertTrue(found.get(1).explanation().startsWith("Exports of HS 250410 to CN rose 200% to $28.5M in 2023-08"), found.get(1).explanation());
    }

    @Test
    void aSteadySupplierThatStopsIsFoundButALumpyOneSkippingAMonthIsNot() {
        SeriesGroup g = group("I");
        partner(g, "CN", DetectorsTest::base, t -> 40, t -> 20.0);
        partner(g, "AR", t -> t >= 30 ? 0 : base(t), t -> t >= 30 ? 0 : 40, t -> 20.0);
        // A lumpy partner: two declarations a month, none in month 30.
        partner(g, "CL", t -> t == 30 ? 0 : 2e6, t -> t == 30 ? 0 : 2, t -> 20.0);
        List<GroupJudge.Judged> found = judge(g, DEFAULTS, Set.of(SupplyStop.NAME), range(24, MONTHS));
        assertEquals(1, found.size(), "AR once, in its first month without supply; CL's skipped month has a 13.5% chance");
        Finding f = found.get(0).finding();
        assertEquals("AR", f.partner());
        assertEquals(30, f.t());
        assertEquals(Finding.Direction.down, f.direction());
        assertEquals(10.0e6, f.expected(), 1e-3, "mean month over the last 12: six of 9.5M, six of 10.5M");
        assertEquals(1.0e6, f.lower(), 1e-3, "near zero: 10% of the mean month");
        assertEquals(40 / Math.log(10), f.score(), 1e-9, "-log10 P(0 declarations | Poisson 40) = 40 / ln 10");
        assertEquals(4.0, f.threshold(), 1e-12, "-log10 of max_chance 0.0001");
    }

    @Test
    void aSmallSteadyFlowThatStopsIsReportedWhenTheSecondEmptyMonthMakesItSure() {
        SeriesGroup g = group("I");
        partner(g, "CN", DetectorsTest::base, t -> 40, t -> 20.0);
        // 7 declarations a month: one empty month has a chance of e^-7 = 0.0009 (not sure at 0.0001), two e^-14.
        partner(g, "AR", t -> t >= 30 ? 0 : 2e6, t -> t >= 30 ? 0 : 7, t -> 20.0);
        List<Finding> found = judge(g, DEFAULTS, Set.of(SupplyStop.NAME), range(24, MONTHS)).stream().map(GroupJudge.Judged::finding).toList();
        assertEquals(List.of(31), found.stream().map(Finding::t).toList(), "reported once, in the second empty month");
        assertEquals(14 / Math.log(10), found.get(0).score(), 1e-9, "-log10 e^-14");
        assertTrue(judge(g, DEFAULTS, Set.of(SupplyStop.NAME), range(24, MONTHS)).get(0).explanation()
                .startsWith("Imports of HS 250410 from AR stopped since 2023-07 (2 months): $0 a month against $2.0M"));
    }

    @Test
    void poissonTailsStayExactForLargeFlows() {
        assertEquals(Math.exp(-40), RobustStats.poissonCdf(0, 40), 1e-30);
        assertEquals(8.5 * Math.exp(-3), RobustStats.poissonCdf(2, 3), 1e-12, "e^-3 (1 + 3 + 9/2)");
        assertEquals(1 - 8.5 * Math.exp(-3), RobustStats.poissonUpperTail(3, 3), 1e-12);
        // lambda 2000: e^-2000 underflows, the gamma function does not. Half the mass lies at or below the mean
        // (a little more: the median of Poisson(2000) is 2000), and 1200 declarations are all but impossible.
        assertEquals(0.5, RobustStats.poissonCdf(2000, 2000), 0.01);
        assertTrue(RobustStats.poissonCdf(1200, 2000) < 1e-60 && RobustStats.poissonCdf(1200, 2000) > 0);
        assertTrue(RobustStats.poissonUpperTail(2600, 2000) < 1e-30 && RobustStats.poissonUpperTail(2600, 2000) > 0);
    }

    @Test
    void aPriceSpikeIsFoundOnTheUnitValue() {
        SeriesGroup g = group("I");
        // Quantities flat at 500 t; unit value 20 $/kg with +-2% wobble, 46 $/kg in month 30 (x2.3).
        Values usdPerKg = t -> t == 30 ? 46.0 : 20.0 * (1 + 0.02 * ((t * 7) % 3 - 1));
        partner(g, "CN", t -> 500_000 * usdPerKg.at(t), t -> 40, usdPerKg);
        List<GroupJudge.Judged> found = judge(g, DEFAULTS, Set.of(UnitValueBand.NAME), range(24, MONTHS));
        List<Finding> cn = found.stream().map(GroupJudge.Judged::finding).filter(f -> f.partner().equals("CN")).toList();
        assertEquals(1, cn.size());
        Finding f = cn.get(0);
        assertEquals(30, f.t());
        assertEquals(UnitValueBand.METRIC, f.metric());
        assertEquals(Finding.Direction.up, f.direction());
        assertEquals(46.0, f.observed(), 1e-9);
        assertEquals(20.0, f.expected(), 1e-9, "median of 19.6, 20, 20.4 in equal numbers");
        assertEquals(20.4 * 1.15, f.upper(), 1e-9, "trailing maximum widened by 15%");
        assertEquals(19.6 * 0.85, f.lower(), 1e-9);
        assertEquals((46.0 - 20.0) * 500_000, f.valueAtStakeUsd(), 1e-3);
    }

    @Test
    void thePartnersBehindAPriceSpikeOfAllPartnersAreThoseWhosePriceRose() {
        SeriesGroup g = group("I");
        Values usdPerKg = t -> t == 30 ? 46.0 : 20.0;
        partner(g, "CN", t -> 500_000 * usdPerKg.at(t), t -> 40, usdPerKg);
        // AU ships twice its usual 100 t in month 30 at its usual 18 $/kg: more value, no price effect.
        partner(g, "AU", t -> (t == 30 ? 200_000 : 100_000) * 18.0, t -> 12, t -> 18.0);
        GroupJudge.Judged total = judge(g, DEFAULTS, Set.of(UnitValueBand.NAME), 30).stream()
                .filter(j -> j.finding().partner().equals("*")).findFirst().orElseThrow();
        assertEquals(List.of("CN"), total.partners().stream().map(GroupJudge.Contribution::id).toList());
        assertEquals((46.0 - 20.0) * 500_000, total.partners().get(0).change(), 1e-6, "price change x CN's kilograms");
        assertEquals(46.0, total.partners().get(0).observed(), 1e-12);
        assertEquals(List.of(), total.traders(), "firm cubes have no unit values");
        assertTrue(total.explanation().endsWith("; driven by CN (+$13.0M price effect)"), total.explanation());
    }

    @Test
    void aSeasonalOffsetIsUsedOnlyWhenItStandsOutOfTheYearToYearNoise() {
        int t = 40;
        double[] steady = new double[48];
        double[] noisy = new double[48];
        for (int j = 0; j < 48; j++) {
            boolean sameMonth = (t - j) % 12 == 0;
            steady[j] = sameMonth ? 16e6 : 10e6;
            // Every other calendar month swings between 1.6x and 0.625x from one year to the next.
            noisy[j] = sameMonth ? 16e6 : (j / 12) % 2 == 0 ? 16e6 : 6.25e6;
        }
        // Steady: month t's calendar month is 60% up two years running, every other month flat: the offset is ln 1.6.
        assertEquals(Math.log(1.6), SeasonalRobustScore.seasonalProfile(steady, t, 0, 1, 2)[0], 1e-12);
        // Noisy: the same two high months, but the other calendar months disagree by a factor of 2.56 between years.
        assertEquals(0.0, SeasonalRobustScore.seasonalProfile(noisy, t, 0, 1, 2)[0]);
        // A partner that began trading in month 12: the year around month 16 (t - 24) holds two empty months, so it
        // says nothing about the season and there is no offset (read with them, it would be ln 1.6 again).
        double[] newcomer = steady.clone();
        java.util.Arrays.fill(newcomer, 0, 12, 0.0);
        assertEquals(0.0, SeasonalRobustScore.seasonalProfile(newcomer, t, 0, 1, 2)[0]);
    }

    @Test
    void theTopPartnersShareShiftIsFound() {
        SeriesGroup g = group("I");
        partner(g, "CN", t -> t == 30 ? 3e6 : 7e6, t -> 30, t -> 20.0);
        partner(g, "AU", t -> t == 30 ? 7e6 : 3e6, t -> 20, t -> 20.0);
        List<Finding> found = judge(g, DEFAULTS, Set.of(PartnerShareShift.NAME), range(24, MONTHS)).stream().map(GroupJudge.Judged::finding).toList();
        assertEquals(1, found.size());
        Finding f = found.get(0);
        assertEquals("CN", f.partner());
        assertEquals(30, f.t());
        assertEquals(0.3, f.observed(), 1e-12);
        assertEquals(0.7, f.expected(), 1e-12);
        assertEquals(Finding.Direction.down, f.direction());
        assertEquals(0.4 * 10e6, f.valueAtStakeUsd(), 1e-3);
    }

    @Test
    void twelveMonthsAgainstTheTwelveBeforeIsReportedOnceWhenTheDriftPassesHalf() {
        SeriesGroup g = group("I");
        partner(g, "CN", t -> t >= 24 ? 4e6 : 10e6, t -> 40, t -> 20.0);
        List<Finding> found = judge(g, DEFAULTS, Set.of(TwelveVsTwelve.NAME), range(25, MONTHS)).stream().map(GroupJudge.Judged::finding).toList();
        // After k months at 4M the last 12 months hold 120 - 6k M: half of 120M at k = 10, month 33.
        assertEquals(List.of(33, 33), found.stream().map(Finding::t).toList(), "all partners and CN, once each");
        assertEquals(60e6, found.get(0).observed(), 1e-3);
        assertEquals(120e6, found.get(0).expected(), 1e-3);
        // Noise from 480 declarations a side, 1.5 sqrt(1/480 + 1/480); both sums plus half the mean declaration of the
        // earlier window (120M / 480 / 2 = 125k).
        assertEquals(-Math.log((60e6 + 125e3) / (120e6 + 125e3)) / (1.5 * Math.sqrt(2.0 / 480)), found.get(0).score(), 1e-9);
    }

    @Test
    void aRiseMadeOfOneGiantCargoIsNotASurge() {
        // Month 31 at three times its value on its usual 38 declarations: lumpiness, not more supply.
        SeriesGroup g = group("I");
        partner(g, "CN", t -> t == 31 ? 3 * base(t) : base(t), t -> 38, t -> 20.0);
        assertEquals(List.of(), judge(g, DEFAULTS, Set.of(SeasonalRobustScore.NAME), range(24, MONTHS)));
        assertEquals(2, judge(g, withSeasonal(0.5, 2, 1.0), Set.of(SeasonalRobustScore.NAME), range(24, MONTHS)).size(),
                "found without the declaration count check");
    }

    @Test
    void aNewPartnerIsFoundInItsFirstMaterialMonthOnly() {
        SeriesGroup g = group("I");
        partner(g, "CN", DetectorsTest::base, t -> 40, t -> 20.0);
        partner(g, "VN", t -> t >= 30 ? 4e6 : 0, t -> t >= 30 ? 15 : 0, t -> 20.0);
        List<Finding> found = judge(g, DEFAULTS, Set.of(NewPartner.NAME), range(24, MONTHS)).stream().map(GroupJudge.Judged::finding).toList();
        assertEquals(1, found.size());
        assertEquals("VN", found.get(0).partner());
        assertEquals(30, found.get(0).t());
        assertEquals(4e6 / (4e6 + 10.5e6), found.get(0).score(), 1e-12, "VN's share of the month");
    }

    @Test
    void volumeUpWhilePriceFallsIsADiversionPattern() {
        SeriesGroup g = group("I");
        // Month 30: twice the kilograms at 60% of the unit value (value x1.2, too small a rise for the level detector).
        Values usdPerKg = t -> t == 30 ? 12.0 : 20.0 * (1 + 0.02 * ((t * 7) % 3 - 1));
        partner(g, "VN", t -> (t == 30 ? 1_000_000 : 500_000 * (1 + 0.05 * ((t * 5) % 3 - 1))) * usdPerKg.at(t), t -> 30, usdPerKg);
        List<Finding> found = judge(g, DEFAULTS, Set.of(Diversion.NAME, SeasonalRobustScore.NAME), range(24, MONTHS))
                .stream().map(GroupJudge.Judged::finding).filter(f -> f.partner().equals("VN")).toList();
        assertEquals(List.of(Diversion.NAME), found.stream().map(Finding::detector).toList());
        assertEquals(30, found.get(0).t());
        assertEquals(1_000_000, found.get(0).observed(), 1e-6);
        assertEquals(500_000, found.get(0).expected(), 1e-6, "median kilograms of the last 12 months");
    }

    @Test
    void aMirrorGapOpensWhenOurImportsOutgrowThePartnersExports() {
        SeriesGroup g = group("I");
        partner(g, "JP", t -> t == 30 ? 2.5 * 1.05 * base(t) : 1.05 * base(t), t -> 40, t -> 20.0);
        for (int t = 0; t < MONTHS; t++) {
            g.addMirror("JP", FIRST.plusMonths(t), base(t), 40);
        }
        List<Finding> found = judge(g, DEFAULTS, Set.of(MirrorGap.NAME), range(24, MONTHS)).stream().map(GroupJudge.Judged::finding).toList();
        assertEquals(1, found.size());
        Finding f = found.get(0);
        assertEquals(MirrorGap.METRIC, f.metric());
        assertEquals(30, f.t());
        assertEquals(2.625, f.observed(), 1e-9);
        assertEquals(1.05, f.expected(), 1e-9);
        assertEquals(Finding.Direction.up, f.direction());
    }

    @Test
    void immaterialSeriesAndMinorPartnersAreNotJudged() {
        // The whole product below anomalies.min_monthly_value_usd ($250k): a collapse there pages nobody.
        SeriesGroup small = group("I");
        partner(small, "CN", t -> t == 30 ? 20_000 : 200_000, t -> 40, t -> 20.0);
        assertEquals(List.of(), judge(small, DEFAULTS, null, range(24, MONTHS)));
        GroupJudge.Coverage c = new GroupJudge(DEFAULTS).judge(small, new int[]{30}).coverage().get(0);
        assertEquals(new GroupJudge.Coverage(30, 2, 0, 2, 0, 0), c);

        // A partner with 3% of the product (below ThirdEye's 5%) collapses: no finding on it.
        SeriesGroup minor = group("I");
        partner(minor, "CN", DetectorsTest::base, t -> 40, t -> 20.0);
        partner(minor, "PE", t -> t == 30 ? 30_000 : 300_000, t -> 40, t -> 20.0);
        assertTrue(judge(minor, DEFAULTS, null, range(24, MONTHS)).stream().noneMatch(j -> j.finding().partner().equals("PE")));
    }

    @Test
    void monthsWithoutEnoughHistoryAreCountedNotJudged() {
        SeriesGroup g = group("I");
        partner(g, "CN", t -> t == 8 ? 0.1 * base(t) : base(t), t -> 40, t -> 20.0);
        GroupJudge.Result r = new GroupJudge(DEFAULTS).judge(g, new int[]{8});
        assertEquals(List.of(), r.findings(), "8 months of history, 12 needed");
        assertEquals(2, r.coverage().get(0).shortHistory());
    }

    @Test
    void severityFollowsValueAtStakeAndStrength() {
        GroupJudge judge = new GroupJudge(DEFAULTS);
        assertEquals(GroupJudge.Severity.high, judge.severity(finding(6e6, 7.0)));
        assertEquals(GroupJudge.Severity.medium, judge.severity(finding(6e6, 6.9)), "strength 6.9 / 3.5 < 2");
        assertEquals(GroupJudge.Severity.medium, judge.severity(finding(500_000, 20)));
        assertEquals(GroupJudge.Severity.low, judge.severity(finding(499_999, 20)));
    }

    private static Finding finding(double stake, double score) {
        return new Finding("CN", 30, "value_usd", 0, 0, null, null, score, 3.5, Finding.Direction.down, "x", stake, "", null);
    }
}
