package io.tlsxtractor.worker;

import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.plugins.core.CorePlugins;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of one worker. Immutable; validated at construction, where every problem is reported at
 * once in one {@link IllegalArgumentException}.
 *
 * @param bootstrapServers Kafka bootstrap servers ({@code host:port[,host:port]})
 * @param groupId the consumer group all workers share
 * @param clientProperties extra Kafka client properties for the consumer and the producer (security,
 *     timeouts...); the settings the delivery guarantee rests on (auto commit, acks, idempotence,
 *     serializers) cannot be overridden
 * @param registryUrl schema registry: an {@code http(s)://} URL of a Confluent-compatible API, or
 *     {@code mock://<scope>} for the in-process registry of the embedded mode (one process only)
 * @param autoRegisterSchemas whether the worker registers the schemas of what it writes
 * @param workerId the id in results and events; default {@code <host>-<pid>}
 * @param maxInFlight endpoints probed at once (the in-flight budget); the worker stops fetching beyond it
 * @param probe the engine settings; a block's own options (timeout, retries, rate, redirects) override
 *     theirs for that block
 * @param extractors the extractor plugins this worker enables; a block chooses among them
 * @param pluginDirectories directories of third-party plugins
 * @param pluginSettings settings per plugin name
 * @param maxSniNames most server names tried per endpoint (SNI hints, names learned from certificates)
 * @param metricsPort port of the Prometheus endpoint on 127.0.0.1, 0 = no endpoint
 * @param pollTimeout how long one poll waits for records when the worker is idle
 * @param drainTimeout how long stopping waits for the probes in flight before abandoning them
 */
public record WorkerSettings(
        String bootstrapServers,
        String groupId,
        Map<String, String> clientProperties,
        String registryUrl,
        boolean autoRegisterSchemas,
        String workerId,
        int maxInFlight,
        ProbeSettings probe,
        List<String> extractors,
        List<Path> pluginDirectories,
        Map<String, Map<String, String>> pluginSettings,
        int maxSniNames,
        int metricsPort,
        Duration pollTimeout,
        Duration drainTimeout) {

    public static final String DEFAULT_GROUP_ID = "tlsx-workers";
    public static final int DEFAULT_MAX_IN_FLIGHT = 200;
    public static final List<String> DEFAULT_EXTRACTORS =
            List.of(CertificateNameExtractor.NAME, CorePlugins.CSP_EXTRACTOR);

    /** Client settings the worker sets itself: overriding them would break at-least-once delivery. */
    static final Set<String> RESERVED_CLIENT_PROPERTIES = Set.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    public WorkerSettings {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("bootstrap servers are required (host:port[,host:port])");
        }
        if (groupId == null || groupId.isBlank()) {
            problems.add("group id is required");
        }
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        for (String key : clientProperties.keySet()) {
            if (RESERVED_CLIENT_PROPERTIES.contains(key)) {
                problems.add("client property '" + key + "' is set by the worker and cannot be overridden");
            }
        }
        if (registryUrl == null || registryUrl.isBlank()) {
            problems.add("schema registry URL is required (http://host:port or mock://<scope>)");
        } else if (!registryUrl.startsWith("mock://")) {
            try {
                URI uri = URI.create(registryUrl);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    problems.add("schema registry URL '" + registryUrl + "' must be http(s)://host[:port][/path] or mock://<scope>");
                }
            } catch (IllegalArgumentException e) {
                problems.add("schema registry URL '" + registryUrl + "' is not a valid URI: " + e.getMessage());
            }
        }
        if (workerId == null || workerId.isBlank()) {
            workerId = defaultWorkerId();
        } else if (!workerId.matches("[A-Za-z0-9._:-]{1,200}")) {
            problems.add("worker id '" + workerId + "' must be 1-200 characters of letters, digits, '.', '_', ':' or '-'");
        }
        if (maxInFlight < 1 || maxInFlight > ProbeSettings.MAX_IN_FLIGHT_LIMIT) {
            problems.add("max in flight must be in 1.." + ProbeSettings.MAX_IN_FLIGHT_LIMIT + ", got " + maxInFlight);
        }
        if (probe == null) {
            problems.add("probe settings are required");
        }
        extractors = extractors == null ? List.of() : List.copyOf(extractors);
        if (extractors.stream().distinct().count() != extractors.size()) {
            problems.add("extractors are listed twice: " + extractors);
        }
        pluginDirectories = pluginDirectories == null ? List.of() : List.copyOf(pluginDirectories);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        if (pluginSettings != null) {
            pluginSettings.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        }
        pluginSettings = Map.copyOf(copy);
        if (maxSniNames < 0 || maxSniNames > 10_000) {
            problems.add("max SNI names must be in 0..10000, got " + maxSniNames);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            problems.add("metrics port must be 0 (off) or 1..65535, got " + metricsPort);
        }
        if (pollTimeout == null || pollTimeout.isNegative() || pollTimeout.isZero()
                || pollTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add("poll timeout must be in (0, 1 min], got " + pollTimeout);
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            problems.add("drain timeout must be >= 0, got " + drainTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid worker settings: " + String.join("; ", problems));
        }
    }

    /** Defaults everywhere except the two settings without one. */
    public static Builder builder(String bootstrapServers, String registryUrl) {
        return new Builder(bootstrapServers, registryUrl);
    }

    /** {@code <host>-<pid>}: unique among the workers of one cluster as long as host names are. */
    public static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        return host + "-" + ProcessHandle.current().pid();
    }

    /** The host part of the process, for events. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }

    /** Builds {@link WorkerSettings}. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String registryUrl;
        private String groupId = DEFAULT_GROUP_ID;
        private Map<String, String> clientProperties = Map.of();
        private boolean autoRegisterSchemas = true;
        private String workerId;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private ProbeSettings probe = ProbeSettings.builder().maxInFlight(DEFAULT_MAX_IN_FLIGHT).build();
        private List<String> extractors = DEFAULT_EXTRACTORS;
        private List<Path> pluginDirectories = List.of();
        private Map<String, Map<String, String>> pluginSettings = Map.of();
        private int maxSniNames = 16;
        private int metricsPort;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration drainTimeout = Duration.ofSeconds(30);

        private Builder(String bootstrapServers, String registryUrl) {
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
        }

        public Builder groupId(String v) {
            groupId = v;
            return this;
        }

        public Builder clientProperties(Map<String, String> v) {
            clientProperties = Objects.requireNonNull(v, "clientProperties");
            return this;
        }

        public Builder autoRegisterSchemas(boolean v) {
            autoRegisterSchemas = v;
            return this;
        }

        public Builder workerId(String v) {
            workerId = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder probe(ProbeSettings v) {
            probe = v;
            return this;
        }

        public Builder extractors(List<String> v) {
            extractors = v;
            return this;
        }

        public Builder pluginDirectories(List<Path> v) {
            pluginDirectories = v;
            return this;
        }

        public Builder pluginSettings(Map<String, Map<String, String>> v) {
            pluginSettings = v;
            return this;
        }

        public Builder maxSniNames(int v) {
            maxSniNames = v;
            return this;
        }

        public Builder metricsPort(int v) {
            metricsPort = v;
            return this;
        }

        public Builder pollTimeout(Duration v) {
            pollTimeout = v;
            return this;
        }

        public Builder drainTimeout(Duration v) {
            drainTimeout = v;
            return this;
        }

        public WorkerSettings build() {
            return new WorkerSettings(bootstrapServers, groupId, clientProperties, registryUrl, autoRegisterSchemas,
                    workerId, maxInFlight, probe, extractors, pluginDirectories, pluginSettings, maxSniNames,
                    metricsPort, pollTimeout, drainTimeout);
        }
    }
}
