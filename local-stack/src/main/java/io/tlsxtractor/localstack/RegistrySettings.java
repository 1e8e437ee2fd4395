package io.tlsxtractor.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start the schema registry.
 *
 * @param dataDir where its log (and, when persistent, its database) lives
 * @param port the HTTP port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param startTimeout how long to wait for its API to answer
 * @param persistent keep schemas in an H2 file database in {@code dataDir} instead of in memory
 * @param legacyJava17 behave as if no Java 21+ existed: run the Java 17 fallback (Apicurio 2.6)
 */
public record RegistrySettings(Path dataDir, int port, Duration startTimeout, boolean persistent, boolean legacyJava17) {

    public RegistrySettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Registry port must be 0 (any free one) or 1-65535, not " + port);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("Registry start timeout must be positive, not " + startTimeout);
        }
    }

    /** In-memory storage, the newest registry this machine can run. */
    public RegistrySettings(Path dataDir, int port, Duration startTimeout) {
        this(dataDir, port, startTimeout, false, false);
    }

    public RegistrySettings withPersistentStorage() {
        return new RegistrySettings(dataDir, port, startTimeout, true, legacyJava17);
    }

    /** Runs Apicurio 2.6 on this JVM even where a Java 21+ exists. */
    public RegistrySettings withLegacyJava17() {
        return new RegistrySettings(dataDir, port, startTimeout, persistent, true);
    }
}
