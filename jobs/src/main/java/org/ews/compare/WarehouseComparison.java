package org.ews.compare;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ews.spark.Warehouse;
import org.ews.sql.SqlCommand;
import org.ews.tables.Columns;
import org.ews.tables.Ops;
import org.ews.tables.TableSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

/**
 * Row-for-row comparison of one table in two warehouses (a cluster run against a local one, a restored warehouse
 * against its source): the rows of each, compared as multisets (a row twice in one and once in the other is a
 * difference), with the columns that only stamp which run wrote a row left out. Read-only: tables are read by path.
 */
public final class WarehouseComparison {
    private WarehouseComparison() {}

    /** Example rows shown per side of a table that differs. */
    public static final int EXAMPLES = 5;

    /**
     * Columns that record which run wrote a row, when, or which physical copy of a table a stage read, never what the
     * data is: two runs over the same input differ there by design. In gold and silver only {@code run_id}; in ops also
     * the stage times and the Delta id of the source table (a fresh id for every warehouse).
     */
    public static final Set<String> STAMPS = Set.of(Columns.RUN_ID, Ops.STARTED_AT, Ops.FINISHED_AT, Ops.UPDATED_AT,
            Ops.SOURCE_TABLE_ID);

    public enum Status {
        /** The same rows, as many times each. */
        SAME,
        /** The same columns, different rows. */
        ROWS_DIFFER,
        /** Column names or types differ; rows not compared. */
        SCHEMA_DIFFERS,
        /** The table is in A only. */
        MISSING_IN_B,
        /** The table is in B only. */
        MISSING_IN_A,
        /** In neither warehouse: reported, not a difference. */
        ABSENT;

        public boolean isDifference() {
            return this != SAME && this != ABSENT;
        }
    }

    /**
     * One table compared. {@code rowsA}/{@code rowsB} are null when the table is missing on that side; {@code onlyA} is
     * how many rows of A have no counterpart in B (a row A holds three times and B once counts twice), {@code onlyB} the
     * reverse; the examples are up to {@link #EXAMPLES} of those rows each, rendered {@code column=value} in A's column
     * order, sorted; {@code leftOut} the stamp columns not compared; {@code schemaDifference} says what differs when
     * the status is {@link Status#SCHEMA_DIFFERS}, else it is empty.
     */
    public record TableResult(TableSpec table, Status status, Long rowsA, Long rowsB, long onlyA, long onlyB,
                              List<String> examplesA, List<String> examplesB, List<String> leftOut, String schemaDifference) {
        public String name() {
            return table.qualifiedName();
        }
    }

    /** How values are compared: exactly ({@code digits} null), or doubles and floats to that many significant digits. */
    public record Precision(Integer digits) {
        public static final Precision EXACT = new Precision(null);
        /** A double has 15 to 17 significant decimal digits. */
        public static final int MAX_DIGITS = 17;

        public Precision {
            if (digits != null && (digits < 1 || digits > MAX_DIGITS)) {
                throw new IllegalArgumentException("significant digits must be from 1 to " + MAX_DIGITS + ", got " + digits);
            }
        }

        public boolean exact() {
            return digits == null;
        }
    }

    /** Each of {@code tables} compared between warehouses {@code a} and {@code b}, in the order given. */
    public static List<TableResult> compare(Warehouse a, Warehouse b, List<TableSpec> tables, Precision precision) {
        return tables.stream().map(t -> compare(a, b, t, precision)).toList();
    }

