package org.ews.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.Messages;
import org.ews.sql.SqlCommand;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a notebook's {@code %%sql} cells read-only against the registered warehouse tables and writes what an analyst
 * or a CI job reads: {@code NN-<slug>.csv} per SQL cell and {@code NN-<slug>[-<facet>].svg} per chart (NN = the cell's
 * number in the notebook, slug = the heading above it), the executed notebook, a self-contained HTML page and
 * {@code manifest.json}. Everything that can be checked without Spark (parameters, template names, chart lines) is
 * checked by {@link #prepare} before a query runs. Python code cells (the JupySQL set-up) are not run.
 */
public final class NotebookRunner {
    /** Rows shown in the notebook and the HTML page; the CSV has them all. */
    public static final int SHOWN_ROWS = 50;
    /** Rows kept in memory for charts. */
    static final int KEPT_ROWS = 20_000;
    private static final Pattern OWN_FILE = Pattern.compile("\\d{2,}-[a-z0-9-]+\\.(csv|svg)");

    private final Notebook notebook;
    private final Map<String, Object> parameters;
    private final List<Step> steps;

    /** One SQL cell ready to run: its query with the parameters in, and its charts. */
    record Step(Notebook.Cell cell, int executionCount, String slug, String sql, List<ChartSpec> charts, String heading) {
        String where() {
            return "cell " + cell.number();
        }

        String prefix() {
            return String.format(Locale.ROOT, "%02d-%s", cell.number(), slug);
        }
    }

    /** What one SQL cell produced (or the error that stopped it). */
    record Outcome(Step step, String[] columns, ResultTable table, String csv, List<ChartRenderer.Drawn> charts,
                   List<String> chartFiles, double seconds, String error) {}

    /** The run's result: one outcome per SQL cell that ran, in order. */
    public record Result(Path out, List<Outcome> outcomes, double seconds) {
        public long rows(int cell) {
            return outcomes.stream().filter(o -> o.step().cell().number() == cell).findFirst().orElseThrow().table().total();
        }
    }

    private NotebookRunner(Notebook notebook, Map<String, Object> parameters, List<Step> steps) {
        this.notebook = notebook;
        this.parameters = parameters;
        this.steps = steps;
    }

    /**
     * Reads the notebook, takes its parameters (the {@code parameters} cell, then any {@code injected-parameters} cell
     * papermill left, then {@code overrides}) and renders every SQL cell; throws {@link NotebookException#invalid} with
     * the cell and the name on anything wrong.
     */
    public static NotebookRunner prepare(Path file, Map<String, String> overrides) {
        Notebook nb = Notebook.read(file);
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Notebook.Cell c : nb.cells()) {
            if (c.isParameters() || c.isInjectedParameters()) {
                defaults.putAll(Parameters.parse(c));
            }
        }
        Map<String, Object> used = Parameters.merge(defaults, overrides, file.getFileName().toString());
        List<Step> steps = new ArrayList<>();
        String heading = null;
        for (Notebook.Cell c : nb.cells()) {
            if (c.isMarkdown()) {
                String h = lastHeading(c.source());
                heading = h != null ? h : heading;
            } else if (c.isSql()) {
                String where = "cell " + c.number();
                String sql = Template.render(c.sqlBody(), used, where).strip();
                while (sql.endsWith(";")) {
                    sql = sql.substring(0, sql.length() - 1).strip();
                }
                if (sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                    throw NotebookException.invalid(where + ": the %%sql cell has no query");
                }
                steps.add(new Step(c, steps.size() + 1, slug(heading), sql, ChartSpec.parseAll(sql, where), heading));
            }
        }
        return new NotebookRunner(nb, used, steps);
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    List<Step> steps() {
        return steps;
    }

    public Notebook notebook() {
        return notebook;
    }

    /**
     * Runs every SQL cell in order and writes the outputs into {@code out}, replacing those of an earlier run. A failing
     * cell stops the run: the files of the cells before it stay, the notebook, page and manifest record the error, and
     * a {@link NotebookException} names the cell.
     */
    public Result run(SparkSession spark, Path out, String warehouse, PrintStream log) {
        checkOutput(out);
        try {
            Files.createDirectories(out);
            clean(out);
        } catch (IOException e) {
            throw NotebookException.failed("cannot write into " + out + ": " + e.getMessage(), e);
        }
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        log.printf(Locale.ROOT, "notebook %s: %d SQL cells, parameters %s%n", notebook.source(), steps.size(), describe(parameters));
        List<Outcome> outcomes = new ArrayList<>();
        NotebookException failure = null;
        for (Step step : steps) {
            Outcome o = runCell(spark, step, out);
            outcomes.add(o);
            if (o.error() != null) {
                log.printf(Locale.ROOT, "  cell %2d  %-40s FAILED after %.1f s: %s%n", step.cell().number(), step.slug(), o.seconds(), o.error());
                failure = NotebookException.failed(step.where() + " (" + step.slug() + ") failed: " + o.error(), null);
                break;
            }
            log.printf(Locale.ROOT, "  cell %2d  %-40s %,8d rows  %5.1f s  %s%n", step.cell().number(), step.slug(), o.table().total(),
                    o.seconds(), String.join(", ", Stream.concat(Stream.of(o.csv()), o.chartFiles().stream()).toList()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Result result = new Result(out, outcomes, seconds);
        String status = failure == null ? "succeeded" : "failed";
        write(out.resolve(notebook.name() + ".ipynb"), pretty(executedNotebook(outcomes, started, warehouse, status)));
        write(out.resolve(notebook.name() + ".html"), HtmlPage.render(notebook, parameters, outcomes, warehouse, started, status));
        write(out.resolve("manifest.json"), pretty(manifest(outcomes, started, seconds, warehouse, status,
                failure == null ? null : failure.getMessage())));
        if (failure != null) {
            throw failure;
        }
        log.printf(Locale.ROOT, "  done in %.1f s: %s%n", seconds, out.resolve(notebook.name() + ".html"));
        return result;
    }

    /** Refuses an output folder where the executed notebook would overwrite the notebook itself. */
    public void checkOutput(Path out) {
        Path executed = out.resolve(notebook.name() + ".ipynb");
        try {
            if (Files.exists(executed) && Files.isSameFile(executed, notebook.source())) {
                throw NotebookException.invalid("--out " + out + " would overwrite the notebook itself; choose another folder");
            }
        } catch (IOException e) {
            throw NotebookException.invalid("cannot read " + executed + ": " + e.getMessage());
        }
    }

    private Outcome runCell(SparkSession spark, Step step, Path out) {
        long t0 = System.nanoTime();
        Path csv = out.resolve(step.prefix() + ".csv");
        try {
            SqlCommand.requireReadOnly(spark, step.sql());
            Dataset<Row> df = spark.sql(step.sql());
            String[] columns = df.columns();
            Capture rows = new Capture(df.toLocalIterator(), KEPT_ROWS);
            try (PrintStream p = new PrintStream(new BufferedOutputStream(Files.newOutputStream(csv)), false, StandardCharsets.UTF_8)) {
                SqlCommand.csv(columns, rows, p);
            }
            List<ChartRenderer.Drawn> drawn = new ArrayList<>();
            List<String> files = new ArrayList<>();
            for (ChartSpec spec : step.charts()) {
                String title = step.heading() != null ? step.heading() : step.slug();
                for (ChartRenderer.Drawn d : ChartRenderer.draw(spec, columns, rows.kept(), title)) {
                    String name = step.prefix() + (step.charts().size() > 1 ? "-" + (step.charts().indexOf(spec) + 1) : "")
                            + (d.part().isEmpty() ? "" : "-" + slug(d.part(), 30, "facet-" + (drawn.size() + 1)));
                    while (files.contains(name + ".svg")) {
                        name = name + "-" + (drawn.size() + 1);
                    }
                    write(out.resolve(name + ".svg"), d.svg());
                    drawn.add(d);
                    files.add(name + ".svg");
                }
            }
            ResultTable table = new ResultTable(columns, rows.kept(), rows.count(), SHOWN_ROWS);
            return new Outcome(step, columns, table, csv.getFileName().toString(), drawn, files, (System.nanoTime() - t0) / 1e9, null);
        } catch (Exception e) { // Spark's AnalysisException is checked in Scala terms and thrown undeclared
            try {
                Files.deleteIfExists(csv);
            } catch (IOException ignored) {
                // the error below is what matters
            }
            String message = e instanceof NotebookException ? e.getMessage().replaceFirst("^" + Pattern.quote(step.where()) + "(, )?:? ?", "")
                    : Messages.firstLine(e.getMessage());
            return new Outcome(step, null, null, null, List.of(), List.of(), (System.nanoTime() - t0) / 1e9,
                    // Spark's messages start with their error class ([TABLE_OR_VIEW_NOT_FOUND] ...); others get the exception's name.
                    e instanceof NotebookException || message.startsWith("[") ? message : e.getClass().getSimpleName() + ": " + message);
        }
    }

    /** Streams rows to the CSV writer, counting them and keeping the first {@code keep} for the table and charts. */
    private static final class Capture implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final int keep;
        private final List<Row> kept = new ArrayList<>();
        private long count;

        Capture(Iterator<Row> rows, int keep) {
            this.rows = rows;
            this.keep = keep;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row r = rows.next();
            if (kept.size() < keep) {
                kept.add(r);
            }
            count++;
            return r;
        }

        List<Row> kept() {
            return kept;
        }

        long count() {
            return count;
        }
    }

    /** The notebook as run: outputs of the SQL cells, the parameters used in an injected-parameters cell. */
    private ObjectNode executedNotebook(List<Outcome> outcomes, Instant started, String warehouse, String status) {
        ObjectNode nb = notebook.json().deepCopy();
        boolean ids = nb.path("nbformat_minor").asInt(0) >= 5;
        Map<Integer, Outcome> byCell = new LinkedHashMap<>();
        outcomes.forEach(o -> byCell.put(o.step().cell().number(), o));
        ArrayNode cells = Notebook.JSON.createArrayNode();
        int n = 0;
        for (JsonNode c : nb.path("cells")) {
            n++;
            ObjectNode cell = (ObjectNode) c;
            Notebook.Cell source = notebook.cells().get(n - 1);
            if (source.isInjectedParameters()) {
                continue; // replaced by ours, with the values this run used
            }
            if (cell.path("cell_type").asText().equals("code")) {
                Outcome o = byCell.get(n);
                cell.set("outputs", o == null ? Notebook.JSON.createArrayNode() : outputs(o));
                if (o == null) {
                    cell.putNull("execution_count");
                } else {
                    cell.put("execution_count", o.step().executionCount());
                    ObjectNode meta = object(cell, "metadata").putObject("ews");
                    meta.put("sql", o.step().sql());
                    if (o.error() == null) {
                        meta.put("rows", o.table().total()).put("csv", o.csv()).put("seconds", round(o.seconds()));
                        ArrayNode files = meta.putArray("charts");
                        o.chartFiles().forEach(files::add);
                    }
                }
            }
            cells.add(cell);
            if (source.isParameters() && source == firstParametersCell()) {
                cells.add(injectedCell(ids));
            }
        }
        nb.set("cells", cells);
        ObjectNode meta = object(nb, "metadata").putObject("ews");
        meta.put("executed_at", started.truncatedTo(ChronoUnit.SECONDS).toString()).put("warehouse", warehouse).put("status", status);
        meta.set("parameters", parametersJson());
        return nb;
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
    }

    private Notebook.Cell firstParametersCell() {
        return notebook.cells().stream().filter(Notebook.Cell::isParameters).findFirst().orElse(null);
    }

    private ObjectNode injectedCell(boolean withId) {
        StringBuilder src = new StringBuilder("# Parameters of this run (bin/ews notebook)\n");
        parameters.forEach((k, v) -> src.append(k).append(" = ").append(Parameters.python(v)).append('\n'));
        ObjectNode c = Notebook.JSON.createObjectNode();
        c.put("cell_type", "code");
        c.putNull("execution_count");
        if (withId) {
            c.put("id", "ews-injected-parameters");
        }
        c.putObject("metadata").putArray("tags").add(Notebook.INJECTED_TAG);
        c.putArray("outputs");
        c.set("source", Notebook.lines(src.toString().stripTrailing()));
        return c;
    }

    private static ArrayNode outputs(Outcome o) {
        ArrayNode outputs = Notebook.JSON.createArrayNode();
        if (o.error() != null) {
            ObjectNode e = outputs.addObject();
            e.put("output_type", "error").put("ename", "QueryFailed").put("evalue", o.error());
            e.putArray("traceback").add(o.error());
            return outputs;
        }
        for (int i = 0; i < o.charts().size(); i++) {
            ObjectNode d = outputs.addObject();
            d.put("output_type", "display_data");
            ObjectNode data = d.putObject("data");
            data.put("image/svg+xml", o.charts().get(i).svg());
            data.put("text/plain", "<chart: " + o.charts().get(i).title() + " (" + o.chartFiles().get(i) + ")>");
            d.putObject("metadata");
        }
        ObjectNode r = outputs.addObject();
        r.put("output_type", "execute_result").put("execution_count", o.step().executionCount());
        ObjectNode data = r.putObject("data");
        data.put("text/html", o.table().html(o.csv()));
        data.put("text/plain", o.table().plain(o.csv()));
        r.putObject("metadata");
        return outputs;
    }

    private ObjectNode manifest(List<Outcome> outcomes, Instant started, double seconds, String warehouse, String status, String error) {
        ObjectNode m = Notebook.JSON.createObjectNode();
        m.put("notebook", notebook.name()).put("source", notebook.source().toString()).put("warehouse", warehouse)
                .put("started_at", started.truncatedTo(ChronoUnit.SECONDS).toString()).put("seconds", round(seconds))
                .put("status", status);
        if (error == null) {
            m.putNull("error");
        } else {
            m.put("error", error);
        }
        m.set("parameters", parametersJson());
        m.put("html", notebook.name() + ".html").put("executed_notebook", notebook.name() + ".ipynb");
        ArrayNode cells = m.putArray("cells");
        for (Outcome o : outcomes) {
            ObjectNode c = cells.addObject();
            c.put("cell", o.step().cell().number()).put("execution_count", o.step().executionCount()).put("slug", o.step().slug());
            if (o.error() != null) {
                c.put("status", "failed").put("error", o.error()).put("seconds", round(o.seconds()));
                continue;
            }
            c.put("status", "succeeded").put("rows", o.table().total());
            ArrayNode cols = c.putArray("columns");
            for (String col : o.columns()) {
                cols.add(col);
            }
            c.put("csv", o.csv());
            ArrayNode charts = c.putArray("charts");
            o.chartFiles().forEach(charts::add);
            c.put("seconds", round(o.seconds()));
        }
        ArrayNode notRun = m.putArray("not_run");
        steps.stream().skip(outcomes.size()).forEach(s -> notRun.add(s.cell().number()));
        return m;
    }

    private ObjectNode parametersJson() {
        ObjectNode p = Notebook.JSON.createObjectNode();
        parameters.forEach((k, v) -> {
            if (v == null) {
                p.putNull(k);
            } else if (v instanceof Long l) {
                p.put(k, l);
            } else if (v instanceof Double d) {
                p.put(k, d);
            } else if (v instanceof Boolean b) {
                p.put(k, b);
            } else {
                p.put(k, v.toString());
            }
        });
        return p;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static String describe(Map<String, Object> p) {
        List<String> parts = new ArrayList<>();
        p.forEach((k, v) -> parts.add(k + "=" + Parameters.text(v)));
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }

    private static String pretty(JsonNode node) {
        try {
            return Notebook.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw NotebookException.failed("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes what an earlier run of this notebook wrote (its CSVs, charts, pages, manifest); nothing else. */
    private void clean(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && (OWN_FILE.matcher(name).matches() || name.equals("manifest.json")
                        || name.equals(notebook.name() + ".html") || name.equals(notebook.name() + ".ipynb"))) {
                    Files.delete(f);
                }
            }
        }
    }

    private static String lastHeading(String markdown) {
        String h = null;
        for (String line : markdown.split("\n")) {
            Matcher m = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (m.matches()) {
                h = m.group(1).replaceAll("[`*_]", "");
            }
        }
        return h;
    }

    static String slug(String heading) {
        return slug(heading, 40, "query");
    }

    /** Lower-case letters, digits and dashes, cut at a dash to at most {@code max} characters. */
    static String slug(String text, int max, String fallback) {
        if (text == null) {
            return fallback;
        }
        String s = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > max) {
            int cut = s.lastIndexOf('-', max);
            s = s.substring(0, cut > max / 2 ? cut : max).replaceAll("-+$", "");
        }
        return s.isEmpty() ? fallback : s;
    }
}
