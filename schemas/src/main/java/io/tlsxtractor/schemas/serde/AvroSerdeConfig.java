package io.tlsxtractor.schemas.serde;

import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Property names the serdes read in {@code configure(Map, isKey)}. The names are Confluent's, so an existing client
 * configuration works unchanged; {@code mock://<scope>} as the URL selects a shared in-process registry.
 */
public final class AvroSerdeConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** A PEM file of CA certificates to trust (this project's addition). */
    public static final String CA_PEM_LOCATION = "schema.registry.ssl.ca.location";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String MOCK_SCHEME = "mock://";

    private AvroSerdeConfig() {
    }

    /** Settings from serde properties. */
    public static SchemaRegistrySettings settings(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "is required by the Avro serde");
        }
        String urlText = url.toString().strip();
        if (urlText.contains(",")) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, urlText,
                    "must be one URL (put a load balancer in front of several registries)");
        }
        SchemaRegistrySettings settings = SchemaRegistrySettings.of(urlText)
                .withAutoRegister(bool(configs, AUTO_REGISTER_SCHEMAS, true))
                .withTimeouts(
                        Duration.ofMillis(longValue(configs, CONNECT_TIMEOUT_MS,
                                SchemaRegistrySettings.DEFAULT_CONNECT_TIMEOUT.toMillis())),
                        Duration.ofMillis(longValue(configs, REQUEST_TIMEOUT_MS,
                                SchemaRegistrySettings.DEFAULT_REQUEST_TIMEOUT.toMillis())))
                .withCacheCapacity((int) longValue(configs, CACHE_CAPACITY, SchemaRegistrySettings.DEFAULT_CACHE_CAPACITY));
        Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
        Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        if (userInfo != null && !userInfo.toString().isEmpty()
                && (source == null || "USER_INFO".equalsIgnoreCase(source.toString()))) {
            String info = userInfo.toString();
            int colon = info.indexOf(':');
            if (colon < 0) {
                throw new ConfigException(BASIC_AUTH_USER_INFO, "(hidden)", "must be user:password");
            }
            settings = settings.withBasicAuth(info.substring(0, colon), info.substring(colon + 1));
        } else if (source != null && !"USER_INFO".equalsIgnoreCase(source.toString())) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "only USER_INFO is supported");
        }
        Object truststore = configs.get(TRUSTSTORE_LOCATION);
        if (truststore != null && !truststore.toString().isBlank()) {
            Object password = configs.get(TRUSTSTORE_PASSWORD);
            Object type = configs.get(TRUSTSTORE_TYPE);
            settings = settings.withTruststore(Path.of(truststore.toString()),
                    password == null ? null : password.toString(), type == null ? null : type.toString());
        }
        Object pem = configs.get(CA_PEM_LOCATION);
        if (pem != null && !pem.toString().isBlank()) {
            settings = settings.withCaCertificatePem(Path.of(pem.toString()));
        }
        return settings;
    }

    /** The client the properties name: a shared in-memory registry for {@code mock://scope}, else a REST client. */
    public static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url != null && url.toString().strip().startsWith(MOCK_SCHEME)) {
            return InMemorySchemaRegistryClient.scoped(url.toString().strip().substring(MOCK_SCHEME.length()));
        }
        return new RestSchemaRegistryClient(settings(configs));
    }

    static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip();
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "must be true or false");
    }

    static long longValue(Map<String, ?> configs, String key, long fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }

    static Class<?> type(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Class<?> c) {
            return c;
        }
        try {
            return Class.forName(value.toString().strip(), true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, value, "names no class on the class path");
        }
    }
}
