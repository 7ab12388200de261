package org.ews.report;

import org.ews.charts.BarChart;
import org.ews.charts.LineChart;
import org.ews.charts.Numbers;
import org.ews.charts.Svg;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

/**
 * The bulletin as one self-contained HTML page: inline CSS and inline SVG charts, no script, nothing fetched, so it
 * opens the same from a mail attachment, a file share or an air-gapped machine, and prints on A4. Every withheld figure
 * shows as "c" with its reason in a tooltip and the rule in the footer.
 */
public final class BulletinHtml {
    private BulletinHtml() {}

    /** HHI above this is "highly concentrated" (EU 2021 strategic dependencies method; DOMAIN.md). */
    private static final double CONCENTRATED_HHI = 0.4;
    /** Watchlist products listed on the page; the extract has them all. */
    private static final int MAX_WATCH_ROWS = 30;

    private static final String CSS = """
            :root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee6;--bg:#f6f7f9;--high:#b3261e;--medium:#c26a00;--low:#5b6575;--ok:#1b7f4a}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1080px;margin:0 auto;padding:24px 28px 40px;background:#fff}
            header{border-bottom:3px solid var(--ink);padding-bottom:12px;margin-bottom:18px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
            h3{font-size:14px;margin:0 0 6px}
            .sub{color:var(--muted);font-size:13px}
            .kpis{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;margin:14px 0 4px}
            .kpi{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
            .kpi b{display:block;font-size:22px}.kpi span{color:var(--muted);font-size:12px}
            .alerts{display:grid;grid-template-columns:1fr 1fr;gap:14px}
            .card{border:1px solid var(--line);border-left:5px solid var(--low);border-radius:6px;padding:10px 12px;break-inside:avoid}
            .card.high{border-left-color:var(--high)}.card.medium{border-left-color:var(--medium)}
            .badge{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:#fff;background:var(--low);border-radius:3px;padding:1px 6px;margin-right:6px}
            .badge.high{background:var(--high)}.badge.medium{background:var(--medium)}
            .card p{margin:4px 0 6px;font-size:13px}
            .figs{display:flex;gap:14px;font-size:12px;color:var(--muted);margin-top:4px;flex-wrap:wrap}.figs b{color:var(--ink)}
            table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0 10px}
            th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{background:var(--bg);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .c{color:var(--muted);font-style:italic}
            .hot{color:var(--high);font-weight:600}
            .two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
            .note{color:var(--muted);font-size:12px}
            footer{margin-top:28px;border-top:1px solid var(--line);padding-top:10px;color:var(--muted);font-size:12px}
            .pill{display:inline-block;border-radius:10px;padding:0 7px;font-size:11.5px;background:var(--bg);border:1px solid var(--line)}
            .pill.new{background:#fdecea;border-color:#f5c2bd}.pill.dropped{background:#e8f5ee;border-color:#b9e0c8}
            @media print{body{background:#fff}main{padding:0}.alerts{grid-template-columns:1fr 1fr}}
            """;

