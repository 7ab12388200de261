package org.ews.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart asked for by a comment line in a SQL cell, drawn from the cell's result:
 * <pre>
 * -- chart: line x=month y=value_usd series=partner fill=0 title="Imports by partner"
 * -- chart: line x=month y=observed lower=lower upper=upper expected=expected mark=flag facet=alert
 * -- chart: bar label=sector value=hhi highlight_above=0.4 facet=reporter format=plain
 * </pre>
 * Values with spaces are double-quoted. Every key is checked when the notebook is read, every column when the cell
 * has run. Keys (notebooks/README.md has the table): line: x, y (one column or several, comma-separated), series,
 * lower, upper, expected, mark, fill (0), max_series; bar: label (one or several columns), value, highlight_above,
 * limit; both: title, format (compact, percent, usd, plain), width, height, facet, max_facets.
 */
record ChartSpec(String kind, Map<String, String> options, String where) {
    static final Pattern LINE = Pattern.compile("^\\s*--\\s*chart\\s*:(.*)$", Pattern.MULTILINE);
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)|(\\S+)");
    private static final Set<String> COMMON = Set.of("title", "format", "width", "height", "facet", "max_facets");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "line", Set.of("x", "y", "series", "lower", "upper", "expected", "mark", "fill", "max_series"),
            "bar", Set.of("label", "value", "highlight_above", "limit"));
    private static final Map<String, List<String>> REQUIRED = Map.of("line", List.of("x", "y"), "bar", List.of("label", "value"));
    static final List<String> FORMATS = List.of("compact", "percent", "usd", "plain");

    /** Every chart line of a cell's SQL, in order; {@code where} names the cell in errors. */
    static List<ChartSpec> parseAll(String sql, String where) {
        List<ChartSpec> specs = new ArrayList<>();
        Matcher m = LINE.matcher(sql);
        while (m.find()) {
            specs.add(parse(m.group(1), where + ", chart " + (specs.size() + 1)));
        }
        return specs;
    }

    static ChartSpec parse(String text, String where) {
        Matcher t = TOKEN.matcher(text.strip());
        String kind = null;
        Map<String, String> options = new LinkedHashMap<>();
        while (t.find()) {
            if (t.group(3) != null) {
                if (kind != null) {
                    throw NotebookException.invalid(where + ": '" + t.group(3) + "' is not key=value");
                }
                kind = t.group(3).toLowerCase();
                continue;
            }
            String key = t.group(1).toLowerCase();
            String value = t.group(2);
            if (value.startsWith("\"")) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            if (options.put(key, value) != null) {
                throw NotebookException.invalid(where + ": " + key + " given twice");
            }
        }
        if (kind == null || !KEYS.containsKey(kind)) {
            throw NotebookException.invalid(where + ": chart kind '" + kind + "' is not line or bar (-- chart: line x=... y=...)");
        }
        for (String key : options.keySet()) {
            if (!KEYS.get(kind).contains(key) && !COMMON.contains(key)) {
                List<String> allowed = new ArrayList<>(KEYS.get(kind));
                allowed.addAll(COMMON);
                allowed.sort(null);
                throw NotebookException.invalid(where + ": unknown key '" + key + "' for a " + kind + " chart (keys: " + String.join(", ", allowed) + ")");
            }
        }
        for (String key : REQUIRED.get(kind)) {
            if (options.get(key) == null || options.get(key).isBlank()) {
                throw NotebookException.invalid(where + ": a " + kind + " chart needs " + key + "=COLUMN");
            }
        }
        ChartSpec spec = new ChartSpec(kind, options, where);
        spec.validate();
        return spec;
    }

    private void validate() {
        if (options.containsKey("format") && !FORMATS.contains(options.get("format"))) {
            throw NotebookException.invalid(where + ": format '" + options.get("format") + "' is not one of " + String.join(", ", FORMATS));
        }
        number("width", 100, 2000);
        number("height", 40, 2000);
        number("max_facets", 1, 50);
        number("max_series", 1, 12);
        number("limit", 1, 500);
        if (options.containsKey("fill") && !options.get("fill").equals("0")) {
            throw NotebookException.invalid(where + ": fill takes 0 (missing x of a series drawn as zero), not '" + options.get("fill") + "'");
        }
        if (options.containsKey("highlight_above")) {
            try {
                Double.parseDouble(options.get("highlight_above"));
            } catch (NumberFormatException e) {
                throw NotebookException.invalid(where + ": highlight_above '" + options.get("highlight_above") + "' is not a number");
            }
        }
        if (kind.equals("line") && options.containsKey("series") && list("y").size() > 1) {
            throw NotebookException.invalid(where + ": series= pivots one y column; with several y columns each is a series already");
        }
        if (options.containsKey("lower") != options.containsKey("upper")) {
            throw NotebookException.invalid(where + ": a band needs both lower= and upper=");
        }
    }

    private void number(String key, int min, int max) {
        if (!options.containsKey(key)) {
            return;
        }
        try {
            int v = Integer.parseInt(options.get(key));
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw NotebookException.invalid(where + ": " + key + " '" + options.get(key) + "' is not a whole number from " + min + " to " + max);
        }
    }

    String get(String key) {
        return options.get(key);
    }

    int integer(String key, int defaultValue) {
        return options.containsKey(key) ? Integer.parseInt(options.get(key)) : defaultValue;
    }

    /** A comma-separated list of column names. */
    List<String> list(String key) {
        String v = options.get(key);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Every column the chart reads, to check against the result's columns. */
    List<String> columns() {
        List<String> c = new ArrayList<>();
        for (String key : List.of("x", "y", "series", "lower", "upper", "expected", "mark", "label", "value", "facet")) {
            c.addAll(list(key));
        }
        return c;
    }
}
