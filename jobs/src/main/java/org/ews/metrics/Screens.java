package org.ews.metrics;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.ews.config.MetricsConfig.Condition;
import org.ews.config.MetricsConfig.Screen;
import org.ews.config.MetricsConfig.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.*;
import static org.ews.tables.Columns.*;

/**
 * Turns the configured screens (rule sets on the columns of a dependency row) into the {@code screens} array column.
 * Conditions that must hold over several years, and screen persistence, look at the rows of the same product one, two,
 * ... years earlier: the previous calendar years for the yearly table, and the windows ending 12, 24, ... months
 * earlier for the 12-month view. A year with no imports has no row and so counts as not passing; a year the data
 * covers only in part (the reporter's data starts within it) counts as not passing for later years, though it is judged
 * on its own figures for its own row.
 */
public final class Screens {
    private static final String PHASE = "_phase";
    private static final String YEAR_INDEX = "_year_index";
    private static final String HISTORY = "_counts_as_history";

    /** How a row's period maps to years: a calendar year, or a 12-month window ending at {@code month}. */
    public enum Period {
        CALENDAR_YEAR, WINDOW_12M;

        Column phase() {
            return this == CALENDAR_YEAR ? lit(0) : month(col(MONTH));
        }

        Column yearIndex() {
            return this == CALENDAR_YEAR ? col(YEAR) : year(col(MONTH));
        }
    }

    private final Map<String, Screen> screens;

    public Screens(Map<String, Screen> screens) {
        this.screens = screens;
    }

    /**
     * {@code rows} with {@code screens}: the names of the screens each row passes, in configured order.
     *
     * @param countsAsHistory whether a row may count for the years after it (false where the data covers its period
     *                        only in part)
     */
    public Dataset<Row> apply(Dataset<Row> rows, Period period, Column countsAsHistory) {
        WindowSpec history = Window.partitionBy(col(REPORTER), col(HS6), col(PHASE)).orderBy(col(YEAR_INDEX));
        Dataset<Row> out = rows.withColumn(PHASE, period.phase()).withColumn(YEAR_INDEX, period.yearIndex())
                .withColumn(HISTORY, countsAsHistory);
        List<Column> passed = new ArrayList<>();
        List<String> temporary = new ArrayList<>(List.of(PHASE, YEAR_INDEX, HISTORY));
        int i = 0;
        for (Map.Entry<String, Screen> e : screens.entrySet()) {
            Screen s = e.getValue();
            String pass = "_pass_" + i;
            Column all = lit(true);
            int j = 0;
            for (Condition c : s.all()) {
                if (c.years() == 1) {
                    all = all.and(condition(c));
                } else {
                    String held = "_held_" + i + "_" + j;
                    out = out.withColumn(held, condition(c).cast("int"));
                    temporary.add(held);
                    all = all.and(yearsHeld(col(held), history, c.years()).equalTo(c.years()));
                }
                j++;
            }
            out = out.withColumn(pass, all);
            if (s.persistence() != null) {
                out = out.withColumn(pass, yearsHeld(col(pass).cast("int"), history, s.persistence().ofYears())
                        .geq(s.persistence().minYears()));
            }
            temporary.add(pass);
            passed.add(when(col(pass), lit(e.getKey())));
            i++;
        }
        return out.withColumn(SCREENS, array_compact(array(passed.toArray(Column[]::new))))
                .drop(temporary.toArray(String[]::new));
    }

    /** Of the row's year and the {@code years - 1} before it, how many hold {@code flag} (0 or 1 per row). */
    private static Column yearsHeld(Column flag, WindowSpec history, int years) {
        Column earlier = years == 1 ? lit(0)
                : coalesce(sum(when(col(HISTORY), flag).otherwise(0)).over(history.rangeBetween(-(years - 1), -1)), lit(0));
        return flag.plus(earlier);
    }

    /**
     * {@code metric op value} as a boolean column that is never null: a metric missing on the row fails the condition
     * unless it says {@code when_missing: pass}.
     */
    public static Column condition(Condition c) {
        Column m = col(c.metric());
        Column test = switch (c.op()) {
            case ">" -> m.gt(number(c));
            case ">=" -> m.geq(number(c));
            case "<" -> m.lt(number(c));
            case "<=" -> m.leq(number(c));
            case "=" -> m.equalTo(c.value() instanceof Number ? number(c) : lit(c.value()));
            case "!=" -> m.notEqual(c.value() instanceof Number ? number(c) : lit(c.value()));
            case "in" -> m.isin(((List<?>) c.value()).toArray());
            case "not_in" -> not(m.isin(((List<?>) c.value()).toArray()));
            default -> throw new IllegalArgumentException("operator " + c.op()); // the config's validation rules it out
        };
        return coalesce(test, lit(c.passWhenMissing()));
    }

    /** The first tier whose conditions all hold (an empty list always holds); null when none does. */
    public static Column tier(List<Tier> tiers) {
        Column out = lit(null).cast("int");
        for (int i = tiers.size() - 1; i >= 0; i--) {
            Column all = lit(true);
            for (Condition c : tiers.get(i).all()) {
                all = all.and(condition(c));
            }
            out = when(all, lit(tiers.get(i).tier())).otherwise(out);
        }
        return out;
    }

    private static Column number(Condition c) {
        return lit(((Number) c.value()).doubleValue());
    }
}
