package org.ews.generate;

import org.ews.ingest.Feed;
import org.ews.tables.Columns;

import java.util.ArrayList;
import java.util.List;

/**
 * What the generator writes beyond the contract's columns (which come from {@link Feed} and
 * {@link org.ews.tables.Columns}): the extra US column, the FX file and the ground-truth files.
 */
public final class LandingColumns {
    private LandingColumns() {
    }

    /** Only US files carry it; ingest must keep unknown extra columns. */
    public static final String PORT_CODE = "port_code";

    /**
     * Every customs column the generator knows, indexing {@link CustomsRow} values; not a file column order,
     * each reporter writes its own order.
     */
    public static final List<String> CUSTOMS = withPortCode(Feed.CUSTOMS.columns());

    /**
     * The required columns the generator blanks, in rotation, to inject a missing_required row: the contract's
     * ({@link Feed#requiredColumns()}) except line_no, whose blanking would also break the declaration's line
     * numbering. The order is part of what a seed reproduces.
     */
    public static final List<String> BLANKED_REQUIRED = List.of(Columns.DECLARATION_ID, Columns.HS_CODE,
            Columns.VALUE, Columns.FLOW, Columns.TRADER_NAME, Columns.CURRENCY, Columns.PARTNER_COUNTRY,
            Columns.DECLARATION_DATE);

    public static final List<String> FIRMS = Feed.FIRMS.columns();
    public static final List<String> OWNERSHIP = Feed.OWNERSHIP.columns();

    // FX reference.
    public static final List<String> FX = List.of("currency", "month", "usd_per_unit");

    // Ground truth.
    public static final List<String> TRUTH_EVENTS = List.of("event_id", "reporter", "flow", "hs6", "partner", "kind",
            "start_month", "end_month", "magnitude", "note");
    public static final List<String> TRUTH_BAD_ROWS = List.of("source_file", "source_row", "kind", "column");
    public static final List<String> TRUTH_BROKEN_FILES = List.of("source_file", "kind");
    public static final List<String> TRUTH_LINES = List.of("reporter", "declaration_id", "line_no", "final_version",
            "flow", "declaration_date", "hs6", "partner_iso2", "firm_id", "value_usd", "quantity_kg");

    static int customsIndex(String column) {
        int i = CUSTOMS.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("not a customs column: " + column);
        }
        return i;
    }

    private static List<String> withPortCode(List<String> contract) {
        List<String> all = new ArrayList<>(contract);
        all.add(PORT_CODE);
        return List.copyOf(all);
    }
}
