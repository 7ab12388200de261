package org.ews.metrics;

import org.apache.spark.sql.Column;

import java.time.LocalDate;
import java.time.YearMonth;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Which months are closed, and which years and 12-month windows are partial. Declarations are filed late, so a month
 * closes {@code periods.month_close_lag_days} after its last day; until then it is the month in progress. A year is
 * partial until its December closes, and also when the reporter's data starts after its January (the first landing
 * day brings a few late filings of the month before, which must not read as a whole year).
 */
public final class Periods {
    private Periods() {}

    /** First day of the latest month whose last day is at least {@code lagDays} before {@code runDate}. */
    public static LocalDate closedThrough(LocalDate runDate, int lagDays) {
        LocalDate d = runDate.minusDays(lagDays);
        YearMonth m = YearMonth.from(d);
        return (d.equals(m.atEndOfMonth()) ? m : m.minusMonths(1)).atDay(1);
    }

    /** Month index (year * 12 + month - 1) of a DATE column: months become consecutive integers for range windows. */
    public static Column monthIndex(Column month) {
        return year(month).multiply(12).plus(month(month)).minus(1);
    }

    /** {@code year} (INT column) is partial: its December is not closed, or the data starts after its January. */
    public static Column isPartialYear(LocalDate closedThrough, Column firstMonth) {
        return make_date(col(YEAR), lit(12), lit(1)).gt(lit(java.sql.Date.valueOf(closedThrough)))
                .or(firstMonth.gt(make_date(col(YEAR), lit(1), lit(1))));
    }

    /** The data covers the whole of {@code year}: it starts on or before its January. */
    public static Column coversYear(Column firstMonth) {
        return firstMonth.leq(make_date(col(YEAR), lit(1), lit(1)));
    }

    /** The data covers the whole 12-month window: it starts on or before the window's first month. */
    public static Column coversWindow(Column firstMonth) {
        return firstMonth.leq(col(WINDOW_START));
    }

    /** A 12-month window is partial when the reporter's data starts after its first month. */
    public static Column isPartialWindow(Column firstMonth) {
        return firstMonth.gt(col(WINDOW_START));
    }
}
