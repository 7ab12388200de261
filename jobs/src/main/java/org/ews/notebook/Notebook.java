package org.ews.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ews.Messages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Jupyter notebook (nbformat 4) as read from disk: the JSON tree, kept whole so the executed copy keeps every field,
 * and its cells numbered from 1 in file order. SQL cells are code cells whose first line is the {@code %%sql} cell
 * magic (JupySQL); the {@code parameters} tag marks the parameters cell (papermill).
 */
public final class Notebook {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final String PARAMETERS_TAG = "parameters";
    public static final String INJECTED_TAG = "injected-parameters";

    private final Path source;
    private final ObjectNode json;
    private final List<Cell> cells;

    private Notebook(Path source, ObjectNode json, List<Cell> cells) {
        this.source = source;
        this.json = json;
        this.cells = cells;
    }

    public static Notebook read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw NotebookException.invalid("notebook " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw NotebookException.invalid(file + " is not a readable notebook (JSON): " + Messages.firstLine(e.getMessage()));
        }
        if (!(root instanceof ObjectNode o) || !root.path("cells").isArray()) {
            throw NotebookException.invalid(file + " is not a Jupyter notebook: no \"cells\" list");
        }
        if (root.path("nbformat").asInt(0) != 4) {
            throw NotebookException.invalid(file + ": nbformat " + root.path("nbformat") + " is not supported (4 is)");
        }
        List<Cell> cells = new ArrayList<>();
        int n = 0;
        for (JsonNode c : root.path("cells")) {
            n++;
            if (!(c instanceof ObjectNode co) || !c.path("cell_type").isTextual()) {
                throw NotebookException.invalid(file + ": cell " + n + " has no cell_type");
            }
            cells.add(new Cell(n, co));
        }
        return new Notebook(file, o, cells);
    }

    public Path source() {
        return source;
    }

    /** The file name without {@code .ipynb}: the executed copy, the HTML page and the Makefile's folder use it. */
    public String name() {
        String f = source.getFileName().toString();
        return f.endsWith(".ipynb") ? f.substring(0, f.length() - ".ipynb".length()) : f;
    }

    public ObjectNode json() {
        return json;
    }

    public List<Cell> cells() {
        return cells;
    }

    /** One cell: its number (1 = first in the file) and JSON. */
    public record Cell(int number, ObjectNode json) {
        public String type() {
            return json.path("cell_type").asText();
        }

        public String source() {
            return text(json.get("source"));
        }

        public Set<String> tags() {
            Set<String> t = new LinkedHashSet<>();
            json.path("metadata").path("tags").forEach(x -> t.add(x.asText()));
            return t;
        }

        public boolean isCode() {
            return type().equals("code");
        }

        public boolean isMarkdown() {
            return type().equals("markdown");
        }

        public boolean isSql() {
            return isCode() && firstLine().trim().startsWith("%%sql");
        }

        public boolean isParameters() {
            return isCode() && tags().contains(PARAMETERS_TAG);
        }

        public boolean isInjectedParameters() {
            return isCode() && tags().contains(INJECTED_TAG);
        }

        /** The query of a {@code %%sql} cell: every line after the magic (options on the magic's line are JupySQL's). */
        public String sqlBody() {
            String s = source();
            int nl = s.indexOf('\n');
            return nl < 0 ? "" : s.substring(nl + 1);
        }

        private String firstLine() {
            String s = source().stripLeading();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    /** nbformat's multiline text: a string or a list of strings joined as they are. */
    static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            StringBuilder b = new StringBuilder();
            node.forEach(x -> b.append(x.asText()));
            return b.toString();
        }
        return node.asText();
    }

    /** Text as nbformat writes it: a list of lines, each but the last ending in a newline. */
    static ArrayNode lines(String text) {
        ArrayNode a = JSON.createArrayNode();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            a.add(text.substring(start, end));
            start = end;
        }
        return a;
    }
}
