package org.ews.sql;

import org.ews.Messages;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.ews.run.EwsException;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Answers one query over the warehouse's tables ({@code bronze.*}, {@code silver.*}, ...). Read-only:
 * statements that would change a table or the session are refused before they run.
 */
public final class SqlCommand {
    public enum Format {
        TABLE, CSV, JSON;

        public static java.util.Optional<Format> parse(String name) {
            return java.util.Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
        }
    }

    private static final int MAX_CELL = 60;

    private SqlCommand() {}

    public static void run(SparkSession spark, String query, Format format, PrintStream out) {
        requireReadOnly(spark, query);
        Dataset<Row> result;
        try {
            result = spark.sql(query);
        } catch (Exception e) {
            throw new EwsException("query failed: " + Messages.firstLine(e.getMessage()), e);
        }
        switch (format) {
            // Spark drops null fields from JSON by default; a reader expects every column as a key.
            // struct(*) rather than col(name): a name such as "(count(1) * 0.5)" holds dots.
            case JSON -> result.select(functions.to_json(functions.struct(functions.col("*")), Map.of("ignoreNullFields", "false")))
                    .as(Encoders.STRING()).toLocalIterator().forEachRemaining(out::println);
            case CSV -> csv(result.columns(), result.toLocalIterator(), out);
            case TABLE -> out.print(table(result.columns(), result.collectAsList()));
        }
        out.flush();
    }

    /** Refuses what {@link ReadOnlyPlans} refuses (DDL, DML, session commands), before anything runs. */
    public static void requireReadOnly(SparkSession spark, String query) {
        LogicalPlan plan;
        try {
            plan = spark.sessionState().sqlParser().parsePlan(query);
        } catch (ReadOnlySqlExtension.ReadOnlyException e) { // the session's own guard (spark.ews.read_only) refused it
            throw refused(e.refused());
        } catch (Exception e) {
            throw new EwsException("query does not parse: " + Messages.firstLine(e.getMessage()), e);
        }
        ReadOnlyPlans.refusal(plan).ifPresent(r -> {
            throw refused(r);
        });
    }

    private static EwsException refused(String what) {
        return new EwsException("bin/ews sql is read-only: refused " + what + " (" + ReadOnlyPlans.ALLOWED + ")");
    }

    /** RFC 4180: a header line, CRLF line ends, quotes only where needed; rows streamed, not collected. */
    public static void csv(String[] columns, java.util.Iterator<Row> rows, PrintStream out) {
        CsvWriterSettings s = new CsvWriterSettings();
        s.getFormat().setLineSeparator("\r\n");
        s.setQuoteEscapingEnabled(true);
        s.setNormalizeLineEndingsWithinQuotes(false); // a value's own newline is data, not a line end
        CsvWriter w = new CsvWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), s);
        w.writeRow((Object[]) columns);
        rows.forEachRemaining(r -> {
            String[] cells = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = cell(r.get(i));
            }
            w.writeRow((Object[]) cells);
        });
        w.flush();
    }

    static String table(String[] columns, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                c[i] = r.isNullAt(i) ? "NULL" : cell(r.get(i)).replace('\n', ' ').replace('\r', ' ');
            }
            cells.add(c);
        }
        return aligned(columns, cells, MAX_CELL, System.lineSeparator())
                + "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)") + System.lineSeparator();
    }

    /**
     * A fixed-width text table: header, a rule of dashes, one line per row, columns separated by " | ", every text cut
     * to {@code maxCell} characters (ending in "…"). Shared by {@code sql}'s table format and the notebooks' text output.
     */
    public static String aligned(String[] columns, List<String[]> rows, int maxCell, String lineEnd) {
        String[] header = new String[columns.length];
        int[] width = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            header[i] = cut(columns[i], maxCell);
            width[i] = header[i].length();
        }
        List<String[]> cells = new ArrayList<>();
        for (String[] r : rows) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                c[i] = cut(r[i], maxCell);
                width[i] = Math.max(width[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder s = new StringBuilder();
        line(s, header, width, lineEnd);
        String[] rule = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(s, rule, width, lineEnd);
        cells.forEach(c -> line(s, c, width, lineEnd));
        return s.toString();
    }

    private static String cut(String v, int max) {
        return v.length() > max ? v.substring(0, max - 1) + "…" : v;
    }

    private static void line(StringBuilder s, String[] cells, int[] width, String lineEnd) {
        for (int i = 0; i < cells.length; i++) {
            s.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, width[i]) + "s", cells[i]));
        }
        s.append(lineEnd);
    }

    /** Plain text of a value: ISO dates, decimals without exponent, lists and maps as JSON. */
    public static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : BigDecimal.valueOf(d).toPlainString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            return json(scala.collection.JavaConverters.seqAsJavaListConverter(seq).asJava());
        }
        if (v instanceof scala.collection.Map<?, ?> map) {
            return json(scala.collection.JavaConverters.mapAsJavaMapConverter(map).asJava());
        }
        if (v instanceof Row row) {
            return row.json();
        }
        return v.toString();
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (Exception e) {
            return String.valueOf(o);
        }
    }
}
