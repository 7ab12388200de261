package org.ews.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The shared parts of the charts: XML escaping, coordinates, palette, axis ticks and a text-width estimate. */
public final class Svg {
    private Svg() {}

    /** Okabe-Ito: distinguishable with the common colour-vision deficiencies; yellow left out (unreadable on white), vermillion late (it is the alert colour). */
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#000000", "#56B4E9", "#D55E00", "#999999"};
    static final String ALERT = "#D55E00";
    static final String INK = "#222222";
    static final String MUTED = "#666666";
    static final String GRID = "#e3e3e3";
    static final String FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

    static String colour(int series) {
        return PALETTE[series % PALETTE.length];
    }

    /** Text safe in XML content and in double- or single-quoted attributes; characters XML 1.0 forbids are dropped. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
                    if (allowed) {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    /** A coordinate to 0.1 px, locale-independent, never "-0". */
    static String n(double v) {
        double r = Math.round(v * 10) / 10.0;
        if (r == 0) {
            return "0";
        }
        return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    /** Rough width of a text in the sans-serif font: good enough to reserve room and keep labels apart. */
    static double textWidth(String s, double fontSize) {
        return (s == null ? 0 : s.codePointCount(0, s.length())) * fontSize * 0.6;
    }

    /** The text cut with an ellipsis to fit {@code width} px. */
    static String fit(String s, double width, double fontSize) {
        if (s == null) {
            return "";
        }
        int max = (int) Math.floor(width / (fontSize * 0.6));
        int len = s.codePointCount(0, s.length());
        if (len <= max) {
            return s;
        }
        if (max <= 1) {
            return "…";
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** The opening tag: size, view box, font, and the accessible name as the first child. */
    static void open(StringBuilder s, int width, int height, String title) {
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" font-family=\"").append(FONT).append("\">");
        if (title != null && !title.isBlank()) {
            s.append("<title>").append(escape(title)).append("</title>");
        }
        s.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
    }

    static void text(StringBuilder s, double x, double y, String text, double fontSize, String anchor, String fill, String extra) {
        s.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(fontSize))
                .append("\" fill=\"").append(fill).append('"');
        if (anchor != null && !anchor.equals("start")) {
            s.append(" text-anchor=\"").append(anchor).append('"');
        }
        if (extra != null && !extra.isEmpty()) {
            s.append(' ').append(extra);
        }
        s.append('>').append(escape(text)).append("</text>");
    }

    /** A nice step (1, 2 or 5 × 10^k) giving about {@code target} intervals over the range. */
    static double niceStep(double range, int target) {
        double raw = range / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * mag >= raw * (1 - 1e-9)) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    /** Ticks from a multiple of the step at or below {@code lo} to one at or above {@code hi}. */
    static List<Double> ticks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            hi = lo == 0 ? 1 : lo + Math.abs(lo) * 0.5;
        }
        double step = niceStep(hi - lo, target);
        double first = Math.floor(lo / step + 1e-9) * step;
        double last = Math.ceil(hi / step - 1e-9) * step;
        List<Double> t = new ArrayList<>();
        for (int i = 0; first + i * step <= last + step * 1e-6; i++) {
            double v = first + i * step;
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t;
    }
}
