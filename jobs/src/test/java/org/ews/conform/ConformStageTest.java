package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.cli.Main;
import org.ews.conform.entity.EntityResolver;
import org.ews.testing.Landing;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Ingest and conform through the launcher on a hand-made landing zone shaped like real statistics: partner names and
 * codes, CN8/HSK codes with dots and spaces, EUR and KRW values, grams and tonnes, an amendment landing a day later,
 * an identical resend, a registry that learns a firm later. Every expected value is worked out in the comments.
 */
@ExtendWith(SharedSpark.class)
class ConformStageTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";

    @TempDir
    Path dir;

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.ENV);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private String nightly(Landing l, Path wh, String date) {
        return run("nightly", "--date", date, "--landing", l.root().toString(), "--warehouse", wh.toString());
    }

    private Dataset<Row> table(Path wh, String name) {
        return SharedSpark.session().read().format("delta").load(wh.resolve(name.replace('.', '/')).toUri().toString());
    }

    private Landing landing() {
        Landing l = new Landing(dir.resolve("landing"));
        // Rates chosen so the sums are easy: 1 EUR = 1.0875 USD, 1 KRW = 0.00075 USD in March 2024.
        Landing.write(l.root().resolve("reference/fx_rates/rates.csv"), "currency,month,usd_per_unit\nEUR,2024-03,1.0875\nKRW,2024-03,0.00075\n");
        l.firms("2024-01-01", "firm_id,name,country,registration_number,lei,industry_code,industry_scheme,employees,revenue_usd,aliases\n"
                + "F1,\"Hanseong Semicon Co., Ltd.\",KR,356-84-85498,,26110,KSIC,100,,한성반도체\n"
                + "F2,\"Hanseong Electronics Co., Ltd.\",KR,111-22-33333,,26110,KSIC,100,,\n"
                + "F3,Apex Devices Inc.,US,12-3456789,,334413,NAICS,50,,\n"
                + "F4,\"Daejin Holdings Co., Ltd.\",KR,222-33-44444,,64200,KSIC,10,,\n");
        // The same firm listed again in a second file of the snapshot must not double its lines.
        Landing.write(l.root().resolve("corporate/firms/date=2024-01-01/firms-part2.csv"),
                "firm_id,name,country,registration_number,lei,industry_code,industry_scheme,employees,revenue_usd,aliases\n"
                        + "F1,\"Hanseong Semicon Co., Ltd.\",KR,356-84-85498,,26110,KSIC,100,,한성반도체\n");
        // F4 holds 60% of F1; F4 itself is 80% held by F9, which the registry does not know; F2's 30% of F3 is no control.
        l.ownership("2024-01-01", "parent_firm_id,child_firm_id,ownership_pct\nF4,F1,60\nF9,F4,80\nF2,F3,30\n");
        l.customs("KR", "2024-03-01", "part-0001.csv", HEADER + "\n"
                + "D1,1,1,I,2024-03-01,8542.31.00,China,356-84-85498,HANSEONG SEMICON CO LTD,1000,EUR,10,U,0.5\n"
                + "D1,2,1,I,2024-03-01,2504 10 0000,CHN,,주식회사 한성반도체,1334000,KRW,2.5,TNE,\n"
                + "D2,1,1,X,2024-02-28,282520,Viet Nam,,\"Hanseong Electronics Co.,Ltd.\",200,USD,40,KG,40\n"
                + "D3,1,1,I,2024-03-01,81129210,EL,,Unknown Trading Co.,500,USD,1500,G,\n"
                + "D4,1,1,I,2024-03-01,280530,Atlantis,,Someone,100,USD,,,\n"
                + "D5,1,1,I,2024-03-01,280530,156,,Someone,100,KPW,,,\n");
        // A day later: D1/1 amended (1000 -> 900 EUR), D2/1 re-sent unchanged, D3/1 amended to a partner nobody
        // knows: version 1 stays in force.
        l.customs("KR", "2024-03-02", "part-0001.csv", HEADER + "\n"
                + "D1,1,2,I,2024-03-01,8542.31.00,China,356-84-85498,HANSEONG SEMICON CO LTD,900,EUR,10,U,0.5\n"
                + "D3,1,2,I,2024-03-01,81129210,Atlantis,,Unknown Trading Co.,500,USD,1500,G,\n"
                + "D2,1,1,X,2024-02-28,282520,Viet Nam,,\"Hanseong Electronics Co.,Ltd.\",200,USD,40,KG,40\n");
        return l;
    }

    private static Map<String, Row> byKey(Dataset<Row> lines) {
        Map<String, Row> m = new TreeMap<>();
        lines.collectAsList().forEach(r -> m.put(r.getAs("declaration_id") + "/" + r.getAs("line_no"), r));
        return m;
    }

    private static void assertAmount(String expected, Object actual) {
        assertNotNull(actual);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual), "expected " + expected + ", got " + actual);
    }

    @Test
    void linesConformAmendmentsWinResendsChangeNothingAndRerunsChangeNothing() {
        Landing l = landing();
        Path wh = dir.resolve("wh");
        nightly(l, wh, "2024-03-01");
        nightly(l, wh, "2024-03-02");

        Map<String, Row> lines = byKey(table(wh, "silver.trade_lines"));
        assertEquals(List.of("D1/1", "D1/2", "D2/1", "D3/1"), List.copyOf(lines.keySet()));
        assertEquals(4, table(wh, "silver.trade_lines").count(), "one row per declaration line");

        Row d11 = lines.get("D1/1");
        assertEquals(2, (int) d11.getAs("version"));
        assertAmount("978.75", d11.getAs("value_usd"));           // 900 x 1.0875
        assertEquals("854231", d11.getAs("hs6"));
        assertEquals("85423100", d11.getAs("hs_national"));
        assertEquals("HS2022", d11.getAs("hs_edition"));
        assertEquals("CN", d11.getAs("partner"));
        assertEquals("F1", d11.getAs("firm_id"));
        assertEquals("id", d11.getAs("match_method"));
        assertEquals("F4", d11.getAs("parent_firm_id"), "F1 rolls up to F4; F4's owner F9 is not in the registry");
        assertNull(d11.getAs("quantity_kg"));
        assertAmount("10", d11.getAs("supplementary_quantity"));

        Row d12 = lines.get("D1/2");
        assertEquals("250410", d12.getAs("hs6"));
        assertAmount("1000.5", d12.getAs("value_usd"));           // 1,334,000 x 0.00075
        assertAmount("2500", d12.getAs("quantity_kg"));           // 2.5 t
        assertEquals("F1", d12.getAs("firm_id"), "the Korean name with its legal form is F1's alias");
        assertEquals("name", d12.getAs("match_method"));

        Row d21 = lines.get("D2/1");
        assertEquals("VN", d21.getAs("partner"));
        assertEquals("F2", d21.getAs("firm_id"), "Hanseong Electronics, not Hanseong Semicon");
        assertEquals("F2", d21.getAs("parent_firm_id"), "a 30% stake in another firm makes F2 no one's child");
        assertEquals(java.sql.Date.valueOf("2024-03-01"), d21.getAs("landing_date"), "the resend changed nothing");
        assertEquals(java.sql.Date.valueOf("2024-02-01"), d21.getAs("month"));

        Row d31 = lines.get("D3/1");
        assertEquals(1, (int) d31.getAs("version"), "version 2 cannot be used, so version 1 stays in force");
        assertEquals("GR", d31.getAs("partner"), "Eurostat writes Greece EL");
        assertAmount("1.5", d31.getAs("quantity_kg"));            // 1,500 g
        assertEquals("unresolved", d31.getAs("match_method"));
        assertEquals(EntityResolver.syntheticId("KR", "unknown trading"), d31.getAs("firm_id"));
        assertEquals(d31.<String>getAs("firm_id"), d31.getAs("parent_firm_id"));

        Map<String, String> reasons = new TreeMap<>();
        table(wh, "bronze.quarantine").where(col("stage").equalTo("conform")).collectAsList()
                .forEach(r -> reasons.put(r.getAs("reason_code"), r.getAs("reason")));
        assertEquals(3, table(wh, "bronze.quarantine").where(col("stage").equalTo("conform")).count());
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.get("unknown_partner").contains("'Atlantis'"), reasons.toString());
        assertTrue(reasons.get("missing_fx_rate").contains("KPW in 2024-03"), reasons.toString());

        assertEquals(4, table(wh, "silver.firms").count(), "F1 listed twice is one firm");
        Row firmF4 = table(wh, "silver.firms").where(col("firm_id").equalTo("F4")).head();
        assertEquals("missing_parent", firmF4.getAs("ownership_issue"));

        // A rerun of the second night leaves every silver table as it was, run ids aside.
        List<String> before = snapshot(wh);
        nightly(l, wh, "2024-03-02");
        assertEquals(before, snapshot(wh));
    }

    private List<String> snapshot(Path wh) {
        List<String> out = new java.util.ArrayList<>();
        for (String t : List.of("silver.trade_lines", "silver.firms", "silver.entity_matches", "bronze.quarantine")) {
            table(wh, t).drop("run_id").toJSON().collectAsList().stream().sorted().forEach(s -> out.add(t + " " + s));
        }
        return out;
    }

    @Test
    void aNewRegistrySnapshotRelinksTheEarlierLinesOfTradersItNowKnows() {
        Landing l = landing();
        Path wh = dir.resolve("wh");
        run("backfill", "--from", "2024-03-01", "--to", "2024-03-02", "--landing", l.root().toString(), "--warehouse", wh.toString());
        Row d31 = byKey(table(wh, "silver.trade_lines")).get("D3/1");
        assertEquals("unresolved", d31.getAs("match_method"));
        assertEquals(1, (int) d31.getAs("version"), "a backfill keeps the usable version, as nightly runs do");

        l.firms("2024-04-01", "firm_id,name,country,registration_number,lei,industry_code,industry_scheme,employees,revenue_usd,aliases\n"
                + "F1,\"Hanseong Semicon Co., Ltd.\",KR,356-84-85498,,26110,KSIC,100,,한성반도체\n"
                + "F2,\"Hanseong Electronics Co., Ltd.\",KR,111-22-33333,,26110,KSIC,100,,\n"
                + "F3,Apex Devices Inc.,US,12-3456789,,334413,NAICS,50,,\n"
                + "F4,\"Daejin Holdings Co., Ltd.\",KR,222-33-44444,,64200,KSIC,10,,\n"
                + "F5,\"Unknown Trading Co., Ltd.\",KR,333-44-55555,,46800,KSIC,5,,\n");
        String out = nightly(l, wh, "2024-04-01");
        Map<String, Row> lines = byKey(table(wh, "silver.trade_lines"));
        assertEquals("F5", lines.get("D3/1").getAs("firm_id"));
        assertEquals("name", lines.get("D3/1").getAs("match_method"));
        // The ownership snapshot of 2024-01-01 is still the newest: F1 still rolls up to F4.
        assertEquals("F4", lines.get("D1/1").getAs("parent_firm_id"));
        assertTrue(out.contains("1 earlier lines relinked"), out);
    }
}
