package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.run.Pipeline;
import org.ews.run.RunContext;
import org.ews.run.StageResult;
import org.ews.run.EwsException;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;
import org.ews.testing.GeneratedRun;
import org.ews.testing.Dirs;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Incremental metrics against a full recompute where the scope is hardest to get right: four and a half years of
 * history, a screen that looks back three years (a condition held two years, persisting in 2 of 3) and an amendment
 * whose effect shows only three years later, an amendment of a line three years old, a back-dated filing that moves a reporter's first month, four months closing in one run, and
 * a run that dies right after its cube writes. Silver is written directly, so only the metrics stage
 * runs.
 */
@ExtendWith(SharedSpark.class)
class IncrementalScopeTest {
    private static final List<String> PRODUCTS = List.of("250410", "282520", "850760", "854231");
    private static final List<String> PARTNERS = List.of("CN", "CN", "JP", "CL", "TW", "CN", "US");
    private final SparkSession spark = SharedSpark.session();

    @TempDir
    Path dir;

    /** One line; the partner drifts with the year so that screens pass in some years and not others. */
    private static Row line(String reporter, String id, LocalDate date, String hs6, String partner, String flow, double value) {
        return RowFactory.create(reporter, id, 1, 1, flow, Date.valueOf(date), Date.valueOf(date.withDayOfMonth(1)), hs6, partner,
                "F" + Math.floorMod(id.hashCode(), 5), "P" + Math.floorMod(id.hashCode(), 3), BigDecimal.valueOf(value), BigDecimal.valueOf(value / 10));
    }

    private static List<Row> lines(String reporter, LocalDate from, LocalDate to) {
        List<Row> out = new ArrayList<>();
        int n = 0;
        for (LocalDate m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            for (String hs6 : PRODUCTS) {
                for (int k = 0; k < 3; k++) {
                    int pick = Math.floorMod((m.getYear() * 31 + m.getMonthValue() * 7 + hs6.hashCode() + k * 13), PARTNERS.size());
                    String partner = hs6.equals("250410") && m.getYear() % 2 == 0 ? "CN" : PARTNERS.get(pick);
                    out.add(line(reporter, reporter + "-" + (n++), m.plusDays(k * 9), hs6, partner, k == 2 && hs6.equals("854231") ? "X" : "I",
                            1000 + 37.0 * ((n * 7919) % 101)));
                }
            }
        }
        return out;
    }

    private Dataset<Row> silverRows(List<Row> rows) {
        StructType given = new StructType(new StructField[]{
                DataTypes.createStructField("reporter", DataTypes.StringType, false),
                DataTypes.createStructField("declaration_id", DataTypes.StringType, false),
                DataTypes.createStructField("line_no", DataTypes.IntegerType, false),
                DataTypes.createStructField("version", DataTypes.IntegerType, false),
                DataTypes.createStructField("flow", DataTypes.StringType, false),
                DataTypes.createStructField("declaration_date", DataTypes.DateType, false),
                DataTypes.createStructField("month", DataTypes.DateType, false),
                DataTypes.createStructField("hs6", DataTypes.StringType, false),
                DataTypes.createStructField("partner", DataTypes.StringType, false),
                DataTypes.createStructField("firm_id", DataTypes.StringType, false),
                DataTypes.createStructField("parent_firm_id", DataTypes.StringType, false),
                DataTypes.createStructField("value_usd", DataTypes.createDecimalType(24, 6), false),
                DataTypes.createStructField("quantity_kg", DataTypes.createDecimalType(24, 6), false)});
        Dataset<Row> d = spark.createDataFrame(rows, given);
        for (StructField f : Silver.TRADE_LINES.columns().fields()) {
            if (!List.of(d.columns()).contains(f.name())) {
                d = d.withColumn(f.name(), lit(null).cast(f.dataType()));
            }
        }
        return d;
    }

