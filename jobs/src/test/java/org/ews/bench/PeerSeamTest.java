package org.ews.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The seam the DuckDB peer plugs into: found by class name, run and checked through PeerMain's exit codes. */
class PeerSeamTest {
    public static final class FakePeer implements Peer {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Map<String, Long> recompute(Path landing, LocalDate from, LocalDate to, Path work) throws Exception {
            Files.writeString(work.resolve("rows.txt"), from + ".." + to);
            return Map.of("gold.trade_monthly", 3L);
        }

        @Override
        public List<String> differences(Path work, Path warehouse) throws Exception {
            return Files.readString(work.resolve("rows.txt")).endsWith(warehouse.getFileName().toString()) ? List.of()
                    : List.of("gold.trade_monthly: 1 row only in the peer");
        }
    }

    public static final class UncheckedPeer implements Peer {
        @Override
        public String name() {
            return "unchecked";
        }

        @Override
        public Map<String, Long> recompute(Path landing, LocalDate from, LocalDate to, Path work) {
            throw new IllegalStateException("no landing files");
        }
    }

    @Test
    void thePeerIsFoundByNameOrSaidToBeMissing() {
        // The DuckDB peer is in this build and usable through the seam.
        Peers.Found duckdb = Peers.find();
        assertTrue(duckdb.available(), duckdb.unavailable());
        assertEquals("duckdb", duckdb.name());
        Peers.Found missing = Peers.find("org.ews.bench.NoSuchPeer");
        assertFalse(missing.available());
        assertEquals("org.ews.bench.NoSuchPeer is not in this build", missing.unavailable());
        Peers.Found fake = Peers.find(FakePeer.class.getName());
        assertTrue(fake.available());
        assertEquals("fake", fake.name());
        Peers.Found notAPeer = Peers.find(String.class.getName());
        assertFalse(notAPeer.available());
        assertEquals("java.lang.String does not implement org.ews.bench.Peer", notAPeer.unavailable());
    }

    @Test
    void peerMainExitCodes(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("stale.txt"), "from an earlier run");
        assertEquals(0, PeerMain.run(new String[]{"recompute", FakePeer.class.getName(), dir.toString(), "2023-01-01", "2025-12-31", work.toString()}));
        assertFalse(Files.exists(work.resolve("stale.txt")), "the peer's folder is not emptied first");
        assertEquals(0, PeerMain.run(new String[]{"check", FakePeer.class.getName(), work.toString(), dir.resolve("2025-12-31").toString()}));
        assertEquals(1, PeerMain.run(new String[]{"check", FakePeer.class.getName(), work.toString(), dir.resolve("2025-12-30").toString()}));
        assertEquals(PeerMain.NOT_CHECKED, PeerMain.run(new String[]{"check", UncheckedPeer.class.getName(), work.toString(), dir.toString()}));
        assertEquals(1, PeerMain.run(new String[]{"recompute", UncheckedPeer.class.getName(), dir.toString(), "2023-01-01", "2025-12-31", work.toString()}));
        assertEquals(2, PeerMain.run(new String[]{"recompute", FakePeer.class.getName()}));
    }
}
