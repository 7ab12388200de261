package org.ews.anomalies;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ews.config.EwsConfig;
import org.ews.run.Pipeline;
import org.ews.run.RunContext;
import org.ews.run.StageResult;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The anomalies stage over a hand-made monthly cube, 2019-09 to 2023-04 (April 2023 only a third in):
 * <ul>
 *   <li>KR imports of HS 250410 from CN, 40 declarations a month alternating $9.5M and $10.5M (two firms, 60/40), down to
 *   20% in 2023-02; from AU a steady $3M; from JP $2M, mirrored by JP's own exports to KR of $1.9M;</li>
 *   <li>KR imports of HS 282520 from CN, $5M a month, with no trade at all from 2020-03 to 2020-06 (a gap near the start
 *   of what a night reads) and a fall to 20% in 2023-03.</li>
 * </ul>
 * Checks closed months only, the finding and its traders, stable reruns, a nightly run touching only the month that
 * closed or changed, and night-by-night runs (with an amendment of the exporter's side of a mirror) equal to one full
 * run.
 */
@ExtendWith(SharedSpark.class)
class AnomaliesStageTest {
    private static final YearMonth FIRST = YearMonth.of(2019, 9);
    private static final YearMonth LAST = YearMonth.of(2023, 4);
    private final SparkSession spark = SharedSpark.session();
    private final EwsConfig config = EwsConfig.defaults();

    @TempDir
    Path dir;

    /** One cube cell: reporter, flow, hs6, partner and its value and declarations in a month. */
    private record Cell(String reporter, String flow, String hs6, String partner, YearMonth month, double value, long declarations) {
        String key() {
            return String.join("|", reporter, flow, hs6, partner, month.toString());
        }
    }

    private static double cn(YearMonth m) {
        double base = (FIRST.until(m, java.time.temporal.ChronoUnit.MONTHS) % 2 == 0) ? 10.5e6 : 9.5e6;
        return m.equals(YearMonth.of(2023, 2)) ? 0.2 * base : base;
    }

    private static List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (YearMonth m = FIRST; !m.isAfter(LAST); m = m.plusMonths(1)) {
            double part = m.equals(LAST) ? 1.0 / 3 : 1.0; // the month in progress
            double cn = cn(m) * part;
            out.add(new Cell("KR", "I", "250410", "CN", m, cn, Math.round(40 * cn / 10e6)));
            out.add(new Cell("KR", "I", "250410", "AU", m, 3e6 * part, Math.round(12 * part)));
            out.add(new Cell("KR", "I", "250410", "JP", m, 2e6 * part, Math.round(12 * part)));
            out.add(new Cell("JP", "X", "250410", "KR", m, 1.9e6 * part, Math.round(12 * part)));
            boolean gap = !m.isBefore(YearMonth.of(2020, 3)) && !m.isAfter(YearMonth.of(2020, 6));
            if (!gap) {
                double lithium = (m.equals(YearMonth.of(2023, 3)) ? 1e6 : 5e6) * part;
                out.add(new Cell("KR", "I", "282520", "CN", m, lithium, Math.round(20 * lithium / 5e6)));
            }
        }
        return out;
    }

    /**
     * Writes the cube (and firm cube) of {@link #cells}, with {@code amended} values replacing cells by key (their
     * declarations scaled alike); with amendments, only the amended (reporter, month) slices are rewritten.
     */
    private void writeCube(Warehouse wh, Map<String, Double> amended) {
        List<Row> cube = new ArrayList<>();
        List<Row> firms = new ArrayList<>();
        java.util.Set<String> slices = new TreeSet<>();
        for (Cell c : cells()) {
            double value = c.value();
            long decl = c.declarations();
            if (amended.containsKey(c.key())) {
                value = amended.get(c.key());
                decl = Math.round(decl * value / c.value());
                slices.add(c.reporter() + "|" + c.month());
            }
            Date d = Date.valueOf(c.month().atDay(1));
            cube.add(RowFactory.create(c.reporter(), c.flow(), c.hs6(), c.partner(), d, c.month().getYear(), value, value / 20, value,
                    decl, decl, 2L, 0.6));
            if (c.partner().equals("CN") && c.hs6().equals("250410")) {
                firms.add(RowFactory.create(c.reporter(), c.flow(), c.hs6(), c.partner(), d, c.month().getYear(), "F1", "F1", 0.6 * value, 0.03 * value, decl, decl));
                firms.add(RowFactory.create(c.reporter(), c.flow(), c.hs6(), c.partner(), d, c.month().getYear(), "F2", "F2", 0.4 * value, 0.02 * value, decl, decl));
            } else {
                firms.add(RowFactory.create(c.reporter(), c.flow(), c.hs6(), c.partner(), d, c.month().getYear(), "F3", "F3", value, value / 20, decl, decl));
            }
        }
        StructType cubeSchema = new StructType().add(REPORTER, DataTypes.StringType).add(FLOW, DataTypes.StringType).add(HS6, DataTypes.StringType)
                .add(PARTNER, DataTypes.StringType).add(MONTH, DataTypes.DateType).add(YEAR, DataTypes.IntegerType)
                .add(VALUE_USD, DataTypes.DoubleType).add(QUANTITY_KG, DataTypes.DoubleType).add(VALUE_USD_WITH_KG, DataTypes.DoubleType)
                .add(DECLARATIONS, DataTypes.LongType).add(LINES, DataTypes.LongType).add(TRADERS, DataTypes.LongType)
                .add(TOP_TRADER_SHARE, DataTypes.DoubleType);
        StructType firmSchema = new StructType().add(REPORTER, DataTypes.StringType).add(FLOW, DataTypes.StringType).add(HS6, DataTypes.StringType)
                .add(PARTNER, DataTypes.StringType).add(MONTH, DataTypes.DateType).add(YEAR, DataTypes.IntegerType)
                .add(FIRM_ID, DataTypes.StringType).add(PARENT_FIRM_ID, DataTypes.StringType).add(VALUE_USD, DataTypes.DoubleType)
                .add(QUANTITY_KG, DataTypes.DoubleType).add(DECLARATIONS, DataTypes.LongType).add(LINES, DataTypes.LongType);
        Map<String, SortedSet<LocalDate>> bySlice = new TreeMap<>();
        slices.forEach(k -> bySlice.computeIfAbsent(k.split("\\|")[0], r -> new TreeSet<>()).add(YearMonth.parse(k.split("\\|")[1]).atDay(1)));
        String where = amended.isEmpty() ? null : org.ews.metrics.MetricsScope.months(bySlice);
        Dataset<Row> cubeRows = spark.createDataFrame(cube, cubeSchema).withColumn(IS_CLOSED_MONTH, lit(true)).withColumn(RUN_ID, lit("fixture"));
        Dataset<Row> firmRows = spark.createDataFrame(firms, firmSchema).withColumn(RUN_ID, lit("fixture"));
        wh.replace(Gold.TRADE_MONTHLY, where == null ? cubeRows : cubeRows.where(expr(where)), where);
        wh.replace(Gold.FIRM_TRADE_MONTHLY, where == null ? firmRows : firmRows.where(expr(where)), where);
        if (!wh.exists(Silver.HS6_SECTORS)) {
            wh.replace(Silver.HS6_SECTORS, spark.createDataFrame(List.of(
                    RowFactory.create("250410", "batteries", "graphite", 1.0, "natural graphite", "HS2022", "high", "fixture"),
                    RowFactory.create("282520", "batteries", "lithium", 1.0, "lithium hydroxide", "HS2022", "high", "fixture")),
                    Silver.HS6_SECTORS.columns()), null);
        }
    }

    private StageResult anomalies(Warehouse wh, String date) {
        RunContext ctx = new RunContext(RunContext.newRunId(), LocalDate.parse(date), LocalDate.parse(date), config, spark, wh);
        return Pipeline.run(ctx, List.of(new AnomaliesStage())).get(0);
    }

    private static Dataset<Row> withoutRunId(Dataset<Row> rows) {
        return rows.drop(RUN_ID);
    }

    @Test
    void judgesClosedMonthsOnlyAndANightTouchesOnlyWhatClosedOrChanged() {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        writeCube(wh, Map.of());

        // 2023-05-05: April closes on May 10, so it is the month in progress, a third in: never judged.
        StageResult first = anomalies(wh, "2023-05-05");
        assertTrue(first.detail().contains("full rejudge (no earlier anomalies run)"), first.detail());
        Dataset<Row> findings = wh.read(Gold.TREND_ANOMALIES);
        assertEquals(0, findings.where(col(MONTH).geq(lit(Date.valueOf("2023-04-01")))).count(), "April not judged");
        assertEquals(0, wh.read(Gold.ANOMALY_COVERAGE).where(col(MONTH).geq(lit(Date.valueOf("2023-04-01")))).count());
        assertEquals(Date.valueOf("2023-03-01"), wh.read(Gold.ANOMALY_COVERAGE).agg(max(MONTH)).head().getDate(0));

        // The collapse: CN's 2023-02 at 20%, found on CN and on all partners. The alternation of $9.5M and $10.5M is
        // CN's season (every calendar month is one or the other, three years running): February expects $9.5M.
        List<Row> feb = findings.where(col(MONTH).equalTo(lit(Date.valueOf("2023-02-01"))).and(col(DETECTOR).equalTo(SeasonalRobustScore.NAME))
                .and(col(LEVEL).equalTo("hs6"))).orderBy(PARTNER).collectAsList();
        assertEquals(List.of("*", "CN"), feb.stream().map(r -> r.<String>getAs(PARTNER)).toList());
        Row cnRow = feb.get(1);
        assertEquals("down", cnRow.getAs(DIRECTION));
        assertEquals(1.9e6, cnRow.<Double>getAs(OBSERVED), 1e-3);
        assertEquals(9.5e6, cnRow.<Double>getAs(EXPECTED), 1e-3);
        assertEquals("high", cnRow.getAs(SEVERITY));
        assertTrue(cnRow.<String>getAs(EXPLANATION).startsWith("Imports of HS 250410 from CN fell 80% to $1.9M in 2023-02, expected $9.5M"),
                cnRow.<String>getAs(EXPLANATION));
        // Traders behind the fall of all partners: F1 (60% of CN) and F2 (40%) against their median months of the last
        // 12 (CN's median month there is $10.0M): F1 0.6 x (1.9 - 10.0) = -4.86M, F2 0.4 x (1.9 - 10.0) = -3.24M; AU's F3 did not fall.
        Row total = feb.get(0);
        List<Row> traders = total.getList(total.fieldIndex(TOP_TRADERS));
        assertEquals(List.of("F1", "F2"), traders.stream().map(r -> r.getString(0)).toList(), "F3 (AU, JP) did not fall");
        assertEquals(-4.86e6, traders.get(0).getDouble(3), 1e-3);
        assertEquals(-3.24e6, traders.get(1).getDouble(3), 1e-3);
        List<Row> partners = total.getList(total.fieldIndex(TOP_PARTNERS));
        assertEquals("CN", partners.get(0).getString(0));
        assertTrue(total.<String>getAs(PARAMETERS).contains("\"threshold\":3.5"), total.<String>getAs(PARAMETERS));

        // The same date again: nothing changed, nothing rejudged, the table as it was.
        long version = wh.version(Gold.TREND_ANOMALIES);
        StageResult again = anomalies(wh, "2023-05-05");
        assertTrue(again.detail().contains("nothing to judge"), again.detail());
        assertEquals(version, wh.version(Gold.TREND_ANOMALIES));

        // May 15: April closed. Only KR 2023-04 is judged; every earlier finding keeps the first run's id.
        String firstRun = findings.select(RUN_ID).distinct().head().getString(0);
        long before = findings.count();
        StageResult april = anomalies(wh, "2023-05-15");
        assertTrue(april.detail().contains("judged 2 reporter-months (JP 2023-04, KR 2023-04)"), april.detail());
        Dataset<Row> after = wh.read(Gold.TREND_ANOMALIES);
        assertEquals(before, after.where(col(MONTH).lt(lit(Date.valueOf("2023-04-01")))).count());
        assertEquals(1, after.where(col(MONTH).lt(lit(Date.valueOf("2023-04-01")))).select(RUN_ID).distinct().count());
        assertEquals(firstRun, after.where(col(MONTH).lt(lit(Date.valueOf("2023-04-01")))).select(RUN_ID).head().getString(0));
        assertTrue(after.where(col(MONTH).equalTo(lit(Date.valueOf("2023-04-01")))).count() > 0, "April, closed at a third, is a fall");

        // An amendment of 2022-06 (a late correction of CN's value): that month alone is rejudged, and no other.
        writeCube(wh, Map.of("KR|I|250410|CN|2022-06", 2.0e6));
        StageResult amended = anomalies(wh, "2023-05-16");
        assertTrue(amended.detail().contains("judged 1 reporter-months (KR 2022-06)"), amended.detail());
        assertEquals(1, wh.read(Gold.TREND_ANOMALIES).where(col(MONTH).equalTo(lit(Date.valueOf("2022-06-01"))).and(col(PARTNER).equalTo("CN"))
                .and(col(LEVEL).equalTo(SeriesGroup.LEVEL_HS6))
                .and(col(DETECTOR).equalTo(SeasonalRobustScore.NAME))).count(), "the amended month is now a fall");
        assertEquals(firstRun, wh.read(Gold.TREND_ANOMALIES).where(col(MONTH).equalTo(lit(Date.valueOf("2023-02-01"))))
                .select(RUN_ID).distinct().head().getString(0), "later months keep their findings");
    }

    /**
     * The bulletin for 2023-03-15 (as of February 2023) over the cube. CN's cell is two firms (F1, F2): its finding keeps
     * its place but loses its figures. All partners is F1 $1.14M, F2 $0.76M and F3 $5M (AU $3M + JP $2M): three firms,
     * the largest 5 / 6.9 = 72% of it, so it is shown, with February at 1.9 + 3 + 2 = $6.9M.
     */
    @Test
    void theBulletinWithholdsTheFiguresOfACellOfTwoFirms() throws Exception {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        writeCube(wh, Map.of());
        anomalies(wh, "2023-03-15");
        org.ews.report.Bulletin b = new org.ews.report.BulletinQueries(spark, wh, config).build(LocalDate.parse("2023-03-15"));
        assertEquals(LocalDate.parse("2023-02-01"), b.asOfMonth());
        org.ews.report.Bulletin.Alert cn = b.alerts().stream().filter(a -> a.partner().equals("CN") && a.level().equals("hs6")
                && a.detector().equals(SeasonalRobustScore.NAME)).findFirst().orElseThrow();
        assertEquals("fewer than 3 traders", cn.suppressionReason());
        assertNull(cn.observed());
        assertNull(cn.expected());
        assertNull(cn.valueAtStakeUsd());
        assertFalse(cn.explanation().contains("$"), cn.explanation());
        org.ews.report.Bulletin.AlertSeries all = b.headline().stream().filter(h -> h.alert().partner().equals("*")
                && h.alert().level().equals("hs6") && h.alert().detector().equals(SeasonalRobustScore.NAME)).findFirst().orElseThrow();
        assertNull(all.alert().suppressionReason());
        assertEquals(6.9e6, all.alert().observed(), 1e-3);
        // Its stored explanation names CN's change in USD ("mostly CN (-$...)"), a cell of two firms: not published. The
        // published one is written from the shown figures, with the partners behind the fall by code only.
        assertTrue(all.alert().explanation().contains("fell to $6.9M in 2023-02") && all.alert().explanation().contains("mostly CN"),
                all.alert().explanation());
        assertFalse(all.alert().explanation().contains("CN (") || all.alert().explanation().contains("-$"), all.alert().explanation());
        assertNull(cn.score(), "a withheld alert's score goes too (for new_partner it is a share)");
        org.ews.report.Bulletin.Point feb = all.points().get(all.points().size() - 1);
        assertEquals(LocalDate.parse("2023-02-01"), feb.month());
        assertEquals(6.9e6, feb.value(), 1e-3);
        assertEquals(cn(YearMonth.of(2023, 1)) + 5e6, all.points().get(all.points().size() - 2).value(), 1e-3);
        assertEquals(24, all.points().size(), "publish.report.chart_months");
        assertEquals(1, all.bands().stream().filter(x -> x.month().equals(feb.month())).count(), "February's band is drawn");
        // HS 250410's CN series in the headline is a gap every month: no month of it may be drawn. (The batteries sector's
        // CN series also holds F3's lithium: three firms, shown.)
        assertTrue(b.headline().stream().anyMatch(h -> h.alert().partner().equals("CN") && h.alert().level().equals("hs6")));
        b.headline().stream().filter(h -> h.alert().partner().equals("CN") && h.alert().level().equals("hs6")).forEach(h -> {
            assertTrue(h.points().stream().allMatch(p -> p.value() == null && "fewer than 3 traders".equals(p.suppressionReason())));
            assertTrue(h.bands().isEmpty());
        });

        Path out = dir.resolve("report");
        org.ews.report.ReportWriter.write(b, out.toString(), "2023-03-15T00:00:00Z", config.publish().disclosure(),
                spark.sparkContext().hadoopConfiguration());
        String html = java.nio.file.Files.readString(out.resolve("bulletin.html"));
        assertTrue(html.contains("figures withheld: fewer than 3 traders"), "the CN alert is marked, not dropped");
        assertFalse(html.contains("<script") || html.matches("(?s).*(src|href)=\"https?:.*"), "self-contained");
        List<String> alertsCsv = java.nio.file.Files.readAllLines(out.resolve("alerts.csv"));
        assertEquals(b.alerts().size() + 1, alertsCsv.size(), "every finding of the month, with a header");
        assertTrue(alertsCsv.stream().noneMatch(l -> l.contains("F1") || l.contains("F2") || l.contains("F3")), "no firm id in an extract");
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("2023-02-01", manifest.get("as_of_month").asText());
        assertEquals(b.alerts().size(), manifest.get("extracts").get(0).get("rows").asInt());
        assertEquals(b.alerts().stream().filter(a -> a.suppressionReason() != null).count(),
                manifest.get("extracts").get(0).get("rows_with_withheld_figures").asLong());
    }

    @Test
    void nightByNightRunsEqualOneFullRun() {
        // JP's exports to KR of 2023-01 are later corrected to half: KR's imports of that month, unchanged, now
        // stand at twice the exports that mirror them.
        Map<String, Double> correction = Map.of("JP|X|250410|KR|2023-01", 0.95e6);
        Warehouse nightly = new Warehouse(spark, dir.resolve("nightly").toString());
        writeCube(nightly, Map.of());
        anomalies(nightly, "2023-02-15"); // full: closed through 2023-01
        writeCube(nightly, correction);
        StageResult corrected = anomalies(nightly, "2023-03-15");
        // February closed for both reporters; JP's January changed, and KR's January with it (its mirror).
        assertTrue(corrected.detail().contains("judged 4 reporter-months (JP 2023-01..2023-02 (2), KR 2023-01..2023-02 (2))"),
                corrected.detail());
        assertTrue(anomalies(nightly, "2023-04-15").detail().contains("judged 2 reporter-months"));

        Warehouse once = new Warehouse(spark, dir.resolve("once").toString());
        writeCube(once, Map.of());
        writeCube(once, correction);
        anomalies(once, "2023-04-15");
        assertEquals(1, once.read(Gold.TREND_ANOMALIES).where(col(DETECTOR).equalTo(MirrorGap.NAME)
                .and(col(MONTH).equalTo(lit(Date.valueOf("2023-01-01"))))).count(), "KR's imports from JP at 2x JP's exports");
        assertEquals(1, once.read(Gold.TREND_ANOMALIES).where(col(SERIES_KEY).equalTo("282520").and(col(PARTNER).equalTo("CN"))
                .and(col(DETECTOR).equalTo(SeasonalRobustScore.NAME)).and(col(MONTH).equalTo(lit(Date.valueOf("2023-03-01"))))).count());
        Dataset<Row> a = withoutRunId(nightly.read(Gold.TREND_ANOMALIES));
        Dataset<Row> b = withoutRunId(once.read(Gold.TREND_ANOMALIES));
        assertTrue(b.count() > 0);
        SharedSpark.assertSameRows(b, a);
        SharedSpark.assertSameRows(withoutRunId(once.read(Gold.ANOMALY_COVERAGE)), withoutRunId(nightly.read(Gold.ANOMALY_COVERAGE)));
    }

    @Test
    void judgedMonthsAreTheChangedClosedOnesAndThoseThatClosed() {
        LocalDate closed = org.ews.metrics.Periods.closedThrough(LocalDate.parse("2024-03-05"), 10);
        assertEquals(LocalDate.parse("2024-01-01"), closed, "February closes on March 10");
        Map<String, SortedSet<LocalDate>> changed = new TreeMap<>(Map.of(
                "KR", new TreeSet<>(List.of(LocalDate.parse("2023-06-01"), LocalDate.parse("2024-02-01"), LocalDate.parse("2024-03-01")))));
        Map<String, SortedSet<LocalDate>> judged = AnomaliesStage.judgedMonths(changed, java.util.Set.of("KR", "US"),
                LocalDate.parse("2023-12-01"), closed);
        // KR: its amended June, and January (closed since); February and March are still in progress. US: January.
        assertEquals(Map.of("KR", new TreeSet<>(List.of(LocalDate.parse("2023-06-01"), LocalDate.parse("2024-01-01"))),
                "US", new TreeSet<>(List.of(LocalDate.parse("2024-01-01")))), judged);
    }
}
