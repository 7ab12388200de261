package org.ews.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Compares every gold table of two warehouses row for row, as the incremental-equals-full tests need. */
final class GoldTables {
    private GoldTables() {}

    /**
     * The tables that differ, with counts; empty when all agree. Run ids differ by design. The watchlist's status also
     * depends on the list published before, which a freshly recomputed warehouse has not got (its first list is all
     * new), so its listed items are compared without status.
     */
    static List<String> differences(Function<TableSpec, Dataset<Row>> a, Function<TableSpec, Dataset<Row>> b) {
        List<String> out = new ArrayList<>();
        for (TableSpec t : Gold.ALL) {
            Dataset<Row> left = comparable(a.apply(t), t);
            Dataset<Row> right = comparable(b.apply(t), t);
            long onlyLeft = left.exceptAll(right).count();
            long onlyRight = right.exceptAll(left).count();
            if (onlyLeft + onlyRight > 0) {
                out.add(String.format("%s: %d rows only in the first, %d only in the second", t.qualifiedName(), onlyLeft, onlyRight));
            }
        }
        return out;
    }

    private static Dataset<Row> comparable(Dataset<Row> rows, TableSpec t) {
        return (t == Gold.WATCHLIST ? rows.where("status <> 'dropped'").drop("status") : rows).drop("run_id");
    }
}
