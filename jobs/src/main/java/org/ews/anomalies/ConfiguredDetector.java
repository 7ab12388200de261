package org.ews.anomalies;

/** A detector with its settings record (anomalies.detectors.&lt;name&gt;) and its name. */
abstract class ConfiguredDetector<S> implements Detector {
    private final String name;
    protected final S settings;

    ConfiguredDetector(String name, S settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public final String name() {
        return name;
    }
}
