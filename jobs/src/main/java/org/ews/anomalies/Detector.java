package org.ews.anomalies;

import java.util.List;

/** One rule over a group's monthly series. Implementations are stateless and switched on and off in config. */
interface Detector {
    /** The name in gold.trend_anomalies.detector and under anomalies.detectors in config. */
    String name();

    /** Adds what it finds in month {@code t} (closed, with enough history) to {@code out}. */
    void judge(MonthContext m, List<Finding> out);
}
