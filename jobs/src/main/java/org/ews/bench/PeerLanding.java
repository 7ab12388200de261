package org.ews.bench;

import org.ews.ingest.Feed;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The customs files of a landing zone as the DuckDB peer reads them: found the way {@code org.ews.ingest.LandingZone}
 * finds them ({@code customs/reporter=<ISO2>/date=<YYYY-MM-DD>/*}, hidden names skipped), grouped by format and, for
 * CSV, by header layout, so each group is one {@code read_csv} with its columns stated.
 *
 * <p>Files our ingest rejects whole are left out here too, so neither side counts their rows: a truncated or corrupt
 * gzip (decoded to the end, as ingest does, before DuckDB sees it: DuckDB would fail the whole query), an empty file, a
 * CSV header without a required column or with an empty or repeated name, a {@code reporter=} folder that is not ISO
 * alpha-2. Each is counted by reason.
 *
 * <p>Not supported, and refused with an exception rather than skipped: a file of another type than {@code .csv},
 * {@code .csv.gz}, {@code .jsonl}, {@code .jsonl.gz}, {@code .parquet} (ingest quarantines it as unsupported_format),
 * and a folder inside a date partition. A corrupt Parquet file is not detected here: DuckDB's read fails the run.
 */
public final class PeerLanding {
    /** A group of files one reader reads: the format, and for CSV the column of each header position. */
    public record Group(Format format, List<String> columns, List<Path> files) {}

    public enum Format { CSV, JSONL, PARQUET }

    private final List<Group> groups;
    private final Map<String, Integer> rejected;
    private final Map<Format, Integer> filesByFormat;
    private final List<Path> fxFiles;
    private final double seconds;

    private PeerLanding(List<Group> groups, Map<String, Integer> rejected, Map<Format, Integer> filesByFormat,
                        List<Path> fxFiles, double seconds) {
        this.groups = groups;
        this.rejected = rejected;
        this.filesByFormat = filesByFormat;
        this.fxFiles = fxFiles;
        this.seconds = seconds;
    }

    public List<Group> groups() {
        return groups;
    }

    /** Files left out whole, by the reason code our ingest would give. */
    public Map<String, Integer> rejected() {
        return rejected;
    }

    public Map<Format, Integer> filesByFormat() {
        return filesByFormat;
    }

    /** {@code <landing>/reference/fx_rates/*}: visible files, sorted; empty when the folder is absent. */
    public List<Path> fxFiles() {
        return fxFiles;
    }

    /** Wall time of listing and checking the files. */
    public double seconds() {
        return seconds;
    }

    /** Prefix of the name given to a column the contract does not define (kept apart, never read). */
    static final String EXTRA = "_extra_";

    /**
     * @param from first landing date read, or null for all
     * @param to   last landing date read, or null for all
     */
    public static PeerLanding scan(Path landing, LocalDate from, LocalDate to, int threads) {
        long start = System.nanoTime();
        if (!Files.isDirectory(landing)) {
            throw new IllegalArgumentException("landing directory " + landing + " does not exist");
        }
        List<Path> files = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        Path customs = landing.resolve(Feed.CUSTOMS.directory());
        for (Path reporterDir : visibleDirs(customs)) {
            String reporter = partitionValue(reporterDir, "reporter");
            if (reporter == null) {
                continue; // not a partition: ingest skips it too
            }
            for (Path dateDir : visibleDirs(reporterDir)) {
                LocalDate date = date(partitionValue(dateDir, "date"));
                if (date == null || (from != null && date.isBefore(from)) || (to != null && date.isAfter(to))) {
                    continue;
                }
                for (Path f : visible(dateDir)) {
                    if (Files.isDirectory(f)) {
                        throw new IllegalStateException("the DuckDB peer does not read " + f + ": a folder inside a date "
                                + "partition (ingest quarantines it as unsupported_format)");
                    }
                    if (!reporter.matches("[A-Z]{2}")) {
                        rejected.merge("bad_reporter", 1, Integer::sum);
                    } else {
                        files.add(f);
                    }
                }
            }
        }
        Collections.sort(files);
        List<Checked> checked = check(files, threads);
        Map<List<String>, List<Path>> csvByHeader = new LinkedHashMap<>();
        List<Path> jsonl = new ArrayList<>();
        List<Path> parquet = new ArrayList<>();
        Map<Format, Integer> byFormat = new TreeMap<>();
        for (Checked c : checked) {
            if (c.rejection() != null) {
                rejected.merge(c.rejection(), 1, Integer::sum);
                continue;
            }
            byFormat.merge(c.format(), 1, Integer::sum);
            switch (c.format()) {
                case CSV -> csvByHeader.computeIfAbsent(c.columns(), k -> new ArrayList<>()).add(c.file());
                case JSONL -> jsonl.add(c.file());
                case PARQUET -> parquet.add(c.file());
            }
        }
        List<Group> groups = new ArrayList<>();
        csvByHeader.forEach((columns, fs) -> groups.add(new Group(Format.CSV, columns, fs)));
        if (!jsonl.isEmpty()) {
            groups.add(new Group(Format.JSONL, Feed.CUSTOMS.columns(), jsonl));
        }
        if (!parquet.isEmpty()) {
            groups.add(new Group(Format.PARQUET, List.of(), parquet));
        }
        Path fxDir = landing.resolve("reference").resolve("fx_rates");
        List<Path> fx = Files.isDirectory(fxDir) ? visible(fxDir).stream().filter(Files::isRegularFile).sorted().toList() : List.of();
        return new PeerLanding(groups, rejected, byFormat, fx, (System.nanoTime() - start) / 1e9);
    }

    private record Checked(Path file, Format format, List<String> columns, String rejection) {}

    /** Decodes every compressed file to the end and reads every CSV header, on {@code threads} threads. */
    private static List<Checked> check(List<Path> files, int threads) {
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            return pool.submit(() -> files.parallelStream().map(PeerLanding::check).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking landing files", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdown();
        }
    }

    private static Checked check(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gzip = name.endsWith(".gz");
        Format format = name.endsWith(".csv") || name.endsWith(".csv.gz") ? Format.CSV
                : name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") ? Format.JSONL
                : name.endsWith(".parquet") ? Format.PARQUET : null;
        if (format == null) {
            throw new IllegalStateException("the DuckDB peer does not read " + file + ": not a file ending in .csv, "
                    + ".csv.gz, .jsonl, .jsonl.gz or .parquet (ingest quarantines it as unsupported_format)");
        }
        try {
            if (Files.size(file) == 0) {
                return new Checked(file, format, null, "empty_file");
            }
            if (format == Format.PARQUET) {
                return new Checked(file, format, null, null);
            }
            String firstLine;
            try (InputStream in = open(file, gzip)) {
                firstLine = firstLine(in);
                if (gzip) {
                    byte[] buf = new byte[1 << 16];
                    while (in.read(buf) >= 0) {
                        // a truncated gzip must not count half its rows: decode it to the end first
                    }
                }
            } catch (IOException e) {
                return new Checked(file, format, null, "unreadable_file");
            }
            if (format == Format.JSONL) {
                return new Checked(file, format, null, null);
            }
            if (firstLine == null) {
                return new Checked(file, format, null, "empty_file");
            }
            return header(file, splitHeader(firstLine));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The columns of a CSV header, or its rejection (LandingFileReader.RowMaker.header). */
    private static Checked header(Path file, List<String> names) {
        List<String> contract = Feed.CUSTOMS.columns();
        List<String> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = normaliseName(names.get(i));
            if (n.isEmpty() || !seen.add(n)) {
                return new Checked(file, Format.CSV, null, "bad_header");
            }
            columns.add(contract.contains(n) ? n : EXTRA + i);
        }
        if (!seen.containsAll(Feed.CUSTOMS.requiredColumns())) {
            return new Checked(file, Format.CSV, null, "missing_column");
        }
        return new Checked(file, Format.CSV, List.copyOf(columns), null);
    }

    private static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** The first non-empty line (ingest skips empty lines before the header), without its line end; null if none. */
    private static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = withoutCarriageReturn(line.toString(StandardCharsets.UTF_8));
                if (!s.isEmpty()) {
                    return s;
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
        String s = withoutCarriageReturn(line.toString(StandardCharsets.UTF_8));
        return s.isEmpty() ? null : s;
    }

    private static String withoutCarriageReturn(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A header line's fields: comma-separated, a field in double quotes may hold commas and "" for a quote. */
    static List<String> splitHeader(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        out.add(field.toString());
        return out;
    }

    /** As ingest matches header names: byte-order mark, case, spaces and dashes ignored. */
    static String normaliseName(String name) {
        return name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
    }

    private static List<Path> visibleDirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return visible(dir).stream().filter(Files::isDirectory).sorted().toList();
    }

    private static List<Path> visible(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.startsWith("_");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String partitionValue(Path p, String key) {
        String n = p.getFileName().toString();
        return n.startsWith(key + "=") ? n.substring(key.length() + 1) : null;
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
