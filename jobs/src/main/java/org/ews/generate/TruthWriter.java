package org.ews.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The answers the later stages are judged against, written as the landing files are produced. */
final class TruthWriter implements Closeable {
    private final Path dir;
    private final Writer lines;
    private final Writer badRows;
    private final Writer brokenFiles;

    TruthWriter(Path out) throws IOException {
        dir = out.resolve("truth");
        Files.createDirectories(dir);
        lines = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("lines.csv.gz")), 1 << 16),
                StandardCharsets.UTF_8), 1 << 16);
        lines.write(Text.csvLine(LandingColumns.TRUTH_LINES, "\n"));
        badRows = Files.newBufferedWriter(dir.resolve("bad_rows.csv"), StandardCharsets.UTF_8);
        badRows.write(Text.csvLine(LandingColumns.TRUTH_BAD_ROWS, "\n"));
        brokenFiles = Files.newBufferedWriter(dir.resolve("broken_files.csv"), StandardCharsets.UTF_8);
        brokenFiles.write(Text.csvLine(LandingColumns.TRUTH_BROKEN_FILES, "\n"));
    }

    void events(List<SupplyEvents.Event> events) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve("events.csv"), StandardCharsets.UTF_8)) {
            w.write(Text.csvLine(LandingColumns.TRUTH_EVENTS, "\n"));
            for (SupplyEvents.Event e : events) {
                w.write(Text.csvLine(List.of(e.id(), e.reporter().name(), String.valueOf(e.flow()), e.hs6(),
                        e.partner(), e.kind().name(), e.start().toString(), e.end().toString(),
                        Text.fixed(e.magnitude(), 2), e.note()), "\n"));
            }
        }
    }

    /** The line in its final state: the caller passes the last version that will land within the range. */
    void line(CustomsRow r) throws IOException {
        StringBuilder sb = new StringBuilder(128);
        sb.append(r.reporter.name()).append(',');
        Text.appendCsvField(sb, r.declarationId);
        sb.append(',').append(r.lineNo).append(',').append(r.version).append(',').append(r.flow).append(',')
                .append(r.declarationDate).append(',').append(r.hs6).append(',').append(r.partner).append(',')
                .append(r.firmId).append(',').append(Text.fixed(r.valueUsd, 2)).append(',');
        Double kg = r.quantityKg();
        if (kg != null) {
            sb.append(Text.fixed(kg, 3));
        }
        lines.write(sb.append('\n').toString());
    }

    void badRow(String sourceFile, long sourceRow, BadRowKind kind, String column) throws IOException {
        badRows.write(Text.csvLine(List.of(sourceFile, Long.toString(sourceRow), kind.name(), column), "\n"));
    }

    void brokenFile(String sourceFile, String kind) throws IOException {
        brokenFiles.write(Text.csvLine(List.of(sourceFile, kind), "\n"));
    }

    void summary(GenerationSummary s) throws IOException {
        Files.writeString(dir.resolve("summary.json"), s.toJson(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try (lines; badRows; brokenFiles) {
            lines.flush();
        }
    }
}
