package org.ews.testing;

import java.util.Map;

/**
 * The environment tests hand to {@code Main.run}. Tests run in {@code jobs/}, while the reference data ships in the
 * repository's {@code conf/reference}: the same override an operator would set ({@code EWS_PATHS_REFERENCE}).
 */
public final class TestEnv {
    private TestEnv() {}

    /**
     * Pipeline runs in tests publish their tables but leave the bulletin to the tests that judge it (PublishedTablesTest,
     * AnomaliesStageTest): writing one after each of the suite's many small runs would add minutes and test nothing more.
     */
    public static final Map<String, String> ENV = Map.of("EWS_PATHS_REFERENCE", "../conf/reference",
            "EWS_PUBLISH_REPORT_ON_RUN", "false", "EWS_QUALITY_ENABLED", "false");

    /**
     * The same with the data-quality gates on, as in production. The suite's many small runs leave them off (each gate
     * reads its rows once more and records its checks: seconds per run that test nothing more); the shared generated run
     * ({@link GeneratedRun}) and the quality tests run them, so the default rules are checked on a whole pipeline.
     */
    public static final Map<String, String> WITH_QUALITY = Map.of("EWS_PATHS_REFERENCE", "../conf/reference",
            "EWS_PUBLISH_REPORT_ON_RUN", "false");

    /** Stand-ins for the secrets conf/cluster.yaml takes from the environment (${AWS_ACCESS_KEY_ID}, ...). */
    public static final Map<String, String> CLUSTER_SECRETS = Map.of("AWS_ACCESS_KEY_ID", "test-access-key",
            "AWS_SECRET_ACCESS_KEY", "test-secret-key");

    /** Which of the suite's test JVMs this is ("fork-N" from surefire's fork number): for folders of its own. */
    public static String fork() {
        String fork = System.getProperty("ews.test.fork", "");
        return fork.isBlank() ? "fork-1" : fork;
    }

    /**
     * Which mvn invocation started this JVM (the build's timestamp; empty outside surefire): a fixture on disk made by the
     * same invocation may be reused by the other test JVM, one from an earlier build never is.
     */
    public static String build() {
        return System.getProperty("ews.test.build", "");
    }
}
