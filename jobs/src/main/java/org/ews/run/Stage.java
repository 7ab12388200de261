package org.ews.run;

/** One step of the nightly pipeline; reads tables or landing files, writes tables, reports counts. */
public interface Stage {
    String name();

    StageResult run(RunContext ctx);
}
