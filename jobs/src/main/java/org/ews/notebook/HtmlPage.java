package org.ews.notebook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The executed notebook as one self-contained HTML page: markdown rendered, each query's charts (inline SVG) and table,
 * the query itself folded away. Inline CSS, no script, nothing fetched from the network; prints on A4.
 */
final class HtmlPage {
    private HtmlPage() {}

    private static final String CSS = """
            :root { color-scheme: light; }
            body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
            main { max-width: 1080px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; min-height: 100vh; box-sizing: border-box; }
            h1 { font-size: 1.7em; margin: 0.2em 0 0.4em; } h2 { font-size: 1.3em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #e5e7eb; padding-bottom: 0.2em; }
            h3 { font-size: 1.1em; margin: 1.2em 0 0.3em; }
            p, li { max-width: 80ch; } code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f3f5; padding: 0 3px; border-radius: 3px; }
            pre { background: #f6f8fa; border: 1px solid #e5e7eb; border-radius: 4px; padding: 10px 12px; overflow-x: auto; font-size: 12.5px; line-height: 1.45; }
            pre code { background: none; padding: 0; }
            blockquote { margin: 0.8em 0; padding: 0.1em 1em; border-left: 4px solid #d0d7de; color: #57606a; }
            .meta { color: #57606a; font-size: 13px; margin-bottom: 1.2em; }
            .params { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 13px; }
            .params td { padding: 2px 12px 2px 0; } .params td:first-child { color: #57606a; }
            .cell { margin: 0.8em 0 1.6em; }
            details.sql summary { cursor: pointer; color: #57606a; font-size: 13px; }
            figure { margin: 0.6em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eef0f2; border-radius: 4px; }
            .scroll { overflow-x: auto; max-width: 100%; }
            table.dataframe { border-collapse: collapse; font-size: 12.5px; margin: 0.4em 0; }
            table.dataframe th { background: #f1f3f5; text-align: left; padding: 4px 8px; border-bottom: 2px solid #d0d7de; white-space: nowrap; position: sticky; top: 0; }
            table.dataframe td { padding: 3px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; overflow-wrap: break-word; }
            table.dataframe tbody tr:nth-child(even) { background: #fafbfc; }
            table.dataframe td.nw { white-space: nowrap; }
            table.dataframe td.long { min-width: 36ch; max-width: 60ch; }
            table.dataframe td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            p.rows { color: #57606a; font-size: 12.5px; margin: 0.2em 0 0; }
            .error { background: #fff1f0; border: 1px solid #ffccc7; color: #a8071a; padding: 8px 12px; border-radius: 4px; }
            .notrun { color: #8c959f; font-style: italic; }
            .status-failed { color: #a8071a; font-weight: 600; }
            @media print { body { background: #fff; } main { padding: 0; } details.sql { display: none; } }
            """;

    static String render(Notebook nb, Map<String, Object> parameters, List<NotebookRunner.Outcome> outcomes, String warehouse,
                         Instant started, String status) {
        Map<Integer, NotebookRunner.Outcome> byCell = new LinkedHashMap<>();
        outcomes.forEach(o -> byCell.put(o.step().cell().number(), o));
        String title = nb.name();
        for (Notebook.Cell c : nb.cells()) {
            if (c.isMarkdown()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#\\s+(.+?)\\s*$").matcher(c.source());
                if (m.find()) {
                    title = m.group(1).replaceAll("[`*_]", "");
                    break;
                }
            }
        }
        StringBuilder s = new StringBuilder(64 * 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Markdown.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        s.append("<div class=\"meta\">Notebook <code>").append(Markdown.escape(nb.source().getFileName().toString()))
                .append("</code> run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" by <code>bin/ews notebook</code> over <code>")
                .append(Markdown.escape(warehouse)).append("</code>");
        if (!status.equals("succeeded")) {
            s.append(" — <span class=\"status-failed\">").append(Markdown.escape(status)).append("</span>");
        }
        s.append("</div>\n");
        boolean paramsShown = false;
        for (Notebook.Cell c : nb.cells()) {
            if (c.isMarkdown()) {
                s.append(Markdown.toHtml(c.source()));
            } else if (c.isParameters() && !paramsShown) {
                paramsShown = true;
                s.append("<table class=\"params\"><tbody>");
                parameters.forEach((k, v) -> s.append("<tr><td>").append(Markdown.escape(k)).append("</td><td><code>")
                        .append(Markdown.escape(Parameters.text(v))).append("</code></td></tr>"));
                s.append("</tbody></table>\n");
            } else if (c.isSql()) {
                NotebookRunner.Outcome o = byCell.get(c.number());
                s.append("<section class=\"cell\" id=\"cell-").append(c.number()).append("\">\n");
                if (o == null) {
                    s.append("<p class=\"notrun\">cell ").append(c.number()).append(" was not run: an earlier cell failed</p>\n</section>\n");
                    continue;
                }
                s.append("<details class=\"sql\"><summary>SQL · cell ").append(c.number());
                if (o.error() == null) {
                    s.append(" · ").append(o.table().caption(null)).append(" · ").append(String.format(Locale.ROOT, "%.1f s", o.seconds()))
                            .append(" · ").append(Markdown.escape(o.csv()));
                }
                s.append("</summary><pre><code>").append(Markdown.escape(o.step().sql())).append("</code></pre></details>\n");
                if (o.error() != null) {
                    s.append("<div class=\"error\">cell ").append(c.number()).append(" failed: ").append(Markdown.escape(o.error())).append("</div>\n");
                } else {
                    for (int i = 0; i < o.charts().size(); i++) {
                        s.append("<figure>").append(o.charts().get(i).svg()).append("</figure>\n");
                    }
                    s.append("<div class=\"scroll\">").append(o.table().html(o.csv())).append("</div>\n");
                }
                s.append("</section>\n");
            }
        }
        return s.append("</main>\n</body>\n</html>\n").toString();
    }
}
