package org.ews.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ews.config.EwsConfig;
import org.ews.evaluate.Evaluation;
import org.ews.anomalies.AnomaliesStage;
import org.ews.tables.Ops;
import org.ews.generate.LandingGenerator;
import org.ews.run.Pipeline;
import org.ews.run.RunContext;
import org.ews.run.Stages;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.ews.tables.Columns.*;

/**
 * {@code bin/ews evaluate}: generates a landing zone with injected supply events for each seed, runs the whole
 * pipeline over it into a fresh warehouse, and scores the anomaly findings against the generator's truth
 * ({@link Evaluation}). Prints recall per event kind and false alarms per 1000 clean series-months, and writes them
 * with every event's first finding and every false alarm to {@code OUT/evaluation.json}.
 */
final class EvaluateCommand {
    private EvaluateCommand() {}

    static final String DEFAULT_SEEDS = "11,23,37";
    static final double TARGET_RECALL = 0.9;
    static final double TARGET_FALSE_PER_1000 = 1.0;

    static Commands.Prepared prepare(Args a, Map<String, String> env) {
        Path dir = Path.of(a.writableDir("out"));
        LocalDate from = a.get("from") == null ? LocalDate.of(2022, 1, 1) : a.date("from");
        LocalDate to = a.get("to") == null ? LocalDate.of(2024, 12, 31) : a.date("to");
        long linesPerDay = a.number("lines-per-day", 20);
        List<Long> seeds = new ArrayList<>();
        for (String s : (a.get("seeds") == null ? DEFAULT_SEEDS : a.get("seeds")).split(",")) {
            try {
                seeds.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds must be whole numbers separated by commas, got '" + a.get("seeds") + "'");
            }
        }
        String stages = a.get("stages") == null ? "all" : a.get("stages");
        if (!stages.equals("all") && !stages.equals(AnomaliesStage.NAME)) {
            throw new UsageException("--stages must be all or anomalies, got '" + stages + "'");
        }
        if (!a.positional().isEmpty()) {
            throw new UsageException("'evaluate' takes no words besides options; got " + a.positional());
        }
        Commands.loadConfig(a, env); // a bad setting is a usage error before anything is generated or deleted
        if (stages.equals(AnomaliesStage.NAME)) { // rejudging needs every seed's earlier landing zone and warehouse
            for (long seed : seeds) {
                Path earlier = dir.resolve("seed-" + seed);
                if (!Files.isRegularFile(earlier.resolve("landing").resolve("truth").resolve("events.csv"))) {
                    throw new UsageException("--stages anomalies needs the landing zone of an earlier evaluation in " + earlier.resolve("landing"));
                }
                if (!Files.isDirectory(earlier.resolve("warehouse"))) {
                    throw new UsageException("--stages anomalies needs the warehouse of an earlier evaluation in " + earlier.resolve("warehouse"));
                }
            }
        }
        return new Commands.Prepared("seeds " + seeds + " (" + stages + " stages), " + from + ".." + to + ", " + linesPerDay
                + " lines a day per reporter, into " + dir, out -> run(a, env, out, dir, from, to, linesPerDay, seeds, stages));
    }

