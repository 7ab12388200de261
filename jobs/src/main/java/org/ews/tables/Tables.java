package org.ews.tables;

import java.util.List;

/** Every table the system writes; the warehouse registers these by path at session start. */
public final class Tables {
    private Tables() {}

    public static final List<String> SCHEMAS = List.of("bronze", "silver", "gold", "ops");

    public static final List<TableSpec> ALL = List.of(
            Bronze.CUSTOMS_LINES, Bronze.QUARANTINE, Bronze.FIRMS, Bronze.OWNERSHIP,
            Silver.TRADE_LINES, Silver.FIRMS, Silver.FIRM_NAMES, Silver.ENTITY_MATCHES, Silver.HS6_SECTORS,
            Gold.TRADE_MONTHLY, Gold.FIRM_TRADE_MONTHLY, Gold.PRODUCT_DEPENDENCY, Gold.PRODUCT_DEPENDENCY_12M,
            Gold.SECTOR_EXPOSURE, Gold.FIRM_EXPOSURE, Gold.WATCHLIST, Gold.TREND_ANOMALIES, Gold.ANOMALY_COVERAGE,
            Ops.RUNS, Ops.STAGE_STATE, Ops.DQ_RESULTS, Ops.DQ_METRICS);
}
