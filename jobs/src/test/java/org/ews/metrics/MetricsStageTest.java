package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.testing.GeneratedRun;
import org.ews.testing.Landing;
import org.ews.testing.SharedSpark;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The metrics stage through the launcher, night by night (ingest, conform, metrics), on a hand-made landing zone of KR lithium hydroxide (282520)
 * and lithium-ion cells (850760). F1 owns F2. Months close 10 days after their end. Expected figures in the comments.
 */
@ExtendWith(SharedSpark.class)
class MetricsStageTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";

    @TempDir
    Path dir;

    private Dataset<Row> table(Path wh, String name) {
        return SharedSpark.session().read().format("delta").load(wh.resolve(name.replace('.', '/')).toUri().toString());
    }

    private String nightly(Landing l, Path wh, String date) {
        return GeneratedRun.ews("nightly", "--date", date, "--landing", l.root().toString(), "--warehouse", wh.toString());
    }

    private static Row one(Dataset<Row> rows) {
        List<Row> all = rows.collectAsList();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static double money(Row r, String column) {
        return ((BigDecimal) r.getAs(column)).doubleValue();
    }

    @Test
    void nightByNightALateAmendmentReachesItsYearAndUntouchedSlicesKeepTheirRows() {
        Landing l = new Landing(dir.resolve("landing"));
        Path wh = dir.resolve("wh");
        l.firms("2024-01-01", "firm_id,name,country,registration_number,lei,industry_code,industry_scheme,employees,revenue_usd,aliases\n"
                + "F1,\"Hanseong Materials Co., Ltd.\",KR,356-84-85498,,20110,KSIC,100,,\n"
                + "F2,\"Daewon Cells Co., Ltd.\",KR,111-22-33333,,28202,KSIC,100,,\n");
        l.ownership("2024-01-01", "parent_firm_id,child_firm_id,ownership_pct\nF1,F2,100\n");
        // Night 1 (closed through Nov 2023): December 2023 filed late, January 2024 on time.
        l.customs("KR", "2024-01-05", "part-0001.csv", HEADER + "\n"
                + "D1,1,1,I,2023-12-20,282520,CN,356-84-85498,Hanseong Materials,800,USD,8000,KG,\n"
                + "D2,1,1,I,2023-12-21,282520,CL,111-22-33333,Daewon Cells,200,USD,2000,KG,\n"
                + "D3,1,1,I,2024-01-05,282520,CN,356-84-85498,Hanseong Materials,300,USD,3000,KG,\n"
                + "D4,1,1,X,2024-01-05,282520,VN,111-22-33333,Daewon Cells,100,USD,1000,KG,\n");
        // Night 2 (closes December): D2 amended from 200 to 600, and cells from JP.
        l.customs("KR", "2024-01-11", "part-0001.csv", HEADER + "\n"
                + "D2,1,2,I,2023-12-21,282520,CL,111-22-33333,Daewon Cells,600,USD,6000,KG,\n"
                + "D5,1,1,I,2024-01-11,850760,JP,111-22-33333,Daewon Cells,1000,USD,,,\n");
        // Night 3 (nothing closes): more cells, February only.
        l.customs("KR", "2024-02-05", "part-0001.csv", HEADER + "\n"
                + "D6,1,1,I,2024-02-05,850760,JP,356-84-85498,Hanseong Materials,500,USD,,,\n");

        String first = nightly(l, wh, "2024-01-05");
        assertTrue(first.contains("full recompute (no earlier metrics run)"), first);
        Row y2023 = one(table(wh, "gold.product_dependency").where("hs6 = '282520' AND year = 2023"));
        // CN 800, CL 200: top 0.8, HHI 0.64 + 0.04; 2023 is partial (December open, and the data starts in it).
        assertEquals(0.8, y2023.getAs("top_partner_share"), 1e-12);
        assertEquals(0.68, y2023.getAs("hhi"), 1e-12);
        assertTrue(y2023.<Boolean>getAs("is_partial_year"));
        Row y2024 = one(table(wh, "gold.product_dependency").where("hs6 = '282520' AND year = 2024"));
        assertEquals(3.0, y2024.getAs("import_export_ratio"), 1e-12, "imports 300 / exports 100");
        assertEquals(0, table(wh, "gold.product_dependency_12m").count(), "no closed month has trade yet");

        String second = nightly(l, wh, "2024-01-11");
        assertTrue(second.contains("incremental"), second);
        y2023 = one(table(wh, "gold.product_dependency").where("hs6 = '282520' AND year = 2023"));
        // The amendment: CN 800, CL 600 of 1400: top 4/7, HHI (16 + 9) / 49.
        assertEquals(1400.0, money(y2023, "import_value_usd"), 1e-9);
        assertEquals(4.0 / 7, y2023.getAs("top_partner_share"), 1e-12);
        assertEquals(25.0 / 49, y2023.getAs("hhi"), 1e-12);
        assertEquals(List.of("eu_2021", "kr_ews_50"), y2023.getList(y2023.fieldIndex("screens")));
        assertTrue(one(table(wh, "gold.trade_monthly").where("partner = 'CL'")).<Boolean>getAs("is_closed_month"), "December closed");
        Row window = one(table(wh, "gold.product_dependency_12m").where("hs6 = '282520'"));
        assertEquals(java.sql.Date.valueOf("2023-12-01"), window.getAs("month"));
        assertTrue(window.<Boolean>getAs("is_partial_window"), "the data starts in December");
        List<Row> watch = table(wh, "gold.watchlist").orderBy("screen").collectAsList();
        assertEquals(2, watch.size(), watch.toString());
        for (Row w : watch) {
            assertEquals("new", w.getAs("status"));
            assertEquals(3, (int) w.getAs("tier"), "HHI 0.51 but US$1,400: below the US$1M of tier 2");
        }
        String night2Run = one(table(wh, "gold.product_dependency").where("hs6 = '282520' AND year = 2023")).getAs("run_id");

        String third = nightly(l, wh, "2024-02-05");
        // Two product-years rewritten (2024's two products); KR's 2023 row, copied by Delta, does not count as written.
        assertTrue(third.contains("product_dependency 2,"), third);
        // February changed 2024 only: the 2023 rows and December's cube rows are night 2's.
        assertEquals(night2Run, one(table(wh, "gold.product_dependency").where("hs6 = '282520' AND year = 2023")).getAs("run_id"));
        assertEquals(0, table(wh, "gold.trade_monthly").where(col("month").equalTo(java.sql.Date.valueOf("2023-12-01"))
                .and(col("run_id").notEqual(night2Run))).count());
        Row cells = one(table(wh, "gold.product_dependency").where("hs6 = '850760' AND year = 2024"));
        assertEquals(1500.0, money(cells, "import_value_usd"), 1e-9);
        // F1's group in batteries, 2024: cells 0.8 x (F2's 1000 + F1's 500) = 1200 from JP, and lithium hydroxide
        // 0.5 x F1's 300 = 150 from CN: 1350, 8/9 from JP, two products, two firms.
        Row group = one(table(wh, "gold.firm_exposure").where("sector = 'batteries' AND year = 2024"));
        assertEquals("F1", group.getAs("parent_firm_id"));
        assertEquals(2L, (long) group.getAs("firms"));
        assertEquals(2L, (long) group.getAs("products"));
        assertEquals(1350.0, money(group, "import_value_usd"), 1e-9);
        assertEquals("JP", group.getAs("top_partner"));
        assertEquals(8.0 / 9, group.getAs("top_partner_share"), 1e-12);
        assertFalse(group.<Boolean>getAs("is_exposed"), "US$1,350 is below the US$1M floor");

        // A rerun of the night (conform rewrites its lines with the same values) leaves every gold table as it was, but
        // for the run id.
        List<List<Row>> before = goldWithoutRunId(wh);
        nightly(l, wh, "2024-02-05");
        assertEquals(before, goldWithoutRunId(wh));
    }

    private List<List<Row>> goldWithoutRunId(Path wh) {
        return Gold.ALL.stream().map(TableSpec::qualifiedName).map(t -> {
            Dataset<Row> d = table(wh, t).drop("run_id");
            return d.orderBy(d.columns()[0], java.util.Arrays.stream(d.columns()).skip(1).toArray(String[]::new)).collectAsList();
        }).toList();
    }
}
