package org.ews.bench;

import org.ews.cli.ProcessMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The peer's processes, started by {@code bin/ews bench} with the launcher's java, JVM options and classpath:
 * <pre>
 * org.ews.bench.PeerMain recompute CLASS LANDING FROM TO WORK    (timed)
 * org.ews.bench.PeerMain check CLASS WORK WAREHOUSE              (untimed)
 * </pre>
 * Prints one line, writes {@value ProcessMetrics#ENV} like the launcher, and exits 0 (done; check: the same rows),
 * 1 (failed; check: rows differ, one line each), 2 (wrong arguments) or {@value #NOT_CHECKED} (check: the peer does
 * not compare).
 */
public final class PeerMain {
    private PeerMain() {}

    public static final int NOT_CHECKED = 3;

    public static void main(String[] args) {
        ProcessMetrics metrics = ProcessMetrics.startIfAsked(System.getenv());
        int exit = run(args);
        if (metrics != null) {
            metrics.write("peer " + (args.length == 0 ? "" : args[0]), exit, System.err);
        }
        System.exit(exit);
    }

    static int run(String[] args) {
        boolean recompute = args.length == 6 && args[0].equals("recompute");
        boolean check = args.length == 4 && args[0].equals("check");
        if (!recompute && !check) {
            System.err.println("usage: PeerMain recompute CLASS LANDING FROM TO WORK | check CLASS WORK WAREHOUSE");
            return 2;
        }
        try {
            Peer peer = (Peer) Class.forName(args[1]).getConstructor().newInstance();
            if (recompute) {
                Path work = Path.of(args[5]);
                BenchLanding.delete(work);
                Files.createDirectories(work);
                Map<String, Long> rows = peer.recompute(Path.of(args[2]), LocalDate.parse(args[3]), LocalDate.parse(args[4]), work);
                System.out.println("peer " + peer.name() + " " + args[3] + ".." + args[4] + ": rows " + rows);
                return 0;
            }
            List<String> differences = peer.differences(Path.of(args[2]), Path.of(args[3]));
            if (differences == null) {
                System.out.println("peer " + peer.name() + ": does not compare its rows with ours");
                return NOT_CHECKED;
            }
            if (!differences.isEmpty()) {
                differences.forEach(System.out::println);
                System.out.println("ews peer: " + peer.name() + "'s rows differ from ours in " + args[3] + ": "
                        + differences.size() + " differences");
                return 1;
            }
            System.out.println("peer " + peer.name() + ": the same rows as " + args[3]);
            return 0;
        } catch (Exception | LinkageError e) {
            System.out.println("ews peer: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            e.printStackTrace(System.out);
            return 1;
        }
    }
}