    public static TableResult compare(Warehouse a, Warehouse b, TableSpec table, Precision precision) {
        boolean inA = a.exists(table);
        boolean inB = b.exists(table);
        if (!inA || !inB) {
            Status status = inA ? Status.MISSING_IN_B : inB ? Status.MISSING_IN_A : Status.ABSENT;
            return new TableResult(table, status, inA ? a.read(table).count() : null, inB ? b.read(table).count() : null,
                    0, 0, List.of(), List.of(), List.of(), "");
        }
        Dataset<Row> rowsA = a.read(table);
        Dataset<Row> rowsB = b.read(table);
        List<String> leftOut = new ArrayList<>();
        for (String c : union(rowsA.columns(), rowsB.columns())) {
            if (STAMPS.contains(c)) {
                leftOut.add(c);
            }
        }
        long countA = rowsA.count(); // Delta answers a plain count from its log's statistics
        long countB = rowsB.count();
        String schemaDifference = schemaDifference(rowsA.schema(), rowsB.schema());
        if (!schemaDifference.isEmpty()) {
            return new TableResult(table, Status.SCHEMA_DIFFERS, countA, countB, 0, 0, List.of(), List.of(), leftOut,
                    schemaDifference);
        }
        List<StructField> compared = Arrays.stream(rowsA.schema().fields()).filter(f -> !STAMPS.contains(f.name())).toList();
        return compareRows(table, rowsA, rowsB, compared, countA, countB, leftOut, precision);
    }

    private static final String IN_A = "_ews_compare_in_a";
    private static final String IN_B = "_ews_compare_in_b";

    /**
     * How many times each distinct row occurs in A and in B, in one pass (both sides' rows tagged, unioned, grouped by
     * every compared column): the rows whose counts differ are exactly what {@code exceptAll} both ways would return, a
     * row once per extra copy, without reading and shuffling each table twice.
     */
    private static TableResult compareRows(TableSpec table, Dataset<Row> rowsA, Dataset<Row> rowsB, List<StructField> compared,
                                           long countA, long countB, List<String> leftOut, Precision precision) {
        Column[] keys = compared.stream().map(f -> col(quoted(f.name()))).toArray(Column[]::new);
        Dataset<Row> tagged = comparable(rowsA, compared, precision).withColumn(IN_A, lit(1L)).withColumn(IN_B, lit(0L))
                .unionByName(comparable(rowsB, compared, precision).withColumn(IN_A, lit(0L)).withColumn(IN_B, lit(1L)));
        Dataset<Row> unmatched = tagged.groupBy(keys).agg(sum(IN_A).as(IN_A), sum(IN_B).as(IN_B))
                .where(col(IN_A).notEqual(col(IN_B)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row extra = unmatched.agg(
                    coalesce(sum(greatest(col(IN_A).minus(col(IN_B)), lit(0L))), lit(0L)),
                    coalesce(sum(greatest(col(IN_B).minus(col(IN_A)), lit(0L))), lit(0L))).head();
            long onlyA = extra.getLong(0);
            long onlyB = extra.getLong(1);
            List<String> examplesA = onlyA == 0 ? List.of() : examples(unmatched.where(col(IN_A).gt(col(IN_B))), keys, compared, IN_A, IN_B);
            List<String> examplesB = onlyB == 0 ? List.of() : examples(unmatched.where(col(IN_B).gt(col(IN_A))), keys, compared, IN_B, IN_A);
            return new TableResult(table, onlyA + onlyB == 0 ? Status.SAME : Status.ROWS_DIFFER, countA, countB, onlyA, onlyB,
                    examplesA, examplesB, leftOut, "");
        } finally {
            unmatched.unpersist();
        }
    }

    /** Sorted on every column, so the two sides' examples of a changed row tend to line up. */
    private static List<String> examples(Dataset<Row> side, Column[] keys, List<StructField> compared, String mine, String theirs) {
        List<String> out = new ArrayList<>();
        for (Row r : side.orderBy(keys).limit(EXAMPLES).collectAsList()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < compared.size(); i++) {
                s.append(i == 0 ? "" : " ").append(compared.get(i).name()).append('=').append(r.isNullAt(i) ? "null" : SqlCommand.cell(r.get(i)));
            }
            long copies = r.getLong(r.fieldIndex(mine)) - r.getLong(r.fieldIndex(theirs));
            out.add(copies > 1 ? s + "  (" + copies + " copies)" : s.toString());
        }
        return out;
    }

