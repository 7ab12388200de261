package org.ews.conform;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ews.config.EwsConfig;
import org.ews.run.StageResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.*;

/**
 * Lines of one reporter and landing date in force after de-duplication, and how many of them conform could not use.
 * A landing date where most lines fail (say, a month of FX rates missing) points at broken reference data: publishing
 * from the rest would understate trade, so the run fails before writing, as the ingest gate does.
 */
record ConformCounts(String reporter, LocalDate landingDate, long rows, long quarantined, Map<String, Long> reasons) {

    /** One Spark job over the checked batch. */
    static List<ConformCounts> of(Dataset<Row> checked) {
        Map<String, ConformCounts> bySlice = new LinkedHashMap<>();
        for (Row r : checked.groupBy(col(REPORTER), col(LANDING_DATE), col(REASON_CODE)).count().collectAsList()) {
            String key = r.getString(0) + " " + r.getDate(1);
            ConformCounts c = bySlice.getOrDefault(key, new ConformCounts(r.getString(0), r.getDate(1).toLocalDate(), 0, 0, new TreeMap<>()));
            long n = r.getLong(3);
            if (!r.isNullAt(2)) {
                c.reasons().merge(r.getString(2), n, Long::sum);
            }
            bySlice.put(key, new ConformCounts(c.reporter(), c.landingDate(), c.rows() + n,
                    c.quarantined() + (r.isNullAt(2) ? 0 : n), c.reasons()));
        }
        return bySlice.values().stream().sorted(Comparator.comparing(ConformCounts::reporter)
                .thenComparing(ConformCounts::landingDate)).toList();
    }

    static List<String> violations(List<ConformCounts> counts, EwsConfig.Conform limits) {
        List<String> out = new ArrayList<>();
        for (ConformCounts c : counts) {
            if (c.rows() >= limits.badRowShareMinRows() && c.rows() > 0
                    && (double) c.quarantined() / c.rows() > limits.maxBadRowShare()) {
                out.add(String.format("customs %s %s: %d of %d lines cannot be conformed (%.1f%%: %s), above conform.max_bad_row_share %.1f%%",
                        c.reporter(), c.landingDate(), c.quarantined(), c.rows(), 100.0 * c.quarantined() / c.rows(),
                        StageResult.describeReasons(c.reasons()), 100.0 * limits.maxBadRowShare()));
            }
        }
        return out;
    }
}
