package org.ews.tables;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A published table: its {@code schema.table} name, comment, columns (each with a comment), partitioning, Delta
 * properties, CHECK constraints (name to SQL condition) and the columns {@code bin/ews maintain} Z-orders it by. The
 * single source for the DDL that creates it, the column order writes use and what the warehouse keeps in force.
 */
public record TableSpec(String schema, String name, String comment, StructType columns,
                        List<String> partitionBy, Map<String, String> properties,
                        Map<String, String> checks, List<String> zorderBy) {

    public TableSpec(String schema, String name, String comment, StructType columns, List<String> partitionBy,
                     Map<String, String> properties) {
        this(schema, name, comment, columns, partitionBy, properties, Map.of(), List.of());
    }

    public TableSpec {
        for (String c : zorderBy) {
            if (partitionBy.contains(c) || !java.util.Arrays.asList(columns.fieldNames()).contains(c)) {
                throw new IllegalArgumentException(schema + "." + name + ": cannot Z-order by " + c
                        + " (a partition column, or not a column)");
            }
        }
    }

    /** The same table with these CHECK constraints (name to a condition every row must meet). */
    public TableSpec withChecks(Map<String, String> checks) {
        return new TableSpec(schema, name, comment, columns, partitionBy, properties, checks, zorderBy);
    }

    /** The same table, Z-ordered by these columns when maintained (data skipping on what analysts filter by). */
    public TableSpec withZorder(String... zorderBy) {
        return new TableSpec(schema, name, comment, columns, partitionBy, properties, checks, List.of(zorderBy));
    }

    /** The comment of a column, or null. */
    public String columnComment(String column) {
        StructField f = columns.apply(column);
        return f.getComment().isDefined() ? f.getComment().get() : null;
    }

    public String qualifiedName() {
        return schema + "." + name;
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with comments, partitioning and {@code properties}, at {@code location}. */
    public String createSql(String location, Map<String, String> properties) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualifiedName())
                .append(" (").append(columns.toDDL()).append(") USING delta");
        if (!partitionBy.isEmpty()) {
            sql.append(" PARTITIONED BY (").append(String.join(", ", partitionBy)).append(")");
        }
        sql.append(" LOCATION '").append(sqlString(location)).append("'");
        sql.append(" COMMENT '").append(sqlString(comment)).append("'");
        if (!properties.isEmpty()) {
            sql.append(" TBLPROPERTIES (").append(properties.entrySet().stream()
                    .map(e -> "'" + e.getKey() + "' = '" + sqlString(e.getValue()) + "'")
                    .collect(Collectors.joining(", "))).append(")");
        }
        return sql.toString();
    }

    public static StructField column(String name, DataType type, String comment) {
        return new StructField(name, type, true, Metadata.empty()).withComment(comment);
    }

    public static StructType columns(StructField... fields) {
        return new StructType(fields);
    }

    public static StructType concat(StructType a, StructType b) {
        StructField[] all = Arrays.copyOf(a.fields(), a.fields().length + b.fields().length);
        System.arraycopy(b.fields(), 0, all, a.fields().length, b.fields().length);
        return new StructType(all);
    }

    /** {@code s} as the inside of a single-quoted SQL string literal. */
    public static String sqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
