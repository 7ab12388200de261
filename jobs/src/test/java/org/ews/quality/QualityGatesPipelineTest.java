package org.ews.quality;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.report.Bulletin;
import org.ews.report.BulletinHtml;
import org.ews.report.BulletinQueries;
import org.ews.spark.Warehouse;
import org.ews.tables.Ops;
import org.ews.tables.Silver;
import org.ews.testing.Landing;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.ews.testing.Launcher;
import org.ews.testing.Launcher.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The gates inside the conform stage, through the launcher as a scheduler runs it (ingest then conform, one run id).
 * The config adds two rules to silver.trade_lines: a declaration has one line (error; a stand-in for a broken business
 * key that the pipeline itself cannot produce, since it keeps one version per line) and trader ids are given (warning).
 * Night 1 lands two one-line declarations, one without a trader id: a warning, written. Night 2 lands a declaration
 * with two lines: its (reporter, declaration_id) is not unique in the batch, the run fails before silver is written.
 */
@ExtendWith(SharedSpark.class)
class QualityGatesPipelineTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";
    private static final String CONFIG = """
            quality:
              rules:
                silver.trade_lines:
                  - {check: unique, columns: [reporter, declaration_id, line_no], level: error}
                  - {check: unique, columns: [reporter, declaration_id], level: error, name: one_line_per_declaration}
                  - {check: complete, columns: [trader_id], level: warning}
            """;

    private final SparkSession spark = SharedSpark.session();

    @TempDir
    Path dir;

    private static Result ews(String... args) {
        return Launcher.run(TestEnv.WITH_QUALITY, args);
    }

    private Result stage(String stage, String date, String runId, Landing l, Path wh, Path config) {
        return ews(stage, "--date", date, "--run-id", runId, "--landing", l.root().toString(), "--warehouse", wh.toString(),
                "--config", config.toString());
    }

    @Test
    void anErrorStopsConformBeforeSilverIsWrittenAndAWarningReachesTheBulletin() {
        Path config = Landing.write(dir.resolve("quality.yaml"), CONFIG);
        Landing l = new Landing(dir.resolve("landing"));
        l.firms("2024-03-01", "firm_id,name,country,registration_number,lei,industry_code,industry_scheme,employees,revenue_usd,aliases\n"
                + "F1,Hanseong Semicon Co. Ltd.,KR,356-84-85498,,26110,KSIC,100,,\n");
        l.customs("KR", "2024-03-01", "part-0001.csv", HEADER + "\n"
                + "D1,1,1,I,2024-03-01,854231,CN,356-84-85498,Hanseong Semicon Co. Ltd.,1000,USD,10,KG,10\n"
                + "D2,1,1,I,2024-03-01,854231,JP,,Someone Else Ltd.,500,USD,5,KG,5\n");
        l.customs("KR", "2024-03-02", "part-0001.csv", HEADER + "\n"
                + "D3,1,1,I,2024-03-02,854231,CN,356-84-85498,Hanseong Semicon Co. Ltd.,700,USD,7,KG,7\n"
                + "D3,2,1,I,2024-03-02,250410,CN,356-84-85498,Hanseong Semicon Co. Ltd.,300,USD,3,KG,3\n");
        Path wh = dir.resolve("wh");

        // Night 1: passes its error rules; one of two lines has no trader id (completeness 0.5): a warning, and written.
        assertEquals(0, stage("ingest", "2024-03-01", "night-1", l, wh, config).exit());
        Result night1 = stage("conform", "2024-03-01", "night-1", l, wh, config);
        assertEquals(0, night1.exit(), night1.err());
        Warehouse warehouse = new Warehouse(spark, wh.toString());
        assertEquals(2, warehouse.read(Silver.TRADE_LINES).count());
        long silverVersion = warehouse.version(Silver.TRADE_LINES);
        List<Row> warning = warehouse.read(Ops.DQ_RESULTS).where(col("run_id").equalTo("night-1").and(col("status").equalTo("failed")))
                .select("stage", "table_name", "rule", "level", "metric_value").collectAsList();
        assertEquals(1, warning.size(), warning.toString());
        assertEquals("[conform,silver.trade_lines,complete(trader_id),warning,0.5]", warning.get(0).toString());

        // ... and in the bulletin's data-quality section for that date.
        EwsConfig cfg = ConfigLoader.create().environment(Map.of()).file(config).set("paths.warehouse", wh.toString()).load();
        Bulletin.DataQuality dq = new BulletinQueries(spark, warehouse, cfg).dataQuality(LocalDate.parse("2024-03-01"), LocalDate.parse("2024-02-01"));
        assertEquals("night-1", dq.runId());
        assertEquals(1, dq.checkCounts().warnings());
        assertEquals(0, dq.checkCounts().errors());
        assertEquals(List.of("complete(trader_id)"), dq.failedChecks().stream().map(Bulletin.QualityCheck::rule).toList());
        String html = BulletinHtml.render(new Bulletin(LocalDate.parse("2024-03-01"), LocalDate.parse("2024-02-01"), dq.runId(), List.of("KR"),
                List.of(), List.of(), 2024, true, List.of(), null, List.of(), dq, "rule"), "now");
        assertTrue(html.contains("Data-quality checks") && html.contains("1 warnings, 0 errors"), html);
        assertTrue(html.contains("silver.trade_lines: complete(trader_id) failed: 1 of 2 rows have no trader_id"), html);

        // Night 2: D3 has two lines, so (KR, D3) is not unique: conform fails before writing, naming the rule.
        assertEquals(0, stage("ingest", "2024-03-02", "night-2", l, wh, config).exit());
        Result night2 = stage("conform", "2024-03-02", "night-2", l, wh, config);
        assertEquals(1, night2.exit(), night2.out());
        assertTrue(night2.err().contains("data-quality rule one_line_per_declaration (error) failed"), night2.err());
        assertEquals(silverVersion, warehouse.version(Silver.TRADE_LINES), "silver.trade_lines as it was");
        assertEquals(2, warehouse.read(Silver.TRADE_LINES).count());
        Row run = warehouse.read(Ops.RUNS).where(col("run_id").equalTo("night-2").and(col("stage").equalTo("conform")))
                .select("status", "message").head();
        assertEquals("failed", run.getString(0));
        assertTrue(run.getString(1).contains("one_line_per_declaration") && run.getString(1).contains("2 of 2 rows share their (reporter, declaration_id)"),
                run.getString(1));
        Dataset<Row> errors = warehouse.read(Ops.DQ_RESULTS).where(col("run_id").equalTo("night-2").and(col("status").equalTo("failed")));
        assertEquals(List.of("one_line_per_declaration"), errors.where(col("level").equalTo("error")).select("rule")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(0, warehouse.read(Ops.DQ_METRICS).where(col("run_id").equalTo("night-2")).count(),
                "a stopped day's metrics do not become history");
    }
}
