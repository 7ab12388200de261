package org.ews.quality;

import java.time.LocalDate;

/**
 * The typed result of one check on one slice: which rule, at which level, whether it passed, the value Deequ measured
 * and what it had to meet. A row of {@code ops.dq_results} once the gate adds run and stage.
 *
 * @param table       the table whose rows were checked (schema.table)
 * @param rule        the rule as configured: {@code unique(reporter, declaration_id, line_no)}, {@code share(hhi)}, a name
 * @param checkType   complete, unique, share, between, non_negative, in_set, pattern, satisfies, anomaly
 * @param level       error or warning
 * @param slice       the rows checked: a write's slice predicate, "all rows", or "reporter KR, landing date 2024-03-01"
 * @param reporter    the slice's reporter (metric checks), else null
 * @param landingDate the slice's landing date (metric checks), else null
 * @param metric      completeness, uniqueness, compliance, rows, value_usd
 * @param metricValue the measured value; null when skipped or when Deequ could not compute it
 * @param requirement what the value had to meet
 * @param rowsChecked rows the check read (anomaly checks: points of history)
 * @param message     one line for a person
 */
public record CheckOutcome(String table, String rule, String checkType, String level, Status status, String slice,
                           String reporter, LocalDate landingDate, String metric, Double metricValue, String requirement,
                           Long rowsChecked, String message) {

    public enum Status {
        PASSED, FAILED, SKIPPED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** A failure that stops the run. */
    public boolean stops() {
        return failed() && org.ews.config.QualityConfig.ERROR.equals(level);
    }
}
