package io.tlsxtractor.streams;

import io.tlsxtractor.enrichment.DnsSettings;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of the streams application ({@code tlsxtractor streams}). Immutable, validated at construction with
 * every problem listed. Config keys are {@code streams.*} (see {@link #fromProperties}).
 *
 * @param applicationId Kafka Streams application id (consumer group, internal topic prefix): {@code tlsx-streams}
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl schema registry URL ({@code mock://<scope>} for the in-process registry)
 * @param autoRegisterSchemas whether output topic schemas are registered on first use
 * @param stateDir where state stores live
 * @param threads stream threads
 * @param applicationServer {@code host:port} this instance answers interactive queries on, or null
 * @param commitInterval how often a transaction commits (the latency floor under exactly-once)
 * @param progressInterval how often each scan's status and progress event are emitted at most
 * @param extraction which names are kept
 * @param dnsEnabled whether new domains are resolved
 * @param dnsMaxInFlight DNS lookups outstanding per task at most
 * @param dnsResolvers the resolvers ({@code ip[:port]}) new domains are looked up with when DNS is enabled
 * @param trustBundle a PEM file of trust anchors for certificate analysis; null for the JDK's trust store
 * @param limits how many IPs and certificates one domain's inventory record keeps
 * @param clientProperties extra Kafka client/Streams properties (security settings...); may not override the
 *     processing guarantee, the application id or the error handlers
 */
public record StreamsSettings(String applicationId, String bootstrapServers, String registryUrl,
        boolean autoRegisterSchemas, Path stateDir, int threads, String applicationServer, Duration commitInterval,
        Duration progressInterval, ExtractionSettings extraction, boolean dnsEnabled, int dnsMaxInFlight,
        List<String> dnsResolvers, Path trustBundle, InventoryLimits limits, Map<String, String> clientProperties) {

    public static final String DEFAULT_APPLICATION_ID = "tlsx-streams";

    /** The record cache of all stores together, unless {@code streams.client.statestore.cache.max.bytes} says. */
    static final long DEFAULT_CACHE_BYTES = 64L << 20;

    /** Properties the application owns: letting a user change them would break exactly-once or the DLQ contract. */
    static final Set<String> RESERVED = Set.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);

    public StreamsSettings {
        List<String> problems = new ArrayList<>();
        if (applicationId == null || applicationId.isBlank()) {
            problems.add("streams.application-id is required");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("streams.bootstrap-servers is required (host:port[,host:port])");
        }
        if (registryUrl == null || registryUrl.isBlank()) {
            problems.add("streams.registry-url is required (http://host:port or mock://scope)");
        }
        if (stateDir == null) {
            problems.add("streams.state-dir is required");
        }
        if (threads < 1) {
            problems.add("streams.threads must be at least 1, got " + threads);
        }
        if (applicationServer != null && !applicationServer.matches("[^:\\s]+:\\d{1,5}")) {
            problems.add("streams.application-server must be host:port, got '" + applicationServer + "'");
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            problems.add("streams.commit-interval must be positive, got " + commitInterval);
        }
        if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
            problems.add("streams.progress-interval must be positive, got " + progressInterval);
        }
        if (extraction == null) {
            problems.add("extraction settings are required");
        }
        if (dnsMaxInFlight < 1) {
            problems.add("streams.dns.max-in-flight must be at least 1, got " + dnsMaxInFlight);
        }
        dnsResolvers = List.copyOf(dnsResolvers == null ? List.of() : dnsResolvers);
        if (dnsEnabled && dnsResolvers.isEmpty()) {
            problems.add("streams.dns.resolvers is required when streams.dns.enabled is true");
        }
        for (String resolver : dnsResolvers) {
            try {
                DnsSettings.parseResolver(resolver);
            } catch (IllegalArgumentException e) {
                problems.add("streams." + e.getMessage());
            }
        }
        if (limits == null) {
            problems.add("inventory limits are required");
        }
        if (trustBundle != null && !Files.isReadable(trustBundle)) {
            problems.add("streams.trust-bundle: " + trustBundle + " is not a readable file");
        }
        clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
        for (String key : clientProperties.keySet()) {
            if (RESERVED.contains(key)) {
                problems.add("client property '" + key + "' is set by the application and cannot be overridden");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid streams settings: " + String.join("; ", problems));
        }
    }

    public static Builder builder(String bootstrapServers, String registryUrl) {
        return new Builder(bootstrapServers, registryUrl);
    }

    /**
     * Settings from flat {@code streams.*} keys: {@code streams.bootstrap-servers}, {@code streams.registry-url},
     * {@code streams.application-id}, {@code streams.auto-register-schemas}, {@code streams.state-dir},
     * {@code streams.threads}, {@code streams.application-server}, {@code streams.commit-interval-ms},
     * {@code streams.progress-interval-ms}, {@code streams.default-exclusions}, {@code streams.include-domains},
     * {@code streams.exclude-domains} (comma-separated), {@code streams.dns.enabled},
     * {@code streams.dns.max-in-flight}, {@code streams.dns.resolvers} (comma-separated {@code ip[:port]}, default
     * {@code 127.0.0.1}), {@code streams.trust-bundle} (PEM file; default the JDK's trust store),
     * {@code streams.inventory.max-ips-per-domain}, {@code streams.inventory.max-certificates-per-domain} (default
     * 1,000 each);
     * {@code streams.client.<kafka property>} passes a client property through.
     */
    public static StreamsSettings fromProperties(Map<String, String> p) {
        Builder b = builder(p.get("streams.bootstrap-servers"), p.get("streams.registry-url"));
        try {
            if (p.containsKey("streams.application-id")) {
                b.applicationId(p.get("streams.application-id"));
            }
            if (p.containsKey("streams.auto-register-schemas")) {
                b.autoRegisterSchemas(Boolean.parseBoolean(p.get("streams.auto-register-schemas")));
            }
            if (p.containsKey("streams.state-dir")) {
                b.stateDir(Path.of(p.get("streams.state-dir")));
            }
            if (p.containsKey("streams.threads")) {
                b.threads(Integer.parseInt(p.get("streams.threads").strip()));
            }
            b.applicationServer(p.get("streams.application-server"));
            if (p.containsKey("streams.commit-interval-ms")) {
                b.commitInterval(Duration.ofMillis(Long.parseLong(p.get("streams.commit-interval-ms").strip())));
            }
            if (p.containsKey("streams.progress-interval-ms")) {
                b.progressInterval(Duration.ofMillis(Long.parseLong(p.get("streams.progress-interval-ms").strip())));
            }
            b.extraction(new ExtractionSettings(
                    Boolean.parseBoolean(p.getOrDefault("streams.default-exclusions", "true")),
                    list(p.get("streams.include-domains")), list(p.get("streams.exclude-domains"))));
            b.dnsEnabled(Boolean.parseBoolean(p.getOrDefault("streams.dns.enabled", "false")));
            if (p.containsKey("streams.dns.max-in-flight")) {
                b.dnsMaxInFlight(Integer.parseInt(p.get("streams.dns.max-in-flight").strip()));
            }
            if (p.containsKey("streams.dns.resolvers")) {
                b.dnsResolvers(list(p.get("streams.dns.resolvers")));
            }
            int maxIps = Integer.parseInt(p.getOrDefault("streams.inventory.max-ips-per-domain",
                    Integer.toString(InventoryLimits.DEFAULT_MAX)).strip());
            int maxCertificates = Integer.parseInt(p.getOrDefault("streams.inventory.max-certificates-per-domain",
                    Integer.toString(InventoryLimits.DEFAULT_MAX)).strip());
            try {
                b.limits(new InventoryLimits(maxIps, maxCertificates));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid streams settings: streams.inventory: " + e.getMessage(), e);
            }
            String bundle = p.get("streams.trust-bundle");
            if (bundle != null && !bundle.isBlank()) {
                b.trustBundle(Path.of(bundle.strip()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid streams settings: a numeric key is not a number ("
                    + e.getMessage() + ")", e);
        }
        Map<String, String> client = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("streams.client.")) {
                client.put(k.substring("streams.client.".length()), v);
            }
        });
        b.clientProperties(client);
        return b.build();
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return List.of(csv.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The Kafka Streams configuration: exactly-once v2, the dead-letter handlers, the registry for every serde. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Each probe result becomes ~18 small records: bigger batches mean fewer produce requests for the broker.
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "262144");
        // The sub-topology that merges results, domains and ingest's statuses into scan progress has three input
        // partitions per task, and the status topic is nearly always empty: with the default (0) the stream thread
        // asks, for every record, whether to wait for that partition (building trace strings with String.format as
        // it goes). Nothing here needs timestamp order across those inputs (progress and the inventory merge with set
        // semantics, and ingest's totals may come before or after the results in any case), so idling is off.
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
        // Kafka's 10 MiB default record cache is shared by every store of every task and thread; at scan rates it
        // fills within a commit, and each eviction then writes one entry to RocksDB and its changelog by itself and the
        // next read of that domain misses. StreamsBench, alternating runs: 64 MiB cut the stream thread's CPU by ~20 %
        // (stream-processors/README.md). It costs heap, not records: commits flush the cache as before.
        props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(DEFAULT_CACHE_BYTES));
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return props;
    }

    /** The registry client the serdes use. */
    public SchemaRegistryClient registryClient() {
        return AvroSerdeConfig.client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    @Override
    public String toString() {
        // Client properties may hold credentials (sasl.jaas.config): list their keys only.
        return "StreamsSettings[applicationId=" + applicationId + ", bootstrap=" + bootstrapServers + ", registry="
                + registryUrl + ", stateDir=" + stateDir + ", threads=" + threads + ", applicationServer="
                + applicationServer + ", commitInterval=" + commitInterval + ", progressInterval=" + progressInterval
                + ", extraction=" + extraction + ", dns=" + dnsEnabled + (dnsEnabled ? " via " + dnsResolvers : "")
                + ", trust=" + (trustBundle == null ? "JDK" : trustBundle) + ", " + limits + ", clientProperties="
                + clientProperties.keySet() + "]";
    }

    /** Builder with the defaults of a distributed deployment. */
    public static final class Builder {
        private String applicationId = DEFAULT_APPLICATION_ID;
        private final String bootstrapServers;
        private final String registryUrl;
        private boolean autoRegisterSchemas = true;
        private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "tlsx-streams");
        private int threads = 1;
        private String applicationServer;
        private Duration commitInterval = Duration.ofMillis(100);
        private Duration progressInterval = Duration.ofSeconds(1);
        private ExtractionSettings extraction = ExtractionSettings.defaults();
        private boolean dnsEnabled;
        private int dnsMaxInFlight = 256;
        private List<String> dnsResolvers = List.of("127.0.0.1");
        private Path trustBundle;
        private InventoryLimits limits = InventoryLimits.defaults();
        private Map<String, String> clientProperties = Map.of();

        private Builder(String bootstrapServers, String registryUrl) {
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
        }

        public Builder applicationId(String v) {
            this.applicationId = v;
            return this;
        }

        public Builder autoRegisterSchemas(boolean v) {
            this.autoRegisterSchemas = v;
            return this;
        }

        public Builder stateDir(Path v) {
            this.stateDir = v;
            return this;
        }

        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        public Builder applicationServer(String v) {
            this.applicationServer = v;
            return this;
        }

        public Builder commitInterval(Duration v) {
            this.commitInterval = v;
            return this;
        }

        public Builder progressInterval(Duration v) {
            this.progressInterval = v;
            return this;
        }

        public Builder extraction(ExtractionSettings v) {
            this.extraction = v;
            return this;
        }

        public Builder dnsEnabled(boolean v) {
            this.dnsEnabled = v;
            return this;
        }

        public Builder dnsMaxInFlight(int v) {
            this.dnsMaxInFlight = v;
            return this;
        }

        public Builder dnsResolvers(List<String> v) {
            this.dnsResolvers = Objects.requireNonNull(v, "dnsResolvers");
            return this;
        }

        /** @param v a PEM file of trust anchors, or null for the JDK's trust store */
        public Builder trustBundle(Path v) {
            this.trustBundle = v;
            return this;
        }

        public Builder limits(InventoryLimits v) {
            this.limits = Objects.requireNonNull(v, "limits");
            return this;
        }

        public Builder clientProperties(Map<String, String> v) {
            this.clientProperties = Objects.requireNonNull(v, "clientProperties");
            return this;
        }

        public StreamsSettings build() {
            return new StreamsSettings(applicationId, bootstrapServers, registryUrl, autoRegisterSchemas, stateDir,
                    threads, applicationServer, commitInterval, progressInterval, extraction, dnsEnabled,
                    dnsMaxInFlight, dnsResolvers, trustBundle, limits, clientProperties);
        }
    }
}
