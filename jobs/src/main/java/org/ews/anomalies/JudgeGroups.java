package org.ews.anomalies;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ews.config.AnomaliesConfig;
import org.ews.tables.Gold;

import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import static org.ews.tables.Columns.*;

/**
 * Runs {@link GroupJudge} over the group rows of {@link AnomalyInputs} in Spark tasks: turns each row into a dense
 * {@link SeriesGroup} and emits either its findings (the columns of gold.trend_anomalies) or its coverage rows.
 * The months judged per reporter come from the driver; a group is judged only in those.
 */
final class JudgeGroups implements MapPartitionsFunction<Row, Row> {
    enum Output {
        FINDINGS, COVERAGE
    }

    private final AnomaliesConfig config;
    private final Map<String, SortedSet<YearMonth>> judged;
    private final Map<String, YearMonth> historyStarts;
    private final Output output;

    /**
     * @param historyStarts per reporter, the first month of the arrays: its first month of data, or the first month
     *                      read if later. Months before a product's first trade are zeros of history (the reporter's
     *                      data covers them), so where the history starts never depends on how much was read: an
     *                      incremental run and a full run see the same windows.
     */
    JudgeGroups(AnomaliesConfig config, Map<String, SortedSet<YearMonth>> judged, Map<String, YearMonth> historyStarts, Output output) {
        this.config = config;
        this.judged = judged;
        this.historyStarts = historyStarts;
        this.output = output;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> groups) {
        GroupJudge judge = new GroupJudge(config);
        List<Row> out = new ArrayList<>();
        while (groups.hasNext()) {
            Row r = groups.next();
            SortedSet<YearMonth> months = judged.get(r.getString(r.fieldIndex(REPORTER)));
            if (months == null || months.isEmpty()) {
                continue;
            }
            SeriesGroup g = group(r, historyStarts.get(r.getString(r.fieldIndex(REPORTER))), months.last());
            if (g == null) {
                continue;
            }
            int[] idx = months.stream().mapToInt(g::index).filter(t -> t >= 0 && t < g.months).toArray();
            GroupJudge.Result result = judge.judge(g, idx);
            if (output == Output.FINDINGS) {
                result.findings().forEach(j -> out.add(findingRow(g, j)));
            } else {
                result.coverage().forEach(c -> {
                    if (c.series() > 1 || c.judged() > 0) {
                        out.add(RowFactory.create(g.reporter, g.flow, g.level, g.key, Date.valueOf(g.month(c.t()).atDay(1)),
                                (long) c.series(), (long) c.judged(), (long) c.immaterial(), (long) c.shortHistory(), (long) c.findings()));
                    }
                });
            }
        }
        return out.iterator();
    }

    /** The group's cells made dense from {@code first} to {@code lastJudged} (or its last cell, if later). */
    static SeriesGroup group(Row r, YearMonth first, YearMonth lastJudged) {
        List<Row> cells = r.getList(r.fieldIndex(AnomalyInputs.CELLS));
        if (cells == null || cells.isEmpty() || first == null) {
            return null;
        }
        YearMonth last = lastJudged;
        for (Row c : cells) {
            YearMonth m = YearMonth.from(c.getDate(1).toLocalDate());
            last = m.isAfter(last) ? m : last;
        }
        int months = (int) first.until(last, java.time.temporal.ChronoUnit.MONTHS) + 1;
        if (months <= 0) {
            return null;
        }
        SeriesGroup g = new SeriesGroup(r.getString(r.fieldIndex(REPORTER)), r.getString(r.fieldIndex(FLOW)),
                r.getString(r.fieldIndex(LEVEL)), r.getString(r.fieldIndex(SERIES_KEY)), first, months);
        for (Row c : cells) {
            g.addCell(c.getString(0), YearMonth.from(c.getDate(1).toLocalDate()), c.getDouble(2), c.getDouble(3), c.getDouble(4), c.getDouble(5));
        }
        List<Row> firms = r.isNullAt(r.fieldIndex(AnomalyInputs.FIRM_CELLS)) ? List.of() : r.getList(r.fieldIndex(AnomalyInputs.FIRM_CELLS));
        for (Row f : firms) {
            g.addTrader(f.getString(0), f.getString(1), YearMonth.from(f.getDate(2).toLocalDate()), f.getDouble(3));
        }
        List<Row> mirror = r.isNullAt(r.fieldIndex(AnomalyInputs.MIRROR_CELLS)) ? List.of() : r.getList(r.fieldIndex(AnomalyInputs.MIRROR_CELLS));
        for (Row x : mirror) {
            g.addMirror(x.getString(0), YearMonth.from(x.getDate(1).toLocalDate()), x.getDouble(2), x.getDouble(3));
        }
        return g;
    }

    private static Row findingRow(SeriesGroup g, GroupJudge.Judged j) {
        Finding f = j.finding();
        return RowFactory.create(g.reporter, g.flow, g.level, g.key, f.partner(), Date.valueOf(g.month(f.t()).atDay(1)),
                f.metric(), f.observed(), f.expected(), f.lower(), f.upper(), f.score(), f.threshold(), f.direction().name(),
                f.detector(), j.parameters(), j.severity().name(), f.valueAtStakeUsd(), j.explanation(),
                contributors(j.partners()), contributors(j.traders()));
    }

    /** Array columns of external rows are Scala sequences. */
    private static scala.collection.Seq<Row> contributors(List<GroupJudge.Contribution> list) {
        List<Row> rows = list.stream().map(c -> RowFactory.create(c.id(), c.observed(), c.expected(), c.change())).toList();
        return scala.collection.JavaConverters.asScalaBuffer(rows).toSeq();
    }

    /** The output columns, in table order, without run_id (stamped at the write). */
    static org.apache.spark.sql.types.StructType schema(Output output) {
        org.apache.spark.sql.types.StructType table = (output == Output.FINDINGS ? Gold.TREND_ANOMALIES : Gold.ANOMALY_COVERAGE).columns();
        return new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(table.fields())
                .filter(f -> !f.name().equals(RUN_ID)).toArray(org.apache.spark.sql.types.StructField[]::new));
    }
}
