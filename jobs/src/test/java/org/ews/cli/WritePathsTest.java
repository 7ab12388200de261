package org.ews.cli;

import org.ews.testing.Launcher;
import org.ews.testing.Launcher.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every place the launcher writes, given a path that would climb out with '..', or a root, or a run id that is not one
 * name: refused before anything starts (exit 2, one line naming the option), with --dry-run as without.
 * The write sites: the warehouse (--warehouse, paths.warehouse), the bulletin (report --out, publish.report.dir),
 * notebook --out, generate --out, evaluate --out, bench --out; run ids are stamped on rows and commits.
 */
class WritePathsTest {
    @TempDir
    Path dir;

    private static Result ews(String... args) {
        return Launcher.run(Map.of(), args);
    }

    private static void refused(String option, String... args) {
        for (boolean dry : new boolean[]{true, false}) {
            String[] words = dry ? java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--dry-run"))
                    .toArray(String[]::new) : args;
            Result r = ews(words);
            assertEquals(2, r.exit(), String.join(" ", words) + " was not refused: " + r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("ews " + args[0] + ": "), r.err());
            assertTrue(r.err().contains(option), "names " + option + ": " + r.err());
        }
    }

    @Test
    void outputFoldersThatClimbOutOrAreARootAreRefusedNamingTheOption() throws Exception {
        Path warehouse = Files.createDirectories(dir.resolve("wh"));
        String wh = warehouse.toString();
        refused("--out '../reports' climbs out of its folder with '..'", "report", "--date", "2024-01-31", "--out", "../reports", "--warehouse", wh);
        refused("--out 'reports/../../x' climbs out", "report", "--date", "2024-01-31", "--out", "reports/../../x", "--warehouse", wh);
        refused("--out '/' is the root of the file system", "report", "--date", "2024-01-31", "--out", "/", "--warehouse", wh);
        refused("--out 's3a://bucket' is the root of a bucket", "report", "--date", "2024-01-31", "--out", "s3a://bucket", "--warehouse", wh);
        Path nb = Files.writeString(dir.resolve("nb.ipynb"), "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        refused("--out '../out' climbs out", "notebook", nb.toString(), "--out", "../out", "--warehouse", wh);
        refused("--out 'a/../../landing' climbs out", "generate", "--out", "a/../../landing", "--from", "2024-01-01", "--to", "2024-01-02");
        refused("--out '..' climbs out", "evaluate", "--out", "..");
        refused("--out '/' is the root", "bench", "--scale", "1000000", "--out", "/");
        assertFalse(Files.exists(dir.resolve("../reports")), "nothing written");
    }

    @Test
    void theWarehouseAndTheReportFolderFromOptionsOrSettingsAreChecked() {
        refused("config key 'paths.warehouse' '../wh' climbs out of its folder with '..'", "nightly", "--date", "2024-01-31",
                "--warehouse", "../wh");
        refused("(from --warehouse)", "ingest", "--date", "2024-01-31", "--warehouse", "wh/../../../etc");
        refused("config key 'paths.warehouse' '/' is the root of the file system", "backfill", "--from", "2024-01-01",
                "--to", "2024-01-02", "--warehouse", "/");
        refused("config key 'publish.report.dir' '../reports' climbs out", "publish", "--date", "2024-01-31",
                "--set", "publish.report.dir=../reports");
        refused("(from command line (--set paths.warehouse))", "maintain", "--set", "paths.warehouse=/");
    }

    @Test
    void aRunIdIsOneNameNeverAPath() {
        for (String bad : List.of("..", ".", "a/b", "../../etc")) {
            refused("--run-id '" + bad + "'", "ingest", "--date", "2024-01-31", "--run-id", bad);
        }
        Result ok = ews("ingest", "--date", "2024-01-31", "--run-id", "manual__2024-01-31T00:00:00+00:00", "--warehouse",
                dir.resolve("wh").toString(), "--dry-run");
        assertEquals(0, ok.exit(), ok.err());
    }
}
