package org.ews.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything the bulletin and its extracts show for one date, after disclosure control: a figure that would reveal a
 * firm is null and its row carries the reason. Built by {@link BulletinQueries}, drawn by {@link BulletinHtml}, written
 * as extracts by {@link ReportWriter}.
 */
public record Bulletin(LocalDate date, LocalDate asOfMonth, String runId, List<String> reporters, List<Alert> alerts,
                       List<AlertSeries> headline, int sectorYear, boolean sectorYearPartial, List<SectorRow> sectors,
                       LocalDate watchlistAsOf, List<WatchChange> watchChanges, DataQuality dataQuality, String disclosureRule) {

    /** One finding of the month. Figures are null when the finding's cell is confidential ({@code suppressionReason}). */
    public record Alert(String reporter, String flow, String level, String seriesKey, String label, String partner,
                        LocalDate month, String metric, Double observed, Double expected, Double lower, Double upper,
                        Double score, String direction, String detector, String severity, Double valueAtStakeUsd,
                        String explanation, List<String> topPartners, String suppressionReason) {

        /** "Imports of HS 250410 (natural graphite) from CN". */
        public String title() {
            String what = "hs6".equals(level) ? "HS " + seriesKey + (label == null ? "" : " " + label) : "sector " + seriesKey;
            String from = "*".equals(partner) ? "all partners" : ("I".equals(flow) ? "from " : "to ") + partner;
            return ("I".equals(flow) ? "Imports" : "Exports") + " of " + what + ", " + from;
        }

        public String seriesId() {
            return String.join("|", reporter, flow, level, seriesKey, partner, metric);
        }
    }

    /** One month of an alert's series: the metric's value, or null (no trade, or confidential with its reason). */
    public record Point(LocalDate month, Double value, String suppressionReason) {}

    /** The expected value and band a finding of the series gave for one month. */
    public record Band(LocalDate month, Double expected, Double lower, Double upper) {}

    /** A headline alert with the months before it, and the bands of its series' findings in that window. */
    public record AlertSeries(Alert alert, List<Point> points, List<Band> bands) {}

    /** Sector exposure of one reporter; figures null when the sector's or its top partner's cell is confidential. */
    public record SectorRow(String reporter, String sector, int year, Double importValueUsd, Long partners, String topPartner,
                            Double topPartnerShare, Double hhi, Double concernShare, Long dependentProducts, Long firmsExposed,
                            boolean partialYear, String suppressionReason) {}

    /** An item that entered or left the watchlist at the as-of month. */
    public record WatchChange(String reporter, String hs6, String label, String screen, String status, Integer tier,
                              LocalDate firstSeen, LocalDate lastSeen, LocalDate asOfMonth, Double importValueUsd,
                              String topPartner, Double topPartnerShare, Double hhi, String suppressionReason) {}

    /** One stage of the run behind the bulletin, from ops.runs. */
    public record StageRun(String stage, String status, Long rowsIn, Long rowsQuarantined, Long rowsOut, double seconds,
                           String message) {}

    /** The anomaly stage's coverage of the as-of month for one reporter. */
    public record Coverage(String reporter, long series, long judged, long immaterial, long shortHistory, long findings) {}

    /** A data-quality check of the run that failed (ops.dq_results): a warning, or the error that stopped the run. */
    public record QualityCheck(String stage, String table, String rule, String level, String slice, String message) {}

    /** How many data-quality checks of the run passed, failed as warnings, failed as errors, were skipped. */
    public record CheckCounts(long passed, long warnings, long errors, long skipped) {
        public static final CheckCounts NONE = new CheckCounts(0, 0, 0, 0);

        public long total() {
            return passed + warnings + errors + skipped;
        }
    }

    public record DataQuality(String runId, LocalDate dateFrom, LocalDate dateTo, List<StageRun> stages,
                              Map<String, Long> quarantinedByReason, List<Coverage> coverage, CheckCounts checkCounts,
                              List<QualityCheck> failedChecks) {}

    public long suppressedAlerts() {
        return alerts.stream().filter(a -> a.suppressionReason() != null).count();
    }
}
