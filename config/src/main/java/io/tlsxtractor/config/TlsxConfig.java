package io.tlsxtractor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole configuration of TLSXtractor: one immutable record per section. Obtain it from
 * {@link ConfigLoader} (which validates it) or {@link #defaults()}; each key is documented in
 * {@link ConfigKeys} and in {@code tlsxtractor.example.yaml}.
 */
public record TlsxConfig(
        Scanning scanning,
        Dns dns,
        Kafka kafka,
        SchemaRegistry schemaRegistry,
        Plugins plugins,
        Sinks sinks,
        Api api,
        Events events,
        Output output,
        Logging logging,
        Local local) {

    public TlsxConfig {
        Objects.requireNonNull(scanning, "scanning");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(schemaRegistry, "schemaRegistry");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(sinks, "sinks");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(local, "local");
    }

    /** The built-in defaults alone: no file, no environment, no flags. */
    public static TlsxConfig defaults() {
        return ConfigLoader.create().environment(Map.of()).load();
    }

    /** {@code scanning.*}: what to probe and how hard. Defaults are the 1.x defaults. */
    public record Scanning(
            int threads,
            double rateLimit,
            double perSubnetRateLimit,
            int timeout,
            int port,
            int retry,
            boolean allowPrivate,
            boolean ipv6,
            boolean pipeline,
            boolean fetchCsp,
            boolean followRedirects,
            boolean followHostRedirects,
            int maxRedirects,
            List<String> excludeDomains,
            List<String> includeDomains,
            boolean defaultExclusions,
            SniStrategy sniStrategy,
            List<String> sniNames,
            int maxInFlight) {

        public Scanning {
            excludeDomains = List.copyOf(excludeDomains);
            includeDomains = List.copyOf(includeDomains);
            Objects.requireNonNull(sniStrategy, "sniStrategy");
            sniNames = List.copyOf(sniNames);
        }

        /** {@link #timeout()} (seconds) as a duration: the hard deadline per target. */
        public Duration timeoutDuration() {
            return Duration.ofSeconds(timeout);
        }
    }

    /** {@code dns.*}: resolution of hostname targets. */
    public record Dns(List<String> resolvers, int timeoutMs, int cacheSize, int cacheMaxTtl, double rateLimit) {

        public Dns {
            resolvers = List.copyOf(resolvers);
        }
    }

    /** {@code kafka.*}: the cluster; an empty {@link #bootstrapServers()} means the embedded local broker. */
    public record Kafka(
            String bootstrapServers,
            String clientId,
            String securityProtocol,
            String saslMechanism,
            String saslUsername,
            Secret saslPassword,
            int topicPartitions,
            int replicationFactor,
            Map<String, String> properties) {

        public Kafka {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(securityProtocol, "securityProtocol");
            Objects.requireNonNull(saslMechanism, "saslMechanism");
            Objects.requireNonNull(saslUsername, "saslUsername");
            Objects.requireNonNull(saslPassword, "saslPassword");
            properties = sortedCopy(properties);
        }

        /** Whether the embedded local broker is used (no bootstrap servers configured). */
        public boolean embedded() {
            return bootstrapServers.isEmpty();
        }
    }

    /** {@code schema_registry.*}: an empty {@link #url()} means the embedded in-process registry. */
    public record SchemaRegistry(
            String url,
            String username,
            Secret password,
            Optional<Path> truststorePath,
            Secret truststorePassword,
            int timeoutMs,
            boolean autoRegister,
            int cacheCapacity) {

        public SchemaRegistry {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(truststorePath, "truststorePath");
            Objects.requireNonNull(truststorePassword, "truststorePassword");
        }

        /** Whether the embedded in-process registry is used (no URL configured). */
        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /**
     * {@code plugins.*}: an empty {@link #enabled()} list enables every plugin found; {@link #settings()}
     * maps a plugin name to its own settings.
     */
    public record Plugins(Optional<Path> directory, List<String> enabled, Map<String, Map<String, String>> settings) {

        public Plugins {
            Objects.requireNonNull(directory, "directory");
            enabled = List.copyOf(enabled);
            TreeMap<String, Map<String, String>> copy = new TreeMap<>();
            settings.forEach((plugin, values) -> copy.put(plugin, sortedCopy(values)));
            settings = Collections.unmodifiableMap(copy);
        }

        /** The settings of {@code plugin}; empty when it has none. */
        public Map<String, String> settingsOf(String plugin) {
            return settings.getOrDefault(plugin, Map.of());
        }
    }

    /** {@code sinks.*}: the stores fed from the topics. */
    public record Sinks(ClickHouse clickhouse, Neo4j neo4j) {

        public Sinks {
            Objects.requireNonNull(clickhouse, "clickhouse");
            Objects.requireNonNull(neo4j, "neo4j");
        }
    }

    /** {@code sinks.clickhouse.*}: the analytics store (HTTP interface). */
    public record ClickHouse(
            boolean enabled,
            String url,
            String database,
            String username,
            Secret password,
            int batchRows,
            long batchBytes,
            int flushMs,
            int ttlDays) {

        public ClickHouse {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /** {@code sinks.neo4j.*}: the relationship graph (Bolt). */
    public record Neo4j(boolean enabled, String uri, String username, Secret password, int batchSize) {

        public Neo4j {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /** {@code api.*}: the query and control API; an empty {@link #authToken()} means no authentication. */
    public record Api(String host, int port, Secret authToken, List<String> corsOrigins) {

        public Api {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(authToken, "authToken");
            corsOrigins = List.copyOf(corsOrigins);
        }
    }

    /** {@code events.*}: the event stream (scan progress, discoveries). */
    public record Events(boolean enabled, int progressIntervalMs) {
    }

    /** {@code output.*}: the results file of a scan command. */
    public record Output(Path path, OutputFormat format) {

        public Output {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
        }
    }

    /** {@code logging.*}: the 1.x logging options. */
    public record Logging(LogLevel level, Optional<Path> file, boolean quiet) {

        public Logging {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * {@code local.*}: the embedded/development stack started on this machine; a port of 0 means any
     * free port.
     */
    public record Local(Path dataDir, int brokerPort, int registryPort, String brokerHeap) {

        public Local {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(brokerHeap, "brokerHeap");
        }
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
