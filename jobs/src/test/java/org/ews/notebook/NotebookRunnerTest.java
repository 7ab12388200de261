package org.ews.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.ews.cli.Main;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The notebook runner on tiny hand-written notebooks: parameters, templates, read-only SQL, charts, outputs. */
@ExtendWith(SharedSpark.class)
class NotebookRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    @BeforeAll
    static void views() {
        spark = SharedSpark.session();
        // A temporary view stands in for a gold table: the runner only needs names Spark SQL can resolve.
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW nb_trade AS SELECT * FROM VALUES "
                + "(DATE '2024-01-01', 'CN', 100.0D), (DATE '2024-02-01', 'CN', 120.0D), (DATE '2024-03-01', 'CN', 30.0D), "
                + "(DATE '2024-01-01', 'AU', 20.0D), (DATE '2024-03-01', 'AU', 25.0D) AS t(month, partner, value_usd)");
    }

    /** A notebook: markdown, the parameters cell, a JupySQL set-up cell, then the given SQL cells (each a markdown heading before it). */
    static Path notebook(Path dir, String name, String parameters, String... sqlCells) throws Exception {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        cells.add(cell("markdown", "# A *tiny* notebook\n\nIt has **bold**, `code` and <script>alert(1)</script>.\n\n- one\n- two", null));
        cells.add(cell("code", "# Parameters\n" + parameters, "parameters"));
        cells.add(cell("code", "%load_ext sql\n%sql hive://127.0.0.1:10000/default", null));
        int i = 0;
        for (String sql : sqlCells) {
            cells.add(cell("markdown", "## Query number " + (++i), null));
            cells.add(cell("code", "%%sql\n" + sql, null));
        }
        nb.putObject("metadata").putObject("kernelspec").put("name", "python3");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        Path f = dir.resolve(name + ".ipynb");
        Files.writeString(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nb));
        return f;
    }

    private static ObjectNode cell(String type, String source, String tag) {
        ObjectNode c = JSON.createObjectNode();
        c.put("cell_type", type);
        c.put("id", "c" + Math.abs(source.hashCode()));
        ObjectNode meta = c.putObject("metadata");
        if (tag != null) {
            meta.putArray("tags").add(tag);
        }
        if (type.equals("code")) {
            c.putNull("execution_count");
            c.putArray("outputs");
        }
        c.set("source", Notebook.lines(source));
        return c;
    }

    private record Run(int exit, String out, String err) {}

    private static Run ews(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), TestEnv.ENV);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static NotebookRunner.Result run(Path nb, Path out, Map<String, String> params) {
        return NotebookRunner.prepare(nb, params).run(spark, out, "file:/nowhere", new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void parametersComeFromTheParametersCellOverriddenByParam(@TempDir Path dir) throws Exception {
        Path nb = notebook(dir, "params", "date = \"2025-12-31\"  # as-of day\nn: int = 3\nflag = True\nratio = 0.5\nnothing = None",
                "SELECT DATE '{{date}}' AS d, {{ n }} AS n, '{{flag}}' AS flag, {{ratio}} * 2 AS r");
        NotebookRunner runner = NotebookRunner.prepare(nb, Map.of("date", "2024-01-10", "n", "7"));
        assertEquals(Map.of("date", "2024-01-10", "n", 7L, "flag", true, "ratio", 0.5), withoutNull(runner.parameters()));
        assertTrue(runner.parameters().containsKey("nothing"));
        assertEquals("SELECT DATE '2024-01-10' AS d, 7 AS n, 'True' AS flag, 0.5 * 2 AS r", runner.steps().get(0).sql());

        Path out = dir.resolve("out");
        runner.run(spark, out, "file:/nowhere", new PrintStream(new ByteArrayOutputStream()));
        assertEquals("d,n,flag,r\r\n2024-01-10,7,True,1.0\r\n", Files.readString(out.resolve("05-query-number-1.csv")));

        // The executed notebook: the values used in an injected-parameters cell after the parameters cell, outputs,
        // execution counts; the set-up cell is not run.
        JsonNode executed = JSON.readTree(out.resolve("params.ipynb").toFile());
        JsonNode cells = executed.path("cells");
        assertEquals("injected-parameters", cells.get(2).path("metadata").path("tags").get(0).asText());
        String injected = Notebook.text(cells.get(2).path("source"));
        assertTrue(injected.contains("date = \"2024-01-10\"") && injected.contains("n = 7") && injected.contains("flag = True"), injected);
        JsonNode setup = cells.get(3);
        assertTrue(setup.path("execution_count").isNull());
        JsonNode sql = cells.get(5);
        assertEquals(1, sql.path("execution_count").asInt());
        JsonNode result = sql.path("outputs").get(0);
        assertEquals("execute_result", result.path("output_type").asText());
        assertTrue(result.path("data").path("text/html").asText().contains("<td class=\"nw\">2024-01-10</td>"));
        assertEquals("2024-01-10", executed.path("metadata").path("ews").path("parameters").path("date").asText());

        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.path("status").asText());
        assertEquals(5, manifest.path("cells").get(0).path("cell").asInt());
        assertEquals(1, manifest.path("cells").get(0).path("rows").asInt());
        assertEquals("05-query-number-1.csv", manifest.path("cells").get(0).path("csv").asText());
        assertEquals(List.of("d", "n", "flag", "r"), JSON.convertValue(manifest.path("cells").get(0).path("columns"), List.class));

        String html = Files.readString(out.resolve("params.html"));
        assertTrue(html.contains("<h1>A <em>tiny</em> notebook</h1>"), html);
        assertTrue(html.contains("<strong>bold</strong>") && html.contains("<code>code</code>") && html.contains("<li>two</li>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "markdown HTML is escaped");
        assertFalse(html.contains("<script"), "no script in the page");
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing fetched from the network");
    }

    private static Map<String, Object> withoutNull(Map<String, Object> m) {
        Map<String, Object> c = new java.util.HashMap<>(m);
        c.values().removeIf(java.util.Objects::isNull);
        return c;
    }

    @Test
    void anUnknownTemplateNameIsRefusedNamingTheCellAndTheName(@TempDir Path dir) throws Exception {
        Path nb = notebook(dir, "typo", "date = \"2025-12-31\"", "SELECT 1 AS one", "SELECT DATE '{{dat}}' AS d");
        NotebookException e = assertThrows(NotebookException.class, () -> NotebookRunner.prepare(nb, Map.of()));
        assertTrue(e.isInvalid());
        assertEquals("cell 7: unknown parameter {{dat}} (parameters: date)", e.getMessage());

        // Through the launcher: wrong usage, exit 2, one line, before Spark or the warehouse is looked at.
        Run r = ews("notebook", nb.toString(), "--out", dir.resolve("out").toString(), "--warehouse", "/nonexistent/wh");
        assertEquals(2, r.exit());
        assertEquals("ews notebook: cell 7: unknown parameter {{dat}} (parameters: date)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("out")));

        Run unknownParam = ews("notebook", notebook(dir, "ok", "date = \"2025-12-31\"", "SELECT 1 AS one").toString(),
                "--out", dir.resolve("out").toString(), "--param", "reporter=KR");
        assertEquals(2, unknownParam.exit());
        assertTrue(unknownParam.err().contains("--param reporter: ok.ipynb has no parameter 'reporter' (its parameters: date)"), unknownParam.err());

        Path jinja = notebook(dir, "jinja", "date = \"x\"", "SELECT '{{ date | upper }}' AS d");
        assertTrue(assertThrows(NotebookException.class, () -> NotebookRunner.prepare(jinja, Map.of())).getMessage()
                .contains("cell 5: {{ date | upper }} is not a parameter name"));
    }

    @Test
    void parameterValuesAreCheckedBeforeTheyReachSql(@TempDir Path dir) throws Exception {
        Path nb = notebook(dir, "values", "reporter = \"KR\"\ntop = 5", "SELECT '{{reporter}}' AS r LIMIT {{top}}");
        NotebookException quote = assertThrows(NotebookException.class, () -> NotebookRunner.prepare(nb, Map.of("reporter", "KR' OR '1'='1")));
        assertTrue(quote.getMessage().contains("parameter reporter"), quote.getMessage());
        NotebookException number = assertThrows(NotebookException.class, () -> NotebookRunner.prepare(nb, Map.of("top", "five")));
        assertEquals("--param top 'five' is not a number (the notebook's default is 5)", number.getMessage());
        Path bad = notebook(dir, "bad", "date = today()", "SELECT 1 AS one");
        assertTrue(assertThrows(NotebookException.class, () -> NotebookRunner.prepare(bad, Map.of())).getMessage()
                .startsWith("cell 2 (parameters), line 2: cannot read 'date = today()'"));
    }

    @Test
    void aWriteStatementIsRefusedAndStopsTheRunKeepingEarlierFiles(@TempDir Path dir) throws Exception {
        Path nb = notebook(dir, "write", "date = \"2025-12-31\"", "SELECT 1 AS one", "CREATE TABLE nb_sneaky AS SELECT 1 AS one", "SELECT 2 AS two");
        Path out = dir.resolve("out");
        NotebookException e = assertThrows(NotebookException.class, () -> run(nb, out, Map.of()));
        assertFalse(e.isInvalid());
        assertTrue(e.getMessage().startsWith("cell 7 (query-number-2) failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertFalse(spark.catalog().tableExists("nb_sneaky"));
        assertTrue(Files.exists(out.resolve("05-query-number-1.csv")), "the earlier cell's file stays");
        assertFalse(Files.exists(out.resolve("07-query-number-2.csv")));
        assertFalse(Files.exists(out.resolve("09-query-number-3.csv")), "nothing after the failing cell runs");
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals("failed", manifest.path("status").asText());
        assertEquals("failed", manifest.path("cells").get(1).path("status").asText());
        assertEquals(9, manifest.path("not_run").get(0).asInt());
        JsonNode failed = JSON.readTree(out.resolve("write.ipynb").toFile()).path("cells").get(7);
        assertEquals("error", failed.path("outputs").get(0).path("output_type").asText());

        // A Spark error through the launcher: exit 1 and one line naming the cell and Spark's message.
        Path missing = notebook(dir, "missing", "date = \"2025-12-31\"", "SELECT 1 AS one", "SELECT * FROM gold.no_such_table");
        Path wh = Files.createDirectories(dir.resolve("wh"));
        Run r = ews("notebook", missing.toString(), "--out", dir.resolve("out2").toString(), "--warehouse", wh.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("ews notebook: cell 7 (query-number-2) failed: [TABLE_OR_VIEW_NOT_FOUND]"), r.err());
        assertTrue(r.out().contains("cell  5"), "one line per cell: " + r.out());
        assertTrue(Files.exists(dir.resolve("out2").resolve("05-query-number-1.csv")));
    }

    @Test
    void chartCommentsAreParsedCheckedAndDrawn(@TempDir Path dir) throws Exception {
        ChartSpec spec = ChartSpec.parse(" line x=month y=value_usd series=partner fill=0 title=\"Imports, \\\"USD\\\"\"", "cell 3, chart 1");
        assertEquals("line", spec.kind());
        assertEquals(Map.of("x", "month", "y", "value_usd", "series", "partner", "fill", "0", "title", "Imports, \"USD\""), spec.options());
        assertEquals(List.of("a", "b"), ChartSpec.parse("line x=m y=a,b", "c").list("y"));
        assertEquals("cell 3, chart 1: unknown key 'colour' for a bar chart (keys: facet, format, height, highlight_above, label, limit, max_facets, title, value, width)",
                assertThrows(NotebookException.class, () -> ChartSpec.parse("bar label=s value=v colour=red", "cell 3, chart 1")).getMessage());
        assertTrue(assertThrows(NotebookException.class, () -> ChartSpec.parse("pie label=s value=v", "c")).getMessage().contains("not line or bar"));
        assertTrue(assertThrows(NotebookException.class, () -> ChartSpec.parse("line x=m", "c")).getMessage().contains("needs y=COLUMN"));

        Path nb = notebook(dir, "charts", "date = \"2025-12-31\"",
                "-- chart: line x=month y=value_usd series=partner fill=0 title=\"Imports <by> partner\"\n"
                        + "-- chart: bar label=partner value=value_usd highlight_above=100\n"
                        + "SELECT month, partner, value_usd FROM nb_trade ORDER BY partner DESC, month",
                "-- chart: line x=month y=value_usd facet=partner\nSELECT * FROM nb_trade ORDER BY partner, month",
                "-- chart: line x=month y=valu_usd\nSELECT * FROM nb_trade");
        Path out = dir.resolve("out");
        NotebookException e = assertThrows(NotebookException.class, () -> run(nb, out, Map.of()));
        assertEquals("cell 9 (query-number-3) failed: chart 1: no column 'valu_usd' in the result (columns: month, partner, value_usd)", e.getMessage());

        String line = Files.readString(out.resolve("05-query-number-1-1.svg"));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
        assertEquals("Imports <by> partner", doc.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(line.contains(">CN</text>") && line.contains(">AU</text>"), "a legend names the series");
        assertTrue(line.contains(">2024-01</text>"), "first-of-month dates read as months");
        String bar = Files.readString(out.resolve("05-query-number-1-2.svg"));
        assertTrue(bar.contains("class=\"alert\""), "CN's 120 is above 100");
        assertTrue(Files.exists(out.resolve("07-query-number-2-cn.svg")) && Files.exists(out.resolve("07-query-number-2-au.svg")), "one chart per facet");
        // Charts go into the executed notebook as image/svg+xml before the table.
        JsonNode outputs = JSON.readTree(out.resolve("charts.ipynb").toFile()).path("cells").get(5).path("outputs");
        assertEquals("display_data", outputs.get(0).path("output_type").asText());
        assertTrue(outputs.get(0).path("data").path("image/svg+xml").asText().startsWith("<svg"));
        assertEquals("execute_result", outputs.get(2).path("output_type").asText());
    }

    @Test
    void markdownIsRenderedSimplyAndSafely() {
        String html = Markdown.toHtml("# Title\n\nA paragraph with **bold**, *italic*, `a < b` and [a link](https://example.org).\n"
                + "second line\n\n1. first\n2. second\n\n```sql\nSELECT '<x>'\n```\n\n> quoted\n\n[bad](javascript:alert(1))");
        assertEquals("<h1>Title</h1>\n"
                + "<p>A paragraph with <strong>bold</strong>, <em>italic</em>, <code>a &lt; b</code> and <a href=\"https://example.org\">a link</a>. second line</p>\n"
                + "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"
                + "<pre><code>SELECT '&lt;x&gt;'\n</code></pre>\n"
                + "<blockquote><p>quoted</p></blockquote>\n"
                + "<p>bad</p>\n", html);
    }

    @Test
    void slugsComeFromTheHeadingAbove() {
        assertEquals("suppliers-over-the-last-12-months", NotebookRunner.slug("Suppliers over the last 12 months"));
        assertEquals("query", NotebookRunner.slug(null));
        assertEquals("exposition-a-l-etranger", NotebookRunner.slug("Exposition à l'étranger"));
        assertTrue(NotebookRunner.slug("a very long heading that goes on and on about many things").length() <= 40);
    }
}
