package org.ews.spark;

import org.apache.spark.sql.Column;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/** Column-name lists as the Spark API takes them from Java: grouping columns, and join keys as a Scala sequence. */
public final class ColumnLists {
    private ColumnLists() {}

    public static Column[] cols(List<String> names) {
        return names.stream().map(n -> col(n)).toArray(Column[]::new);
    }

    /** For {@code Dataset.join(other, usingColumns)}. */
    public static scala.collection.Seq<String> seq(List<String> names) {
        return scala.collection.JavaConverters.asScalaBuffer(names).toSeq();
    }
}
