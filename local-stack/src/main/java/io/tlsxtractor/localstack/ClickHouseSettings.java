package io.tlsxtractor.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to start the local ClickHouse server.
 *
 * @param dataDir where its data ({@code data/}), log and recorded ports live; kept across restarts
 * @param httpPort the HTTP port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param tcpPort the native-protocol port on 127.0.0.1; 0 for the one recorded in {@code dataDir} or a free one
 * @param startTimeout how long to wait for {@code GET /ping} to answer {@code Ok.}
 * @param database the project's database, created with {@code ENGINE = Atomic} when absent
 */
public record ClickHouseSettings(Path dataDir, int httpPort, int tcpPort, Duration startTimeout, String database) {

    /** The database the project's tables live in unless configured otherwise. */
    public static final String DEFAULT_DATABASE = "tlsxtractor";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(database, "database");
        checkPort(httpPort, "HTTP");
        checkPort(tcpPort, "native (TCP)");
        if (httpPort != 0 && httpPort == tcpPort) {
            throw new IllegalArgumentException("ClickHouse HTTP and native ports must differ, both are " + httpPort);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("ClickHouse start timeout must be positive, not " + startTimeout);
        }
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("ClickHouse database name must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), not '"
                    + database + "'");
        }
    }

    /** Ports recorded in (or free for) {@code dataDir}, 60 s to start, the {@value #DEFAULT_DATABASE} database. */
    public ClickHouseSettings(Path dataDir) {
        this(dataDir, 0, 0, Duration.ofSeconds(60), DEFAULT_DATABASE);
    }

    public ClickHouseSettings withPorts(int http, int tcp) {
        return new ClickHouseSettings(dataDir, http, tcp, startTimeout, database);
    }

    public ClickHouseSettings withDatabase(String name) {
        return new ClickHouseSettings(dataDir, httpPort, tcpPort, startTimeout, name);
    }

    public ClickHouseSettings withStartTimeout(Duration timeout) {
        return new ClickHouseSettings(dataDir, httpPort, tcpPort, timeout, database);
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ClickHouse " + what + " port must be 0 (any free one) or 1-65535, not " + port);
        }
    }
}
