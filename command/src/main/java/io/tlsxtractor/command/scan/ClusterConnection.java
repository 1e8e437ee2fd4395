package io.tlsxtractor.command.scan;

import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the command's clients reach a cluster: the bootstrap servers, the extra client properties (security) and the
 * schema registry, either a Confluent-compatible URL or the in-process registry of the embedded mode.
 *
 * @param bootstrapServers {@code host:port[,…]}
 * @param clientProperties extra Kafka client properties from {@code kafka.*} (security, SASL, free-form properties)
 * @param registryUrl an {@code http(s)://} URL, or {@code mock://<scope>} for the in-process registry
 * @param registry the client for {@code registryUrl}
 * @param autoRegister whether serializers register the schemas they write
 */
public record ClusterConnection(String bootstrapServers, Map<String, String> clientProperties, String registryUrl,
        SchemaRegistryClient registry, boolean autoRegister) {

    /** Scope of the in-process registry that every component of an embedded run shares. */
    public static final String EMBEDDED_REGISTRY_SCOPE = "tlsxtractor-embedded";

    public ClusterConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientProperties = Map.copyOf(clientProperties);
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(registry, "registry");
    }

    /** The cluster of {@code kafka.*} and the registry of {@code schema_registry.*} (in-process when no URL is set). */
    public static ClusterConnection of(TlsxConfig config, String bootstrapServers) {
        Map<String, String> props = clientProperties(config.kafka());
        TlsxConfig.SchemaRegistry sr = config.schemaRegistry();
        if (sr.embedded()) {
            return embedded(bootstrapServers, props);
        }
        Map<String, Object> serde = new LinkedHashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, sr.url());
        serde.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS, sr.timeoutMs());
        serde.put(AvroSerdeConfig.CONNECT_TIMEOUT_MS, sr.timeoutMs());
        serde.put(AvroSerdeConfig.CACHE_CAPACITY, sr.cacheCapacity());
        if (!sr.username().isEmpty()) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, sr.username() + ":" + sr.password().reveal());
        }
        sr.truststorePath().ifPresent(p -> {
            serde.put(AvroSerdeConfig.TRUSTSTORE_LOCATION, p.toString());
            serde.put(AvroSerdeConfig.TRUSTSTORE_PASSWORD, sr.truststorePassword().reveal());
        });
        return new ClusterConnection(bootstrapServers, props, sr.url(), AvroSerdeConfig.client(serde), sr.autoRegister());
    }

    /**
     * The in-process registry of an embedded run, with every catalog value schema registered in catalog order.
     *
     * <p>Why: the embedded broker keeps its data between runs while this registry starts empty in every process, so
     * the ids written into old records must mean the same schemas again. Registering the whole catalog in a fixed
     * order before anything is produced gives every schema the same id in every run (as long as the schemas are
     * those of this build). The command's own readers also start at the end of the topics (or read only their own
     * scan's records), so a record written by another build is never what a new scan depends on.
     */
    public static ClusterConnection embedded(String bootstrapServers, Map<String, String> clientProperties) {
        InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.scoped(EMBEDDED_REGISTRY_SCOPE);
        for (TopicSpec<String, ?> topic : Topics.all()) {
            topic.valueSchema().ifPresent(schema -> registry.register(topic.valueSubject(), schema));
        }
        return new ClusterConnection(bootstrapServers, clientProperties,
                AvroSerdeConfig.MOCK_SCHEME + EMBEDDED_REGISTRY_SCOPE, registry, true);
    }

    /** Kafka client properties of {@code kafka.*}: security protocol, SASL, and the free-form properties. */
    static Map<String, String> clientProperties(TlsxConfig.Kafka kafka) {
        Map<String, String> p = new LinkedHashMap<>();
        if (!kafka.securityProtocol().isEmpty()) {
            p.put("security.protocol", kafka.securityProtocol());
        }
        if (!kafka.saslMechanism().isEmpty() && kafka.securityProtocol().toUpperCase(java.util.Locale.ROOT).contains("SASL")) {
            p.put("sasl.mechanism", kafka.saslMechanism());
            String module = kafka.saslMechanism().toUpperCase(java.util.Locale.ROOT).startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + kafka.saslUsername().replace("\"", "\\\"")
                    + "\" password=\"" + kafka.saslPassword().reveal().replace("\"", "\\\"") + "\";");
        }
        p.putAll(kafka.properties());
        return p;
    }
}
