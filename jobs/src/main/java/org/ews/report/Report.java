package org.ews.report;

import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.spark.Warehouse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** The bulletin for one date, from the published tables into one folder: what {@code bin/ews report} and the publish stage run. */
public final class Report {
    private Report() {}

    public static ReportWriter.Written write(SparkSession spark, Warehouse wh, EwsConfig config, LocalDate date, String dir) {
        Bulletin b = new BulletinQueries(spark, wh, config).build(date);
        return ReportWriter.write(b, dir, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), config.publish().disclosure(),
                spark.sparkContext().hadoopConfiguration());
    }

    /** "reports/2025-12-31: bulletin.html, alerts 12 rows, ..., 5 rows with withheld figures". */
    public static String describe(ReportWriter.Written w) {
        StringBuilder s = new StringBuilder(w.dir()).append("/bulletin.html; extracts:");
        w.rows().forEach((k, v) -> s.append(' ').append(k).append(' ').append(v).append(','));
        return s.append(" rows with withheld figures ").append(w.withheldCells()).toString();
    }
}
