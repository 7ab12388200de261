package org.ews.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import static org.ews.charts.Svg.n;

/**
 * A line chart over ordered categories (months) as one standalone {@code <svg>}: one or more series (a null is a gap),
 * an optional shaded band and dashed expected values, and marked points with a label. Presentation attributes only:
 * no script, no external reference, no id, so several charts can sit in one HTML page. Readable from 320x120 px.
 *
 * <p>Layout (what the tests compute by hand): the plot spans from {@link #TOP_PAD} px (plus caption and legend rows)
 * to {@code height - (fontSize + 10)} px, with {@code fontSize} 11 (10 below 400x180); category {@code i} of {@code n}
 * sits at the middle of its slot, {@code left + (i + 0.5) * plotWidth / n}. The y axis starts at 0 when no value is
 * negative and ends at a 1-2-5 gridline at or above the largest value.
 */
public final class LineChart {
    static final double TOP_PAD = 8;
    static final double RIGHT_PAD = 12;

    private record Series(String name, List<Double> values) {}

    private record Mark(int index, String label) {}

    private final List<String> x;
    private final List<Series> series = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private List<Double> lower;
    private List<Double> upper;
    private List<Double> expected;
    private int width = 720;
    private int height = 300;
    private String title;
    private DoubleFunction<String> yFormat = Numbers::compact;

    private LineChart(List<String> x) {
        this.x = List.copyOf(x.stream().map(l -> l == null ? "" : l).toList());
    }

    /** x categories in order, e.g. "2024-01". */
    public static LineChart of(List<String> xLabels) {
        if (xLabels == null) {
            throw new IllegalArgumentException("x labels are required");
        }
        return new LineChart(xLabels);
    }

    /** One value per x label; null (or NaN) is a gap: missing or suppressed. */
    public LineChart series(String name, List<Double> values) {
        series.add(new Series(name == null ? "" : name, checked("series '" + name + "'", values)));
        return this;
    }

    /** A shaded band of expected values, drawn where both edges are non-null (a lone x: a bar of the band's height). */
    public LineChart band(List<Double> lower, List<Double> upper) {
        this.lower = checked("band lower", lower);
        this.upper = checked("band upper", upper);
        return this;
    }

    /** Dashed expected values; null = none at that x. */
    public LineChart expected(List<Double> values) {
        this.expected = checked("expected", values);
        return this;
    }

    /** A highlighted point (e.g. the flagged month) with its label. */
    public LineChart mark(int index, String label) {
        if (index < 0 || index >= x.size()) {
            throw new IllegalArgumentException("mark index " + index + " is outside the " + x.size() + " x labels");
        }
        marks.add(new Mark(index, label == null ? "" : label));
        return this;
    }

