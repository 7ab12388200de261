package org.ews.quality;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.EwsConfig;
import org.ews.config.QualityConfig;
import org.ews.run.EwsException;
import org.ews.run.RunContext;
import org.ews.run.StageWrites;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Ops;
import org.ews.tables.Silver;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The gate around writes and the metrics repository, on a scratch warehouse with hand-made rows (no pipeline run).
 * Anomaly history as in {@link MetricAnomaliesTest}: five Fridays of 100, 104, 96, 102, 98 rows (mean 100, sample
 * deviation 3.1623, band [90.51, 109.49] at 3 deviations).
 */
@ExtendWith(SharedSpark.class)
class QualityGateTest {
    private static final LocalDate FRIDAY = LocalDate.of(2024, 3, 1);
    private static final int[] STEADY = {100, 104, 96, 102, 98};

    private final SparkSession spark = SharedSpark.session();

    @TempDir
    Path dir;

    private RunContext ctx(Warehouse wh, String runId, LocalDate from, LocalDate to) {
        return new RunContext(runId, from, to, withVolumeFloor(50), spark, wh);
    }

    /** The defaults, but a volume floor the hand-made 100-row days clear (the default, 200, would skip them). */
    private static EwsConfig withVolumeFloor(long minMeanRows) {
        EwsConfig d = EwsConfig.defaults();
        QualityConfig q = d.quality();
        QualityConfig.Anomaly a = q.anomaly();
        QualityConfig quality = new QualityConfig(q.enabled(), q.rules(), new QualityConfig.Anomaly(a.enabled(), a.level(), a.metrics(),
                a.historyDays(), a.sameWeekday(), a.minHistory(), a.deviationFactor(), a.minChange(), minMeanRows));
        return new EwsConfig(d.paths(), d.spark(), d.ingest(), d.countries(), d.conform(), d.entity(), d.ownership(), d.periods(),
                d.metrics(), d.anomalies(), d.publish(), d.lock(), quality);
    }

    /** One gold.product_dependency row: KR, HS 854231, 2024, with this HHI; the other figures plausible. */
    private Dataset<Row> productRow(double hhi) {
        StructType s = Gold.PRODUCT_DEPENDENCY.columns();
        Object[] v = new Object[s.fields().length];
        v[s.fieldIndex("reporter")] = "KR";
        v[s.fieldIndex("hs6")] = "854231";
        v[s.fieldIndex("year")] = 2024;
        v[s.fieldIndex("import_value_usd")] = new BigDecimal("1000.000000");
        v[s.fieldIndex("top_partner")] = "CN";
        v[s.fieldIndex("top_partner_share")] = 0.5;
        v[s.fieldIndex("hhi")] = hhi;
        return spark.createDataFrame(List.of(RowFactory.create(v)), s);
    }

