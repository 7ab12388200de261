package org.ews.ingest;

import org.ews.tables.Bronze;
import org.ews.tables.TableSpec;

import java.util.List;

import static org.ews.tables.Columns.*;

/**
 * A kind of landing file: where it lies under the landing root, which columns the contract defines for it,
 * which of them a file's header must carry, and the bronze table its good rows go to.
 */
public enum Feed {
    CUSTOMS("customs", "customs",
            List.of(DECLARATION_ID, LINE_NO, VERSION, FLOW, DECLARATION_DATE, HS_CODE, PARTNER_COUNTRY, TRADER_ID,
                    TRADER_NAME, VALUE, CURRENCY, QUANTITY, QUANTITY_UNIT, NET_WEIGHT_KG),
            List.of(DECLARATION_ID, LINE_NO, FLOW, DECLARATION_DATE, HS_CODE, PARTNER_COUNTRY, TRADER_NAME, VALUE, CURRENCY),
            Bronze.CUSTOMS_LINES),
    FIRMS("firms", "corporate/firms",
            List.of(FIRM_ID, NAME, COUNTRY, REGISTRATION_NUMBER, LEI, INDUSTRY_CODE, INDUSTRY_SCHEME, EMPLOYEES,
                    REVENUE_USD, ALIASES),
            List.of(FIRM_ID, NAME, COUNTRY),
            Bronze.FIRMS),
    OWNERSHIP("ownership", "corporate/ownership",
            List.of(PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT),
            List.of(PARENT_FIRM_ID, CHILD_FIRM_ID, OWNERSHIP_PCT),
            Bronze.OWNERSHIP);

    private final String id;
    private final String directory;
    private final List<String> columns;
    private final List<String> requiredColumns;
    private final TableSpec table;

    Feed(String id, String directory, List<String> columns, List<String> requiredColumns, TableSpec table) {
        this.id = id;
        this.directory = directory;
        this.columns = columns;
        this.requiredColumns = requiredColumns;
        this.table = table;
    }

    /** Name used in {@code bronze.quarantine.feed} and in logs. */
    public String id() {
        return id;
    }

    /** Folder under the landing root: {@code customs} holds {@code reporter=XX/date=D}, the others {@code date=D}. */
    public String directory() {
        return directory;
    }

    /** Contract columns, in contract order. */
    public List<String> columns() {
        return columns;
    }

    /** Columns a file's header must have; a file without one of them is quarantined whole. */
    public List<String> requiredColumns() {
        return requiredColumns;
    }

    public TableSpec table() {
        return table;
    }

    public boolean byReporter() {
        return this == CUSTOMS;
    }
}
