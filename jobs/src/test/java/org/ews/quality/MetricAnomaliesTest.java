package org.ews.quality;

import org.ews.config.QualityConfig;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The anomaly check of a run's metric against its history, worked out by hand. History: five Fridays with 100, 104, 96,
 * 102 and 98 rows. Mean 100; deviations 0, 4, -4, 2, -2; squares 0, 16, 16, 4, 4 = 40; sample variance 40 / 4 = 10,
 * standard deviation 3.1623. Deequ's BatchNormalStrategy at 3 deviations: band [90.51, 109.49].
 */
class MetricAnomaliesTest {
    private static final LocalDate FRIDAY = LocalDate.of(2024, 3, 1);
    private static final QualityConfig.Anomaly CFG = new QualityConfig.Anomaly(true, "warning", List.of("rows"), 56, true, 4, 3.0, 0.5, 50);

    private static List<MetricAnomalies.Point> steadyFridays() {
        double[] v = {100, 104, 96, 102, 98};
        List<MetricAnomalies.Point> h = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            h.add(new MetricAnomalies.Point(FRIDAY.minusWeeks(5 - i), v[i]));
        }
        // Other weekdays with other levels: not part of a Friday's history.
        h.add(new MetricAnomalies.Point(FRIDAY.minusDays(1), 5));
        h.add(new MetricAnomalies.Point(FRIDAY.minusDays(6), 500));
        return h;
    }

    @Test
    void aNinetyPercentDropIsFlaggedAndASteadyDayIsNot() {
        CheckOutcome drop = MetricAnomalies.judge("silver.trade_lines", "rows", "KR", FRIDAY, 10, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.FAILED, drop.status(), drop.toString());
        assertEquals(5L, drop.rowsChecked(), "five Fridays, the Thursday and Saturday left out");
        assertTrue(drop.message().contains("KR, landing date 2024-03-01: 10 rows, 90% below the mean (100) of 5 earlier Fridays"),
                drop.message());
        assertTrue(drop.requirement().startsWith("within [90.5132, 109.487]"), drop.requirement());

        CheckOutcome steady = MetricAnomalies.judge("silver.trade_lines", "rows", "KR", FRIDAY, 101, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.PASSED, steady.status(), steady.toString());
        CheckOutcome surge = MetricAnomalies.judge("silver.trade_lines", "rows", "KR", FRIDAY, 250, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.FAILED, surge.status(), "150% above");
    }

    @Test
    void theBandIsDeequsSampleDeviationAndTheMinimumChangeAppliesBesides() {
        QualityConfig.Anomaly anyChange = new QualityConfig.Anomaly(true, "warning", List.of("rows"), 56, true, 4, 3.0, 0.0, 50);
        // 109 is inside [90.51, 109.49] (a population deviation, 2.83, would give [91.5, 108.5] and flag it); 110 is out.
        assertEquals(CheckOutcome.Status.PASSED, MetricAnomalies.judge("t", "rows", "KR", FRIDAY, 109, steadyFridays(), anyChange).status());
        assertEquals(CheckOutcome.Status.FAILED, MetricAnomalies.judge("t", "rows", "KR", FRIDAY, 110, steadyFridays(), anyChange).status());
        // With min_change 0.5, 110 is outside the band but only 10% above the mean: passed.
        CheckOutcome small = MetricAnomalies.judge("t", "rows", "KR", FRIDAY, 110, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.PASSED, small.status());
        assertTrue(small.message().endsWith("within the minimum change"), small.message());
    }

    @Test
    void tooLittleHistoryIsSkippedAndMoneyStaysOutOfTheMessage() {
        List<MetricAnomalies.Point> three = steadyFridays().subList(2, 5); // 96, 102, 98
        CheckOutcome skipped = MetricAnomalies.judge("t", "rows", "KR", FRIDAY, 10, three, CFG);
        assertEquals(CheckOutcome.Status.SKIPPED, skipped.status());
        assertTrue(skipped.message().contains("3 earlier Fridays within 56 days (4 needed)"), skipped.message());
        // Older than history_days (56) does not count: 9 weeks back.
        List<MetricAnomalies.Point> old = new ArrayList<>(three);
        old.add(new MetricAnomalies.Point(FRIDAY.minusWeeks(9), 100));
        assertEquals(CheckOutcome.Status.SKIPPED, MetricAnomalies.judge("t", "rows", "KR", FRIDAY, 10, old, CFG).status());

        CheckOutcome value = MetricAnomalies.judge("t", "value_usd", "KR", FRIDAY, 10, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.FAILED, value.status());
        assertEquals("KR, landing date 2024-03-01: value_usd 90% below the mean of 5 earlier Fridays", value.message());
        assertEquals(10.0, value.metricValue());
    }

    /**
     * A reporter filing about 20 rows a day (five Fridays: 18, 22, 20, 19, 21; mean 20) sits under a floor of 50 rows a
     * day: a drop to 2 rows (90%) is not judged, for rows nor for value; the same drop on the 100-row history is flagged.
     */
    @Test
    void aReporterUnderTheVolumeFloorIsNotJudged() {
        double[] v = {18, 22, 20, 19, 21};
        List<MetricAnomalies.Point> small = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            small.add(new MetricAnomalies.Point(FRIDAY.minusWeeks(5 - i), v[i]));
        }
        CheckOutcome rows = MetricAnomalies.judge("t", "rows", "JP", FRIDAY, 2, small, CFG);
        assertEquals(CheckOutcome.Status.SKIPPED, rows.status(), rows.toString());
        assertTrue(rows.message().contains("average 20 rows a day (quality.anomaly.min_mean_rows: 50)"), rows.message());
        List<MetricAnomalies.Point> values = new ArrayList<>();
        small.forEach(p -> values.add(new MetricAnomalies.Point(p.date(), p.value() * 1000)));
        CheckOutcome value = MetricAnomalies.judge("t", "value_usd", "JP", FRIDAY, 10, values, small, CFG);
        assertEquals(CheckOutcome.Status.SKIPPED, value.status(), "value is floored by the reporter's rows");
        CheckOutcome big = MetricAnomalies.judge("t", "value_usd", "JP", FRIDAY, 10, values, steadyFridays(), CFG);
        assertEquals(CheckOutcome.Status.FAILED, big.status(), "above the floor, a 99.95% fall in value is flagged");
    }
}
