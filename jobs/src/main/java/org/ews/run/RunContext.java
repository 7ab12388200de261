package org.ews.run;

import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.spark.Warehouse;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * What every stage of one run shares: the run id, the landing dates it covers, configuration, Spark and
 * the warehouse. A nightly run covers one date; a backfill covers a range in one pass.
 */
public record RunContext(String runId, LocalDate from, LocalDate to, EwsConfig config, SparkSession spark,
                         Warehouse warehouse) {

    /**
     * Letters, digits and . _ : + ~ - (Airflow's run ids fit, its default pattern allows ~ too): nothing that could break
     * out of a SQL string, and, dots alone refused, nothing that could climb out of a folder if it named one.
     */
    private static final java.util.regex.Pattern RUN_ID_FORM = java.util.regex.Pattern.compile("[A-Za-z0-9._:+~-]{1,200}");

    public static boolean isValidRunId(String runId) {
        return runId != null && RUN_ID_FORM.matcher(runId).matches() && org.ews.config.SafePaths.component(runId) == null;
    }

    public RunContext {
        if (!isValidRunId(runId)) {
            throw new EwsException("run id '" + runId + "' may hold only letters, digits and . _ : + ~ - (at most 200), not dots alone");
        }
        if (from.isAfter(to)) {
            throw new EwsException("--from " + from + " is after --to " + to);
        }
    }

    /** A run id that sorts by start time and does not collide: {@code 20261122T120501Z-1a2b3c}. */
    public static String newRunId() {
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                + "-" + HexFormat.of().formatHex(suffix);
    }

    public String landing() {
        return config.paths().landing();
    }

    public String describeDates() {
        return from.equals(to) ? from.toString() : from + ".." + to;
    }
}
