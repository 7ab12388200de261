package org.ews.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What readers get: disclosure control of everything that leaves the warehouse (bulletin, extracts), how long Delta
 * keeps old versions, what {@code bin/ews maintain} does, and what the bulletin shows.
 */
public record PublishConfig(
        @JsonProperty("disclosure") Disclosure disclosure,
        @JsonProperty("retention") Retention retention,
        @JsonProperty("maintain") Maintain maintain,
        @JsonProperty("report") Report report) {

    /**
     * Statistical disclosure control of customs microdata (the threshold rule and the dominance rule of official trade
     * statistics): a published cell is suppressed when fewer than {@code min_traders} distinct firms make it up, or when
     * one firm makes up more than {@code max_dominance_share} of its value. Suppressed cells are kept and marked.
     */
    public record Disclosure(
            @JsonProperty("min_traders") int minTraders,
            @JsonProperty("max_dominance_share") double maxDominanceShare) {}

    /**
     * Delta table properties set on every table: how long the transaction log keeps a version's entry
     * ({@code delta.logRetentionDuration}), and the least time files a newer version no longer needs are kept before
     * VACUUM may delete them ({@code delta.deletedFileRetentionDuration}). What time travel and the change data feed
     * can read is bounded by both and by {@code maintain.vacuum_retain_hours}.
     */
    public record Retention(
            @JsonProperty("log_days") int logDays,
            @JsonProperty("deleted_file_days") int deletedFileDays) {}

    /** {@code bin/ews maintain}: compaction with Z-ordering on the columns analysts filter by, then VACUUM. */
    public record Maintain(
            @JsonProperty("optimize") boolean optimize,
            @JsonProperty("zorder") boolean zorder,
            /* VACUUM keeps files needed by versions younger than this: how far back time travel and the change data feed can
               actually read (30 days, as the log keeps); never below retention.deleted_file_days. */
            @JsonProperty("vacuum_retain_hours") int vacuumRetainHours) {}

    /** The bulletin ({@code bin/ews report}, and the publish stage of every run). */
    public record Report(
            /* Whether the publish stage of a run writes the bulletin (false: tables are published, the bulletin only on bin/ews report). */
            @JsonProperty("on_run") boolean onRun,
            /* Where the publish stage writes <dir>/<date>/ (local path or s3a://, abfss://...); empty: a "reports" folder beside the warehouse. */
            @JsonProperty("dir") String dir,
            /* Lowest severity of the headline alerts: low, medium or high. */
            @JsonProperty("min_severity") String minSeverity,
            /* Headline alerts shown with a chart; all alerts of the month are in the extract. */
            @JsonProperty("max_alerts") int maxAlerts,
            /* Months of history drawn in an alert's chart, up to the flagged month. */
            @JsonProperty("chart_months") int chartMonths) {}

    /** Where the publish stage writes bulletins: {@code report.dir}, or a {@code reports} folder beside the warehouse. */
    public String reportsRoot(String qualifiedWarehouse) {
        if (report.dir() != null && !report.dir().isBlank()) {
            return report.dir();
        }
        String w = qualifiedWarehouse.replaceAll("/+$", "");
        java.net.URI uri = java.net.URI.create(w);
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            return w + "/reports"; // a warehouse at a bucket's root: beside it would be another bucket
        }
        return w.substring(0, w.lastIndexOf('/') + 1) + "reports";
    }

    public static final List<String> SEVERITIES = List.of("low", "medium", "high");

    public static PublishConfig defaults() {
        return new PublishConfig(
                new Disclosure(3, 0.85),
                new Retention(30, 7),
                new Maintain(true, true, 720),
                new Report(true, "", "medium", 12, 24));
    }

    void validate() {
        require(disclosure.minTraders() >= 1, "publish.disclosure.min_traders", "must be at least 1, got " + disclosure.minTraders());
        require(disclosure.maxDominanceShare() > 0 && disclosure.maxDominanceShare() <= 1, "publish.disclosure.max_dominance_share",
                "must be a share above 0 and at most 1 (1 switches the dominance rule off), got " + disclosure.maxDominanceShare());
        require(retention.logDays() >= 1, "publish.retention.log_days", "must be at least 1, got " + retention.logDays());
        require(retention.deletedFileDays() >= 0, "publish.retention.deleted_file_days", "must be >= 0, got " + retention.deletedFileDays());
        require(maintain.vacuumRetainHours() >= 24L * retention.deletedFileDays(), "publish.maintain.vacuum_retain_hours",
                "must be at least publish.retention.deleted_file_days x 24 (" + 24 * retention.deletedFileDays()
                        + "): a shorter VACUUM would delete files a reader of a recent version still needs; got " + maintain.vacuumRetainHours());
        if (report.dir() != null && !report.dir().isBlank()) {
            String problem = SafePaths.writableDir(report.dir(), false);
            require(problem == null, "publish.report.dir", problem);
        }
        require(SEVERITIES.contains(report.minSeverity()), "publish.report.min_severity",
                "must be one of " + SEVERITIES + ", got '" + report.minSeverity() + "'");
        require(report.maxAlerts() >= 1 && report.maxAlerts() <= 200, "publish.report.max_alerts", "must be from 1 to 200, got " + report.maxAlerts());
        require(report.chartMonths() >= 3 && report.chartMonths() <= 120, "publish.report.chart_months",
                "must be from 3 to 120, got " + report.chartMonths());
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new ConfigException(key, message);
        }
    }
}
