package io.tlsxtractor.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the developer stack.
 *
 * @param homeDir where the services keep their data, logs and {@code stack.json} (e.g. {@code ~/.tlsxtractor/dev})
 * @param kafkaPort the broker's client port; 0 for the one used last time or a free one
 * @param registryPort the registry's HTTP port; 0 for the one used last time or a free one
 * @param brokerHeap the broker's maximum heap, as for {@code -Xmx}
 * @param startTimeout how long each service may take to start
 * @param databases whether {@code up} also starts ClickHouse and Neo4j (what the sink connectors load)
 */
public record LocalStackSettings(Path homeDir, int kafkaPort, int registryPort, String brokerHeap, Duration startTimeout,
        boolean databases) {

    public LocalStackSettings {
        Objects.requireNonNull(homeDir, "homeDir");
        Objects.requireNonNull(brokerHeap, "brokerHeap");
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** Ports kept from the last run (or free ones), 512 MB broker heap, two minutes per service, with the databases. */
    public static LocalStackSettings defaults(Path homeDir) {
        return new LocalStackSettings(homeDir, 0, 0, "512m", Duration.ofMinutes(2), true);
    }

    /** The same stack without ClickHouse and Neo4j: the broker and the registry only. */
    public LocalStackSettings withoutDatabases() {
        return new LocalStackSettings(homeDir, kafkaPort, registryPort, brokerHeap, startTimeout, false);
    }
}
