package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The watchlist at September 2024, with items dropped after 3 failing months. Each item's passes are listed in its
 * comment; the expected status, first_seen and last_seen follow from the rule "listed while the latest pass is less
 * than 3 months old".
 */
@ExtendWith(SharedSpark.class)
class WatchlistTest {
    private static final org.ews.config.MetricsConfig.Watchlist SETTINGS = EwsConfig.defaults().metrics().watchlist();
    private final SparkSession spark = SharedSpark.session();

    private Dataset<Row> windows() {
        List<String> v = new ArrayList<>();
        // A: passes Jan-Jun, fails Jul-Aug, passes Sep: never 3 failures in a row -> continuing since Jan. Tier 2.
        for (int m = 1; m <= 9; m++) {
            v.add(row("A", m, m <= 6 || m == 9, 0.6, 0.6, 2_000_000));
        }
        // B: passes Jun only -> listed Jun-Aug, dropped in Sep.
        for (int m = 1; m <= 9; m++) {
            v.add(row("B", m, m == 6, 0.6, 0.6, 2_000_000));
        }
        // C: passes Sep only -> new in Sep. 95% from one country, US$20M: tier 1.
        v.add(row("C", 9, true, 0.95, 0.9, 20_000_000));
        // D: passes Jan-Feb, then Sep: 7 months apart -> a new listing from Sep. Small: tier 3.
        for (int m : new int[]{1, 2, 9}) {
            v.add(row("D", m, true, 0.55, 0.45, 1_000));
        }
        // E: passed Jan only -> dropped in Apr, not on the list in Sep.
        v.add(row("E", 1, true, 0.6, 0.6, 1_000));
        // G: passes Mar-Apr only -> listed Mar-Jun.
        for (int m : new int[]{3, 4}) {
            v.add(row("G", m, true, 0.6, 0.6, 1_000));
        }
        // H: passes Jan, then Jul-Sep: two listings, the second from July.
        for (int m : new int[]{1, 7, 8, 9}) {
            v.add(row("H", m, true, 0.6, 0.6, 1_000));
        }
        // F: passes Oct, after the as-of month: not seen yet.
        v.add(row("F", 10, true, 0.6, 0.6, 1_000));
        return spark.sql("SELECT reporter, hs6, month, IF(pass, array('kr_ews_50'), array()) AS screens, "
                + "CAST(share AS DOUBLE) AS top_partner_share, CAST(hhi AS DOUBLE) AS hhi, "
                + "CAST(imp AS DECIMAL(24,6)) AS import_value_usd, 'CN' AS top_partner, 0.5D AS concern_share FROM VALUES "
                + String.join(", ", v) + " AS t(reporter, hs6, month, pass, share, hhi, imp)");
    }

    private static String row(String item, int month, boolean pass, double share, double hhi, long value) {
        return String.format("('KR', '%s', DATE'2024-%02d-01', %s, %s, %s, %d)", item, month, pass, share, hhi, value);
    }

    @Test
    void listedUntilThreeFailingMonthsWithTiersFromTheLatestWindow() {
        Map<String, Row> list = Watchlist.at(windows(), LocalDate.parse("2024-09-01"), LocalDate.parse("2024-08-01"), SETTINGS)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("hs6"), r -> r));
        assertEquals(List.of("A", "B", "C", "D", "H"), list.keySet().stream().sorted().toList());

        assertEquals("continuing", list.get("A").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-01-01"), list.get("A").getAs("first_seen"));
        assertEquals(java.sql.Date.valueOf("2024-09-01"), list.get("A").getAs("last_seen"));
        assertEquals(2, (int) list.get("A").getAs("tier"), "HHI 0.6 and US$2M");

        assertEquals("dropped", list.get("B").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-06-01"), list.get("B").getAs("last_seen"));
        assertNull(list.get("B").getAs("tier"));

        assertEquals("new", list.get("C").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-09-01"), list.get("C").getAs("first_seen"));
        assertEquals(1, (int) list.get("C").getAs("tier"));

        assertEquals("new", list.get("D").getAs("status"), "back after 7 months: a new listing");
        assertEquals(java.sql.Date.valueOf("2024-09-01"), list.get("D").getAs("first_seen"));
        assertEquals(3, (int) list.get("D").getAs("tier"));

        // One month earlier B is still listed (2 months since its pass) and A continues through its weak months.
        Map<String, Row> aug = Watchlist.at(windows(), LocalDate.parse("2024-08-01"), LocalDate.parse("2024-07-01"), SETTINGS)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("hs6"), r -> r));
        assertEquals(List.of("A", "B", "H"), aug.keySet().stream().sorted().toList());
        assertEquals("continuing", aug.get("B").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-06-01"), aug.get("A").getAs("last_seen"));
    }

    @Test
    void afterAnOutageStatusComparesWithTheListPublishedLast() {
        // The list before was published at May; the next at September. A was listed at both; C and D are listed now and
        // were not then; G was listed in May (passed in April) and is gone now, so it is reported dropped although it
        // left in July; B entered in June and left in September between the two lists: never published, not reported.
        Map<String, Row> list = Watchlist.at(windows(), LocalDate.parse("2024-09-01"), LocalDate.parse("2024-05-01"), SETTINGS)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("hs6"), r -> r));
        assertEquals(List.of("A", "C", "D", "G", "H"), list.keySet().stream().sorted().toList());
        assertEquals("continuing", list.get("A").getAs("status"));
        assertEquals("new", list.get("C").getAs("status"));
        assertEquals("new", list.get("D").getAs("status"));
        assertEquals("dropped", list.get("G").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-03-01"), list.get("G").getAs("first_seen"));
        assertEquals(java.sql.Date.valueOf("2024-04-01"), list.get("G").getAs("last_seen"));
    }

    @Test
    void anItemThatLeftAndCameBackSinceTheLastListIsNewAndTheFirstListIsAllNew() {
        // Published at February: H was listed (its January pass). It left in April and came back in July, so at
        // September its listing began after February: new, though listed at both dates. A has stayed since January.
        Map<String, Row> list = Watchlist.at(windows(), LocalDate.parse("2024-09-01"), LocalDate.parse("2024-02-01"), SETTINGS)
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("hs6"), r -> r));
        assertEquals("new", list.get("H").getAs("status"));
        assertEquals(java.sql.Date.valueOf("2024-07-01"), list.get("H").getAs("first_seen"));
        assertEquals("continuing", list.get("A").getAs("status"));
        // With no list before (a first run), every listed item is new and none is dropped.
        List<Row> first = Watchlist.at(windows(), LocalDate.parse("2024-09-01"), MetricsStage.NO_LIST_BEFORE, SETTINGS).collectAsList();
        assertEquals(List.of("new"), first.stream().map(r -> (String) r.getAs("status")).distinct().toList());
        assertEquals(List.of("A", "C", "D", "H"), first.stream().map(r -> (String) r.getAs("hs6")).sorted().toList());
    }
}
