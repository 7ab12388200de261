package org.ews.quality;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationRunBuilder;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.config.QualityConfig;
import org.ews.tables.TableSpec;
import scala.Function1;
import scala.Option;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that speaks Deequ's Scala API: configured rules become Deequ {@link Check}s (one per rule and column, so
 * each carries its own level), run in one {@link VerificationSuite} pass over the rows (completeness and compliance share
 * one scan; each uniqueness a group-by), and come back as {@link CheckOutcome}s.
 *
 * <p>Nulls pass every rule but {@code complete}: a share that is unknown (extra_bloc_share outside a bloc) is not out of
 * range. Rules other than complete and unique are Deequ compliance constraints ({@code satisfies}) on a SQL predicate, so
 * their semantics are the predicate's, written out here: Deequ's own {@code isNonNegative} casts to DECIMAL(20,10), which
 * turns a value above 10^10 into null and lets it pass.
 */
public final class Checks {
    private Checks() {}

    /** A rule applied to one column (or to its columns together, for unique and satisfies). */
    private record Planned(QualityConfig.Rule rule, String name, List<String> columns, String metric, Check check) {}

    /**
     * Checks {@code rows} (the rows about to be written to {@code table}) against {@code rules}; {@code slice} says which
     * rows they are. Every rule gives one outcome per column it names (unique and satisfies: one in all). With no rows
     * every outcome is {@code skipped}.
     */
    public static List<CheckOutcome> verify(Dataset<Row> rows, String table, List<QualityConfig.Rule> rules, String slice) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<Planned> planned = new ArrayList<>();
        for (QualityConfig.Rule r : rules) {
            if (r.check().equals("unique") || r.check().equals("satisfies")) {
                planned.add(plan(r, r.columns() == null ? List.of() : r.columns()));
            } else {
                r.columns().forEach(c -> planned.add(plan(r, List.of(c))));
            }
        }
        Size size = new Size(Option.empty());
        VerificationRunBuilder run = new VerificationSuite().onData(rows).addRequiredAnalyzer(analyzer(size));
        for (Planned p : planned) {
            run = run.addCheck(p.check());
        }
        VerificationResult result = run.run();
        Metric<?> sizeMetric = JavaConverters.mapAsJavaMap(result.metrics()).get(size);
        long n = sizeMetric != null && sizeMetric.value().isSuccess() ? Math.round(((Number) sizeMetric.value().get()).doubleValue()) : -1;
        Map<Check, com.amazon.deequ.checks.CheckResult> byCheck = JavaConverters.mapAsJavaMap(result.checkResults());
        List<CheckOutcome> out = new ArrayList<>();
        for (Planned p : planned) {
            out.add(outcome(table, slice, p, n, byCheck.get(p.check())));
        }
        return out;
    }

    private static CheckOutcome outcome(String table, String slice, Planned p, long n, com.amazon.deequ.checks.CheckResult result) {
        QualityConfig.Rule r = p.rule();
        String requirement = p.metric() + " >= " + r.required();
        if (n == 0) {
            return new CheckOutcome(table, p.name(), r.check(), r.level(), CheckOutcome.Status.SKIPPED, slice, null, null, p.metric(),
                    null, requirement, 0L, table + ": no rows to check");
        }
        ConstraintResult c = JavaConverters.seqAsJavaList(result.constraintResults()).get(0);
        Double value = null;
        if (c.metric().isDefined() && c.metric().get().value().isSuccess()) {
            value = ((Number) c.metric().get().value().get()).doubleValue();
        }
        boolean passed = c.status() == ConstraintStatus.Success();
        String message;
        if (passed) {
            message = String.format(Locale.ROOT, "%s: %s holds on %,d rows", table, p.name(), n);
        } else if (value == null) {
            message = String.format(Locale.ROOT, "%s: %s could not be checked: %s", table, p.name(),
                    c.message().isDefined() ? c.message().get() : "no value");
        } else {
            long bad = Math.round((1 - value) * n);
            message = String.format(Locale.ROOT, "%s: %s failed: %,d of %,d rows %s (%s %s, required >= %s)", table, p.name(), bad, n,
                    what(r, p.columns()), p.metric(), shortNumber(value), shortNumber(r.required()));
        }
        return new CheckOutcome(table, p.name(), r.check(), r.level(), passed ? CheckOutcome.Status.PASSED : CheckOutcome.Status.FAILED,
                slice, null, null, p.metric(), value, requirement, n, message);
    }

    /** What the failing rows did, for the message. */
    private static String what(QualityConfig.Rule r, List<String> columns) {
        String c = String.join(", ", columns);
        return switch (r.check()) {
            case "complete" -> "have no " + c;
            case "unique" -> "share their (" + c + ") with another row";
            case "share" -> "have " + c + " outside [0, 1]";
            case "between" -> "have " + c + " outside [" + (r.min() == null ? "-inf" : shortNumber(r.min())) + ", "
                    + (r.max() == null ? "inf" : shortNumber(r.max())) + "]";
            case "non_negative" -> "have a negative " + c;
            case "in_set" -> "have " + c + " not in {" + String.join(", ", r.values()) + "}";
            case "pattern" -> "have " + c + " not matching " + r.pattern();
            default -> "break " + r.predicate();
        };
    }

    private static Planned plan(QualityConfig.Rule r, List<String> columns) {
        String name = r.name() != null && (columns.size() <= 1 || r.check().equals("unique") || r.check().equals("satisfies"))
                ? r.name() : (r.name() != null ? r.name() : r.check()) + "(" + String.join(", ", columns) + ")";
        Check check = new Check(r.isError() ? CheckLevel.Error() : CheckLevel.Warning(), name, Check.$lessinit$greater$default$3());
        Function1<Object, Object> atLeast = atLeast(r.required());
        Option<String> hint = Option.apply(name);
        String metric = "compliance";
        switch (r.check()) {
            case "complete" -> {
                check = check.hasCompleteness(columns.get(0), atLeast, hint, Option.empty());
                metric = "completeness";
            }
            case "unique" -> {
                check = check.hasUniqueness(JavaConverters.asScalaBuffer(columns).toSeq(), atLeast, hint);
                metric = "uniqueness";
            }
            default -> check = check.satisfies(predicate(r, columns), name, atLeast, hint, check.satisfies$default$5(),
                    Option.empty());
        }
        return new Planned(r, name, columns, metric, check);
    }

    /** The SQL condition every row must meet (nulls pass). */
    static String predicate(QualityConfig.Rule r, List<String> columns) {
        if (r.check().equals("satisfies")) {
            return r.predicate();
        }
        String c = "`" + columns.get(0) + "`";
        String condition = switch (r.check()) {
            case "share" -> c + " >= 0 AND " + c + " <= " + (1 + QualityConfig.SHARE_ROUNDING);
            case "between" -> (r.min() == null ? "" : c + " >= " + r.min()) + (r.min() != null && r.max() != null ? " AND " : "")
                    + (r.max() == null ? "" : c + " <= " + r.max());
            case "non_negative" -> c + " >= 0";
            case "in_set" -> c + " IN ('" + String.join("', '", r.values().stream().map(TableSpec::sqlString).toList()) + "')";
            case "pattern" -> c + " RLIKE '" + TableSpec.sqlString(r.pattern()) + "'";
            default -> throw new IllegalArgumentException("no predicate for check " + r.check());
        };
        return c + " IS NULL OR (" + condition + ")";
    }

    /** Deequ's assertion on a metric: a Scala {@code Double => Boolean}. */
    private static Function1<Object, Object> atLeast(double required) {
        return new scala.runtime.AbstractFunction1<>() {
            @Override
            public Object apply(Object v) {
                return ((Number) v).doubleValue() >= required;
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static com.amazon.deequ.analyzers.Analyzer<?, Metric<?>> analyzer(Size size) {
        return (com.amazon.deequ.analyzers.Analyzer) size;
    }

    static String shortNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("0+(e|$)", "$1").replaceAll("\\.(e|$)", "$1");
    }
}
