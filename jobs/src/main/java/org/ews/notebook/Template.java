package org.ews.notebook;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JupySQL's templating as far as notebooks here use it: {@code {{name}}} (spaces allowed inside the braces) becomes the
 * parameter's text. Anything else Jinja would do ({@code {% ... %}}, filters, expressions) is refused by name, as is a
 * name the parameters cell does not define, so a typo never reaches Spark as literal braces.
 */
final class Template {
    private Template() {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");

    static String render(String text, Map<String, Object> parameters, String where) {
        if (text.contains("{%")) {
            throw NotebookException.invalid(where + ": Jinja statements ({% ... %}) are not supported; only {{name}}");
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher name = NAME.matcher(m.group(1));
            if (!name.matches()) {
                throw NotebookException.invalid(where + ": {{" + m.group(1) + "}} is not a parameter name; only {{name}} is supported");
            }
            String n = name.group(1);
            if (!parameters.containsKey(n)) {
                throw NotebookException.invalid(where + ": unknown parameter {{" + n + "}} ("
                        + (parameters.isEmpty() ? "the notebook has no parameters cell" : "parameters: " + String.join(", ", parameters.keySet())) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(Parameters.text(parameters.get(n))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
