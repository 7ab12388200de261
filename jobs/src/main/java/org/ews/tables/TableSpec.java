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
 * A published table: its {@code schema.table} name, comment, columns (each with a comment), partitioning
 * and Delta properties. The single source for the DDL that creates it and the column order writes use.
 */
public record TableSpec(String schema, String name, String comment, StructType columns,
                        List<String> partitionBy, Map<String, String> properties) {

    public String qualifiedName() {
        return schema + "." + name;
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with comments, partitioning and properties, at {@code location}. */
    public String createSql(String location) {
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

    private static String sqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }
}
