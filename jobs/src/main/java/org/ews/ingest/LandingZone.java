package org.ews.ingest;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ews.run.EwsException;
import org.ews.run.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the landing files of a date range (contract §2):
 * {@code customs/reporter=<ISO2>/date=<D>/*}, {@code corporate/firms/date=<D>/*},
 * {@code corporate/ownership/date=<D>/*}. Hidden files ({@code .x}, {@code _x}) are skipped as Hadoop does;
 * every other file or folder in a partition in range is returned, even in a format we cannot read, so that
 * it is quarantined rather than passed over. A nightly-sized range probes its {@code date=} folders directly;
 * a longer one lists them and reports folders that are not {@code reporter=} or {@code date=} partitions
 * (they belong to no run) in the log.
 */
public final class LandingZone {
    private static final Logger LOG = LoggerFactory.getLogger(LandingZone.class);

    private final String root;
    private final Configuration hadoop;

    public LandingZone(String root, Configuration hadoop) {
        this.root = root;
        this.hadoop = hadoop;
    }

    public List<LandingFile> files(Feed feed, LocalDate from, LocalDate to) {
        try {
            Path base = new Path(URI.create(org.ews.spark.Warehouse.qualify(root)));
            FileSystem fs = base.getFileSystem(hadoop);
            if (!exists(fs, base)) {
                throw new EwsException("landing directory " + root + " does not exist (set --landing or paths.landing)");
            }
            Path feedDir = new Path(base, feed.directory());
            List<LandingFile> out = new ArrayList<>();
            if (!exists(fs, feedDir)) {
                return out;
            }
            if (feed.byReporter()) {
                for (FileStatus r : visibleDirs(fs, feedDir)) {
                    String reporter = partitionValue(r.getPath(), "reporter");
                    if (reporter == null) {
                        LOG.warn("Skipping {}: not a reporter=<ISO2> folder", r.getPath());
                        continue;
                    }
                    collectDates(fs, r.getPath(), feed, reporter, from, to, out);
                }
            } else {
                collectDates(fs, feedDir, feed, null, from, to, out);
            }
            out.sort(Comparator.comparing(LandingFile::path));
            return out;
        } catch (IOException e) {
            throw new EwsException("cannot read landing directory " + root + ": " + Failures.describeIo(e), e);
        }
    }

    /**
     * A landing folder that cannot be read (a permission error, a failing store) stops the run naming that folder: its
     * files would otherwise be passed over without a trace, and the day published without them.
     */
    private static FileStatus[] list(FileSystem fs, Path dir) {
        try {
            return fs.listStatus(dir);
        } catch (IOException e) {
            throw new EwsException("cannot read landing directory " + dir + ": " + Failures.describeIo(e)
                    + "; nothing was written. Fix its permissions (or the store) and rerun the dates", e);
        }
    }

    private static boolean exists(FileSystem fs, Path p) {
        try {
            return fs.exists(p);
        } catch (IOException e) {
            throw new EwsException("cannot read landing directory " + p + ": " + Failures.describeIo(e)
                    + "; nothing was written. Fix its permissions (or the store) and rerun the dates", e);
        }
    }

    /** Ranges up to this many days probe their date folders directly instead of listing all of them. */
    private static final int PROBE_DAYS = 62;

    private static void collectDates(FileSystem fs, Path dir, Feed feed, String reporter, LocalDate from, LocalDate to,
                                     List<LandingFile> out) throws IOException {
        TreeMap<LocalDate, Path> dated = new TreeMap<>();
        if (feed.byReporter() && !from.plusDays(PROBE_DAYS).isBefore(to)) {
            // A nightly run looks only where its dates would be: its cost does not grow with the history.
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                Path p = new Path(dir, "date=" + d);
                if (exists(fs, p)) {
                    dated.put(d, p);
                }
            }
        } else {
            listDates(fs, dir, dated);
        }
        for (Map.Entry<LocalDate, Path> e : dated.subMap(from, true, to, true).entrySet()) {
            for (FileStatus f : list(fs, e.getValue())) {
                String name = f.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_")) {
                    continue;
                }
                // A folder inside a partition is not part of the layout; its name is the "file" quarantined.
                out.add(new LandingFile(feed, reporter, e.getKey(), f.getPath().toString(),
                        f.isDirectory() ? FileFormat.UNSUPPORTED : FileFormat.of(name)));
            }
        }
    }

    /** The newest snapshot date strictly before {@code date}, if any: the registry in force on that date. */
    public java.util.Optional<LocalDate> snapshotBefore(Feed feed, LocalDate date) {
        try {
            Path feedDir = new Path(new Path(URI.create(org.ews.spark.Warehouse.qualify(root))), feed.directory());
            FileSystem fs = feedDir.getFileSystem(hadoop);
            if (!exists(fs, feedDir)) {
                return java.util.Optional.empty();
            }
            TreeMap<LocalDate, Path> dated = new TreeMap<>();
            listDates(fs, feedDir, dated);
            return java.util.Optional.ofNullable(dated.lowerKey(date));
        } catch (IOException e) {
            throw new EwsException("cannot read " + feed.directory() + " under " + root + ": " + Failures.describeIo(e), e);
        }
    }

    private static void listDates(FileSystem fs, Path dir, TreeMap<LocalDate, Path> dated) throws IOException {
        for (FileStatus d : visibleDirs(fs, dir)) {
            String text = partitionValue(d.getPath(), "date");
            LocalDate date;
            try {
                date = text == null ? null : LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                date = null;
            }
            if (date == null) {
                // No date means no run ever covers it: say so instead of dropping it quietly.
                LOG.warn("Skipping {}: not a date=YYYY-MM-DD folder, so no run can pick it up", d.getPath());
                continue;
            }
            dated.put(date, d.getPath());
        }
    }

    private static List<FileStatus> visibleDirs(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> dirs = new ArrayList<>();
        for (FileStatus s : list(fs, dir)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && !n.startsWith(".") && !n.startsWith("_")) {
                dirs.add(s);
            }
        }
        return dirs;
    }

    private static String partitionValue(Path p, String key) {
        String n = p.getName();
        return n.startsWith(key + "=") ? n.substring(key.length() + 1) : null;
    }
}
