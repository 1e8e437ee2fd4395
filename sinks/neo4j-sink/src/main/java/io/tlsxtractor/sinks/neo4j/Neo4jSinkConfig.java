package io.tlsxtractor.sinks.neo4j;

import io.tlsxtractor.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The connector's settings, checked when the connector starts. */
public final class Neo4jSinkConfig extends AbstractConfig {

    public static final String URI_CONFIG = "neo4j.uri";
    public static final String USER_CONFIG = "neo4j.user";
    public static final String PASSWORD_CONFIG = "neo4j.password";
    public static final String DATABASE_CONFIG = "neo4j.database";
    public static final String BATCH_SIZE_CONFIG = "neo4j.batch.size";
    public static final String RETRY_BACKOFF_MS_CONFIG = "neo4j.retry.backoff.ms";
    public static final String CONNECTION_TIMEOUT_MS_CONFIG = "neo4j.connection.timeout.ms";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    /** The value converter the task expects: it decodes the Confluent-wire-format Avro itself. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    /** The topics the connector knows how to turn into graph facts. */
    public static final Set<String> SUPPORTED_TOPICS = Set.of(Topics.PROBE_RESULTS.name(), Topics.DOMAINS.name(),
            Topics.DOMAIN_INVENTORY.name(), Topics.CERTIFICATES.name());

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(URI_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH, "Bolt URI of the Neo4j server, e.g. bolt://127.0.0.1:7687 or neo4j://host.")
            .define(USER_CONFIG, ConfigDef.Type.STRING, "neo4j", ConfigDef.Importance.HIGH, "Neo4j user.")
            .define(PASSWORD_CONFIG, ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.Importance.HIGH,
                    "Password of the Neo4j user.")
            .define(DATABASE_CONFIG, ConfigDef.Type.STRING, "neo4j", new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.MEDIUM, "Database to write to.")
            .define(BATCH_SIZE_CONFIG, ConfigDef.Type.INT, 2000, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.MEDIUM, "Records written per transaction (one UNWIND per statement kind).")
            .define(RETRY_BACKOFF_MS_CONFIG, ConfigDef.Type.LONG, 3000L, ConfigDef.Range.between(10, 600_000),
                    ConfigDef.Importance.LOW, "How long Connect waits before redelivering a batch after a transient"
                            + " Neo4j error (server unavailable, session expired, transient error).")
            .define(CONNECTION_TIMEOUT_MS_CONFIG, ConfigDef.Type.LONG, 5000L, ConfigDef.Range.between(100, 600_000),
                    ConfigDef.Importance.LOW, "TCP connect timeout to Neo4j.")
            .define(SCHEMA_REGISTRY_URL_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(), ConfigDef.Importance.HIGH,
                    "Confluent-compatible schema registry the record values were written with (Apicurio: .../apis/ccompat/v7).");

    public Neo4jSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        String uri = getString(URI_CONFIG);
        String scheme = URI.create(uri).getScheme();
        if (scheme == null || !Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc").contains(scheme)) {
            throw new ConfigException(URI_CONFIG, uri, "must be a bolt:// or neo4j:// URI");
        }
        String converter = props.get("value.converter");
        if (converter != null && !converter.equals(BYTE_ARRAY_CONVERTER)) {
            throw new ConfigException("value.converter", converter, "must be " + BYTE_ARRAY_CONVERTER
                    + ": the task reads the Confluent wire format itself, so another converter would hand it objects"
                    + " it cannot map");
        }
        String topics = props.get("topics");
        if (topics != null) {
            for (String topic : topics.split(",")) {
                if (!topic.isBlank() && !SUPPORTED_TOPICS.contains(topic.strip())) {
                    throw new ConfigException("topics", topics, "topic '" + topic.strip() + "' has no graph mapping;"
                            + " supported: " + SUPPORTED_TOPICS);
                }
            }
        }
    }

    public String uri() {
        return getString(URI_CONFIG);
    }

    public String user() {
        return getString(USER_CONFIG);
    }

    public Password password() {
        return getPassword(PASSWORD_CONFIG);
    }

    public String database() {
        return getString(DATABASE_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
    }

    public Duration connectionTimeout() {
        return Duration.ofMillis(getLong(CONNECTION_TIMEOUT_MS_CONFIG));
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }
}
