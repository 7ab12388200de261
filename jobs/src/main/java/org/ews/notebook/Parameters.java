package org.ews.notebook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters cell (papermill's convention): one {@code name = literal} per line, a literal being a Python string,
 * number, True, False or None; comments and blank lines are skipped, a type annotation ({@code date: str = ...}) is
 * allowed. {@code --param name=value} overrides a value, converted to the default's type. Values go into SQL as text,
 * so quotes, backslashes, semicolons and line breaks are refused in them.
 */
final class Parameters {
    private Parameters() {}

    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*(?::\\s*[A-Za-z_][A-Za-z0-9_.\\[\\], ]*)?=\\s*(.+)$");
    private static final Pattern FORBIDDEN = Pattern.compile("['\"\\\\;\\r\\n]|--|/\\*");

    /** The assignments of one parameters cell, in order. */
    static Map<String, Object> parse(Notebook.Cell cell) {
        Map<String, Object> values = new LinkedHashMap<>();
        String[] lines = cell.source().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(line);
            Object value = m.matches() ? literal(m.group(2).strip()) : Unreadable.VALUE;
            if (value == Unreadable.VALUE) {
                throw NotebookException.invalid("cell " + cell.number() + " (parameters), line " + (i + 1) + ": cannot read '" + line
                        + "': only name = literal (a string, number, True, False or None) per line");
            }
            values.put(m.group(1), value);
        }
        return values;
    }

    private enum Unreadable { VALUE }

    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Object literal(String t) {
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < t.length() - 1; i++) {
                char c = t.charAt(i);
                if (c == t.charAt(0)) {
                    return Unreadable.VALUE; // an unescaped quote inside: two strings or worse
                }
                if (c == '\\' && i + 1 < t.length() - 1) {
                    char e = t.charAt(++i);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
        switch (t) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                break;
        }
        String digits = t.replace("_", "");
        if (digits.matches("[-+]?\\d+")) {
            return Long.parseLong(digits);
        }
        if (digits.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
            return Double.parseDouble(digits);
        }
        return Unreadable.VALUE;
    }

    /**
     * The defaults with the overrides applied: an override of a name the notebook does not define is refused, and one
     * that is not of the default's type (a number, True/False) too.
     */
    static Map<String, Object> merge(Map<String, Object> defaults, Map<String, String> overrides, String notebook) {
        Map<String, Object> used = new LinkedHashMap<>(defaults);
        overrides.forEach((name, text) -> {
            if (!defaults.containsKey(name)) {
                throw NotebookException.invalid("--param " + name + ": " + notebook + " has no parameter '" + name + "' ("
                        + (defaults.isEmpty() ? "it has no parameters cell" : "its parameters: " + String.join(", ", defaults.keySet())) + ")");
            }
            used.put(name, convert(name, text, defaults.get(name)));
        });
        used.forEach((name, value) -> {
            if (value != null && FORBIDDEN.matcher(text(value)).find()) {
                throw NotebookException.invalid("parameter " + name + " = '" + text(value) + "' holds a quote, backslash, semicolon, "
                        + "comment or line break; parameters are put into SQL as they are, so these are refused");
            }
        });
        return used;
    }

    private static Object convert(String name, String text, Object like) {
        try {
            if (like instanceof Long) {
                return Long.parseLong(text.strip());
            }
            if (like instanceof Double) {
                return Double.parseDouble(text.strip());
            }
        } catch (NumberFormatException e) {
            throw NotebookException.invalid("--param " + name + " '" + text + "' is not a number (the notebook's default is " + text(like) + ")");
        }
        if (like instanceof Boolean) {
            if (List.of("true", "false").contains(text.strip().toLowerCase())) {
                return Boolean.parseBoolean(text.strip());
            }
            throw NotebookException.invalid("--param " + name + " '" + text + "' is not True or False");
        }
        return text;
    }

    /** The value as a template puts it into text, as Python's str() would: True, None, 12, 0.5, the string itself. */
    static String text(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v.toString();
    }

    /** The value as a Python literal, for the injected-parameters cell of the executed notebook. */
    static String python(Object v) {
        if (v instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        return text(v);
    }
}
