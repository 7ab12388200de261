package org.ews.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Another system the benchmark measures ours against (the DuckDB peer): computes {@code gold.trade_monthly} and
 * {@code gold.product_dependency} from scratch, from the same landing files, with equivalent normalisation (FX, HS6,
 * partner aliases, latest version per line).
 *
 * <p>The seam: {@code bin/ews bench} looks for the class {@value #DUCKDB}; when it is in the build, implements this
 * interface and has a public no-argument constructor, the bench runs it, each time in a JVM of its own started through
 * {@link PeerMain} and timed from process start to exit like our steps: {@code peer-full}, a recompute over the history
 * right after our backfill (compared with it), and {@code peer-nightly}, over the history and the new day right after
 * our nightly (the full recompute a system without increments does each night; compared with our nightly). After each,
 * an untimed {@code ...-check} process asks {@link #differences} whether its rows equal ours; a difference fails the
 * bench, so a fast wrong answer is not a result. Until the class exists the bench prints "peer: not available" and the
 * targets that need it are "not measured".
 */
public interface Peer {
    /** The class the bench runs when it is in the build. */
    String DUCKDB = "org.ews.bench.DuckDbBenchPeer";

    /** A short name for tables and results.json ("duckdb"). */
    String name();

    /**
     * Computes the tables from every landing file dated {@code from}..{@code to} (customs by {@code date=} folder; the
     * registry snapshots and FX rates of the zone as the pipeline uses them), from scratch. Timed.
     *
     * @param landing the landing zone ({@code paths.landing} of our runs)
     * @param work    an empty folder of its own for what it writes (its database file, the computed tables), read
     *                again by {@link #differences}
     * @return rows per table computed, by qualified name ("gold.trade_monthly")
     */
    Map<String, Long> recompute(Path landing, LocalDate from, LocalDate to, Path work) throws Exception;

    /**
     * Untimed, in a process of its own after {@link #recompute}: the tables it left in {@code work} against ours in the
     * warehouse over the same dates (Delta tables under {@code <warehouse>/gold/}). Returns one line per difference
     * (empty: the same rows); null if this peer does not compare (the check step is then "skipped", visibly).
     */
    default List<String> differences(Path work, Path warehouse) throws Exception {
        return null;
    }
}
