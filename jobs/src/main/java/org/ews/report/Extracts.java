package org.ews.report;

import java.util.ArrayList;
import java.util.List;

import static org.ews.report.ReportWriter.row;

/**
 * The bulletin's content as flat tables for downstream generators: the same figures the page shows, withheld the same
 * way (null figure, {@code suppressed = true}, {@code suppression_reason}). Column names follow the gold tables'.
 */
final class Extracts {
    private Extracts() {}

    private static final String SUPPRESSED = "suppressed";
    private static final String REASON = "suppression_reason";

    static List<ReportWriter.Extract> of(Bulletin b) {
        List<ReportWriter.Extract> all = new ArrayList<>();

        List<List<Object>> alerts = new ArrayList<>();
        for (Bulletin.Alert a : b.alerts()) {
            alerts.add(row(a.reporter(), a.flow(), a.level(), a.seriesKey(), a.label(), a.partner(), a.month(), a.metric(),
                    a.observed(), a.expected(), a.lower(), a.upper(), a.score(), a.direction(), a.detector(), a.severity(),
                    a.valueAtStakeUsd(), a.explanation(), String.join(";", a.topPartners()), a.suppressionReason() != null,
                    a.suppressionReason()));
        }
        all.add(new ReportWriter.Extract("alerts", "Every finding of the as-of month (gold.trend_anomalies), most severe first; "
                + "top_partners are the partner codes behind an all-partners change, without their figures",
                List.of("reporter", "flow", "level", "series_key", "label", "partner", "month", "metric", "observed", "expected",
                        "lower", "upper", "score", "direction", "detector", "severity", "value_at_stake_usd", "explanation",
                        "top_partners", SUPPRESSED, REASON), alerts, withheld(b.alerts().stream().map(Bulletin.Alert::suppressionReason).toList())));

        List<List<Object>> series = new ArrayList<>();
        List<String> seriesReasons = new ArrayList<>();
        for (Bulletin.AlertSeries s : b.headline()) {
            Bulletin.Alert a = s.alert();
            for (Bulletin.Point p : s.points()) {
                Bulletin.Band band = s.bands().stream().filter(x -> x.month().equals(p.month())).findFirst().orElse(null);
                series.add(row(a.seriesId(), a.reporter(), a.flow(), a.level(), a.seriesKey(), a.partner(), a.metric(), p.month(),
                        p.value(), band == null ? null : band.expected(), band == null ? null : band.lower(),
                        band == null ? null : band.upper(), p.month().equals(a.month()), p.suppressionReason() != null,
                        p.suppressionReason()));
                seriesReasons.add(p.suppressionReason());
            }
        }
        all.add(new ReportWriter.Extract("alert_series", "The monthly series of each headline alert (the bulletin's charts), "
                + "with the expected value and band where a finding gave one",
                List.of("series_id", "reporter", "flow", "level", "series_key", "partner", "metric", "month", "value", "expected",
                        "lower", "upper", "flagged", SUPPRESSED, REASON), series, withheld(seriesReasons)));

        List<List<Object>> sectors = new ArrayList<>();
        for (Bulletin.SectorRow r : b.sectors()) {
            sectors.add(row(r.reporter(), r.sector(), r.year(), r.partialYear(), r.importValueUsd(), r.partners(), r.topPartner(),
                    r.topPartnerShare(), r.hhi(), r.concernShare(), r.dependentProducts(), r.firmsExposed(),
                    r.suppressionReason() != null, r.suppressionReason()));
        }
        all.add(new ReportWriter.Extract("sector_exposure", "Sector exposure of the as-of month's year (gold.sector_exposure)",
                List.of("reporter", "sector", "year", "is_partial_year", "import_value_usd", "partners", "top_partner",
                        "top_partner_share", "hhi", "concern_share", "dependent_products", "firms_exposed", SUPPRESSED, REASON),
                sectors, withheld(b.sectors().stream().map(Bulletin.SectorRow::suppressionReason).toList())));

        List<List<Object>> watch = new ArrayList<>();
        for (Bulletin.WatchChange w : b.watchChanges()) {
            watch.add(row(w.reporter(), w.hs6(), w.label(), w.screen(), w.status(), w.tier(), w.firstSeen(), w.lastSeen(),
                    w.asOfMonth(), w.importValueUsd(), w.topPartner(), w.topPartnerShare(), w.hhi(),
                    w.suppressionReason() != null, w.suppressionReason()));
        }
        all.add(new ReportWriter.Extract("watchlist_changes", "Products that entered (new) or left (dropped) the watchlist at the "
                + "as-of month (gold.watchlist), with their 12-month figures",
                List.of("reporter", "hs6", "label", "screen", "status", "tier", "first_seen", "last_seen", "as_of_month",
                        "import_value_usd", "top_partner", "top_partner_share", "hhi", SUPPRESSED, REASON),
                watch, withheld(b.watchChanges().stream().map(Bulletin.WatchChange::suppressionReason).toList())));

        Bulletin.DataQuality dq = b.dataQuality();
        List<List<Object>> stages = new ArrayList<>();
        dq.stages().forEach(s -> stages.add(row(dq.runId(), s.stage(), s.status(), s.rowsIn(), s.rowsQuarantined(), s.rowsOut(),
                s.seconds(), s.message())));
        all.add(new ReportWriter.Extract("data_quality_stages", "The stages of the run behind the bulletin (ops.runs)",
                List.of("run_id", "stage", "status", "rows_in", "rows_quarantined", "rows_out", "seconds", "message"), stages, 0));
        List<List<Object>> reasons = new ArrayList<>();
        dq.quarantinedByReason().forEach((k, v) -> reasons.add(row(dq.runId(), dq.dateFrom(), dq.dateTo(), k, v)));
        all.add(new ReportWriter.Extract("data_quality_quarantine", "Rows quarantined on the run's landing dates, by reason "
                + "(bronze.quarantine; the rows themselves stay in the warehouse)",
                List.of("run_id", "date_from", "date_to", "reason_code", "rows"), reasons, 0));
        List<List<Object>> checks = new ArrayList<>();
        dq.failedChecks().forEach(c -> checks.add(row(dq.runId(), c.stage(), c.table(), c.rule(), c.level(), c.slice(), c.message())));
        all.add(new ReportWriter.Extract("data_quality_checks", "Data-quality checks of the run that failed (ops.dq_results): "
                + "warnings, and the error that stopped a run; money only as a relative change",
                List.of("run_id", "stage", "table", "rule", "level", "slice", "message"), checks, 0));
        List<List<Object>> coverage = new ArrayList<>();
        dq.coverage().forEach(c -> coverage.add(row(c.reporter(), b.asOfMonth(), c.series(), c.judged(), c.immaterial(),
                c.shortHistory(), c.findings())));
        all.add(new ReportWriter.Extract("anomaly_coverage", "Series the detectors judged in the as-of month, per reporter "
                + "(gold.anomaly_coverage)", List.of("reporter", "month", "series", "series_judged", "series_immaterial",
                "series_short_history", "findings"), coverage, 0));
        return all;
    }

    private static long withheld(List<String> reasons) {
        return reasons.stream().filter(r -> r != null).count();
    }
}
