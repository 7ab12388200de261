package org.ews.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import static org.ews.charts.Svg.n;

/**
 * Horizontal bars as one standalone {@code <svg>}: label left, bar, value right. A null value shows "n/a" and no bar
 * (missing or suppressed). Bars above {@link #highlightAbove} are in the alert colour, with a dashed line at the
 * threshold. Without {@link #size} the height follows the number of bars (22 px a bar).
 */
public final class BarChart {
    static final double ROW = 22;
    static final String NO_VALUE = "n/a";

    private final List<String> labels;
    private final List<Double> values;
    private int width = 720;
    private Integer height;
    private String title;
    private DoubleFunction<String> format = Numbers::compact;
    private Double threshold;

    private BarChart(List<String> labels, List<Double> values) {
        this.labels = labels.stream().map(l -> l == null ? "" : l).toList();
        this.values = new ArrayList<>(values);
    }

    /** One value per label; a null value is shown as "n/a" text, no bar. */
    public static BarChart of(List<String> labels, List<Double> values) {
        if (labels == null || values == null || labels.size() != values.size()) {
            throw new IllegalArgumentException("a bar chart needs one value per label; got "
                    + (labels == null ? "no" : labels.size()) + " labels and " + (values == null ? "no" : values.size()) + " values");
        }
        return new BarChart(labels, values);
    }

    public BarChart size(int width, int height) {
        if (width < 100 || height < 40) {
            throw new IllegalArgumentException("chart size " + width + "x" + height + " is below 100x40");
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** The SVG's {@code <title>} and a caption above the bars. */
    public BarChart title(String title) {
        this.title = title;
        return this;
    }

    /** Value and threshold text; default {@link Numbers#compact}. */
    public BarChart valueFormat(DoubleFunction<String> format) {
        this.format = format == null ? Numbers::compact : format;
        return this;
    }

    /** Bars with a value above {@code threshold} in the alert colour (e.g. HHI > 0.4), and a line at it. */
    public BarChart highlightAbove(double threshold) {
        this.threshold = threshold;
        return this;
    }

    private Double at(int i) {
        Double v = values.get(i);
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    public String svg() {
        int count = labels.size();
        boolean hasCaption = title != null && !title.isBlank();
        int h = height != null ? height : (int) Math.ceil(8 + (hasCaption ? 20 : 0) + Math.max(1, count) * ROW + (threshold != null ? 16 : 6));
        boolean caption = hasCaption && (height == null || h >= 3 * ROW);
        double fs = width < 400 ? 10 : 11;
        StringBuilder s = new StringBuilder(2048);
        Svg.open(s, width, h, title);
        double top = 8;
        if (caption) {
            Svg.text(s, 8, top + fs + 1, Svg.fit(title, width - 16, fs + 1), fs + 1, "start", Svg.INK, "font-weight=\"600\"");
            top += fs + 10;
        }
        double bottom = h - (threshold != null ? 16 : 6);
        double rowH = count == 0 ? ROW : Math.max(4, (bottom - top) / count);
        if (count == 0) {
            Svg.text(s, width / 2.0, (top + bottom) / 2, "no data", fs + 1, "middle", Svg.MUTED, null);
            return s.append("</svg>").toString();
        }
        double barFs = Math.min(fs, Math.max(7, rowH - 4));

        // Columns: labels, bars, values.
        double labelW = 0;
        double valueW = Svg.textWidth(NO_VALUE, barFs);
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < count; i++) {
            labelW = Math.max(labelW, Svg.textWidth(labels.get(i), barFs));
            Double v = at(i);
            if (v != null) {
                valueW = Math.max(valueW, Svg.textWidth(format.apply(v), barFs));
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (threshold != null && !threshold.isNaN() && !threshold.isInfinite()) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        labelW = Math.min(labelW, width * 0.38);
        double labelRight = 8 + labelW;
        double barLeft = labelRight + 8;
        double barRight = width - 10 - valueW - 6;
        final double l0 = lo;
        final double span = hi - lo;
        final double x0 = barLeft;
        final double w0 = Math.max(10, barRight - barLeft);
        java.util.function.DoubleUnaryOperator xOf = v -> x0 + (v - l0) / span * w0;
        double zero = xOf.applyAsDouble(0);

        if (lo < 0) {
            s.append("<line x1=\"").append(n(zero)).append("\" y1=\"").append(n(top)).append("\" x2=\"").append(n(zero))
                    .append("\" y2=\"").append(n(bottom)).append("\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>");
        }
        double barH = Math.max(2, rowH * 0.68);
        for (int i = 0; i < count; i++) {
            double mid = top + (i + 0.5) * rowH;
            String label = labels.get(i);
            String shown = Svg.fit(label, labelW, barFs);
            s.append("<g class=\"bar\">");
            s.append("<title>").append(Svg.escape(label + ": " + (at(i) == null ? NO_VALUE : format.apply(at(i))))).append("</title>");
            Svg.text(s, labelRight, mid + barFs * 0.35, shown, barFs, "end", Svg.INK, null);
            Double v = at(i);
            if (v == null) {
                Svg.text(s, zero + 4, mid + barFs * 0.35, NO_VALUE, barFs, "start", Svg.MUTED, "font-style=\"italic\"");
            } else {
                double a = Math.min(zero, xOf.applyAsDouble(v));
                double b = Math.max(zero, xOf.applyAsDouble(v));
                boolean alert = threshold != null && v > threshold;
                s.append("<rect x=\"").append(n(a)).append("\" y=\"").append(n(mid - barH / 2)).append("\" width=\"")
                        .append(n(v == 0 ? 0 : Math.max(1, b - a))).append("\" height=\"").append(n(barH)).append("\" fill=\"")
                        .append(alert ? Svg.ALERT : Svg.PALETTE[0]).append('"').append(alert ? " class=\"alert\"" : "").append("/>");
                Svg.text(s, Math.max(b, zero) + 4, mid + barFs * 0.35, format.apply(v), barFs, "start", alert ? Svg.ALERT : Svg.INK,
                        alert ? "font-weight=\"600\"" : null);
            }
            s.append("</g>");
        }
        if (threshold != null && !threshold.isNaN() && !threshold.isInfinite()) {
            double tx = xOf.applyAsDouble(threshold);
            s.append("<line class=\"threshold\" x1=\"").append(n(tx)).append("\" y1=\"").append(n(top - 2)).append("\" x2=\"").append(n(tx))
                    .append("\" y2=\"").append(n(bottom + 2)).append("\" stroke=\"").append(Svg.ALERT)
                    .append("\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>");
            Svg.text(s, tx, h - 4, "> " + format.apply(threshold), fs - 1, "middle", Svg.ALERT, null);
        }
        return s.append("</svg>").toString();
    }
}
