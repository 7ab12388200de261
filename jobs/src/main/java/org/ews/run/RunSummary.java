package org.ews.run;


import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The few lines a person reads after a run: per stage counts and time, what was written, why rows were set aside. */
public final class RunSummary {
    private RunSummary() {}

    public static String format(String verb, RunContext ctx, List<StageResult> results, double seconds) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("ews %s %s  run %s  warehouse %s%n", verb, ctx.describeDates(), ctx.runId(),
                ctx.warehouse().root()));
        s.append(String.format("  %-10s %12s %12s %12s %9s%n", "stage", "rows in", "rows out", "quarantined", "seconds"));
        Set<String> tables = new LinkedHashSet<>();
        for (StageResult r : results) {
            s.append(String.format("  %-10s %,12d %,12d %,12d %9.1f%n", r.stage(), r.rowsIn(), r.rowsOut(),
                    r.rowsQuarantined(), r.seconds()));
            if (r.detail() != null && !r.detail().isEmpty()) {
                s.append("             ").append(r.detail()).append(System.lineSeparator());
            }
            tables.addAll(r.tablesWritten());
        }
        s.append("  tables written: ").append(String.join(", ", tables)).append(System.lineSeparator());
        java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
        results.forEach(r -> r.quarantinedByReason().forEach((k, v) -> reasons.merge(k, v, Long::sum)));
        if (!reasons.isEmpty()) {
            s.append("  quarantined by reason: ").append(StageResult.describeReasons(reasons)).append(System.lineSeparator());
            s.append("    see: bin/ews sql \"SELECT * FROM bronze.quarantine WHERE run_id = '").append(ctx.runId())
                    .append("'\"").append(System.lineSeparator());
        }
        s.append(String.format("  done in %.1f s%n", seconds));
        return s.toString();
    }

}
