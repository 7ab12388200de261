package org.ews.run;

import org.ews.conform.ConformStage;
import org.ews.ingest.IngestStage;
import org.ews.metrics.MetricsStage;
import org.ews.anomalies.AnomaliesStage;
import org.ews.publish.PublishStage;

import java.util.List;
import java.util.Optional;

/** The pipeline's stages in run order. Later stages join this list as they are built. */
public final class Stages {
    private Stages() {}

    public static List<Stage> pipeline() {
        return List.of(new IngestStage(), new ConformStage(), new MetricsStage(), new AnomaliesStage(), new PublishStage());
    }

    public static Optional<Stage> named(String name) {
        return pipeline().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
