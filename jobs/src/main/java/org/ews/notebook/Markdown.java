package org.ews.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The markdown notebooks use, rendered simply: ATX headings, paragraphs, bullet and numbered lists (one level), fenced
 * and indented code, block quotes, and inline code, bold, italics and links. Everything else is text. All text is
 * HTML-escaped first, so a notebook cannot inject markup into the report.
 */
final class Markdown {
    private Markdown() {}

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern BULLET = Pattern.compile("^\\s{0,3}[-*+]\\s+(.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^\\s{0,3}\\d+[.)]\\s+(.*)$");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");

    static String toHtml(String markdown) {
        StringBuilder out = new StringBuilder();
        String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
        List<String> paragraph = new ArrayList<>();
        String list = null; // "ul" or "ol" while a list is open
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.find()) {
                flush(out, paragraph);
                list = close(out, list);
                StringBuilder code = new StringBuilder();
                String marker = fence.group(1);
                while (++i < lines.length && !lines[i].strip().startsWith(marker)) {
                    code.append(lines[i]).append('\n');
                }
                out.append("<pre><code>").append(escape(code.toString())).append("</code></pre>\n");
                continue;
            }
            if (line.isBlank()) {
                flush(out, paragraph);
                list = close(out, list);
                continue;
            }
            Matcher h = HEADING.matcher(line);
            Matcher b = BULLET.matcher(line);
            Matcher n = NUMBERED.matcher(line);
            if (h.matches()) {
                flush(out, paragraph);
                list = close(out, list);
                int level = h.group(1).length();
                out.append("<h").append(level).append('>').append(inline(h.group(2))).append("</h").append(level).append(">\n");
            } else if (b.matches() || n.matches()) {
                flush(out, paragraph);
                String kind = b.matches() ? "ul" : "ol";
                if (!kind.equals(list)) {
                    close(out, list);
                    out.append('<').append(kind).append(">\n");
                    list = kind;
                }
                StringBuilder item = new StringBuilder(b.matches() ? b.group(1) : n.group(1));
                // Continuation lines of the item: indented, not a new item or block.
                while (i + 1 < lines.length && !lines[i + 1].isBlank() && lines[i + 1].startsWith(" ")
                        && !BULLET.matcher(lines[i + 1]).matches() && !NUMBERED.matcher(lines[i + 1]).matches()) {
                    item.append(' ').append(lines[++i].strip());
                }
                out.append("<li>").append(inline(item.toString())).append("</li>\n");
            } else if (line.startsWith(">")) {
                flush(out, paragraph);
                list = close(out, list);
                StringBuilder quote = new StringBuilder(line.substring(1).strip());
                while (i + 1 < lines.length && lines[i + 1].startsWith(">")) {
                    quote.append(' ').append(lines[++i].substring(1).strip());
                }
                out.append("<blockquote><p>").append(inline(quote.toString())).append("</p></blockquote>\n");
            } else if (line.startsWith("    ") && paragraph.isEmpty() && list == null) {
                StringBuilder code = new StringBuilder(line.substring(4)).append('\n');
                while (i + 1 < lines.length && (lines[i + 1].startsWith("    ") || lines[i + 1].isBlank())) {
                    code.append(lines[++i].length() >= 4 ? lines[i].substring(4) : "").append('\n');
                }
                out.append("<pre><code>").append(escape(code.toString().stripTrailing())).append("</code></pre>\n");
            } else {
                list = close(out, list);
                paragraph.add(line.strip());
            }
        }
        flush(out, paragraph);
        close(out, list);
        return out.toString();
    }

    private static void flush(StringBuilder out, List<String> paragraph) {
        if (!paragraph.isEmpty()) {
            out.append("<p>").append(inline(String.join("\n", paragraph))).append("</p>\n");
            paragraph.clear();
        }
    }

    private static String close(StringBuilder out, String list) {
        if (list != null) {
            out.append("</").append(list).append(">\n");
        }
        return null;
    }

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*|__(.+?)__");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])|(?<!\\w)_(?!\\s)(.+?)(?<!\\s)_(?!\\w)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(((?:[^()\\s]|\\([^()\\s]*\\))+)\\)");

    /** Inline markup of escaped text; code spans are set aside first so nothing inside them is formatted. */
    static String inline(String text) {
        List<String> codes = new ArrayList<>();
        Matcher c = CODE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (c.find()) {
            codes.add("<code>" + escape(c.group(1)) + "</code>");
            c.appendReplacement(b, "\u0000" + (codes.size() - 1) + "\u0000");
        }
        c.appendTail(b);
        String s = escape(b.toString());
        s = replace(s, LINK, m -> {
            String url = m.group(2);
            boolean safe = url.matches("(?i)(https?://|mailto:|#|\\./|\\.\\./|[\\w.-]+(/|$)).*") && !url.toLowerCase().startsWith("javascript:");
            return safe ? "<a href=\"" + url + "\">" + m.group(1) + "</a>" : m.group(1);
        });
        s = replace(s, BOLD, m -> "<strong>" + (m.group(1) != null ? m.group(1) : m.group(2)) + "</strong>");
        s = replace(s, ITALIC, m -> "<em>" + (m.group(1) != null ? m.group(1) : m.group(2)) + "</em>");
        for (int i = 0; i < codes.size(); i++) {
            s = s.replace("\u0000" + i + "\u0000", codes.get(i));
        }
        return s.replace("\n", " ");
    }

    private static String replace(String s, Pattern p, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(b);
        return b.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
