package org.ews.ingest;

import java.util.Locale;

/** The landing file formats the contract allows, told apart by file name. */
public enum FileFormat {
    CSV(".csv", false), CSV_GZ(".csv.gz", true), JSONL(".jsonl", false), JSONL_GZ(".jsonl.gz", true),
    PARQUET(".parquet", false), UNSUPPORTED("", false);

    private final String suffix;
    private final boolean gzip;

    FileFormat(String suffix, boolean gzip) {
        this.suffix = suffix;
        this.gzip = gzip;
    }

    public boolean gzip() {
        return gzip;
    }

    public boolean csv() {
        return this == CSV || this == CSV_GZ;
    }

    public static FileFormat of(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        for (FileFormat f : values()) {
            if (f != UNSUPPORTED && n.endsWith(f.suffix)) {
                return f;
            }
        }
        return UNSUPPORTED;
    }
}
