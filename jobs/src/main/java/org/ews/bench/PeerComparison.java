package org.ews.bench;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.ews.spark.Warehouse;
import org.ews.sql.SqlCommand;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Whether the DuckDB peer's rows equal our gold tables, so the benchmark compares the cost of the same result.
 *
 * <p>Rows are matched on the table's key (reporter, flow, HS6, partner, month for the cube; reporter, HS6, year for
 * product dependency). Each side's keys are checked to be unique, so this is a comparison of the two tables as
 * multisets, and it also says which column differs. Every business column both sides hold is compared:
 * <ul>
 *   <li>text, dates, booleans, counts, the screens list and money exactly (money is DECIMAL(24,6) on both sides, the
 *   same amounts to the micro-dollar);</li>
 *   <li>doubles (shares, HHI, ratios) to {@link #DIGITS} significant digits, with values on the 0-1 scale compared to
 *   {@code 1e-12} absolute. HHI, concern and extra-bloc shares are sums of terms rounded to 18 decimals, and DuckDB
 *   converts a double to a decimal with other rounding than Spark's (which goes through the double's shortest decimal
 *   text): on the bundled sample 406 of 1,578 HHI values and 153 concern shares differ in the last bit (1.1e-16),
 *   while shares and ratios are bit-identical. Twelve digits is far above that and far below any difference that
 *   matters.</li>
 * </ul>
 * Left out, with the reason the report gives: {@code run_id} (which run wrote a row), and in the cube {@code traders}
 * and {@code top_trader_share}, which count declaring firms after entity resolution (registry snapshots in force,
 * name normalisation, blocked Jaro-Winkler matching, ownership): not the normalisation this peer reproduces, and not
 * something plain SQL does in reasonable time. Every product dependency column is compared.
 */
public final class PeerComparison {
    private PeerComparison() {}

    public static final int DIGITS = 12;
    static final double TOLERANCE = 1e-12;
    public static final int EXAMPLES = 5;

    /**
     * The columns of one table: the key, the compared columns, and those left out with why.
     */
    public record Columns(TableSpec table, String peerTable, List<String> keys, List<String> compared, Map<String, String> leftOut) {}

    private static final String RUN_ID_REASON = "which run wrote the row";
    private static final String FIRMS_REASON = "counts declaring firms after entity resolution, which the peer does not do";

    public static final Columns TRADE_MONTHLY = columns(Gold.TRADE_MONTHLY, DuckDbPeer.TRADE_MONTHLY,
            List.of(REPORTER, FLOW, HS6, PARTNER, MONTH),
            Map.of(RUN_ID, RUN_ID_REASON, TRADERS, FIRMS_REASON, TOP_TRADER_SHARE, FIRMS_REASON));
    public static final Columns PRODUCT_DEPENDENCY = columns(Gold.PRODUCT_DEPENDENCY, DuckDbPeer.PRODUCT_DEPENDENCY,
            List.of(REPORTER, HS6, YEAR), Map.of(RUN_ID, RUN_ID_REASON));
    public static final List<Columns> TABLES = List.of(TRADE_MONTHLY, PRODUCT_DEPENDENCY);

    private static Columns columns(TableSpec spec, String peerTable, List<String> keys, Map<String, String> leftOut) {
        List<String> compared = Stream.of(spec.columns().fieldNames()).filter(c -> !leftOut.containsKey(c) && !keys.contains(c)).toList();
        Map<String, String> ordered = new LinkedHashMap<>();
        Stream.of(spec.columns().fieldNames()).filter(leftOut::containsKey).forEach(c -> ordered.put(c, leftOut.get(c)));
        return new Columns(spec, peerTable, keys, compared, ordered);
    }

