package org.ews.generate;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generator run wrote. Line counts are valid declaration lines in their final state (the size of
 * truth/lines.csv.gz) per reporter; resends, bad rows and rows of broken files are counted separately.
 */
public record GenerationSummary(
        long seed,
        LocalDate from,
        LocalDate to,
        int linesPerDay,
        Map<String, Long> linesPerReporter,
        long badRows,
        long brokenFiles,
        long amendments,
        long duplicateResends,
        long lateFilings,
        int firms,
        int events,
        long filesWritten) {

    public GenerationSummary {
        // Sorted and unmodifiable: Map.copyOf would iterate in a per-JVM random order.
        linesPerReporter = java.util.Collections.unmodifiableMap(new TreeMap<>(linesPerReporter));
    }

    public long totalLines() {
        return linesPerReporter.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line a person can read in a log. */
    public String describe() {
        return String.format("landing zone %s..%s seed=%d: %,d lines %s, %,d amendments, %,d identical resends, "
                        + "%,d late filings, %,d bad rows, %d broken files, %d firms, %d events, %,d files",
                from, to, seed, totalLines(), new TreeMap<>(linesPerReporter), amendments, duplicateResends,
                lateFilings, badRows, brokenFiles, firms, events, filesWritten);
    }

    @Override
    public String toString() {
        return describe();
    }

    String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"seed\": ").append(seed).append(",\n");
        sb.append("  \"from\": \"").append(from).append("\",\n");
        sb.append("  \"to\": \"").append(to).append("\",\n");
        sb.append("  \"lines_per_day\": ").append(linesPerDay).append(",\n");
        sb.append("  \"lines_per_reporter\": {");
        String sep = "";
        for (Map.Entry<String, Long> e : new TreeMap<>(linesPerReporter).entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue());
            sep = ", ";
        }
        sb.append("},\n");
        sb.append("  \"lines_total\": ").append(totalLines()).append(",\n");
        sb.append("  \"bad_rows\": ").append(badRows).append(",\n");
        sb.append("  \"broken_files\": ").append(brokenFiles).append(",\n");
        sb.append("  \"amendments\": ").append(amendments).append(",\n");
        sb.append("  \"duplicate_resends\": ").append(duplicateResends).append(",\n");
        sb.append("  \"late_filings\": ").append(lateFilings).append(",\n");
        sb.append("  \"firms\": ").append(firms).append(",\n");
        sb.append("  \"events\": ").append(events).append(",\n");
        sb.append("  \"files_written\": ").append(filesWritten).append("\n}\n");
        return sb.toString();
    }
}
