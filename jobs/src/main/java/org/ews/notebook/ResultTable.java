package org.ews.notebook;

import org.apache.spark.sql.Row;
import org.ews.sql.SqlCommand;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cell's result as the notebook and the HTML page show it: the first rows, formatted for reading (money without
 * cents and with thousands separators, shares to four decimals), and the total count. The CSV keeps every row exact.
 */
final class ResultTable {
    private final String[] columns;
    private final List<Row> rows;
    private final long total;
    private final int shown;

    ResultTable(String[] columns, List<Row> rows, long total, int shown) {
        this.columns = columns;
        this.rows = rows;
        this.total = total;
        this.shown = (int) Math.min(shown, Math.min(total, rows.size()));
    }

    long total() {
        return total;
    }

    /** An HTML table (class {@code dataframe}, as Jupyter styles it) with a caption saying what is shown. */
    String html(String csvFile) {
        StringBuilder s = new StringBuilder("<table class=\"dataframe\">\n<thead><tr>");
        for (String c : columns) {
            s.append("<th>").append(Markdown.escape(c)).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (Row r : rows.subList(0, shown)) {
            s.append("<tr>");
            for (int i = 0; i < columns.length; i++) {
                Object v = r.get(i);
                String text = display(v);
                // Numbers right-aligned; short text (codes, dates, names) kept on one line; long text wraps.
                s.append(v instanceof Number ? "<td class=\"num\">" : v == null ? "<td class=\"null\">"
                                : text.length() <= 32 ? "<td class=\"nw\">" : "<td class=\"long\">")
                        .append(Markdown.escape(text)).append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody>\n</table>\n<p class=\"rows\">").append(caption(csvFile)).append("</p>\n");
        return s.toString();
    }

    String caption(String csvFile) {
        String file = csvFile == null ? "" : "; all rows in " + csvFile;
        if (total == 0) {
            return "no rows";
        }
        if (shown < total) {
            return "showing " + shown + " of " + group(total) + " rows" + file;
        }
        return group(total) + (total == 1 ? " row" : " rows");
    }

    /** A fixed-width text table of the same rows (Jupyter's text/plain). */
    String plain(String csvFile) {
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows.subList(0, shown)) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                c[i] = display(r.get(i)).replace('\n', ' ');
            }
            cells.add(c);
        }
        return SqlCommand.aligned(columns, cells, 40, "\n") + '(' + caption(csvFile) + ')';
    }

    /** A value as a reader wants it; nulls are empty. */
    static String display(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return decimal(d);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? String.valueOf(d) : decimal(BigDecimal.valueOf(d));
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            long l = ((Number) v).longValue();
            return Math.abs(l) >= 10_000 ? group(l) : String.valueOf(l); // years stay 2025
        }
        return SqlCommand.cell(v);
    }

    /** From 1,000 on: no decimals, thousands grouped; below: up to four decimals. */
    private static String decimal(BigDecimal d) {
        if (d.abs().compareTo(BigDecimal.valueOf(1000)) >= 0) {
            return group(d.setScale(0, RoundingMode.HALF_UP));
        }
        String s = d.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    private static String group(Object n) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(n);
    }
}