    /**
     * The compared columns in one order, made comparable: maps become their entries sorted by key (maps cannot be
     * grouped, and equal maps may list their entries in another order); with a precision, doubles and floats become
     * their value to that many significant digits ({@code 1.23457e+05}), inside structs and arrays too.
     */
    static Dataset<Row> comparable(Dataset<Row> rows, List<StructField> compared, Precision precision) {
        return rows.select(compared.stream().map(f -> comparable(col(quoted(f.name())), f.dataType(), precision).as(f.name()))
                .toArray(Column[]::new));
    }

    private static Column comparable(Column c, DataType type, Precision precision) {
        if (!needsWork(type, precision)) {
            return c;
        }
        if (type instanceof DoubleType || type instanceof FloatType) {
            // + 0.0 turns -0.0 into 0.0, which compare equal as numbers but would print apart.
            Column d = c.cast(DataTypes.DoubleType).plus(lit(0.0));
            return when(c.isNotNull(), format_string("%." + (precision.digits() - 1) + "e", d));
        }
        if (type instanceof StructType s) {
            Column[] fields = Arrays.stream(s.fields())
                    .map(f -> comparable(c.getField(f.name()), f.dataType(), precision).as(f.name())).toArray(Column[]::new);
            return when(c.isNotNull(), struct(fields));
        }
        if (type instanceof ArrayType a) {
            return transform(c, x -> comparable(x, a.elementType(), precision));
        }
        if (type instanceof MapType m) {
            StructType entry = new StructType().add("key", m.keyType()).add("value", m.valueType());
            return array_sort(comparable(map_entries(c), DataTypes.createArrayType(entry), precision));
        }
        return c;
    }

    private static boolean needsWork(DataType type, Precision precision) {
        if (type instanceof MapType) {
            return true;
        }
        if (type instanceof DoubleType || type instanceof FloatType) {
            return !precision.exact();
        }
        if (type instanceof StructType s) {
            return Arrays.stream(s.fields()).anyMatch(f -> needsWork(f.dataType(), precision));
        }
        if (type instanceof ArrayType a) {
            return needsWork(a.elementType(), precision);
        }
        return false;
    }

    /**
     * Empty when both have the same compared columns with the same types (order, nullability and comments aside);
     * else what differs, e.g. {@code only in A: x bigint; types: hhi double in A, decimal(24,6) in B}.
     */
    static String schemaDifference(StructType a, StructType b) {
        Map<String, String> typesA = types(a);
        Map<String, String> typesB = types(b);
        List<String> parts = new ArrayList<>();
        List<String> onlyA = typesA.keySet().stream().filter(c -> !typesB.containsKey(c)).map(c -> c + " " + typesA.get(c)).toList();
        List<String> onlyB = typesB.keySet().stream().filter(c -> !typesA.containsKey(c)).map(c -> c + " " + typesB.get(c)).toList();
        List<String> retyped = typesA.keySet().stream().filter(c -> typesB.containsKey(c) && !typesA.get(c).equals(typesB.get(c)))
                .map(c -> c + " " + typesA.get(c) + " in A, " + typesB.get(c) + " in B").toList();
        if (!onlyA.isEmpty()) {
            parts.add("only in A: " + String.join(", ", onlyA));
        }
        if (!onlyB.isEmpty()) {
            parts.add("only in B: " + String.join(", ", onlyB));
        }
        if (!retyped.isEmpty()) {
            parts.add("types: " + String.join(", ", retyped));
        }
        return String.join("; ", parts);
    }

    private static Map<String, String> types(StructType schema) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            if (!STAMPS.contains(f.name())) {
                m.put(f.name(), f.dataType().catalogString()); // catalogString carries no nullability or comments
            }
        }
        return m;
    }

    private static List<String> union(String[] a, String[] b) {
        return java.util.stream.Stream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().collect(Collectors.toList());
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
