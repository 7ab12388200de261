package org.ews.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ews.config.PublishConfig;
import org.ews.run.EwsException;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bulletin's folder: {@code bulletin.html}, each extract as CSV and JSON, and {@code manifest.json} (run id,
 * dates, schema version, disclosure rule, and per file its rows, withheld rows, columns and SHA-256) for downstream
 * generators. The folder is written beside its target and renamed into place, so on a local or HDFS file system a reader
 * never sees half a report; an object store has no atomic rename, so there a reader should wait for the manifest. Firm
 * identifiers never reach an extract: none of the extracts has a firm column, and their figures passed disclosure control.
 */
public final class ReportWriter {
    /** Version of the extracts' layout; a new column is a minor step, a renamed or dropped one a major step. */
    public static final String SCHEMA_VERSION = "1.1";

    /** One extract: its columns and rows, and which rows had figures withheld. */
    record Extract(String name, String description, List<String> columns, List<List<Object>> rows, long withheldRows) {}

    private ReportWriter() {}

    /** What was written: the folder and each extract's row count. */
    public record Written(String dir, Map<String, Integer> rows, long withheldCells) {}

    public static Written write(Bulletin b, String dir, String generatedAt, PublishConfig.Disclosure disclosure, Configuration hadoop) {
        List<Extract> extracts = Extracts.of(b);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("bulletin.html", BulletinHtml.render(b, generatedAt).getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> described = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Extract e : extracts) {
            byte[] csv = csv(e).getBytes(StandardCharsets.UTF_8);
            byte[] json = json(e);
            files.put(e.name() + ".csv", csv);
            files.put(e.name() + ".json", json);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("extract", e.name());
            d.put("description", e.description());
            d.put("files", Map.of("csv", e.name() + ".csv", "json", e.name() + ".json"));
            d.put("rows", e.rows().size());
            d.put("rows_with_withheld_figures", e.withheldRows());
            d.put("columns", e.columns());
            d.put("sha256", Map.of("csv", sha256(csv), "json", sha256(json)));
            described.add(d);
            counts.put(e.name(), e.rows().size());
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schema_version", SCHEMA_VERSION);
        manifest.put("run_id", b.dataQuality().runId());
        manifest.put("report_date", b.date().toString());
        manifest.put("as_of_month", b.asOfMonth().toString());
        manifest.put("generated_at", generatedAt);
        manifest.put("reporters", b.reporters());
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("min_traders", disclosure.minTraders());
        rule.put("max_dominance_share", disclosure.maxDominanceShare());
        rule.put("rule", b.disclosureRule());
        rule.put("withheld_marking", "figures null, suppressed = true, suppression_reason says why");
        manifest.put("disclosure", rule);
        manifest.put("bulletin", Map.of("file", "bulletin.html", "sha256", sha256(files.get("bulletin.html"))));
        manifest.put("extracts", described);
        try {
            files.put("manifest.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new EwsException("cannot write the report manifest: " + e.getMessage(), e);
        }
        writeAll(dir, files, hadoop);
        long withheld = extracts.stream().mapToLong(Extract::withheldRows).sum();
        return new Written(dir, counts, withheld);
    }

    /**
     * Every file into a sibling staging folder, then swapped in: an earlier report moves aside, the new one is renamed
     * onto the target, the earlier one is deleted. A target that exists and is not a report (no manifest.json) is
     * refused, never deleted: --out names a folder of its own.
     */
    private static void writeAll(String dir, Map<String, byte[]> files, Configuration hadoop) {
        Path target = new Path(dir);
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
                fs = local.getRaw(); // no .crc side files beside the report on a local disk
            }
            if (fs.exists(target) && fs.listStatus(target).length > 0 && !fs.exists(new Path(target, "manifest.json"))) {
                throw new EwsException("will not write the report into " + dir + ": it holds files and is not an earlier report "
                        + "(no manifest.json); give --out a folder of its own");
            }
            Path staging = new Path(target.getParent(), "." + target.getName() + ".writing");
            Path previous = new Path(target.getParent(), "." + target.getName() + ".previous");
            fs.delete(staging, true);
            fs.mkdirs(staging);
            // The manifest last: on an object store, where the rename below copies file by file, its presence says complete.
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                try (FSDataOutputStream out = fs.create(new Path(staging, f.getKey()), true)) {
                    out.write(f.getValue());
                }
            }
            fs.delete(previous, true);
            if (fs.exists(target) && !fs.rename(target, previous)) {
                throw new IOException("could not move the earlier report " + target + " aside");
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("could not rename " + staging + " to " + target);
            }
            fs.delete(previous, true);
        } catch (IOException e) {
            throw new EwsException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static String csv(Extract e) {
        StringWriter w = new StringWriter();
        CsvWriterSettings s = new CsvWriterSettings();
        s.getFormat().setLineSeparator("\r\n");
        s.setQuoteEscapingEnabled(true);
        s.setNormalizeLineEndingsWithinQuotes(false);
        CsvWriter csv = new CsvWriter(w, s);
        csv.writeRow(e.columns().toArray());
        for (List<Object> row : e.rows()) {
            csv.writeRow(row.stream().map(ReportWriter::text).toArray());
        }
        csv.close();
        return w.toString();
    }

    /** A JSON array of objects, every column a key (null included), numbers as numbers. */
    static byte[] json(Extract e) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : e.rows()) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < e.columns().size(); i++) {
                Object v = row.get(i);
                o.put(e.columns().get(i), v instanceof java.time.LocalDate d ? d.toString() : v);
            }
            out.add(o);
        }
        try {
            return new ObjectMapper().writeValueAsBytes(out);
        } catch (IOException ex) {
            throw new EwsException("cannot write extract " + e.name() + ": " + ex.getMessage(), ex);
        }
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : java.math.BigDecimal.valueOf(d).toPlainString();
        }
        return v.toString();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Object> row(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }
}
