package org.ews.ingest;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * An ordered list of row checks, each a Spark column that is true when the row fails, with a stable
 * reason code and a message naming the column and the value. A row gets the first failing check's reason,
 * computed with Spark's own functions (no UDF), so the whole validation is one projection.
 */
public final class RowRules {
    private record Rule(Column fails, Column code, Column message) {}

    private final List<Rule> rules = new ArrayList<>();

    /** Rules that first pass on the structural problems {@link LandingFileReader} found (short row, bad file...). */
    public static RowRules afterReaderProblems() {
        return new RowRules().checkWithCode(col(RawRows.PROBLEM_CODE).isNotNull(), col(RawRows.PROBLEM_CODE),
                col(RawRows.PROBLEM));
    }

    public RowRules check(Column fails, String code, Column message) {
        rules.add(new Rule(fails, lit(code), message));
        return this;
    }

    private RowRules checkWithCode(Column fails, Column code, Column message) {
        rules.add(new Rule(fails, code, message));
        return this;
    }

    public RowRules required(String... columns) {
        for (String c : columns) {
            check(text(c).isNull(), "missing_required", lit("required column '" + c + "' is empty"));
        }
        return this;
    }

    /** Optional decimal: when given, it must parse, fit its type and, if {@code nonNegative}, be ≥ 0. */
    public RowRules decimal(String column, Column parsed, boolean nonNegative) {
        check(text(column).isNotNull().and(not(text(column).rlike(PLAIN_NUMBER))), "unparsable_number",
                concat(lit(column + " '"), text(column), lit("' is not a number")));
        check(text(column).isNotNull().and(parsed.isNull()), "out_of_range",
                concat(lit(column + " "), text(column), lit(" is too large to store")));
        if (nonNegative) {
            check(parsed.lt(0), "negative_value", concat(lit(column + " "), text(column), lit(" is negative")));
        }
        return this;
    }

    /**
     * The rows as {@code outputs}, with the first failing check's code and message ({@code reason_code},
     * {@code reason}; null when every check passes). Two projections: the first evaluates every output and every
     * check once per row, so Spark shares their common parts (a value trimmed and parsed once serves its output
     * and each check that reads it); the second picks the first failing check and builds its message only for the
     * rows that fail it. A single coalesce over the checks parsed each value again in every check, and twice (code,
     * then message): five times the work, most of a nightly ingest.
     */
    public Dataset<Row> apply(Dataset<Row> raw, Column... outputs) {
        String[] names = raw.select(outputs).columns();
        List<Column> decided = new ArrayList<>();
        decided.add(col("*"));
        for (int o = 0; o < outputs.length; o++) {
            decided.add(outputs[o].as(OUTPUT + o));
        }
        for (int r = 0; r < rules.size(); r++) {
            decided.add(rules.get(r).fails().as(FAILS + r));
        }
        Column code = null;
        Column reason = null;
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            Column fails = coalesce(col(FAILS + r), lit(false));
            Column message = coalesce(concat(rule.code(), lit(": "), rule.message()), rule.code());
            code = code == null ? when(fails, rule.code()) : code.when(fails, rule.code());
            reason = reason == null ? when(fails, message) : reason.when(fails, message);
        }
        List<Column> out = new ArrayList<>();
        for (int o = 0; o < outputs.length; o++) {
            out.add(col(OUTPUT + o).as(names[o]));
        }
        out.add(code.as(org.ews.tables.Columns.REASON_CODE));
        out.add(reason.as(org.ews.tables.Columns.REASON));
        return raw.select(decided.toArray(Column[]::new)).select(out.toArray(Column[]::new));
    }

    private static final String OUTPUT = "__output_";
    private static final String FAILS = "__fails_";

    // ---- parsing helpers shared by the feeds' rules -------------------------------------------------

    /**
     * The characters a value is trimmed of: every C0 control and DEL, NEL, and every Unicode space and line or paragraph
     * separator (including the no-break spaces and the zero-width ones, U+200B and the byte-order mark U+FEFF). Spark's
     * one-argument {@code trim} removes only U+0020, so a declaration id of a lone tab or U+2028, which a quoted CSV value
     * or a JSON string can carry, was accepted as an id that prints as nothing. The benchmark's DuckDB peer trims the
     * same set. Not trimmed: C1 controls other than NEL, and the other zero-width characters (U+200C, U+200D, U+2060).
     */
    public static final String BLANK = blankCharacters();

    private static String blankCharacters() {
        StringBuilder s = new StringBuilder();
        for (char c = 0; c <= 0x20; c++) {
            s.append(c);
        }
        s.append("\u007F\u0085\u00A0\u1680\u180E");
        for (char c = 0x2000; c <= 0x200B; c++) {
            s.append(c);
        }
        return s.append("\u2028\u2029\u202F\u205F\u3000\uFEFF").toString();
    }

    /**
     * The column trimmed of {@link #BLANK} characters at both ends, with empty text as null. A value that starts and ends
     * with a printable ASCII character (most of them) is taken as it is: Spark's trim with a character set allocates for
     * every character it looks at, and applied to every value it cost about 170 ns a value on this machine against 45 ns
     * for these comparisons (3M rows of 16 columns, code generation on). Comparing the whole value with {@code "!"} and
     * DEL compares its first byte, with no substring.
     */
    public static Column text(String column) {
        Column value = col(column);
        Column last = substring(value, -1, 1);
        Column printableEnds = value.geq(PRINTABLE_FROM).and(value.lt(PRINTABLE_BELOW))
                .and(last.geq(PRINTABLE_FROM)).and(last.lt(PRINTABLE_BELOW));
        return when(printableEnds, value).otherwise(nullif(trim(value, BLANK), lit("")));
    }

    /** The first printable ASCII character, and the one after the last (DEL). */
    private static final String PRINTABLE_FROM = "!";
    private static final String PRINTABLE_BELOW = "\u007F";

    /**
     * Optional sign, digits, dot as the decimal separator; no thousands separators, no exponent. Every rule pattern ends
     * in {@code \\z}, not {@code $}: Java's {@code $} also matches before a final line break ({@code \\n}, U+2028, ...).
     * {@link #text} trims such breaks off the ends already; the anchor keeps each pattern exact on its own, for a caller
     * that matches untrimmed text.
     */
    static final String PLAIN_NUMBER = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)\\z";

    /** A plain decimal number as {@code type} (extra decimals rounded half-up); anything else, or too large, null. */
    public static Column decimalOf(String column, org.apache.spark.sql.types.DataType type) {
        Column t = text(column);
        return when(t.rlike(PLAIN_NUMBER), t.cast(type));
    }

    /** A whole number ≥ 0 of at most 9 digits as INT; anything else null. */
    public static Column intOf(String column) {
        Column t = text(column);
        return when(t.rlike("^[+]?[0-9]{1,9}\\z"), t.cast("int"));
    }

    /** A whole number ≥ 0 of at most 18 digits as BIGINT; anything else null. */
    public static Column longOf(String column) {
        Column t = text(column);
        return when(t.rlike("^[+]?[0-9]{1,18}\\z"), t.cast("bigint"));
    }

    private static Column nullif(Column c, Column value) {
        return when(c.notEqual(value), c);
    }
}