    public static String render(Bulletin b, String generatedAt) {
        StringBuilder h = new StringBuilder(64_000);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Supply-chain early warning: bulletin ").append(b.date()).append("</title><style>")
                .append(CSS).append("</style></head><body><main>");
        header(h, b, generatedAt);
        alerts(h, b);
        sectors(h, b);
        watchlist(h, b);
        dataQuality(h, b);
        h.append("<footer><p><b>Confidentiality.</b> ").append(esc(b.disclosureRule()))
                .append(" Withheld figures show as <span class=\"c\">c</span>; hover for the reason. Firm-level data is never published.</p>")
                .append("<p><b>Methods.</b> Alerts: robust, seasonally adjusted scores of each monthly series against its own trailing")
                .append(" history (gold.trend_anomalies; the band is what the history expected). Concentration: Herfindahl-Hirschman")
                .append(" index of supplier countries, 0-1, above ").append(CONCENTRATED_HHI).append(" highly concentrated.")
                .append(" Money in US dollars at monthly exchange rates.</p>")
                .append("<p>Run ").append(esc(nz(b.runId()))).append(" &middot; generated ").append(esc(generatedAt))
                .append(" &middot; machine-readable extracts and manifest.json beside this file.</p></footer>");
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, Bulletin b, String generatedAt) {
        long high = b.alerts().stream().filter(a -> "high".equals(a.severity())).count();
        long medium = b.alerts().stream().filter(a -> "medium".equals(a.severity())).count();
        long entered = b.watchChanges().stream().filter(w -> "new".equals(w.status())).map(w -> w.reporter() + w.hs6()).distinct().count();
        long left = b.watchChanges().stream().filter(w -> "dropped".equals(w.status())).map(w -> w.reporter() + w.hs6()).distinct().count();
        long judged = b.dataQuality().coverage().stream().mapToLong(Bulletin.Coverage::judged).sum();
        h.append("<header><h1>Supply-chain early warning</h1><div class=\"sub\">Bulletin for ").append(b.date())
                .append(" &middot; alerts for <b>").append(monthName(b.asOfMonth())).append("</b>, the latest closed month")
                .append(" &middot; reporters ").append(esc(String.join(", ", b.reporters()))).append("</div>");
        h.append("<div class=\"kpis\">");
        kpi(h, String.valueOf(high), "high-severity alerts");
        kpi(h, String.valueOf(medium), "medium-severity alerts");
        kpi(h, String.format("%,d", judged), "series judged in " + monthShort(b.asOfMonth()));
        kpi(h, String.valueOf(entered), "products entering the watchlist");
        kpi(h, String.valueOf(left), "products leaving the watchlist");
        h.append("</div></header>");
    }

    private static void kpi(StringBuilder h, String value, String label) {
        h.append("<div class=\"kpi\"><b>").append(esc(value)).append("</b><span>").append(esc(label)).append("</span></div>");
    }

    private static void alerts(StringBuilder h, Bulletin b) {
        h.append("<h2>Headline alerts, ").append(monthName(b.asOfMonth())).append("</h2>");
        if (b.headline().isEmpty()) {
            h.append("<p>No alert at or above the configured severity in ").append(monthName(b.asOfMonth())).append(". ")
                    .append(b.alerts().size()).append(" lower-severity finding(s) are in alerts.csv.</p>");
            return;
        }
        h.append("<p class=\"note\">Most severe first, then by value at stake. Each chart shows the series over the last ")
                .append(b.headline().get(0).points().size()).append(" months; the shaded bar is the range the series' own history")
                .append(" expected in a flagged month, the dashed tick its expected value. ")
                .append(b.alerts().size()).append(" finding(s) in all this month, every one in alerts.csv.</p>");
        h.append("<div class=\"alerts\">");
        for (Bulletin.AlertSeries s : b.headline()) {
            Bulletin.Alert a = s.alert();
            h.append("<div class=\"card ").append(esc(a.severity())).append("\"><h3><span class=\"badge ").append(esc(a.severity()))
                    .append("\">").append(esc(a.severity())).append("</span>").append(esc(a.reporter())).append(" &middot; ")
                    .append(esc(a.title())).append("</h3>");
            h.append("<p>").append(esc(a.explanation().replaceFirst(" \\[[a-z_]+\\]$", ""))).append("</p>");
            h.append(chart(s));
            h.append("<div class=\"figs\"><span>detector <b>").append(esc(a.detector())).append("</b></span>");
            if (a.suppressionReason() != null && a.observed() != null) {
                h.append("<span>observed <b>").append(esc(format(a.metric()).apply(a.observed()))).append("</b></span>")
                        .append("<span class=\"c\" title=\"").append(esc(a.suppressionReason())).append("\">expected withheld</span>");
            } else if (a.suppressionReason() == null) {
                DoubleFunction<String> f = format(a.metric());
                h.append("<span>observed <b>").append(esc(f.apply(nzd(a.observed())))).append("</b></span>")
                        .append("<span>expected <b>").append(a.expected() == null ? "&ndash;" : esc(f.apply(a.expected()))).append("</b></span>");
                if (a.valueAtStakeUsd() != null) {
                    h.append("<span>at stake <b>$").append(esc(Numbers.compact(a.valueAtStakeUsd()))).append("</b> a month</span>");
                }
            } else {
                h.append("<span class=\"c\" title=\"").append(esc(a.suppressionReason())).append("\">figures withheld: ")
                        .append(esc(a.suppressionReason())).append("</span>");
            }
            if (!a.topPartners().isEmpty()) {
                h.append("<span>partners behind it <b>").append(esc(String.join(", ", a.topPartners()))).append("</b></span>");
            }
            h.append("</div></div>");
        }
        h.append("</div>");
    }