    public LineChart size(int width, int height) {
        if (width < 100 || height < 60) {
            throw new IllegalArgumentException("chart size " + width + "x" + height + " is below 100x60");
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** The SVG's {@code <title>} (its accessible name) and, from 140 px high, a caption above the plot. */
    public LineChart title(String title) {
        this.title = title;
        return this;
    }

    /** Axis and label numbers; default {@link Numbers#compact}. */
    public LineChart yFormat(DoubleFunction<String> format) {
        this.yFormat = format == null ? Numbers::compact : format;
        return this;
    }

    private List<Double> checked(String what, List<Double> values) {
        if (values == null || values.size() != x.size()) {
            throw new IllegalArgumentException(what + " has " + (values == null ? "no" : String.valueOf(values.size()))
                    + " values for " + x.size() + " x labels");
        }
        return new ArrayList<>(values);
    }

    private static Double at(List<Double> l, int i) {
        if (l == null) {
            return null;
        }
        Double v = l.get(i);
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    private boolean small() {
        return width < 400 || height < 180;
    }

    double fontSize() {
        return small() ? 10 : 11;
    }

    public String svg() {
        double fs = fontSize();
        StringBuilder s = new StringBuilder(4096);
        Svg.open(s, width, height, title);

        // Vertical layout: caption, legend rows, plot, x labels.
        double top = TOP_PAD;
        boolean caption = title != null && !title.isBlank() && height >= 140;
        if (caption) {
            Svg.text(s, 8, top + fs + 1, Svg.fit(title, width - 16, fs + 1), fs + 1, "start", Svg.INK, "font-weight=\"600\"");
            top += fs + 8;
        }
        List<String[]> legend = legendItems();
        if (legend.size() > 1 && height >= 140) {
            top = legend(s, legend, top, fs);
        }
        double bottom = height - (fs + 10);

        // y scale over everything drawn.
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<List<Double>> all = new ArrayList<>();
        series.forEach(se -> all.add(se.values()));
        all.add(lower);
        all.add(upper);
        all.add(expected);
        for (List<Double> l : all) {
            for (int i = 0; l != null && i < x.size(); i++) {
                Double v = at(l, i);
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        boolean empty = lo > hi;
        if (empty) {
            lo = 0;
            hi = 1;
        } else if (lo >= 0) {
            lo = 0;
        }
        List<Double> ticks = Svg.ticks(lo, hi, height >= 200 ? 5 : 3);
        double yMin = ticks.get(0);
        double yMax = ticks.get(ticks.size() - 1);

        double labelW = 0;
        for (double t : ticks) {
            labelW = Math.max(labelW, Svg.textWidth(yFormat.apply(t), fs));
        }
        double left = Math.ceil(labelW + 14);
        double right = width - RIGHT_PAD;
        double plotW = right - left;
        int count = Math.max(1, x.size());
        double slot = plotW / count;
        final double t0 = top;
        final double b0 = bottom;
        DoubleFunctionY y = v -> b0 - (v - yMin) / (yMax - yMin) * (b0 - t0);
        java.util.function.IntToDoubleFunction xAt = i -> left + (i + 0.5) * slot;

        // Gridlines and y labels.
        for (double t : ticks) {
            double yy = y.at(t);
            s.append("<line x1=\"").append(n(left)).append("\" y1=\"").append(n(yy)).append("\" x2=\"").append(n(right))
                    .append("\" y2=\"").append(n(yy)).append("\" stroke=\"").append(t == 0 ? "#bbbbbb" : Svg.GRID)
                    .append("\" stroke-width=\"1\"/>");
            Svg.text(s, left - 6, yy + fs * 0.35, yFormat.apply(t), fs, "end", Svg.MUTED, null);
        }

        // x labels, thinned so they do not overlap, counted back from the last (the latest month is the one read).
        double maxLabel = 0;
        for (String l : x) {
            maxLabel = Math.max(maxLabel, Svg.textWidth(l, fs));
        }
        int step = Math.max(1, (int) Math.ceil((maxLabel + 8) / slot));
        for (int i = (x.size() - 1) % step; i < x.size(); i += step) {
            // Centred under the point, but kept inside the chart at both ends.
            double half = Svg.textWidth(x.get(i), fs) / 2;
            double cx = Math.max(half + 2, Math.min(width - half - 2, xAt.applyAsDouble(i)));
            Svg.text(s, cx, height - 6, x.get(i), fs, "middle", Svg.MUTED, null);
        }

        if (empty) {
            Svg.text(s, (left + right) / 2, (top + bottom) / 2, "no data", fs + 1, "middle", Svg.MUTED, null);
        }

        // Band: a polygon per run of x where both edges are known; a lone x gets a bar of the band's height.
        if (lower != null) {
            double barW = Math.max(6, Math.min(24, slot * 0.6));
            for (int[] run : runs(i -> at(lower, i) != null && at(upper, i) != null)) {
                if (run[0] == run[1]) {
                    int i = run[0];
                    double y1 = y.at(Math.max(at(lower, i), at(upper, i)));
                    double y2 = y.at(Math.min(at(lower, i), at(upper, i)));
                    s.append("<rect class=\"band\" x=\"").append(n(xAt.applyAsDouble(i) - barW / 2)).append("\" y=\"").append(n(y1))
                            .append("\" width=\"").append(n(barW)).append("\" height=\"").append(n(Math.max(1, y2 - y1)))
                            .append("\" fill=\"#0072B2\" fill-opacity=\"0.16\" stroke=\"#0072B2\" stroke-opacity=\"0.35\"/>");
                    continue;
                }
                StringBuilder pts = new StringBuilder();
                for (int i = run[0]; i <= run[1]; i++) {
                    pts.append(pts.isEmpty() ? "" : " ").append(n(xAt.applyAsDouble(i))).append(',').append(n(y.at(at(upper, i))));
                }
                for (int i = run[1]; i >= run[0]; i--) {
                    pts.append(' ').append(n(xAt.applyAsDouble(i))).append(',').append(n(y.at(at(lower, i))));
                }
                s.append("<polygon class=\"band\" points=\"").append(pts).append("\" fill=\"#0072B2\" fill-opacity=\"0.14\" stroke=\"none\"/>");
            }
        }

        // Expected: dashed runs; a lone value is a short dashed tick with a hollow point.
        if (expected != null) {
            for (int[] run : runs(i -> at(expected, i) != null)) {
                if (run[0] == run[1]) {
                    double cx = xAt.applyAsDouble(run[0]);
                    double cy = y.at(at(expected, run[0]));
                    double half = Math.max(5, Math.min(14, slot * 0.4));
                    s.append("<line class=\"expected\" x1=\"").append(n(cx - half)).append("\" y1=\"").append(n(cy)).append("\" x2=\"")
                            .append(n(cx + half)).append("\" y2=\"").append(n(cy))
                            .append("\" stroke=\"#444444\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>");
                    s.append("<circle class=\"expected\" cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy))
                            .append("\" r=\"2.5\" fill=\"#ffffff\" stroke=\"#444444\" stroke-width=\"1.2\"/>");
                    continue;
                }
                s.append("<path class=\"expected\" d=\"").append(path(run, expected, xAt, y))
                        .append("\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>");
            }
        }

        // Series: one path per run of known values (a null breaks the line); points when they are few or alone.
        boolean dots = slot >= 9;
        for (int k = 0; k < series.size(); k++) {
            Series se = series.get(k);
            String c = Svg.colour(k);
            s.append("<g class=\"series\">");
            s.append("<title>").append(Svg.escape(se.name())).append("</title>");
            for (int[] run : runs(i -> at(se.values(), i) != null)) {
                if (run[1] > run[0]) {
                    s.append("<path class=\"line\" d=\"").append(path(run, se.values(), xAt, y)).append("\" fill=\"none\" stroke=\"")
                            .append(c).append("\" stroke-width=\"").append(small() ? "1.6" : "2")
                            .append("\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
                }
                for (int i = run[0]; i <= run[1]; i++) {
                    if (dots || run[0] == run[1]) {
                        s.append("<circle cx=\"").append(n(xAt.applyAsDouble(i))).append("\" cy=\"").append(n(y.at(at(se.values(), i))))
                                .append("\" r=\"").append(small() ? "1.8" : "2.4").append("\" fill=\"").append(c).append("\"/>");
                    }
                }
            }
            s.append("</g>");
        }

        // Marks: a dotted guide, a ringed point and the label, kept inside the chart.
        for (Mark m : marks) {
            double cx = xAt.applyAsDouble(m.index());
            Double v = null;
            for (Series se : series) {
                v = v != null ? v : at(se.values(), m.index());
            }
            if (v == null) {
                v = at(expected, m.index());
            }
            double cy = v == null ? (top + bottom) / 2 : y.at(v);
            s.append("<g class=\"mark\">");
            s.append("<line x1=\"").append(n(cx)).append("\" y1=\"").append(n(top)).append("\" x2=\"").append(n(cx)).append("\" y2=\"")
                    .append(n(bottom)).append("\" stroke=\"").append(Svg.ALERT).append("\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>");
            s.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(small() ? "4" : "5")
                    .append("\" fill=\"none\" stroke=\"").append(Svg.ALERT).append("\" stroke-width=\"2\"/>");
            if (!m.label().isEmpty()) {
                String label = Svg.fit(m.label(), plotW, fs);
                double w = Svg.textWidth(label, fs);
                // Beside the guide: to its right, or to its left when the right has no room.
                double lx = cx + 6 + w <= right ? cx + 6 + w / 2 : Math.max(left + w / 2 + 2, cx - 6 - w / 2);
                // Away from the data: at the top of the plot for a point in its lower half, else at the bottom.
                double ly = cy > (top + bottom) / 2 ? top + fs + 2 : bottom - 6;
                s.append("<rect x=\"").append(n(lx - w / 2 - 3)).append("\" y=\"").append(n(ly - fs)).append("\" width=\"")
                        .append(n(w + 6)).append("\" height=\"").append(n(fs + 4))
                        .append("\" rx=\"2\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>");
                Svg.text(s, lx, ly, label, fs, "middle", Svg.ALERT, "font-weight=\"600\"");
            }
            s.append("</g>");
        }
        return s.append("</svg>").toString();
    }

    @FunctionalInterface
    private interface DoubleFunctionY {
        double at(double v);
    }

    /** [first, last] index of each run of consecutive x where {@code known} holds. */
    private List<int[]> runs(java.util.function.IntPredicate known) {
        List<int[]> r = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= x.size(); i++) {
            boolean k = i < x.size() && known.test(i);
            if (k && start < 0) {
                start = i;
            } else if (!k && start >= 0) {
                r.add(new int[]{start, i - 1});
                start = -1;
            }
        }
        return r;
    }

    private static String path(int[] run, List<Double> values, java.util.function.IntToDoubleFunction xAt, DoubleFunctionY y) {
        StringBuilder d = new StringBuilder();
        for (int i = run[0]; i <= run[1]; i++) {
            d.append(i == run[0] ? "M" : " L").append(n(xAt.applyAsDouble(i))).append(' ').append(n(y.at(at(values, i))));
        }
        return d.toString();
    }

    /** Legend entries: [kind, label, colour]. */
    private List<String[]> legendItems() {
        List<String[]> items = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            items.add(new String[]{"line", series.get(k).name(), Svg.colour(k)});
        }
        if (expected != null) {
            items.add(new String[]{"dash", "expected", "#444444"});
        }
        if (lower != null) {
            items.add(new String[]{"box", "expected band", "#0072B2"});
        }
        return items;
    }

    /** Draws the legend in rows from {@code top}; returns the y where the plot may start. */
    private double legend(StringBuilder s, List<String[]> items, double top, double fs) {
        double xPos = 8;
        double row = top + fs;
        for (String[] it : items) {
            String label = Svg.fit(it[1], width * 0.45, fs);
            double w = 22 + Svg.textWidth(label, fs) + 14;
            if (xPos + w > width - 8 && xPos > 8) {
                xPos = 8;
                row += fs + 6;
            }
            double mid = row - fs * 0.35;
            switch (it[0]) {
                case "dash" -> s.append("<line x1=\"").append(n(xPos)).append("\" y1=\"").append(n(mid)).append("\" x2=\"").append(n(xPos + 16))
                        .append("\" y2=\"").append(n(mid)).append("\" stroke=\"").append(it[2]).append("\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
                case "box" -> s.append("<rect x=\"").append(n(xPos)).append("\" y=\"").append(n(mid - 5)).append("\" width=\"16\" height=\"10\" fill=\"")
                        .append(it[2]).append("\" fill-opacity=\"0.16\"/>");
                default -> s.append("<line x1=\"").append(n(xPos)).append("\" y1=\"").append(n(mid)).append("\" x2=\"").append(n(xPos + 16))
                        .append("\" y2=\"").append(n(mid)).append("\" stroke=\"").append(it[2]).append("\" stroke-width=\"2.5\"/>");
            }
            Svg.text(s, xPos + 22, row, label, fs, "start", Svg.INK, null);
            xPos += w;
        }
        return row + 12;
    }
}