    /**
     * One table compared. {@code onlyOurs}/{@code onlyPeer}: keys on one side only; {@code duplicateKeys*}: keys held
     * by more than one row (each such row counts); {@code mismatches}: rows whose key matches, per column that
     * differs; {@code schemaDifference}: compared columns missing or typed differently (rows are then not compared).
     */
    public record Result(Columns columns, long oursRows, long peerRows, long onlyOurs, long onlyPeer, long duplicateKeysOurs,
                         long duplicateKeysPeer, Map<String, Long> mismatches, List<String> examples, String schemaDifference) {
        public boolean same() {
            return schemaDifference.isEmpty() && onlyOurs == 0 && onlyPeer == 0 && duplicateKeysOurs == 0
                    && duplicateKeysPeer == 0 && mismatches.isEmpty();
        }

        public String describe() {
            String what = columns.table().qualifiedName();
            String compared = "compared " + String.join(", ", columns.keys()) + " (key), " + String.join(", ", columns.compared())
                    + "; left out: " + columns.leftOut().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            if (!schemaDifference.isEmpty()) {
                return what + ": DIFFERENT columns: " + schemaDifference + "; " + compared;
            }
            if (same()) {
                return String.format("%s: same %,d rows; %s", what, oursRows, compared);
            }
            List<String> parts = new ArrayList<>();
            parts.add(String.format("ours %,d rows, DuckDB %,d", oursRows, peerRows));
            if (onlyOurs + onlyPeer > 0) {
                parts.add(String.format("%,d keys only in ours, %,d only in DuckDB's", onlyOurs, onlyPeer));
            }
            if (duplicateKeysOurs + duplicateKeysPeer > 0) {
                parts.add(String.format("rows sharing a key: %,d in ours, %,d in DuckDB's", duplicateKeysOurs, duplicateKeysPeer));
            }
            if (!mismatches.isEmpty()) {
                parts.add("rows differing in " + mismatches.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")));
            }
            return what + ": DIFFERENT: " + String.join("; ", parts) + "; " + compared
                    + examples.stream().map(e -> "\n    " + e).collect(Collectors.joining());
        }
    }

    /** Both tables of {@link #TABLES}: ours from the warehouse's Delta tables, DuckDB's from the peer's Parquet files. */
    public static List<Result> compare(SparkSession spark, String warehouse, DuckDbPeer.Result peer) {
        Warehouse wh = new Warehouse(spark, warehouse);
        List<Result> out = new ArrayList<>();
        for (Columns c : TABLES) {
            Path parquet = peer.table(c.peerTable()).parquet();
            out.add(compare(c, wh.read(c.table()), spark.read().parquet(parquet.toUri().toString())));
        }
        return out;
    }

    private static final String IN_OURS = "_in_ours";
    private static final String IN_PEER = "_in_peer";

    public static Result compare(Columns columns, Dataset<Row> ours, Dataset<Row> peer) {
        List<String> all = new ArrayList<>(columns.keys());
        all.addAll(columns.compared());
        String schema = schemaDifference(all, ours, peer);
        long oursRows = ours.count();
        long peerRows = peer.count();
        if (!schema.isEmpty()) {
            return new Result(columns, oursRows, peerRows, 0, 0, 0, 0, Map.of(), List.of(), schema);
        }
        Column[] keyCols = columns.keys().stream().map(k -> col(k)).toArray(Column[]::new);
        long dupOurs = duplicateKeys(ours, keyCols);
        long dupPeer = duplicateKeys(peer, keyCols);

        Dataset<Row> o = ours.select(prefixed(all, "o_")).withColumn(IN_OURS, lit(true));
        Dataset<Row> p = peer.select(prefixed(all, "p_")).withColumn(IN_PEER, lit(true));
        Column on = lit(true);
        for (String k : columns.keys()) {
            on = on.and(col("o_" + k).eqNullSafe(col("p_" + k)));
        }
        Dataset<Row> joined = o.join(p, on, "full_outer");
        List<Column> flags = new ArrayList<>();
        Map<String, DataType> types = new LinkedHashMap<>();
        for (StructField f : ours.select(all.stream().map(c -> col(c)).toArray(Column[]::new)).schema().fields()) {
            types.put(f.name(), f.dataType());
        }
        for (String c : columns.compared()) {
            flags.add(when(col(IN_OURS).and(col(IN_PEER)).and(not(equal(col("o_" + c), col("p_" + c), types.get(c)))), 1)
                    .otherwise(0).as("_diff_" + c));
        }
        Dataset<Row> marked = joined.select(Stream.concat(Stream.of(col("*")), flags.stream()).toArray(Column[]::new))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Column> sums = new ArrayList<>();
            sums.add(sum(when(col(IN_PEER).isNull(), 1).otherwise(0)));
            sums.add(sum(when(col(IN_OURS).isNull(), 1).otherwise(0)));
            columns.compared().forEach(c -> sums.add(sum(col("_diff_" + c))));
            Row totals = marked.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).head();
            long onlyOurs = totals.isNullAt(0) ? 0 : totals.getLong(0);
            long onlyPeer = totals.isNullAt(1) ? 0 : totals.getLong(1);
            Map<String, Long> mismatches = new LinkedHashMap<>();
            for (int i = 0; i < columns.compared().size(); i++) {
                long n = totals.isNullAt(i + 2) ? 0 : totals.getLong(i + 2);
                if (n > 0) {
                    mismatches.put(columns.compared().get(i), n);
                }
            }
            List<String> examples = new ArrayList<>();
            if (onlyOurs + onlyPeer > 0 || !mismatches.isEmpty()) {
                Column anyDiff = col(IN_PEER).isNull().or(col(IN_OURS).isNull());
                for (String c : columns.compared()) {
                    anyDiff = anyDiff.or(col("_diff_" + c).equalTo(1));
                }
                Column[] order = columns.keys().stream().map(k -> coalesce(col("o_" + k), col("p_" + k))).toArray(Column[]::new);
                for (Row r : marked.where(anyDiff).orderBy(order).limit(EXAMPLES).collectAsList()) {
                    examples.add(example(r, columns));
                }
            }
            return new Result(columns, oursRows, peerRows, onlyOurs, onlyPeer, dupOurs, dupPeer, mismatches, examples, "");
        } finally {
            marked.unpersist();
        }
    }

    /** Equal, null-safe; doubles to {@link #DIGITS} significant digits (1e-12 absolute below 1). */
    private static Column equal(Column a, Column b, DataType type) {
        if (type instanceof DoubleType) {
            Column scale = greatest(lit(1.0), abs(a), abs(b));
            return a.isNull().and(b.isNull()).or(a.isNotNull().and(b.isNotNull())
                    .and(abs(a.minus(b)).leq(scale.multiply(TOLERANCE))));
        }
        return a.eqNullSafe(b);
    }

    private static long duplicateKeys(Dataset<Row> rows, Column[] keys) {
        Row r = rows.groupBy(keys).count().where(col("count").gt(1)).agg(coalesce(sum("count"), lit(0L))).head();
        return r.getLong(0);
    }

    private static Column[] prefixed(List<String> columns, String prefix) {
        return columns.stream().map(c -> col(c).as(prefix + c)).toArray(Column[]::new);
    }

    /** Compared columns missing on a side or typed differently there; empty when they agree. */
    static String schemaDifference(List<String> columns, Dataset<Row> ours, Dataset<Row> peer) {
        Map<String, String> o = types(ours);
        Map<String, String> p = types(peer);
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            if (!o.containsKey(c)) {
                parts.add(c + " missing in ours");
            } else if (!p.containsKey(c)) {
                parts.add(c + " missing in DuckDB's");
            } else if (!o.get(c).equals(p.get(c))) {
                parts.add(c + " " + o.get(c) + " in ours, " + p.get(c) + " in DuckDB's");
            }
        }
        return String.join("; ", parts);
    }

    private static Map<String, String> types(Dataset<Row> rows) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StructField f : rows.schema().fields()) {
            m.put(f.name(), f.dataType().catalogString());
        }
        return m;
    }

    /** A differing row: its key, then each column that differs as {@code ours | DuckDB's}. */
    private static String example(Row r, Columns columns) {
        StringBuilder s = new StringBuilder();
        for (String k : columns.keys()) {
            Object v = r.isNullAt(r.fieldIndex("o_" + k)) ? r.get(r.fieldIndex("p_" + k)) : r.get(r.fieldIndex("o_" + k));
            s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(cell(v));
        }
        if (r.isNullAt(r.fieldIndex(IN_PEER))) {
            return s + ": only in ours";
        }
        if (r.isNullAt(r.fieldIndex(IN_OURS))) {
            return s + ": only in DuckDB's";
        }
        for (String c : columns.compared()) {
            if (r.getInt(r.fieldIndex("_diff_" + c)) == 1) {
                s.append("; ").append(c).append(' ').append(cell(r.get(r.fieldIndex("o_" + c)))).append(" | ")
                        .append(cell(r.get(r.fieldIndex("p_" + c))));
            }
        }
        return s.toString();
    }

    private static String cell(Object v) {
        return v == null ? "null" : SqlCommand.cell(v);
    }
}
