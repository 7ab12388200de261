package org.ews.tables;

import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.ews.tables.Columns.*;

/**
 * The value domain of every column that has one, in one place: shares and HHI in [0, 1], money, weights and counts not
 * negative, codes from their list, months on their first day. Published tables carry these as Delta CHECK constraints,
 * so a wrong figure fails the write that would publish it instead of reaching a reader.
 */
public final class ValueDomains {
    private ValueDomains() {}

    /** Shares are ratios of sums of doubles; a last-bit rounding above 1 is not a wrong figure. */
    private static final String ONE = "1.000000001";

    private static final List<String> SHARES = List.of(TOP_PARTNER_SHARE, SECOND_PARTNER_SHARE, HHI, CONCERN_SHARE,
            EXTRA_BLOC_SHARE, TOP_TRADER_SHARE);
    private static final List<String> NOT_NEGATIVE = List.of(VALUE_USD, QUANTITY_KG, VALUE_USD_WITH_KG, IMPORT_VALUE_USD,
            EXPORT_VALUE_USD, IMPORT_QUANTITY_KG, TOP_PARTNER_VALUE_USD, VALUE_AT_STAKE_USD, DECLARATIONS, LINES, TRADERS,
            PARTNERS, PRODUCTS, DEPENDENT_PRODUCTS, FIRMS, FIRMS_EXPOSED, SCORE, THRESHOLD, SERIES, SERIES_JUDGED,
            SERIES_IMMATERIAL, SERIES_SHORT_HISTORY, FINDINGS);
    private static final Map<String, List<String>> CODES = Map.of(
            FLOW, List.of("I", "X"),
            LEVEL, List.of("hs6", "sector"),
            DIRECTION, List.of("up", "down"),
            SEVERITY, List.of("low", "medium", "high"),
            WATCH_STATUS, List.of(Gold.STATUS_NEW, Gold.STATUS_CONTINUING, Gold.STATUS_DROPPED));
    private static final List<String> FIRST_OF_MONTH = List.of(MONTH, WINDOW_START, FIRST_SEEN, LAST_SEEN, AS_OF_MONTH);

    /** CHECK constraints (name to condition) for the columns of {@code columns} that have a domain. */
    public static Map<String, String> checks(StructType columns) {
        List<String> names = Arrays.asList(columns.fieldNames());
        Map<String, String> checks = new LinkedHashMap<>();
        for (String c : names) {
            if (SHARES.contains(c)) {
                checks.put(c + "_in_0_1", c + " IS NULL OR (" + c + " >= 0 AND " + c + " <= " + ONE + ")");
            } else if (NOT_NEGATIVE.contains(c)) {
                checks.put(c + "_not_negative", c + " IS NULL OR " + c + " >= 0");
            } else if (CODES.containsKey(c)) {
                checks.put(c + "_code", c + " IS NULL OR " + c + " IN ('" + String.join("', '", CODES.get(c)) + "')");
            } else if (FIRST_OF_MONTH.contains(c)) {
                checks.put(c + "_first_of_month", c + " IS NULL OR dayofmonth(" + c + ") = 1");
            }
        }
        return checks;
    }
}
