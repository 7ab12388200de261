package org.ews.sql;

import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.SetCatalogAndNamespace;
import org.apache.spark.sql.catalyst.trees.TreeNode;
import scala.collection.JavaConverters;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule for what a read-only entry point ({@code bin/ews sql}, {@code bin/ews serve}) runs, judged on the parsed
 * plan before anything is analysed or executed.
 *
 * <p>Allowed: queries (SELECT, WITH, VALUES, TABLE), SHOW, DESCRIBE, EXPLAIN, and USE (the Hive JDBC driver sends
 * {@code use <db>} for the database in its URL). Refused: every other command (DDL, DML, SET, CACHE, REFRESH, ADD JAR,
 * Delta's VACUUM and OPTIMIZE), the write statements that are not commands (INSERT, INSERT OVERWRITE DIRECTORY, Delta's
 * RESTORE and CLONE), {@code SELECT TRANSFORM ... USING 'script'} (runs a program) and {@code reflect}/{@code java_method}
 * (call any static Java method). Queries are walked whole: CTE definitions, subqueries and {@code IDENTIFIER(...)} plans.
 */
public final class ReadOnlyPlans {
    private ReadOnlyPlans() {}

    /** What the refusal messages say is allowed. */
    public static final String ALLOWED = "only SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN and USE run here";

    private static final String PLACEHOLDER = "ews_read_only_placeholder";

    /** Functions that call arbitrary static Java methods. */
    private static final Set<String> REFLECTION = Set.of("reflect", "java_method", "try_reflect");

    /** The first thing in {@code plan} a read-only entry point must not run (a plan node or function name), if any. */
    public static Optional<String> refusal(LogicalPlan plan) {
        LogicalPlan root = unwrapIdentifier(plan);
        if (root == null) {
            return Optional.of(plan.getClass().getSimpleName());
        }
        if (isReadCommand(root)) {
            return Optional.empty(); // nothing under SHOW, DESCRIBE, EXPLAIN or USE is executed
        }
        return firstWrite(root);
    }

    /** SHOW ..., DESCRIBE ... (also Delta's DESCRIBE HISTORY/DETAIL), EXPLAIN ..., USE db. */
    private static boolean isReadCommand(LogicalPlan root) {
        String name = root.getClass().getSimpleName();
        return name.startsWith("Show") || name.startsWith("Describe") || name.startsWith("Explain")
                || root instanceof SetCatalogAndNamespace;
    }

    private static Optional<String> firstWrite(LogicalPlan node) {
        LogicalPlan plan = unwrapIdentifier(node);
        if (plan == null) {
            return Optional.of(node.getClass().getSimpleName());
        }
        String name = plan.getClass().getSimpleName();
        if (plan instanceof Command || plan instanceof InsertIntoStatement || plan instanceof InsertIntoDir
                || plan instanceof ScriptTransformation
                // Delta's RESTORE and CLONE parse to *Statement nodes that are not Commands; Write* are write plans.
                || name.endsWith("Statement") || name.startsWith("Write")) {
            return Optional.of(name);
        }
        for (Expression e : list(plan.expressions())) {
            Optional<String> f = forbiddenFunction(e);
            if (f.isPresent()) {
                return f;
            }
        }
        for (LogicalPlan child : list(plan.children())) {
            Optional<String> w = firstWrite(child);
            if (w.isPresent()) {
                return w;
            }
        }
        for (TreeNode<?> inner : list(plan.innerChildren())) { // CTE definitions of WITH
            if (inner instanceof LogicalPlan p) {
                Optional<String> w = firstWrite(p);
                if (w.isPresent()) {
                    return w;
                }
            }
        }
        for (LogicalPlan sub : list(plan.subqueries())) { // scalar, IN and EXISTS subqueries
            Optional<String> w = firstWrite(sub);
            if (w.isPresent()) {
                return w;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> forbiddenFunction(Expression e) {
        if (e instanceof ExpressionWithUnresolvedIdentifier u) {
            // IDENTIFIER('x') names a column or a function; built with a placeholder, a function call named by it
            // could be reflect, so that one is refused.
            Expression built;
            try {
                built = u.exprBuilder().apply(JavaConverters.asScalaBuffer(List.of(PLACEHOLDER)).toSeq());
            } catch (RuntimeException ex) {
                return Optional.of("IDENTIFIER(...)");
            }
            if (built instanceof UnresolvedFunction f && list(f.nameParts()).contains(PLACEHOLDER)) {
                return Optional.of("IDENTIFIER(...) as a function name");
            }
            Optional<String> inName = forbiddenFunction(u.identifierExpr());
            return inName.isPresent() ? inName : forbiddenFunction(built);
        }
        if (e instanceof CallMethodViaReflection) {
            return Optional.of("reflect");
        }
        if (e instanceof UnresolvedFunction f) {
            List<String> parts = list(f.nameParts());
            String fn = parts.isEmpty() ? "" : parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
            if (REFLECTION.contains(fn)) {
                return Optional.of(fn);
            }
        }
        for (Expression child : list(e.children())) {
            Optional<String> f = forbiddenFunction(child);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code IDENTIFIER('name')} defers building its statement to analysis; build it now with a placeholder name to
     * see what it is. Null when it cannot be built (then it is refused).
     */
    private static LogicalPlan unwrapIdentifier(LogicalPlan plan) {
        LogicalPlan p = plan;
        while (p instanceof PlanWithUnresolvedIdentifier u) {
            try {
                p = u.planBuilder().apply(JavaConverters.asScalaBuffer(List.of(PLACEHOLDER)).toSeq(), u.children());
            } catch (RuntimeException e) {
                return null;
            }
        }
        return p;
    }

    private static <T> List<T> list(scala.collection.Seq<T> seq) {
        return JavaConverters.seqAsJavaList(seq);
    }
}