    private static void run(Args a, Map<String, String> env, PrintStream out, Path dir, LocalDate from, LocalDate to,
                            long linesPerDay, List<Long> seeds, String stages) {
        List<Evaluation.Score> scores = new ArrayList<>();
        Map<String, Object> perSeed = new LinkedHashMap<>();
        for (long seed : seeds) {
            Path landing = dir.resolve("seed-" + seed).resolve("landing");
            Path warehouse = dir.resolve("seed-" + seed).resolve("warehouse");
            EwsConfig config = Commands.loadConfig(a, env, Map.of("paths.landing", landing.toString(), "paths.warehouse", warehouse.toString()));
            if (!Files.isRegularFile(landing.resolve("truth").resolve("events.csv"))) {
                if (stages.equals(AnomaliesStage.NAME)) {
                    throw new UsageException("--stages anomalies needs the landing zone of an earlier evaluation in " + landing);
                }
                out.println(LandingGenerator.builder().out(landing).from(from).to(to).linesPerDay((int) linesPerDay).seed(seed)
                        .referenceDir(Path.of(config.paths().reference())).build().run().describe());
            }
            boolean rejudge = stages.equals(AnomaliesStage.NAME);
            if (rejudge && !Files.isDirectory(warehouse)) {
                throw new UsageException("--stages anomalies needs the warehouse of an earlier evaluation in " + warehouse);
            }
            if (!rejudge) {
                delete(warehouse);
            }
            String prefix = "s" + seed + ":";
            Evaluation.Score one = SparkSessions.withSession(config, spark -> {
                Warehouse wh = Warehouse.of(spark, config).registerExisting();
                RunContext ctx = new RunContext("evaluate-" + seed, from, to, config, spark, wh);
                if (rejudge) { // the anomaly stage alone, from scratch, over the pipeline's earlier gold tables
                    spark.sql("DELETE FROM " + Ops.STAGE_STATE.qualifiedName() + " WHERE " + STAGE + " = '" + AnomaliesStage.NAME + "'");
                }
                Pipeline.run(ctx, rejudge ? List.of(new AnomaliesStage()) : Stages.pipeline())
                        .forEach(r -> out.println("seed " + seed + " " + r.summaryLine()));
                List<Evaluation.Event> ev = events(spark, landing.resolve("truth").resolve("events.csv"), prefix);
                // Pooled false alarms must stay apart by seed: the prefix goes on the reporter after scoring.
                List<Evaluation.Hit> h = hits(wh, "");
                List<Evaluation.Covered> c = covered(wh);
                Map<String, Set<String>> bridge = new TreeMap<>();
                wh.read(Silver.HS6_SECTORS).select(HS6, SECTOR).collectAsList()
                        .forEach(r -> bridge.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1)));
                Set<String> loaded = new TreeSet<>();
                c.forEach(x -> loaded.add(x.reporter()));
                Evaluation.Score s = Evaluation.score(ev, h, c, bridge, loaded);
                return new Evaluation.Score(s.events(), s.cleanSeriesMonths(), s.falseAlarms().stream().map(x -> new Evaluation.Hit(
                        prefix + x.reporter(), x.flow(), x.level(), x.key(), x.partner(), x.month(), x.metric(), x.direction(),
                        x.detector(), x.severity(), x.explanation())).toList());
            });
            scores.add(one);
            out.println(String.format(Locale.ROOT, "seed %d: %d events, %d found; %,d clean series-months, %d with a false medium+ alarm (%.2f per 1000)",
                    seed, one.events().size(), one.events().stream().filter(Evaluation.EventResult::found).count(),
                    one.cleanSeriesMonths(), one.falseAlarmSeriesMonths(), one.falseAlarmsPer1000()));
            perSeed.put(String.valueOf(seed), summary(one));
        }
        Evaluation.Score all = Evaluation.Score.combine(scores);
        out.print(report(all, seeds, from, to, linesPerDay));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seeds", seeds);
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("lines_per_day", linesPerDay);
        json.put("all", summary(all));
        json.put("per_seed", perSeed);
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("evaluation.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("evaluation.json"), e);
        }
        out.println("written: " + dir.resolve("evaluation.json"));
    }

    private static String report(Evaluation.Score s, List<Long> seeds, LocalDate from, LocalDate to, long linesPerDay) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nAnomaly evaluation: seeds %s, %s..%s, %d lines/day per reporter; medium and high findings%n",
                seeds, from, to, linesPerDay));
        b.append(String.format("%-15s %7s %7s%n", "event kind", "found", "recall"));
        s.recallByKind().forEach((kind, c) -> b.append(String.format(Locale.ROOT, "%-15s %3d/%-3d %7.2f%n", kind, c[0], c[1], c[0] / (double) c[1])));
        long found = s.events().stream().filter(Evaluation.EventResult::found).count();
        b.append(String.format(Locale.ROOT, "%-15s %3d/%-3d %7.2f   target >= %.2f: %s%n", "all kinds", found, s.events().size(), s.recall(),
                TARGET_RECALL, s.recall() >= TARGET_RECALL ? "met" : "NOT MET"));
        b.append(String.format(Locale.ROOT, "false alarms: %d series-months of %,d clean series-months judged = %.2f per 1000   target <= %.1f: %s%n",
                s.falseAlarmSeriesMonths(), s.cleanSeriesMonths(), s.falseAlarmsPer1000(), TARGET_FALSE_PER_1000,
                s.falseAlarmsPer1000() <= TARGET_FALSE_PER_1000 ? "met" : "NOT MET"));
        b.append("events (first medium+ finding within the event's first ").append(Evaluation.EARLY_MONTHS).append(" months):\n");
        for (Evaluation.EventResult r : s.events()) {
            Evaluation.Event e = r.event();
            b.append(String.format("  %-7s %s %s %s %s %-13s %s: %s%n", e.id(), e.reporter(), e.flow(), e.hs6(), e.partner(), e.kind(), e.start(),
                    r.found() ? r.firstHit().month() + " " + r.firstHit().detector() + " (" + r.firstHit().severity() + ") " + r.firstHit().explanation()
                            : "MISSED"));
        }
        if (!s.falseAlarms().isEmpty()) {
            b.append("false alarms:\n");
            s.falseAlarms().stream().sorted(Comparator.comparing(Evaluation.Hit::reporter).thenComparing(Evaluation.Hit::month))
                    .forEach(h -> b.append(String.format("  %s %s (%s) %s%n", h.reporter(), h.detector(), h.severity(), h.explanation())));
        }
        return b.toString();
    }

    private static Map<String, Object> summary(Evaluation.Score s) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> kinds = new LinkedHashMap<>();
        s.recallByKind().forEach((k, c) -> kinds.put(k, Map.of("found", c[0], "events", c[1], "recall", c[0] / (double) c[1])));
        m.put("recall_by_kind", kinds);
        m.put("recall", s.recall());
        m.put("clean_series_months", s.cleanSeriesMonths());
        m.put("false_alarm_series_months", s.falseAlarmSeriesMonths());
        m.put("false_alarms_per_1000", s.falseAlarmsPer1000());
        List<Map<String, String>> ev = new ArrayList<>();
        for (Evaluation.EventResult r : s.events()) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("event", r.event().id());
            e.put("kind", r.event().kind());
            e.put("series", String.join(" ", r.event().reporter(), r.event().flow(), r.event().hs6(), r.event().partner()));
            e.put("start", r.event().start().toString());
            e.put("found", r.found() ? r.firstHit().month().toString() : null);
            e.put("detector", r.found() ? r.firstHit().detector() : null);
            e.put("explanation", r.found() ? r.firstHit().explanation() : null);
            ev.add(e);
        }
        m.put("events", ev);
        m.put("false_alarms", s.falseAlarms().stream().map(h -> h.reporter() + " " + h.detector() + " " + h.severity() + ": " + h.explanation()).toList());
        return m;
    }

    private static List<Evaluation.Event> events(SparkSession spark, Path file, String prefix) {
        List<Evaluation.Event> out = new ArrayList<>();
        for (Row r : spark.read().option("header", true).option("escape", "\"").csv(file.toString()).collectAsList()) {
            out.add(new Evaluation.Event(prefix + r.getAs("event_id"), r.getAs("reporter"), r.getAs("flow"), r.getAs("hs6"),
                    r.getAs("partner"), r.getAs("kind"), YearMonth.parse(r.getAs("start_month")), YearMonth.parse(r.getAs("end_month"))));
        }
        return out;
    }

    /** Medium and high findings; the seed prefix keeps the seeds' series apart when they are pooled. */
    private static List<Evaluation.Hit> hits(Warehouse wh, String prefix) {
        List<Evaluation.Hit> out = new ArrayList<>();
        for (Row r : wh.read(Gold.TREND_ANOMALIES).where(col(SEVERITY).isin("medium", "high"))
                .select(REPORTER, FLOW, LEVEL, SERIES_KEY, PARTNER, MONTH, METRIC, DIRECTION, DETECTOR, SEVERITY, EXPLANATION).collectAsList()) {
            out.add(new Evaluation.Hit(prefix + r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                    YearMonth.from(r.getDate(5).toLocalDate()), r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10)));
        }
        return out;
    }

    private static List<Evaluation.Covered> covered(Warehouse wh) {
        List<Evaluation.Covered> out = new ArrayList<>();
        for (Row r : wh.read(Gold.ANOMALY_COVERAGE).where(col(SERIES_JUDGED).gt(0))
                .select(REPORTER, FLOW, LEVEL, SERIES_KEY, MONTH, SERIES_JUDGED).collectAsList()) {
            out.add(new Evaluation.Covered(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    YearMonth.from(r.getDate(4).toLocalDate()), r.getLong(5)));
        }
        return out;
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the evaluation warehouse " + dir, e);
        }
    }
}
