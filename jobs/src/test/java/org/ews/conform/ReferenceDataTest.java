package org.ews.conform;

import org.apache.spark.sql.Row;
import org.ews.run.EwsException;
import org.ews.testing.Dirs;
import org.ews.testing.Landing;
import org.ews.testing.SharedSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Reference files are read by the driver, file by file: a folder of several files, a BOM, CRLF and bad rows. */
class ReferenceDataTest {
    @TempDir
    Path dir;

    private Path reference() {
        Path ref = dir.resolve("reference");
        Dirs.copy(Path.of("../conf/reference"), ref);
        return ref;
    }

    @Test
    void landingRatesFromEveryFileOfTheFolderWinOverTheShippedOnes() {
        Path ref = reference();
        Path landing = dir.resolve("landing");
        // Two files, one with a byte-order mark and CRLF line ends, one hidden file that must be ignored.
        Landing.write(landing.resolve("reference/fx_rates/a.csv"), "\uFEFFcurrency,month,usd_per_unit\r\nEUR,2024-03,1.5\r\n");
        Landing.write(landing.resolve("reference/fx_rates/b.csv"), "currency,month,usd_per_unit\nKRW,2024-03,0.002\n");
        Landing.write(landing.resolve("reference/fx_rates/.c.csv"), "currency,month,usd_per_unit\nJPY,2024-03,9\n");
        ReferenceData r = ReferenceData.load(SharedSpark.session(), ref.toString(), landing.toString());

        List<Row> march = r.fxRates().where("fx_month = '2024-03' AND currency IN ('EUR', 'KRW', 'JPY')")
                .orderBy("currency").collectAsList();
        assertEquals(3, march.size(), march.toString());
        assertEquals(0, new BigDecimal("1.5").compareTo(march.get(0).getDecimal(2)), march.toString());
        assertNotEquals(0, new BigDecimal("9").compareTo(march.get(1).getDecimal(2)), "the hidden file was read: " + march);
        assertEquals(0, new BigDecimal("0.002").compareTo(march.get(2).getDecimal(2)), march.toString());
        assertTrue(r.fxSources().endsWith("overridden by " + org.ews.spark.Warehouse.qualify(landing.toString()) + "/reference/fx_rates"),
                r.fxSources());
        // The shipped files, counted independently: units.csv has 92 data rows, hs6_sectors.csv 151.
        assertEquals(92, r.units().count());
        assertEquals(151, r.hs6Sectors().count());
    }

    @Test
    void aBadRowStopsTheRunNamingItsFileAndRow() {
        Path ref = reference();
        Path landing = dir.resolve("landing");
        Landing.write(landing.resolve("reference/fx_rates/rates.csv"), "currency,month,usd_per_unit\nEUR,2024-03,1.1\nKRW,2024-3,0.001\n");
        EwsException e = assertThrows(EwsException.class,
                () -> ReferenceData.load(SharedSpark.session(), ref.toString(), landing.toString()));
        assertTrue(e.getMessage().contains("rates.csv data row 2: month '2024-3' is not YYYY-MM"), e.getMessage());
    }
}
