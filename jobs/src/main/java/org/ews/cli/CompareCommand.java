package org.ews.cli;

import org.ews.compare.WarehouseComparison;
import org.ews.compare.WarehouseComparison.Precision;
import org.ews.compare.WarehouseComparison.Status;
import org.ews.compare.WarehouseComparison.TableResult;
import org.ews.config.EwsConfig;
import org.ews.run.EwsException;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/ews compare --warehouse A --against B}: every table of the given schemas (default gold) of two warehouses,
 * row for row ({@link WarehouseComparison}); one line per table, examples of rows that differ, a total line. Exit 0
 * when all are the same, 1 when any differs.
 */
final class CompareCommand {
    private CompareCommand() {}

    static final String DEFAULT_SCHEMAS = "gold";

    static Commands.Prepared prepare(Args a, Map<String, String> env) {
        Commands.noWords("compare", a);
        String against = a.require("against");
        List<TableSpec> tables = tables(a.get("schemas") == null ? DEFAULT_SCHEMAS : a.get("schemas"));
        Precision precision = precision(a);
        EwsConfig config = Commands.loadConfig(a, env);
        Commands.requireWarehouse(config);
        if (Warehouse.isLocal(against) && !Commands.localWarehouseExists(against)) {
            throw new UsageException("warehouse " + against + " does not exist (set --against)");
        }
        String rootA = Warehouse.qualify(config.paths().warehouse());
        String rootB = Warehouse.qualify(against);
        if (rootA.equals(rootB)) {
            throw new UsageException("--against names the same warehouse as --warehouse (" + rootA + "): nothing to compare");
        }
        String plan = "compare " + tables.size() + " tables (" + String.join(", ", schemas(tables)) + ") of "
                + config.paths().warehouse() + " against " + against + ", " + describe(precision);
        return new Commands.Prepared(plan, out -> SparkSessions.withSession(config, SparkSessions.READ_ONLY, spark -> {
            List<TableResult> results = WarehouseComparison.compare(new Warehouse(spark, rootA), new Warehouse(spark, rootB),
                    tables, precision);
            out.print(format(results, precision));
            requireSame(results, tables);
            return null;
        }));
    }

    /** The tables of the code ({@link Tables#ALL}) in the named schemas, in that list's order. */
    static List<TableSpec> tables(String schemas) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : schemas.split(",")) {
            String schema = s.trim();
            if (!Tables.SCHEMAS.contains(schema)) {
                throw new UsageException("--schemas takes schemas from " + String.join(", ", Tables.SCHEMAS) + ", comma-separated; got '"
                        + schemas + "'");
            }
            wanted.add(schema);
        }
        return Tables.ALL.stream().filter(t -> wanted.contains(t.schema())).toList();
    }

    private static Precision precision(Args a) {
        if (a.get("digits") == null) {
            return Precision.EXACT;
        }
        long digits = a.number("digits", 0);
        if (digits < 1 || digits > Precision.MAX_DIGITS) {
            throw new UsageException("--digits must be from 1 to " + Precision.MAX_DIGITS + " (significant digits), got " + digits);
        }
        return new Precision((int) digits);
    }

    private static String describe(Precision precision) {
        return precision.exact() ? "values exactly" : "doubles to " + precision.digits() + " significant digits";
    }

    private static List<String> schemas(List<TableSpec> tables) {
        return tables.stream().map(TableSpec::schema).distinct().toList();
    }

    /** One line per table (examples indented under one that differs), then the total line. */
    static String format(List<TableResult> results, Precision precision) {
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(0) + 2;
        StringBuilder s = new StringBuilder();
        Set<String> leftOut = new LinkedHashSet<>();
        for (TableResult r : results) {
            leftOut.addAll(r.leftOut());
            s.append(String.format("%-" + width + "s", r.name()));
            if (r.status() == Status.ABSENT) {
                s.append("absent from both\n");
                continue;
            }
            s.append("rows ").append(count(r.rowsA())).append(" / ").append(count(r.rowsB())).append("  ");
            switch (r.status()) {
                case SAME -> s.append("same");
                case MISSING_IN_A -> s.append("differ: missing in A");
                case MISSING_IN_B -> s.append("differ: missing in B");
                case SCHEMA_DIFFERS -> s.append("differ: columns: ").append(r.schemaDifference());
                case ROWS_DIFFER -> s.append("differ: ").append(r.onlyA()).append(rows(r.onlyA())).append(" only in A, ")
                        .append(r.onlyB()).append(" only in B");
                default -> throw new IllegalStateException(r.status().name());
            }
            s.append('\n');
            r.examplesA().forEach(e -> s.append("    A  ").append(e).append('\n'));
            r.examplesB().forEach(e -> s.append("    B  ").append(e).append('\n'));
        }
        long same = results.stream().filter(r -> r.status() == Status.SAME).count();
        long absent = results.stream().filter(r -> r.status() == Status.ABSENT).count();
        s.append("compared ").append(results.size()).append(" tables: ").append(same).append(" same, ")
                .append(results.size() - same - absent).append(" different");
        if (absent > 0) {
            s.append(", ").append(absent).append(" absent from both");
        }
        List<String> notes = new ArrayList<>();
        if (!leftOut.isEmpty()) {
            notes.add(String.join(", ", leftOut) + " left out");
        }
        if (!precision.exact()) {
            notes.add("doubles to " + precision.digits() + " significant digits");
        }
        return s.append(notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")").append('\n').toString();
    }

    /**
     * Fails (exit 1) naming the tables that differ. Two warehouses without one of the tables are not "the same": a
     * comparison that found nothing to compare (a wrong path, runs that wrote nothing) fails too.
     */
    static void requireSame(List<TableResult> results, List<TableSpec> tables) {
        List<String> differ = results.stream().filter(r -> r.status().isDifference()).map(TableResult::name).toList();
        if (!differ.isEmpty()) {
            throw new EwsException(differ.size() + " of " + results.size() + " tables differ: " + String.join(", ", differ));
        }
        if (results.stream().allMatch(r -> r.status() == Status.ABSENT)) {
            throw new EwsException("none of the " + results.size() + " tables (" + String.join(", ", schemas(tables))
                    + ") is in either warehouse: nothing was compared");
        }
    }

    private static String count(Long rows) {
        return rows == null ? "-" : rows.toString();
    }

    private static String rows(long n) {
        return n == 1 ? " row" : " rows";
    }
}