    @Test
    void aGoldShareOfOnePointTwoStopsTheWriteAndLeavesTheTableAsItWas() {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        RunContext first = ctx(wh, "run-1", FRIDAY, FRIDAY);
        try (QualityGate gate = QualityGate.open(first, "metrics")) {
            new StageWrites(first, gate).replace(Gold.PRODUCT_DEPENDENCY, productRow(0.5), null);
        }
        long version = wh.version(Gold.PRODUCT_DEPENDENCY);

        RunContext second = ctx(wh, "run-2", FRIDAY.plusDays(1), FRIDAY.plusDays(1));
        EwsException e = assertThrows(EwsException.class, () -> {
            try (QualityGate gate = QualityGate.open(second, "metrics")) {
                new StageWrites(second, gate).replace(Gold.PRODUCT_DEPENDENCY, productRow(1.2), null);
            }
        });
        assertTrue(e.getMessage().contains("data-quality rule share(hhi) (error) failed"), e.getMessage());
        assertTrue(e.getMessage().contains("1 of 1 rows have hhi outside [0, 1]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("metrics stopped before writing gold.product_dependency"), e.getMessage());
        assertEquals(version, wh.version(Gold.PRODUCT_DEPENDENCY), "nothing written");
        assertEquals(0.5, wh.read(Gold.PRODUCT_DEPENDENCY).head().getDouble(Gold.PRODUCT_DEPENDENCY.columns().fieldIndex("hhi")));
        // The failure is recorded with the run, next to the checks that passed.
        List<Row> failed = wh.read(Ops.DQ_RESULTS).where(col("run_id").equalTo("run-2").and(col("status").equalTo("failed")))
                .select("table_name", "rule", "level", "metric", "metric_value", "requirement").collectAsList();
        assertEquals(List.of(RowFactory.create("gold.product_dependency", "share(hhi)", "error", "compliance", 0.0, "compliance >= 1.0")),
                failed);
        assertEquals(9, wh.read(Ops.DQ_RESULTS).where(col("run_id").equalTo("run-2")).count(),
                "the default rules name 9 columns of gold.product_dependency (5 shares, 2 amounts, 2 partners): every check is recorded");
    }

    /** reporter, landing_date, value_usd: {@code n} lines of US$1 each per date. */
    private Dataset<Row> lines(String reporter, LocalDate date, int n, List<Row> into) {
        for (int i = 0; i < n; i++) {
            into.add(RowFactory.create(reporter, Date.valueOf(date), new BigDecimal("1.000000")));
        }
        return null;
    }

    private Dataset<Row> frame(List<Row> rows) {
        return spark.createDataFrame(rows, new StructType().add("reporter", DataTypes.StringType).add("landing_date", DataTypes.DateType)
                .add("value_usd", DataTypes.createDecimalType(24, 6)));
    }

    @Test
    void aNinetyPercentDropIsAWarningAndARerunKeepsOneSetOfMetrics() {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        // A backfill of six Fridays: KR and US steady for five, then KR drops to 10 lines (90% below the mean of 100)
        // while US lands 101 (inside the band). The first four Fridays of each have too little history (4 needed).
        List<Row> rows = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            lines("KR", FRIDAY.minusWeeks(5 - w), STEADY[w], rows);
            lines("US", FRIDAY.minusWeeks(5 - w), STEADY[w], rows);
        }
        lines("KR", FRIDAY, 10, rows);
        lines("US", FRIDAY, 101, rows);
        RunContext backfill = ctx(wh, "backfill", FRIDAY.minusWeeks(5), FRIDAY);
        List<CheckOutcome> out;
        try (QualityGate gate = QualityGate.open(backfill, "conform")) {
            out = gate.checkMetrics(Silver.TRADE_LINES, frame(rows));
            gate.completed(); // the stage wrote everything: its metrics become history
        }
        CheckOutcome kr = out.stream().filter(o -> o.metric().equals("rows") && o.reporter().equals("KR") && o.landingDate().equals(FRIDAY))
                .findFirst().orElseThrow();
        assertEquals(CheckOutcome.Status.FAILED, kr.status(), kr.toString());
        assertEquals("warning", kr.level());
        assertEquals(10.0, kr.metricValue());
        CheckOutcome us = out.stream().filter(o -> o.metric().equals("rows") && o.reporter().equals("US") && o.landingDate().equals(FRIDAY))
                .findFirst().orElseThrow();
        assertEquals(CheckOutcome.Status.PASSED, us.status(), us.toString());
        // The fifth Friday has four earlier ones (100, 104, 96, 102: mean 100.5) and 98 is inside their band: passed.
        assertEquals(CheckOutcome.Status.PASSED, out.stream().filter(o -> o.metric().equals("rows") && o.reporter().equals("KR")
                && o.landingDate().equals(FRIDAY.minusWeeks(1))).findFirst().orElseThrow().status());
        assertEquals(16, out.stream().filter(o -> o.status() == CheckOutcome.Status.SKIPPED).count(), "4 Fridays x 2 reporters x 2 metrics");
        // value_usd (US$1 a line) moves with the count: KR's value fell 90% too.
        assertEquals(2, out.stream().filter(CheckOutcome::failed).count(), out.toString());
        assertEquals(2 * 6 * 2, wh.read(Ops.DQ_METRICS).count(), "2 reporters x 6 Fridays x 2 metrics");

        // The nightly run of the last Friday, twice: judged against the stored history, it replaces that date's metrics
        // and its own results; the repository keeps one value per metric, reporter and date.
        for (String runId : List.of("nightly-1", "nightly-2")) {
            List<Row> night = new ArrayList<>();
            lines("KR", FRIDAY, 10, night);
            lines("US", FRIDAY, 101, night);
            try (QualityGate gate = QualityGate.open(ctx(wh, runId, FRIDAY, FRIDAY), "conform")) {
                List<CheckOutcome> o = gate.checkMetrics(Silver.TRADE_LINES, frame(night));
                assertEquals(CheckOutcome.Status.FAILED, o.stream().filter(x -> x.reporter().equals("KR") && x.metric().equals("rows"))
                        .findFirst().orElseThrow().status());
                assertEquals(5L, o.get(0).rowsChecked(), "five earlier Fridays from the repository");
                gate.completed();
            }
        }
        Dataset<Row> metrics = wh.read(Ops.DQ_METRICS);
        assertEquals(24, metrics.count());
        assertEquals(24, metrics.select("metric", "reporter", "landing_date").distinct().count());
        assertEquals(List.of("nightly-2"), metrics.where(col("landing_date").equalTo(Date.valueOf(FRIDAY)))
                .select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        Dataset<Row> nightly = wh.read(Ops.DQ_RESULTS).where(col("date_from").equalTo(Date.valueOf(FRIDAY)));
        assertEquals(4, nightly.count(), "one set: 2 reporters x 2 metrics, of the second nightly run");
        assertEquals(List.of("nightly-2"), nightly.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(24, wh.read(Ops.DQ_RESULTS).where(col("run_id").equalTo("backfill")).count(), "the backfill's own rows stay");

        // A third run of that Friday fails after its checks (a full disk, say): its metrics do not replace the history.
        try (QualityGate gate = QualityGate.open(ctx(wh, "failed-night", FRIDAY, FRIDAY), "conform")) {
            List<Row> night = new ArrayList<>();
            lines("KR", FRIDAY, 50, night);
            gate.checkMetrics(Silver.TRADE_LINES, frame(night));
        }
        assertEquals(List.of("nightly-2"), wh.read(Ops.DQ_METRICS).where(col("landing_date").equalTo(Date.valueOf(FRIDAY)))
                .select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), "the failed run's metrics are not history");
        assertEquals(24, wh.read(Ops.DQ_METRICS).count());
    }
}
