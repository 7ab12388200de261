package org.ews.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.ews.tables.Columns.*;

/**
 * The shape {@link LandingFileReader} emits: lineage, the row as text, a structural problem found while
 * parsing (if any), then every contract column of the feed as untrimmed text, then unknown columns.
 * A whole-file problem is one row with a null {@code source_row}.
 */
public final class RawRows {
    private RawRows() {}

    public static final String PROBLEM_CODE = "problem_code";
    public static final String PROBLEM = "problem";
    /** Number of columns before the feed's own columns. */
    static final int LEADING = 7;

    public static StructType schema(Feed feed) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(REPORTER, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(LANDING_DATE, DataTypes.DateType, true));
        f.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(SOURCE_ROW, DataTypes.LongType, true));
        f.add(DataTypes.createStructField(ROW_TEXT, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(PROBLEM_CODE, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(PROBLEM, DataTypes.StringType, true));
        for (String c : feed.columns()) {
            f.add(DataTypes.createStructField(c, DataTypes.StringType, true));
        }
        f.add(DataTypes.createStructField(EXTRA_COLUMNS,
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true));
        return DataTypes.createStructType(f);
    }
}
