package org.ews.publish;

import org.ews.report.Report;
import org.ews.report.ReportWriter;
import org.ews.run.RunContext;
import org.ews.run.Stage;
import org.ews.run.StageResult;
import org.ews.tables.Gold;
import org.ews.tables.TableSpec;
import org.ews.tables.Tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The last stage of a run: every table carries what its spec says (comments on the table and each column, change data
 * feed, retention, CHECK constraints), and the bulletin for the run's last date is written with its extracts under
 * {@code publish.report.dir/<date>/}. Writes no table rows, so a rerun only rewrites the bulletin.
 */
public final class PublishStage implements Stage {
    public static final String NAME = "publish";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult run(RunContext ctx) {
        List<String> documented = new ArrayList<>();
        long columns = 0;
        for (TableSpec spec : Tables.ALL) {
            if (ctx.warehouse().exists(spec)) {
                ctx.warehouse().ensure(spec);
                documented.add(spec.qualifiedName());
                columns += spec.columns().fields().length;
            }
        }
        String detail = String.format("%d tables, %d columns documented and constrained", documented.size(), columns);
        long rows = 0;
        if (ctx.config().publish().report().onRun() && !ctx.warehouse().exists(Gold.TRADE_MONTHLY)) {
            detail += "; no bulletin: gold.trade_monthly is not written yet";
        } else if (ctx.config().publish().report().onRun()) {
            String dir = ctx.config().publish().reportsRoot(ctx.warehouse().root()) + "/" + ctx.to();
            ReportWriter.Written w = Report.write(ctx.spark(), ctx.warehouse(), ctx.config(), ctx.to(), dir);
            rows = w.rows().values().stream().mapToLong(Integer::longValue).sum();
            detail += "; bulletin " + Report.describe(w);
        }
        return new StageResult(NAME, documented.size(), rows, 0, List.of(), detail, Map.of(), 0);
    }
}
