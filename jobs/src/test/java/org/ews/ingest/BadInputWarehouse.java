package org.ews.ingest;

import org.ews.testing.Dirs;

import java.nio.file.Path;

/**
 * One warehouse for the bad-input tests that run ingest through the launcher (the corpus, the ingest property): a
 * first run into a fresh warehouse creates every table, which costs several times the run itself, so they share one.
 * Each writes its own reporters' slices and judges only the rows stamped with its own run id.
 */
final class BadInputWarehouse {
    private static Path warehouse;

    private BadInputWarehouse() {}

    static synchronized Path get() {
        if (warehouse == null) {
            warehouse = Path.of(System.getProperty("java.io.tmpdir"), "ews-bad-input-wh").toAbsolutePath();
            Dirs.delete(warehouse);
        }
        return warehouse;
    }
}
