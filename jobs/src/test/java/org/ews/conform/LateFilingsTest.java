package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.cli.Main;
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
import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Late filings and amendments across landing dates, through ingest and conform into silver.trade_lines: the version in
 * force wins whatever order the versions land in and however far apart; a line filed weeks after its month lands in
 * its month. ConformStageTest already covers an amendment landing the next day (in nightly runs and in a backfill), an
 * identical resend and an amendment that cannot be used; these are the cases it does not have, checked after the
 * nightly ingest and conform of the three landing dates in order.
 *
 * <pre>
 * landed 2024-03-01  A1/1 v1 dated 02-28  100 USD       the original
 *                    B1/1 v1 dated 01-15   50 USD       January's own line
 *                    C1/1 v2 dated 02-20   90 USD       an amendment that lands before its original
 * * landed 2024-03-11  A1/1 v2 dated 02-28   90 USD       version 2, ten days after version 1
 *                    B2/1 v1 dated 01-20   70 USD       a late filing of January, seven weeks on
 *                    C1/1 v1 dated 02-20  100 USD       the original, ten days after its amendment
 * * </pre>
 */
@ExtendWith(SharedSpark.class)
class LateFilingsTest {
    private static final String HEADER = "declaration_id,line_no,version,flow,declaration_date,hs_code,partner_country,"
            + "trader_id,trader_name,value,currency,quantity,quantity_unit,net_weight_kg";
    private static final List<String> DATES = List.of("2024-03-01", "2024-03-11");

    @TempDir
    Path dir;

    private static String line(String id, int version, String date, String value) {
        return id + ",1," + version + ",I," + date + ",850440,CN,,ACME Co," + value + ",USD,,,\n";
    }

    private Landing landing() {
        Landing l = new Landing(dir.resolve("landing"));
        l.firms("2024-01-01", "firm_id,name,country\nF1,ACME Co,KR\n");
        l.customs("KR", "2024-03-01", "part-0001.csv", HEADER + "\n" + line("A1", 1, "2024-02-28", "100")
                + line("B1", 1, "2024-01-15", "50") + line("C1", 2, "2024-02-20", "90"));
        l.customs("KR", "2024-03-11", "part-0001.csv", HEADER + "\n" + line("A1", 2, "2024-02-28", "90")
                + line("B2", 1, "2024-01-20", "70") + line("C1", 1, "2024-02-20", "100"));
        return l;
    }

    private static void ews(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), org.ews.testing.TestEnv.ENV);
        assertEquals(0, exit, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
    }

    private static Path nightlyRuns(Landing l, Path wh) {
        for (String d : DATES) {
            for (String stage : List.of("ingest", "conform")) {
                ews(stage, "--date", d, "--landing", l.root().toString(), "--warehouse", wh.toString());
            }
        }
        return wh;
    }

    @Test
    void theVersionInForceWinsInWhateverOrderAndWhenTheVersionsLand() {
        assertSilver(nightlyRuns(landing(), dir.resolve("wh")), "nightly runs in landing order");
    }

    /**
     * Version 1 dated 2024-02-28 lands on 03-01; version 2, its date corrected to 2024-03-01, lands on 03-11. silver must
     * hold one row, version 2, in March. It holds two: conform MERGEs on (reporter, month, declaration_id, line_no), so
     * version 2 finds no row in March's partition and is inserted, and version 1 stays in February's. A backfill of the
     * whole range does not meet it (the batch keeps the highest version before the MERGE). Disabled until conform removes an
     * amended line from the month it left (README, "Known limits").
     */
    @org.junit.jupiter.api.Disabled("known bug: an amendment that moves a line to another month leaves both versions in silver")
    @Test
    void anAmendmentThatMovesALineToAnotherMonthLeavesOneRow() {
        Landing l = new Landing(dir.resolve("landing"));
        l.firms("2024-01-01", "firm_id,name,country\nF1,ACME Co,KR\n");
        l.customs("KR", "2024-03-01", "part-0001.csv", HEADER + "\n" + line("E1", 1, "2024-02-28", "10"));
        l.customs("KR", "2024-03-11", "part-0001.csv", HEADER + "\n" + line("E1", 2, "2024-03-01", "12"));
        Path wh = nightlyRuns(l, dir.resolve("wh"));
        List<Row> rows = SharedSpark.session().read().format("delta").load(wh.resolve("silver/trade_lines").toUri().toString())
                .collectAsList();
        assertEquals(1, rows.size(), "one row per declaration line: " + rows);
        expect(rows.get(0), 2, "12", "2024-03-11", "2024-03-01", "the amended line, in its new month");
    }

    private static void assertSilver(Path wh, String how) {
        Dataset<Row> silver = SharedSpark.session().read().format("delta").load(wh.resolve("silver/trade_lines").toUri().toString());
        Map<String, Row> lines = new TreeMap<>();
        for (Row r : silver.collectAsList()) {
            assertNull(lines.put(r.getAs("declaration_id") + "/" + r.getAs("line_no"), r),
                    how + ": one row per declaration line, got two of " + r.getAs("declaration_id"));
        }
        assertEquals(List.of("A1/1", "B1/1", "B2/1", "C1/1"), List.copyOf(lines.keySet()), how);

        expect(lines.get("A1/1"), 2, "90", "2024-03-11", "2024-02-01", how + ": version 2 ten days after version 1");
        expect(lines.get("B1/1"), 1, "50", "2024-03-01", "2024-01-01", how + ": January's line stays");
        expect(lines.get("B2/1"), 1, "70", "2024-03-11", "2024-01-01", how + ": a late filing goes to its own month");
        expect(lines.get("C1/1"), 2, "90", "2024-03-01", "2024-02-01", how + ": an original landing after its amendment does not win");
    }

    private static void expect(Row r, int version, String valueUsd, String landing, String month, String what) {
        assertEquals(version, (int) r.getAs("version"), what);
        assertEquals(0, new BigDecimal(valueUsd).compareTo(r.getAs("value_usd")), what + ": value_usd " + r.getAs("value_usd"));
        assertEquals(Date.valueOf(landing), r.getAs("landing_date"), what);
        assertEquals(Date.valueOf(month), r.getAs("month"), what);
    }
}