    /** The series, its gaps where a month is confidential, and the bands of its findings. */
    static String chart(Bulletin.AlertSeries s) {
        List<Bulletin.Point> points = s.points();
        long shown = points.stream().filter(p -> p.value() != null).count();
        long withheld = points.stream().filter(p -> p.suppressionReason() != null).count();
        if (shown < 2) {
            return "<p class=\"c\">Chart withheld: " + (withheld > 0 ? withheld + " of " + points.size()
                    + " months are confidential (" + esc(points.stream().filter(p -> p.suppressionReason() != null)
                    .map(Bulletin.Point::suppressionReason).distinct().collect(Collectors.joining("; "))) + ")" : "too few months with trade") + ".</p>";
        }
        List<String> x = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> lower = new ArrayList<>();
        List<Double> upper = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (Bulletin.Point p : points) {
            x.add(p.month().toString().substring(0, 7));
            values.add(p.value());
            Bulletin.Band band = s.bands().stream().filter(bd -> bd.month().equals(p.month())).findFirst().orElse(null);
            lower.add(band == null ? null : band.lower());
            upper.add(band == null ? null : band.upper());
            expected.add(band == null ? null : band.expected());
        }
        LineChart c = LineChart.of(x).series(metricLabel(s.alert().metric()), values).band(lower, upper).expected(expected)
                .size(470, 150).yFormat(format(s.alert().metric()))
                .title(s.alert().reporter() + " " + s.alert().title() + ": " + metricLabel(s.alert().metric()));
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).month().equals(s.alert().month())) {
                c.mark(i, points.get(i).value() == null ? "c" : format(s.alert().metric()).apply(points.get(i).value()));
            }
        }
        String note = withheld > 0 ? "<div class=\"note\">" + withheld + " confidential month(s) left as gaps.</div>" : "";
        return c.svg() + note;
    }

    private static void sectors(StringBuilder h, Bulletin b) {
        h.append("<h2>Sector exposure, ").append(b.sectorYear()).append(b.sectorYearPartial() ? " (year to date)" : "").append("</h2>");
        if (b.sectors().isEmpty()) {
            h.append("<p>No sector exposure for ").append(b.sectorYear()).append(".</p>");
            return;
        }
        h.append("<p class=\"note\">Imports of each strategic sector's products, how concentrated their supplier countries are")
                .append(" (HHI; red above ").append(CONCENTRATED_HHI).append("), the share from the concern group, products that pass")
                .append(" the dependency screen and firm groups that rely on one country.</p>");
        Map<String, List<Bulletin.SectorRow>> byReporter = b.sectors().stream()
                .collect(Collectors.groupingBy(Bulletin.SectorRow::reporter, java.util.TreeMap::new, Collectors.toList()));
        h.append("<div class=\"two\">");
        for (Map.Entry<String, List<Bulletin.SectorRow>> e : byReporter.entrySet()) {
            List<Bulletin.SectorRow> rows = e.getValue();
            h.append("<div><h3>").append(esc(e.getKey())).append(": supplier concentration (HHI) by sector</h3>");
            h.append(BarChart.of(rows.stream().map(Bulletin.SectorRow::sector).toList(), rows.stream().map(Bulletin.SectorRow::hhi).toList())
                    .size(470, 40 + 24 * rows.size()).valueFormat(v -> String.format(Locale.ROOT, "%.2f", v))
                    .highlightAbove(CONCENTRATED_HHI).title(e.getKey() + " HHI by sector, " + b.sectorYear()).svg());
            h.append("<table><tr><th>sector</th><th>imports</th><th>top partner</th><th>HHI</th><th>concern</th><th>dependent products</th><th>firms exposed</th></tr>");
            for (Bulletin.SectorRow r : rows) {
                String c = r.suppressionReason();
                h.append("<tr><td>").append(esc(r.sector())).append("</td>")
                        .append(num(r.importValueUsd() == null ? null : "$" + Numbers.compact(r.importValueUsd()), c))
                        .append("<td>").append(esc(nz(r.topPartner()))).append(r.topPartnerShare() == null ? (c == null ? "" : " " + cMark(c))
                                : " " + pct(r.topPartnerShare())).append("</td>")
                        .append(r.hhi() == null ? num(null, c) : "<td class=\"n" + (r.hhi() > CONCENTRATED_HHI ? " hot" : "") + "\">"
                                + String.format(Locale.ROOT, "%.2f", r.hhi()) + "</td>")
                        .append(num(r.concernShare() == null ? null : pct(r.concernShare()), c))
                        .append(num(r.dependentProducts() == null ? "" : String.valueOf(r.dependentProducts()), null))
                        .append(num(r.firmsExposed() == null ? "" : String.valueOf(r.firmsExposed()), null)).append("</tr>");
            }
            h.append("</table></div>");
        }
        h.append("</div>");
    }

    private static void watchlist(StringBuilder h, Bulletin b) {
        h.append("<h2>Watchlist changes, ").append(monthName(b.asOfMonth())).append("</h2>");
        if (b.watchlistAsOf() != null && !b.watchlistAsOf().equals(b.asOfMonth())) {
            h.append("<p>The watchlist is kept for its latest month only (").append(monthName(b.watchlistAsOf()))
                    .append("); its changes at ").append(monthName(b.asOfMonth())).append(" are not available here.</p>");
            return;
        }
        if (b.watchChanges().isEmpty()) {
            h.append("<p>No product entered or left the watchlist at ").append(monthName(b.asOfMonth())).append(".</p>");
            return;
        }
        // One row per product and change, its screens together; the most urgent first. Every screen's row is in the extract.
        Map<String, List<Bulletin.WatchChange>> byProduct = b.watchChanges().stream().collect(Collectors.groupingBy(
                w -> w.status() + "|" + w.reporter() + "|" + w.hs6(), java.util.LinkedHashMap::new, Collectors.toList()));
        List<List<Bulletin.WatchChange>> items = new ArrayList<>(byProduct.values());
        items.sort(java.util.Comparator.<List<Bulletin.WatchChange>, String>comparing(l -> l.get(0).status())
                .thenComparing(l -> l.stream().map(Bulletin.WatchChange::tier).filter(java.util.Objects::nonNull).min(Integer::compare).orElse(99))
                .thenComparing(l -> -(l.get(0).importValueUsd() == null ? 0 : l.get(0).importValueUsd())));
        long entered = items.stream().filter(l -> "new".equals(l.get(0).status())).count();
        h.append("<p class=\"note\">Judged on the 12 months to ").append(monthName(b.asOfMonth())).append(": ").append(entered)
                .append(" product(s) entered, ").append(items.size() - entered).append(" left")
                .append(". An item leaves only after failing its screen for the configured number of months in a row; on a")
                .append(" warehouse's first run every listed item is new.")
                .append(items.size() > MAX_WATCH_ROWS ? " The " + MAX_WATCH_ROWS + " most urgent are shown; all "
                        + b.watchChanges().size() + " rows (one per screen) are in watchlist_changes.csv." : "").append("</p>");
        h.append("<table><tr><th>change</th><th>reporter</th><th>product</th><th>screens</th><th>tier</th><th>imports, 12 months</th><th>top partner</th><th>HHI</th><th>listed since</th></tr>");
        for (List<Bulletin.WatchChange> item : items.subList(0, Math.min(MAX_WATCH_ROWS, items.size()))) {
            Bulletin.WatchChange w = item.get(0);
            String c = w.suppressionReason();
            Integer tier = item.stream().map(Bulletin.WatchChange::tier).filter(java.util.Objects::nonNull).min(Integer::compare).orElse(null);
            java.time.LocalDate since = item.stream().map(Bulletin.WatchChange::firstSeen).filter(java.util.Objects::nonNull)
                    .min(java.time.LocalDate::compareTo).orElse(null);
            h.append("<tr><td><span class=\"pill ").append(esc(w.status())).append("\">").append("new".equals(w.status()) ? "entered" : "left")
                    .append("</span></td><td>").append(esc(w.reporter())).append("</td><td>HS ").append(esc(w.hs6()))
                    .append(w.label() == null ? "" : " " + esc(w.label())).append("</td><td>")
                    .append(esc(item.stream().map(Bulletin.WatchChange::screen).collect(Collectors.joining(", ")))).append("</td>")
                    .append(num(tier == null ? "" : String.valueOf(tier), null))
                    .append(num(w.importValueUsd() == null ? (c == null ? "&ndash;" : null) : "$" + Numbers.compact(w.importValueUsd()), c))
                    .append("<td>").append(esc(nz(w.topPartner()))).append(w.topPartnerShare() == null ? (c == null ? "" : " " + cMark(c))
                            : " " + pct(w.topPartnerShare())).append("</td>")
                    .append(num(w.hhi() == null ? (c == null ? "&ndash;" : null) : String.format(Locale.ROOT, "%.2f", w.hhi()), c))
                    .append("<td>").append(since == null ? "" : since.toString().substring(0, 7)).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** Failed data-quality checks shown on the page; every one is in the extract. */
    static final int MAX_CHECKS_SHOWN = 30;

    private static void dataQuality(StringBuilder h, Bulletin b) {
        Bulletin.DataQuality dq = b.dataQuality();
        h.append("<h2>Data quality of the run</h2>");
        if (dq.runId() == null) {
            h.append("<p>No run recorded in ops.runs for this date.</p>");
            return;
        }
        h.append("<p class=\"note\">Run ").append(esc(dq.runId())).append(" over landing dates ").append(dq.dateFrom())
                .append(dq.dateFrom().equals(dq.dateTo()) ? "" : " to " + dq.dateTo()).append(".</p><div class=\"two\"><div>");
        h.append("<table><tr><th>stage</th><th>status</th><th>rows in</th><th>quarantined</th><th>rows out</th><th>seconds</th></tr>");
        for (Bulletin.StageRun s : dq.stages()) {
            h.append("<tr><td>").append(esc(s.stage())).append("</td><td").append("succeeded".equals(s.status()) ? "" : " class=\"hot\"")
                    .append(">").append(esc(s.status())).append("</td>").append(num(count(s.rowsIn()), null))
                    .append(num(count(s.rowsQuarantined()), null)).append(num(count(s.rowsOut()), null))
                    .append(num(String.format(Locale.ROOT, "%.1f", s.seconds()), null)).append("</tr>");
        }
        h.append("</table>");
        if (dq.quarantinedByReason().isEmpty()) {
            h.append("<p>No row quarantined.</p>");
        } else {
            h.append("<table><tr><th>quarantine reason</th><th>rows</th></tr>");
            dq.quarantinedByReason().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td>").append(num(String.format("%,d", v), null)).append("</tr>"));
            h.append("</table>");
        }
        h.append("</div><div><table><tr><th>reporter</th><th>series</th><th>judged</th><th>immaterial</th><th>short history</th><th>findings</th></tr>");
        for (Bulletin.Coverage c : dq.coverage()) {
            h.append("<tr><td>").append(esc(c.reporter())).append("</td>").append(num(String.format("%,d", c.series()), null))
                    .append(num(String.format("%,d", c.judged()), null)).append(num(String.format("%,d", c.immaterial()), null))
                    .append(num(String.format("%,d", c.shortHistory()), null)).append(num(String.format("%,d", c.findings()), null)).append("</tr>");
        }
        h.append("</table><p class=\"note\">Anomaly coverage of ").append(monthName(b.asOfMonth()))
                .append(": a quiet month is an all-clear only for the series that were judged.</p></div></div>");
        qualityChecks(h, dq);
    }

    /** The run's data-quality checks (ops.dq_results): counts, then every failed check, errors first. */
    private static void qualityChecks(StringBuilder h, Bulletin.DataQuality dq) {
        Bulletin.CheckCounts n = dq.checkCounts();
        if (n.total() == 0) {
            h.append("<p class=\"note\">No data-quality check recorded for this run.</p>");
            return;
        }
        h.append("<h3>Data-quality checks</h3><p>").append(String.format("%,d", n.total())).append(" checks of the run's rows and metrics: ")
                .append(String.format("%,d passed, %,d warnings, %,d errors, %,d not judged", n.passed(), n.warnings(), n.errors(), n.skipped()))
                .append(".</p>");
        if (dq.failedChecks().isEmpty()) {
            return;
        }
        h.append("<table><tr><th>level</th><th>stage</th><th>table</th><th>rule</th><th>what</th></tr>");
        int shown = 0;
        for (Bulletin.QualityCheck c : dq.failedChecks()) {
            if (shown++ == MAX_CHECKS_SHOWN) {
                break;
            }
            h.append("<tr><td").append("error".equals(c.level()) ? " class=\"hot\"" : "").append(">").append(esc(c.level()))
                    .append("</td><td>").append(esc(c.stage())).append("</td><td>").append(esc(c.table())).append("</td><td>")
                    .append(esc(c.rule())).append("</td><td>").append(esc(c.message())).append("</td></tr>");
        }
        h.append("</table>");
        if (dq.failedChecks().size() > MAX_CHECKS_SHOWN) {
            h.append("<p class=\"note\">").append(dq.failedChecks().size() - MAX_CHECKS_SHOWN)
                    .append(" more in the extract data_quality_checks.</p>");
        }
    }

    private static String num(String text, String suppression) {
        if (text == null) {
            return "<td class=\"n\">" + cMark(suppression) + "</td>";
        }
        return "<td class=\"n\">" + (text.startsWith("&") ? text : esc(text)) + "</td>";
    }

    private static String cMark(String reason) {
        return "<span class=\"c\" title=\"" + esc(reason == null ? "withheld" : reason) + "\">c</span>";
    }

    private static String count(Long n) {
        return n == null ? "" : String.format("%,d", n);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static DoubleFunction<String> format(String metric) {
        return switch (metric) {
            case "partner_share" -> v -> String.format(Locale.ROOT, "%.0f%%", v * 100);
            case "mirror_ratio" -> v -> String.format(Locale.ROOT, "%.2f", v);
            case "unit_value_usd_per_kg" -> v -> "$" + String.format(Locale.ROOT, v < 100 ? "%.2f" : "%.0f", v) + "/kg";
            case "quantity_kg" -> v -> Numbers.compact(v) + " kg";
            default -> v -> "$" + Numbers.compact(v);
        };
    }

    /** The metric as the subject of a sentence: "monthly value fell to $2.1M". */
    static String metricNoun(String metric) {
        return switch (metric) {
            case "value_usd" -> "monthly value";
            case "value_usd_12m" -> "12-month value";
            case "quantity_kg" -> "monthly kilograms";
            case "unit_value_usd_per_kg" -> "unit value";
            case "partner_share" -> "partner's share";
            case "mirror_ratio" -> "ratio to the partner's reported exports";
            default -> metric;
        };
    }

    static String metricLabel(String metric) {
        return switch (metric) {
            case "value_usd" -> "value a month, USD";
            case "value_usd_12m" -> "value over 12 months, USD";
            case "quantity_kg" -> "kilograms a month";
            case "unit_value_usd_per_kg" -> "unit value, USD/kg";
            case "partner_share" -> "partner's share of the product";
            case "mirror_ratio" -> "our imports / partner's reported exports";
            default -> metric;
        };
    }

    private static String monthName(LocalDate m) {
        return m.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + m.getYear();
    }

    private static String monthShort(LocalDate m) {
        return m.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + m.getYear();
    }

    private static double nzd(Double d) {
        return d == null ? 0 : d;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String esc(String s) {
        return Svg.escape(s);
    }
}
