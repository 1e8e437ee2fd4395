package io.tlsxtractor.schemas;

/** Kafka's {@code cleanup.policy} of a topic. */
public enum CleanupPolicy {
    /** Records expire after the retention time: streams of facts. */
    DELETE("delete"),
    /** The latest record per key is kept: tables (inventory, certificates, scan status). */
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String configValue() {
        return configValue;
    }
}
