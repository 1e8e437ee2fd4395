package io.tlsxtractor.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to start the Neo4j server. Checked at construction: every problem is listed in one exception.
 *
 * @param dataDir where its configuration, store, logs and PID state live (created when absent)
 * @param boltPort the Bolt port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param httpPort the HTTP port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param password the password of user {@code neo4j}, set before the first start (Neo4j wants 8+ characters);
 *     a data directory keeps the password it was first started with
 * @param heap the server's maximum heap, as for {@code -Xmx}
 * @param pageCache the page cache size ({@code server.memory.pagecache.size})
 * @param startTimeout how long to wait until Bolt accepts connections
 */
public record Neo4jSettings(Path dataDir, int boltPort, int httpPort, String password, String heap, String pageCache,
        Duration startTimeout) {

    /** The password of a local development server: it listens on loopback only. */
    public static final String DEFAULT_PASSWORD = "tlsxtractor-local";
    private static final Pattern SIZE = Pattern.compile("\\d+[kKmMgG]?");

    public Neo4jSettings {
        List<String> problems = new ArrayList<>();
        if (dataDir == null) {
            problems.add("dataDir is required");
        }
        checkPort(boltPort, "boltPort", problems);
        checkPort(httpPort, "httpPort", problems);
        if (boltPort != 0 && boltPort == httpPort) {
            problems.add("boltPort and httpPort must differ, both are " + boltPort);
        }
        if (password == null || password.length() < 8) {
            problems.add("password must have at least 8 characters (Neo4j refuses shorter ones)");
        }
        if (heap == null || !SIZE.matcher(heap).matches()) {
            problems.add("heap must look like 512m or 1g (as for -Xmx), not '" + heap + "'");
        }
        if (pageCache == null || !SIZE.matcher(pageCache).matches()) {
            problems.add("pageCache must look like 256m or 1g, not '" + pageCache + "'");
        }
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
            problems.add("startTimeout must be positive, not " + startTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid Neo4j settings: " + String.join("; ", problems));
        }
    }

    /**
     * Free ports, the default password, 512 MB heap, 256 MB page cache, 300 s to start (STACK.md: 5–9 s on an idle
     * machine; over 2 minutes seen on a loaded 2-core one).
     */
    public static Neo4jSettings defaults(Path dataDir) {
        return new Neo4jSettings(dataDir, 0, 0, DEFAULT_PASSWORD, "512m", "256m", Duration.ofSeconds(300));
    }

    public Neo4jSettings withPassword(String newPassword) {
        return new Neo4jSettings(dataDir, boltPort, httpPort, newPassword, heap, pageCache, startTimeout);
    }

    public Neo4jSettings withPorts(int bolt, int http) {
        return new Neo4jSettings(dataDir, bolt, http, password, heap, pageCache, startTimeout);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Neo4jSettings[dataDir=" + dataDir + ", boltPort=" + boltPort + ", httpPort=" + httpPort + ", heap=" + heap
                + ", pageCache=" + pageCache + ", startTimeout=" + startTimeout + "]";
    }

    private static void checkPort(int port, String name, List<String> problems) {
        if (port < 0 || port > 65535) {
            problems.add(name + " must be 0 (any free one) or 1-65535, not " + port);
        }
    }
}
