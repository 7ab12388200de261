package org.ews.charts;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The charts are well-formed standalone SVG, escape their text, and put points where the scale says. */
class ChartsTest {
    private static final List<String> MONTHS = List.of("2024-01", "2024-02", "2024-03", "2024-04", "2024-05");

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        return d;
    }

    private static List<Element> elements(Document d, String tag, String cls) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cls == null || Arrays.asList(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> texts(Document d) {
        List<String> t = new ArrayList<>();
        for (Element e : elements(d, "text", null)) {
            t.add(e.getTextContent());
        }
        return t;
    }

    private static void assertSelfContained(String svg) {
        for (String forbidden : new String[]{"<script", "href", "url(", "@import", "<foreignObject", " id="}) {
            assertFalse(svg.contains(forbidden), "svg holds " + forbidden + ": " + svg);
        }
    }

    @Test
    void aFullLineChartIsWellFormedAndSelfContained() throws Exception {
        String svg = LineChart.of(MONTHS)
                .series("CN", List.of(1.0e6, 1.2e6, 0.4e6, 1.1e6, 1.3e6))
                .series("AU", Arrays.asList(2.0e5, null, 3.0e5, 2.5e5, 2.0e5))
                .band(Arrays.asList(null, null, 0.9e6, null, null), Arrays.asList(null, null, 1.4e6, null, null))
                .expected(Arrays.asList(null, null, 1.15e6, null, null))
                .mark(2, "collapse -65%")
                .title("Imports of 250410 by partner")
                .svg();
        Document d = parse(svg);
        assertSelfContained(svg);
        assertEquals("Imports of 250410 by partner", d.getElementsByTagName("title").item(0).getTextContent());
        List<String> t = texts(d);
        assertTrue(t.contains("collapse -65%"), "mark label shown: " + t);
        assertTrue(t.containsAll(List.of("CN", "AU", "expected", "expected band")), "legend: " + t);
        assertTrue(t.containsAll(List.of("0", "500k", "1M", "1.5M")), "y labels, compact: " + t);
        assertEquals(1, elements(d, "g", "mark").size());
        assertEquals(1, elements(d, "rect", "band").size(), "a band at one month is a bar");
        assertFalse(elements(d, "circle", "expected").isEmpty(), "a lone expected value is drawn");
    }

    @Test
    void textIsEscaped() throws Exception {
        String name = "<b>&\"'";
        String line = LineChart.of(List.of("a<", "b&")).series(name, List.of(1.0, 2.0)).series("x", List.of(2.0, 1.0))
                .mark(1, "</svg>").title("t & <u>").svg();
        Document d = parse(line);
        assertTrue(texts(d).containsAll(List.of(name, "a<", "b&", "</svg>")), texts(d).toString());
        assertEquals("t & <u>", d.getElementsByTagName("title").item(0).getTextContent());

        String bars = BarChart.of(List.of("<b>&", "ok"), List.of(1.0, 2.0)).title("<t>").svg();
        assertTrue(texts(parse(bars)).contains("<b>&"));
        // Characters XML 1.0 cannot hold are dropped, not passed through to break the document.
        parse(LineChart.of(List.of("a\u0001")).series("b\u0000", List.of(1.0)).svg());
    }

    @Test
    void aNullValueBreaksTheLineIntoTwoSegments() throws Exception {
        Document d = parse(LineChart.of(MONTHS).series("s", Arrays.asList(1.0, 2.0, null, 4.0, 5.0)).svg());
        List<Element> paths = elements(d, "path", "line");
        assertEquals(2, paths.size());
        assertEquals(2, paths.get(0).getAttribute("d").split("L").length, "first segment: two points");
        assertEquals(2, paths.get(1).getAttribute("d").split("L").length, "second segment: two points");
        // A lone value between gaps is still visible, as a point.
        Document lone = parse(LineChart.of(MONTHS).series("s", Arrays.asList(1.0, null, 3.0, null, 5.0)).size(320, 120).svg());
        assertEquals(0, elements(lone, "path", "line").size());
        assertEquals(3, lone.getElementsByTagName("circle").getLength());
    }

    @Test
    void pointsSitWhereTheScaleSays() throws Exception {
        // 400x200, no caption, one series: no legend. Font 11, so the plot runs from y = 8 to y = 200 - 21 = 179.
        // Values 0..100 with about 5 intervals: step 20, gridlines 0, 20, ..., 100.
        Document d = parse(LineChart.of(List.of("a", "b", "c")).series("s", List.of(0.0, 50.0, 100.0)).size(400, 200).svg());
        String[] points = elements(d, "path", "line").get(0).getAttribute("d").replace("M", "").split(" L");
        double[] ys = Arrays.stream(points).mapToDouble(p -> Double.parseDouble(p.trim().split(" ")[1])).toArray();
        assertArrayEquals(new double[]{179, 179 - 171 * 0.5, 8}, ys, 0.05);
        // x: the y labels are at most 3 characters, 3 * 11 * 0.6 = 19.8 px, so the plot starts at
        // ceil(19.8 + 14) = 34 and ends at 400 - 12 = 388: three slots of 118 px, points at their middles.
        double[] xs = Arrays.stream(points).mapToDouble(p -> Double.parseDouble(p.trim().split(" ")[0])).toArray();
        assertArrayEquals(new double[]{34 + 59, 34 + 59 + 118, 34 + 59 + 236}, xs, 0.05);
        assertTrue(texts(d).containsAll(List.of("0", "20", "40", "60", "80", "100")), texts(d).toString());
    }

    @Test
    void aBandOverSeveralMonthsIsAPolygonAndNegativeValuesMoveTheAxis() throws Exception {
        Document d = parse(LineChart.of(MONTHS).series("s", List.of(-5.0, 1.0, 2.0, 3.0, 4.0))
                .band(Arrays.asList(0.0, 0.5, 1.0, null, 3.0), Arrays.asList(2.0, 2.5, 3.0, null, 5.0)).svg());
        assertEquals(1, elements(d, "polygon", "band").size(), "months 1-3");
        assertEquals(1, elements(d, "rect", "band").size(), "month 5 alone");
        assertTrue(texts(d).contains("-6") || texts(d).contains("-5") || texts(d).contains("-10"), texts(d).toString());
    }

    @Test
    void xLabelsAreThinnedToFit() throws Exception {
        List<String> months = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            months.add(String.format("%d-%02d", 2023 + i / 12, i % 12 + 1));
            v.add((double) i);
        }
        Document d = parse(LineChart.of(months).series("s", v).size(320, 120).svg());
        long shown = texts(d).stream().filter(t -> t.matches("\\d{4}-\\d{2}")).count();
        assertTrue(shown >= 3 && shown <= 8, "month labels shown at 320 px: " + shown);
    }

    @Test
    void emptyChartsSayNoData() throws Exception {
        assertTrue(texts(parse(LineChart.of(MONTHS).series("s", Arrays.asList(null, null, null, null, null)).svg())).contains("no data"));
        assertTrue(texts(parse(BarChart.of(List.of(), List.of()).svg())).contains("no data"));
    }

    @Test
    void barsShowNullAsNoValueAndHighlightAboveTheThreshold() throws Exception {
        String svg = BarChart.of(List.of("batteries", "semiconductors", "rare earths", "critical minerals"),
                        Arrays.asList(0.35, 0.52, null, 0.91))
                .highlightAbove(0.4).valueFormat(v -> String.format(java.util.Locale.ROOT, "%.2f", v)).title("HHI by sector").svg();
        Document d = parse(svg);
        assertSelfContained(svg);
        List<String> t = texts(d);
        assertTrue(t.containsAll(List.of("batteries", "0.35", "0.52", "0.91", "n/a", "HHI by sector", "> 0.40")), t.toString());
        List<Element> bars = new ArrayList<>();
        for (Element r : elements(d, "rect", null)) {
            if (r.getParentNode() instanceof Element p && p.getAttribute("class").equals("bar")) {
                bars.add(r);
            }
        }
        assertEquals(3, bars.size(), "no bar for the null value");
        assertEquals(2, elements(d, "rect", "alert").size(), "0.52 and 0.91 are above 0.4");
        assertEquals(1, elements(d, "line", "threshold").size());
        // Bars are proportional: 0.91 is 0.91/0.52 times as long as 0.52.
        double w52 = Double.parseDouble(bars.get(1).getAttribute("width"));
        double w91 = Double.parseDouble(bars.get(2).getAttribute("width"));
        assertEquals(0.91 / 0.52, w91 / w52, 0.01);
    }

    @Test
    void aSmallBarChartStillFits() throws Exception {
        Document d = parse(BarChart.of(List.of("a very long sector name that cannot fit", "b"), List.of(1.5e9, 2.0e6)).size(320, 120).svg());
        assertTrue(texts(d).contains("1.5B"));
        assertTrue(texts(d).stream().anyMatch(s -> s.endsWith("…")), "a long label is cut: " + texts(d));
    }

    @Test
    void compactNumbers() {
        assertEquals("1.2M", Numbers.compact(1_234_567));
        assertEquals("350k", Numbers.compact(350_000));
        assertEquals("13M", Numbers.compact(12_500_000));
        assertEquals("1M", Numbers.compact(999_950));
        assertEquals("1M", Numbers.compact(1_000_000));
        assertEquals("-2.5k", Numbers.compact(-2_500));
        assertEquals("999", Numbers.compact(999));
        assertEquals("0", Numbers.compact(0));
        assertEquals("0.425", Numbers.compact(0.425));
        assertEquals("0.3", Numbers.compact(0.1 + 0.2));
        assertEquals("2.5B", Numbers.compact(2.5e9));
        assertEquals("n/a", Numbers.compact(Double.NaN));
        assertEquals("42.6%", Numbers.percent(0.4256));
        assertEquals("100%", Numbers.percent(1.0));
    }
}