    private static void mergeIntoSilver(Warehouse wh, Dataset<Row> rows) {
        wh.upsert(Silver.TRADE_LINES, rows, "t.reporter = s.reporter AND t.month = s.month AND t.declaration_id = s.declaration_id"
                + " AND t.line_no = s.line_no", null);
    }

    private EwsConfig config() throws Exception {
        Path yaml = Files.writeString(dir.resolve("metrics.yaml"), """
                metrics:
                  screens:
                    cn_two_years_persistent:
                      all:
                        - {metric: top_partner, op: "=", value: CN, held_in_years: 2}
                        - {metric: top_partner_share, op: ">=", value: 0.3}
                      persistence: {min_years: 2, of_years: 3}
                """);
        return ConfigLoader.create().environment(Map.of()).file(yaml).load();
    }

    private StageResult metrics(Warehouse wh, EwsConfig config, String date) {
        RunContext ctx = new RunContext(RunContext.newRunId(), LocalDate.parse(date), LocalDate.parse(date), config, spark, wh);
        return Pipeline.run(ctx, List.of(new MetricsStage())).get(0);
    }

    @Test
    void incrementalRunsEqualOneFullRecomputeAcrossLookBackFirstMonthMovesClosureJumpsAndACrash() throws Exception {
        EwsConfig config = config();
        assertEquals(3, config.metrics().lookbackYears(), "held 2 years (1 back) within persistence over 3 (2 more back)");
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        wh.overwrite(Silver.HS6_SECTORS, spark.sql("SELECT * FROM VALUES ('250410', 'critical_minerals', 'graphite', 1.0D), "
                        + "('282520', 'critical_minerals', 'lithium', 0.5D), ('282520', 'batteries', 'lithium_chemicals', 0.5D), "
                        + "('850760', 'batteries', 'cells', 1.0D), ('854231', 'semiconductors', 'logic', 1.0D) "
                        + "AS t(hs6, sector, subsector, weight)")
                .withColumn("label", lit("x")).withColumn("hs_edition", lit("HS2022")).withColumn("confidence", lit("high"))
                .withColumn("run_id", lit("setup")));

        List<Row> history = new ArrayList<>(lines("KR", LocalDate.parse("2019-06-01"), LocalDate.parse("2023-03-01")));
        history.addAll(lines("US", LocalDate.parse("2020-01-01"), LocalDate.parse("2023-03-01")));
        // JP's gallium (811292): from CN in 2019-2021, from KR in 2022. "CN top two years running" holds in 2020 and
        // 2021, so 2022 passes the persistent screen (2 of 2020-2022) although its own year fails.
        for (int y = 2019; y <= 2022; y++) {
            history.add(line("JP", "JP-" + y, LocalDate.of(y, 1, 10), "811292", y == 2022 ? "KR" : "CN", "I", 1_000));
        }
        mergeIntoSilver(wh, silverRows(history));
        assertTrue(metrics(wh, config, "2023-04-20").detail().contains("full recompute"));
        Column gallium2022 = col("reporter").equalTo("JP").and(col("hs6").equalTo("811292")).and(col("year").equalTo(2022));
        Column persistent = array_contains(col("screens"), "cn_two_years_persistent");
        assertEquals(1, wh.read(Gold.PRODUCT_DEPENDENCY).where(gallium2022.and(persistent)).count());

        // An amendment of a 2020 line (its partner was wrong), a back-dated 2019-02 filing for KR, and April-July 2023.
        Row old = history.stream().filter(r -> r.getString(0).equals("KR") && r.getDate(6).toLocalDate().equals(LocalDate.parse("2020-05-01"))
                && r.getString(7).equals("250410")).findFirst().orElseThrow();
        List<Row> batch = new ArrayList<>();
        batch.add(line("KR", old.getString(1), old.getDate(5).toLocalDate(), "250410", "JP", "I", 250_000));
        batch.add(line("KR", "KR-late", LocalDate.parse("2019-02-14"), "250410", "JP", "I", 5_000));
        // JP's 2019 gallium really came from KR: 2020 no longer has CN two years running, so 2022 (three years on,
        // touched by nothing else in this run) must lose the persistent screen.
        batch.add(line("JP", "JP-2019", LocalDate.of(2019, 1, 10), "811292", "KR", "I", 1_000));
        batch.addAll(lines("KR", LocalDate.parse("2023-04-01"), LocalDate.parse("2023-07-01")));
        batch.addAll(lines("US", LocalDate.parse("2023-04-01"), LocalDate.parse("2023-07-01")));
        mergeIntoSilver(wh, silverRows(batch));
        String second = metrics(wh, config, "2023-08-25").detail();
        assertTrue(second.contains("incremental") && second.contains("closed through 2023-07") && second.contains("vs 2023-03"), second);
        assertEquals(0, wh.read(Gold.PRODUCT_DEPENDENCY).where(gallium2022.and(persistent)).count(), "reached three years on");

        // A back-dated US filing moves US's first month from 2020-01 to 2019-09, and the run dies right after writing
        // the cubes (a constraint makes the next write fail). Its rerun must still widen the scope to every year and
        // window whose partial flag the move changes, though the cube it starts from already has the new first month.
        mergeIntoSilver(wh, silverRows(List.of(line("US", "US-late", LocalDate.parse("2019-09-03"), "282520", "CN", "I", 7_000))));
        String pd = "delta.`" + wh.location(Gold.PRODUCT_DEPENDENCY) + "`";
        spark.sql("ALTER TABLE " + pd + " ADD CONSTRAINT fail_next_run CHECK (NOT (reporter = 'US' AND year = 2019))");
        EwsException died = assertThrows(EwsException.class, () -> metrics(wh, config, "2023-08-25"));
        assertTrue(died.getMessage().contains("constraint"), died.getMessage());
        assertEquals(1, wh.read(Gold.TRADE_MONTHLY).where("reporter = 'US' AND month = DATE'2019-09-01'").count(), "the cube was written");
        spark.sql("ALTER TABLE " + pd + " DROP CONSTRAINT fail_next_run");
        assertTrue(metrics(wh, config, "2023-08-25").detail().contains("incremental"));

        Warehouse full = new Warehouse(spark, dir.resolve("full").toString());
        Dirs.copy(dir.resolve("wh/silver"), dir.resolve("full/silver"));
        assertTrue(metrics(full, config, "2023-08-25").detail().contains("full recompute"));
        // Gold must match row for row (GoldTables says what may differ: run ids, and the watchlist's status).
        List<String> differences = GoldTables.differences(wh::read, full::read);
        assertEquals(List.of(), differences);
        // The look-back screen passes somewhere and fails somewhere, so the comparison above has something to compare.
        Column cn = array_contains(col("screens"), "cn_two_years_persistent");
        Dataset<Row> products = wh.read(Gold.PRODUCT_DEPENDENCY);
        assertTrue(products.where(cn).count() > 0 && products.where(not(cn)).count() > 0);
        assertEquals(1, products.where("reporter = 'US' AND year = 2019").count(), "the back-dated US filing has its year");
        assertEquals(4, products.where("reporter = 'US' AND year = 2020 AND NOT is_partial_year").count(),
                "US data now starts in 2019-09: all four products' 2020 is covered");
        assertEquals(0, wh.read(Gold.WATCHLIST).where(col("as_of_month").notEqual(Date.valueOf("2023-07-01"))).count());

        // Nothing new: nothing but the watchlist is rewritten, and it keeps comparing with March.
        List<Row> watchlist = wh.read(Gold.WATCHLIST).drop("run_id").orderBy("reporter", "hs6", "screen").collectAsList();
        assertTrue(metrics(wh, config, "2023-08-25").detail().startsWith("up to date"));
        assertEquals(watchlist, wh.read(Gold.WATCHLIST).drop("run_id").orderBy("reporter", "hs6", "screen").collectAsList());
    }


}
