package io.tlsxtractor.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to start the broker as a child JVM.
 *
 * @param dataDir the broker's data directory (formatted on first use, reused afterwards)
 * @param port the client port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param controllerPort the KRaft controller port; 0 for the recorded one or a free one. A formatted
 *     directory keeps the controller port it was formatted with
 * @param heap the child's maximum heap, as for {@code -Xmx} (e.g. {@code 512m})
 * @param startTimeout how long to wait until the broker serves clients
 */
public record BrokerSettings(Path dataDir, int port, int controllerPort, String heap, Duration startTimeout) {

    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(heap, "heap");
        Objects.requireNonNull(startTimeout, "startTimeout");
        checkPort(port, "port");
        checkPort(controllerPort, "controllerPort");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("Broker port and controller port must differ, both are " + port);
        }
        if (!HEAP.matcher(heap).matches()) {
            throw new IllegalArgumentException("Broker heap must look like 512m or 1g (as for -Xmx), not '" + heap + "'");
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("Broker start timeout must be positive, not " + startTimeout);
        }
    }

    /** Free ports, 512 MB heap (STACK.md: without -Xmx the heap defaults to a quarter of the RAM). */
    public static BrokerSettings defaults(Path dataDir) {
        return new BrokerSettings(dataDir, 0, 0, "512m", Duration.ofSeconds(60));
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Broker " + name + " must be 0 (any free one) or 1-65535, not " + port);
        }
    }
}
