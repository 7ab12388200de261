package org.ews.bench;

import org.apache.spark.sql.SparkSession;
import org.ews.config.ConfigLoader;
import org.ews.config.EwsConfig;
import org.ews.spark.SparkSessions;
import org.ews.spark.Warehouse;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DuckDbPeer} as the bench's {@link Peer}: the configuration our runs use (the launcher's precedence: EWS_*
 * environment, then conf/local.yaml, then defaults), the run date of our run over the same dates (its last date), and
 * the comparison of {@link PeerComparison} on the Parquet files it left in the work folder.
 */
public final class DuckDbBenchPeer implements Peer {
    public DuckDbBenchPeer() {}

    @Override
    public String name() {
        return "duckdb";
    }

    private static EwsConfig config() {
        return ConfigLoader.create().environment(System.getenv()).load();
    }

    @Override
    public Map<String, Long> recompute(Path landing, LocalDate from, LocalDate to, Path work) {
        EwsConfig config = config();
        DuckDbPeer.Settings s = DuckDbPeer.Settings.of(landing, Path.of(config.paths().reference()), config, to);
        DuckDbPeer.Settings inRange = new DuckDbPeer.Settings(s.landing(), s.reference(), s.config(), s.runDate(), from, to,
                s.threads(), s.memoryLimit(), null);
        DuckDbPeer.Result result = new DuckDbPeer(inRange).run(work);
        System.out.println(result.describe());
        Map<String, Long> rows = new LinkedHashMap<>();
        result.tables().forEach((name, t) -> rows.put("gold." + name, t.rows()));
        return rows;
    }

    @Override
    public List<String> differences(Path work, Path warehouse) {
        EwsConfig config = config();
        return SparkSessions.withSession(config, SparkSessions.READ_ONLY, (SparkSession spark) -> {
            Warehouse wh = new Warehouse(spark, Warehouse.qualify(warehouse.toString()));
            List<String> out = new ArrayList<>();
            for (PeerComparison.Columns c : PeerComparison.TABLES) {
                PeerComparison.Result r = PeerComparison.compare(c, wh.read(c.table()),
                        spark.read().parquet(work.resolve(c.peerTable() + ".parquet").toUri().toString()));
                System.out.println(r.describe());
                if (!r.same()) {
                    out.add(r.describe());
                }
            }
            return out;
        });
    }
}
