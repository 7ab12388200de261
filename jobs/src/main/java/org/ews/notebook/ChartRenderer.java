package org.ews.notebook;

import org.apache.spark.sql.Row;
import org.ews.charts.BarChart;
import org.ews.charts.LineChart;
import org.ews.charts.Numbers;
import org.ews.sql.SqlCommand;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleFunction;

/** Draws a {@link ChartSpec} from a cell's result rows: one SVG, or one per facet value. */
final class ChartRenderer {
    private ChartRenderer() {}

    /** One drawn chart: {@code part} names the facet ("" when there is none). */
    record Drawn(String part, String title, String svg) {}

    static List<Drawn> draw(ChartSpec spec, String[] columns, List<Row> rows, String defaultTitle) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i++) {
            index.putIfAbsent(columns[i].toLowerCase(Locale.ROOT), i);
        }
        for (String c : spec.columns()) {
            if (!index.containsKey(c.toLowerCase(Locale.ROOT))) {
                throw NotebookException.failed(spec.where() + ": no column '" + c + "' in the result (columns: "
                        + String.join(", ", columns) + ")", null);
            }
        }
        Cols cols = name -> name == null ? -1 : index.get(name.toLowerCase(Locale.ROOT));
        String title = spec.get("title") != null ? spec.get("title") : defaultTitle;
        List<Drawn> drawn = new ArrayList<>();
        if (spec.get("facet") == null) {
            drawn.add(new Drawn("", title, one(spec, cols, rows, title)));
            return drawn;
        }
        int f = cols.at(spec.get("facet"));
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(label(r.get(f)), k -> new ArrayList<>()).add(r);
        }
        int max = spec.integer("max_facets", 12);
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            if (drawn.size() == max) {
                break;
            }
            String t = (spec.get("title") == null ? "" : spec.get("title") + " — ") + g.getKey();
            drawn.add(new Drawn(g.getKey(), t, one(spec, cols, g.getValue(), t)));
        }
        return drawn;
    }

    @FunctionalInterface
    private interface Cols {
        int at(String name);
    }

    private static String one(ChartSpec spec, Cols cols, List<Row> rows, String title) {
        DoubleFunction<String> format = format(spec.get("format"));
        if (spec.kind().equals("bar")) {
            return bar(spec, cols, rows, title, format);
        }
        return line(spec, cols, rows, title, format);
    }

    private static String bar(ChartSpec spec, Cols cols, List<Row> rows, String title, DoubleFunction<String> format) {
        List<Integer> labelCols = spec.list("label").stream().map(cols::at).toList();
        int v = cols.at(spec.get("value"));
        int limit = spec.integer("limit", 40);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Row r : rows.subList(0, Math.min(rows.size(), limit))) {
            List<String> parts = new ArrayList<>();
            labelCols.forEach(c -> parts.add(label(r.get(c))));
            labels.add(String.join(" · ", parts));
            values.add(number(r.get(v), spec, spec.get("value")));
        }
        String t = rows.size() > limit ? title + " (first " + limit + " of " + rows.size() + ")" : title;
        int height = spec.integer("height", 0);
        BarChart c = BarChart.of(labels, values).title(t).valueFormat(format);
        if (height > 0 || spec.get("width") != null) {
            c.size(spec.integer("width", 720), height > 0 ? height : (int) Math.ceil(36 + 22 * Math.max(1, labels.size()) + 16));
        }
        if (spec.get("highlight_above") != null) {
            c.highlightAbove(Double.parseDouble(spec.get("highlight_above")));
        }
        return c.svg();
    }

    private static String line(ChartSpec spec, Cols cols, List<Row> rows, String title, DoubleFunction<String> format) {
        int x = cols.at(spec.get("x"));
        // x categories: sorted when they are all of one comparable kind (dates, numbers, text), else in row order.
        List<Object> xs = new ArrayList<>();
        for (Row r : rows) {
            Object k = r.get(x);
            if (!xs.contains(k)) {
                xs.add(k);
            }
        }
        sortIfComparable(xs);
        Map<Object, Integer> at = new LinkedHashMap<>();
        xs.forEach(k -> at.put(k, at.size()));
        List<String> xLabels = xs.stream().map(ChartRenderer::label).toList();

        // Series: each y column, or one per value of series=, in order of first appearance.
        Map<String, Double[]> series = new LinkedHashMap<>();
        boolean fill = "0".equals(spec.get("fill"));
        int seriesCol = cols.at(spec.get("series"));
        List<String> ys = spec.list("y");
        for (Row r : rows) {
            int i = at.get(r.get(x));
            for (String y : ys) {
                String name = seriesCol >= 0 ? label(r.get(seriesCol)) : y;
                Double[] values = series.computeIfAbsent(name, k -> new Double[xs.size()]);
                Double v = number(r.get(cols.at(y)), spec, y);
                if (v != null) {
                    values[i] = values[i] == null ? v : values[i] + v; // repeated (x, series) rows add up
                }
            }
        }
        int maxSeries = spec.integer("max_series", 8);
        String t = series.size() > maxSeries ? title + " (first " + maxSeries + " of " + series.size() + " series)" : title;
        LineChart c = LineChart.of(xLabels).title(t).yFormat(format);
        int k = 0;
        for (Map.Entry<String, Double[]> s : series.entrySet()) {
            if (k++ == maxSeries) {
                break;
            }
            Double[] values = s.getValue();
            if (fill) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = values[i] == null ? 0.0 : values[i];
                }
            }
            c.series(s.getKey(), Arrays.asList(values));
        }
        if (spec.get("lower") != null) {
            c.band(perX(rows, x, at, cols.at(spec.get("lower")), spec), perX(rows, x, at, cols.at(spec.get("upper")), spec));
        }
        if (spec.get("expected") != null) {
            c.expected(perX(rows, x, at, cols.at(spec.get("expected")), spec));
        }
        if (spec.get("mark") != null) {
            int m = cols.at(spec.get("mark"));
            boolean[] marked = new boolean[xs.size()];
            for (Row r : rows) {
                Object v = r.get(m);
                int i = at.get(r.get(x));
                if (v != null && !Boolean.FALSE.equals(v) && !"".equals(v) && !marked[i]) {
                    marked[i] = true;
                    c.mark(i, Boolean.TRUE.equals(v) ? xLabels.get(i) : label(v));
                }
            }
        }
        if (spec.get("width") != null || spec.get("height") != null) {
            c.size(spec.integer("width", 720), spec.integer("height", 300));
        } else if (spec.get("facet") != null) {
            c.size(720, 240);
        }
        return c.svg();
    }

    /** The first non-null value of a column at each x. */
    private static List<Double> perX(List<Row> rows, int x, Map<Object, Integer> at, int col, ChartSpec spec) {
        Double[] v = new Double[at.size()];
        for (Row r : rows) {
            int i = at.get(r.get(x));
            if (v[i] == null) {
                v[i] = number(r.get(col), spec, "column " + (col + 1));
            }
        }
        return Arrays.asList(v);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void sortIfComparable(List<Object> xs) {
        if (xs.isEmpty() || xs.stream().anyMatch(Objects::isNull)) {
            return;
        }
        Class<?> kind = xs.get(0).getClass();
        if (xs.stream().allMatch(o -> o.getClass() == kind && o instanceof Comparable)) {
            xs.sort((a, b) -> ((Comparable) a).compareTo(b));
        }
    }

    private static Double number(Object v, ChartSpec spec, String column) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isNaN(d) ? null : d;
        }
        try {
            return Double.parseDouble(v.toString().strip());
        } catch (NumberFormatException e) {
            throw NotebookException.failed(spec.where() + ": " + column + " holds '" + v + "', not a number", null);
        }
    }

    /** Category text: a first-of-month date as YYYY-MM, other values as the CSV writes them. */
    static String label(Object v) {
        if (v == null) {
            return "(null)";
        }
        LocalDate d = v instanceof java.sql.Date sd ? sd.toLocalDate() : v instanceof LocalDate ld ? ld : null;
        if (d != null) {
            return d.getDayOfMonth() == 1 ? d.toString().substring(0, 7) : d.toString();
        }
        return SqlCommand.cell(v);
    }

    static DoubleFunction<String> format(String name) {
        if (name == null) {
            return Numbers::compact;
        }
        return switch (name) {
            case "percent" -> Numbers::percent;
            case "usd" -> v -> v < 0 ? "-$" + Numbers.compact(-v) : "$" + Numbers.compact(v);
            case "plain" -> v -> BigDecimal.valueOf(v).setScale(v == Math.rint(v) ? 0 : Math.abs(v) < 1 ? 3 : 2,
                    java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            default -> Numbers::compact;
        };
    }
}
