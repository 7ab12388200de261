package org.ews.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.ews.cli.Main;
import org.ews.spark.Warehouse;
import org.ews.tables.Gold;
import org.ews.tables.Silver;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;
import org.ews.testing.Dirs;
import org.ews.testing.GeneratedRun;
import org.ews.testing.SharedSpark;
import org.ews.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.year;
import static org.ews.tables.Columns.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What readers of the generated run's warehouse get: documented tables with their constraints and properties, a lineage
 * log in every table's history, a read-only {@code sql}, and a report whose withheld cells are the ones the rule names.
 */
@ExtendWith(SharedSpark.class)
class PublishedTablesTest {
    private final SparkSession spark = SharedSpark.session();

    private static Result ews(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), TestEnv.ENV);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int exit, String out, String err) {}

    @Test
    void everyTableAndColumnIsDocumentedConstrainedAndStampedWithItsRun() {
        GeneratedRun run = GeneratedRun.get();
        Warehouse wh = new Warehouse(spark, run.warehouse().toString()).registerExisting();
        Set<String> stages = Set.of("ingest", "conform", "metrics", "anomalies", "publish");
        int tables = 0;
        for (TableSpec spec : Tables.ALL) {
            assertTrue(wh.exists(spec), spec.qualifiedName() + " written by the generated run");
            tables++;
            Row detail = DeltaTable.forPath(spark, wh.location(spec)).detail().select("description", "properties").head();
            assertEquals(spec.comment(), detail.getString(0), spec.qualifiedName());
            Map<String, String> props = detail.getJavaMap(1);
            assertEquals("interval 30 days", props.get("delta.logRetentionDuration"), spec.qualifiedName());
            assertEquals("interval 7 days", props.get("delta.deletedFileRetentionDuration"), spec.qualifiedName());
            if (spec.schema().equals("gold")) {
                assertEquals("true", props.get("delta.enableChangeDataFeed"), spec.qualifiedName() + ": report generators read changes");
            }
            spec.checks().forEach((name, condition) -> assertEquals(condition.replaceAll("\\s+", ""),
                    String.valueOf(props.get("delta.constraints." + name)).replaceAll("\\s+", ""), spec.qualifiedName() + " " + name));
            // What an analyst sees: DESCRIBE through the registered name, one comment per column.
            List<Row> described = spark.sql("DESCRIBE TABLE " + spec.qualifiedName()).collectAsList();
            for (StructField f : spec.columns().fields()) {
                Row line = described.stream().filter(r -> r.getString(0).equals(f.name())).findFirst().orElseThrow();
                assertFalse(line.isNullAt(2) || line.getString(2).isBlank(), spec.qualifiedName() + "." + f.name() + " has no comment");
            }
            // Every commit says which run and stage made it.
            for (Row commit : DeltaTable.forPath(spark, wh.location(spec)).history().select("version", "userMetadata").collectAsList()) {
                assertFalse(commit.isNullAt(1), spec.qualifiedName() + " version " + commit.getLong(0) + " has no userMetadata");
                JsonNode m = readJson(commit.getString(1));
                assertTrue(stages.contains(m.get("stage").asText()), commit.getString(1));
                assertFalse(m.get("run_id").asText().isBlank());
                assertTrue(m.get("run_date").asText().matches("\\d{4}-\\d{2}-\\d{2}"), commit.getString(1));
            }
        }
        assertEquals(22, tables, "20 published tables, and ops.dq_results and ops.dq_metrics of the data-quality gates");
        // The gold constraints cover the domains the issue names: shares and HHI, values.
        assertEquals("hhi IS NULL OR (hhi >= 0 AND hhi <= 1.000000001)", Gold.PRODUCT_DEPENDENCY.checks().get("hhi_in_0_1"));
        assertEquals("value_usd IS NULL OR value_usd >= 0", Gold.TRADE_MONTHLY.checks().get("value_usd_not_negative"));
    }

    @Test
    void aFigureOutsideItsDomainIsRefusedByTheTable(@TempDir Path dir) {
        Warehouse wh = new Warehouse(spark, dir.resolve("wh").toString());
        Object[] values = new Object[Gold.PRODUCT_DEPENDENCY.columns().fields().length];
        values[Arrays.asList(Gold.PRODUCT_DEPENDENCY.columns().fieldNames()).indexOf(REPORTER)] = "KR";
        values[Arrays.asList(Gold.PRODUCT_DEPENDENCY.columns().fieldNames()).indexOf(HS6)] = "250410";
        values[Arrays.asList(Gold.PRODUCT_DEPENDENCY.columns().fieldNames()).indexOf(YEAR)] = 2024;
        values[Arrays.asList(Gold.PRODUCT_DEPENDENCY.columns().fieldNames()).indexOf(HHI)] = 0.5;
        Dataset<Row> ok = spark.createDataFrame(List.of(RowFactory.create(values)), Gold.PRODUCT_DEPENDENCY.columns());
        assertEquals(1, wh.overwrite(Gold.PRODUCT_DEPENDENCY, ok));
        values[Arrays.asList(Gold.PRODUCT_DEPENDENCY.columns().fieldNames()).indexOf(HHI)] = 1.5;
        Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create(values)), Gold.PRODUCT_DEPENDENCY.columns());
        Exception e = assertThrows(Exception.class, () -> wh.overwrite(Gold.PRODUCT_DEPENDENCY, bad));
        assertTrue(String.valueOf(e.getMessage()).contains("hhi_in_0_1"), e.getMessage());
        assertEquals(0.5, wh.read(Gold.PRODUCT_DEPENDENCY).head().<Double>getAs(HHI), "the table keeps what it had");
    }

    @Test
    void sqlRefusesADropAndTheTableStaysIntact() {
        GeneratedRun run = GeneratedRun.get();
        Warehouse wh = new Warehouse(spark, run.warehouse().toString());
        long version = wh.version(Gold.TRADE_MONTHLY);
        long rows = wh.read(Gold.TRADE_MONTHLY).count();
        Result drop = ews("sql", "--warehouse", run.warehouse().toString(), "DROP TABLE gold.trade_monthly");
        assertEquals(1, drop.exit());
        assertTrue(drop.err().contains("read-only: refused"), drop.err());
        assertEquals(1, drop.err().lines().count(), drop.err());
        assertEquals(version, wh.version(Gold.TRADE_MONTHLY));
        assertEquals(rows, wh.read(Gold.TRADE_MONTHLY).count());
        Result count = ews("sql", "--warehouse", run.warehouse().toString(), "--format", "csv", "SELECT count(*) AS n FROM gold.trade_monthly");
        assertEquals(0, count.exit(), count.err());
        assertEquals("n\r\n" + rows + "\r\n", count.out());
    }

    /**
     * The report over the generated run (as of December 2023). Each sector row is judged again here from
     * silver.trade_lines (not from the firm cube the report reads): distinct firms and the largest firm's share of the
     * bridge-weighted imports of 2023.
     */
    @Test
    void theReportWithholdsExactlyTheCellsTheRuleNamesAndNoFirmLeaves() throws Exception {
        GeneratedRun run = GeneratedRun.get();
        Path out = Path.of("target", "report-test").toAbsolutePath();
        Dirs.delete(out);
        Warehouse wh = new Warehouse(spark, run.warehouse().toString());
        Map<String, Row> independent = new HashMap<>();
        Dataset<Row> perFirm = wh.read(Silver.TRADE_LINES).where(col(FLOW).equalTo("I").and(year(col(MONTH)).equalTo(2023)))
                .join(wh.read(Silver.HS6_SECTORS).select(HS6, SECTOR, WEIGHT), HS6)
                .groupBy(REPORTER, SECTOR, PARENT_FIRM_ID).agg(sum(col(VALUE_USD).cast("double").multiply(col(WEIGHT))).as("v"));
        perFirm.groupBy(REPORTER, SECTOR).agg(countDistinct(PARENT_FIRM_ID).as("firms"), max("v").as("top"), sum("v").as("total"))
                .collectAsList().forEach(x -> independent.put(x.getString(0) + "|" + x.getString(1), x));
        // A trader is a firm group (ultimate parent). The generated sectors are well populated; a threshold at their median
        // number of groups makes about half of them
        // confidential, so both sides of the rule are exercised.
        long minTraders = independent.values().stream().mapToLong(x -> x.getLong(2)).sorted().skip(independent.size() / 2).findFirst().orElseThrow();
        Result r = ews("report", "--date", GeneratedRun.LAST_DATE, "--out", out.toString(), "--warehouse", run.warehouse().toString(),
                "--set", "publish.disclosure.min_traders=" + minTraders);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(out + "/bulletin.html"), r.out());

        JsonNode manifest = readJson(Files.readString(out.resolve("manifest.json")));
        assertEquals("2023-12-01", manifest.get("as_of_month").asText());
        assertEquals("1.1", manifest.get("schema_version").asText());
        assertFalse(manifest.get("run_id").asText().isBlank());
        for (JsonNode e : manifest.get("extracts")) {
            List<String> csv = Files.readAllLines(out.resolve(e.get("files").get("csv").asText()));
            JsonNode json = readJson(Files.readString(out.resolve(e.get("files").get("json").asText())));
            assertEquals(e.get("rows").asInt() + 1, csv.size(), e.get("extract").asText() + ": rows + header");
            assertEquals(e.get("rows").asInt(), json.size(), e.get("extract").asText());
        }

        // No firm identifier anywhere in what leaves the warehouse.
        List<String> firmIds = wh.read(Silver.TRADE_LINES).select(FIRM_ID).union(wh.read(Silver.TRADE_LINES).select(PARENT_FIRM_ID))
                .distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertFalse(firmIds.isEmpty());
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                for (String id : firmIds) {
                    assertFalse(java.util.regex.Pattern.compile("(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(id) + "(?![A-Za-z0-9])")
                            .matcher(text).find(), f.getFileName() + " holds firm " + id);
                }
            }
        }

        JsonNode sectors = readJson(Files.readString(out.resolve("sector_exposure.json")));
        assertTrue(sectors.size() > 0);
        int withheld = 0;
        for (JsonNode s : sectors) {
            Row x = independent.get(s.get("reporter").asText() + "|" + s.get("sector").asText());
            long firms = x.getLong(2);
            double topShare = x.getDouble(3) / x.getDouble(4);
            boolean confidential = firms < minTraders || topShare > 0.85;
            if (confidential) {
                withheld++;
                assertTrue(s.get("suppressed").asBoolean(), s.toString());
                assertTrue(s.get("import_value_usd").isNull() && s.get("hhi").isNull() && s.get("top_partner_share").isNull(), s.toString());
                assertEquals(firms < minTraders ? "fewer than " + minTraders + " traders" : "one trader above 85% of the value",
                        s.get("suppression_reason").asText());
            } else if (!s.get("suppressed").asBoolean()) {
                assertEquals(x.getDouble(4), s.get("import_value_usd").asDouble(), 1e-3 * Math.max(1, x.getDouble(4)) * 1e-6, s.toString());
            } else {
                assertTrue(s.get("suppression_reason").asText().matches("(top partner|other partners|concern countries): .*"),
                        "the whole passes: only a part its figures reveal can withhold it: " + s);
                assertTrue(s.get("import_value_usd").isNull() && s.get("firms_exposed").isNull(), s.toString());
            }
        }
        assertTrue(withheld > 0 && withheld < sectors.size(), withheld + " of " + sectors.size() + " withheld: both sides exercised");
        String html = Files.readString(out.resolve("bulletin.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("Sector exposure, 2023") && html.contains("Data quality of the run"));
        assertFalse(html.contains("<script") || html.matches("(?s).*(src|href)=\"https?:.*"), "self-contained");
    }

    /** The publish stage of a run writes the bulletin for its date into reports/ beside the warehouse (make run's last step). */
    @Test
    void thePublishStageWritesTheBulletinBesideTheWarehouse() throws Exception {
        GeneratedRun run = GeneratedRun.get();
        Path reports = run.warehouse().getParent().resolve("reports");
        Dirs.delete(reports);
        Map<String, String> env = new HashMap<>(TestEnv.ENV);
        env.put("EWS_PUBLISH_REPORT_ON_RUN", "true");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"publish", "--date", GeneratedRun.LAST_DATE, "--warehouse", run.warehouse().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        Path bulletin = reports.resolve(GeneratedRun.LAST_DATE).resolve("bulletin.html");
        assertTrue(Files.isRegularFile(bulletin), out.toString(StandardCharsets.UTF_8));
        int columns = Tables.ALL.stream().mapToInt(t -> t.columns().fields().length).sum();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(Tables.ALL.size() + " tables, " + columns + " columns documented and constrained; bulletin "),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(GeneratedRun.LAST_DATE, readJson(Files.readString(bulletin.resolveSibling("manifest.json"))).get("report_date").asText());
        // Publishing again writes no table: every table but ops.runs (one row per run) keeps its version.
        Warehouse wh = new Warehouse(spark, run.warehouse().toString());
        Map<String, Long> versions = new HashMap<>();
        Tables.ALL.forEach(t -> versions.put(t.qualifiedName(), wh.version(t)));
        assertEquals(0, Main.run(new String[]{"publish", "--date", GeneratedRun.LAST_DATE, "--warehouse", run.warehouse().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env));
        for (TableSpec t : Tables.ALL) {
            if (t != org.ews.tables.Ops.RUNS) {
                assertEquals(versions.get(t.qualifiedName()), wh.version(t), t.qualifiedName() + " committed again on a rerun");
            }
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
