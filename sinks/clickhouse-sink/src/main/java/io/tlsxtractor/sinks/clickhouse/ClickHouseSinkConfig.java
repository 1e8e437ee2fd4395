package io.tlsxtractor.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import io.tlsxtractor.sinks.clickhouse.internal.SinkTable;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The connector's settings, validated when the connector and each task start. */
public final class ClickHouseSinkConfig extends AbstractConfig {

    public static final String URL = "clickhouse.url";
    public static final String USER = "clickhouse.user";
    public static final String PASSWORD = "clickhouse.password";
    public static final String DATABASE = "clickhouse.database";
    public static final String TOPIC_TABLES = "clickhouse.topic.tables";
    public static final String BATCH_MAX_ROWS = "clickhouse.batch.max.rows";
    public static final String BATCH_MAX_BYTES = "clickhouse.batch.max.bytes";
    public static final String BATCH_MAX_WAIT_MS = "clickhouse.batch.max.wait.ms";
    public static final String RETRY_BACKOFF_MS = "clickhouse.retry.backoff.ms";
    public static final String RETRY_MAX_ATTEMPTS = "clickhouse.retry.max.attempts";
    public static final String SOCKET_TIMEOUT_MS = "clickhouse.socket.timeout.ms";
    public static final String RAW_TTL_DAYS = "clickhouse.raw.ttl.days";
    public static final String MIGRATE_ON_START = "clickhouse.migrate.on.start";
    public static final String SCHEMA_REGISTRY_URL = AvroSerdeConfig.SCHEMA_REGISTRY_URL;

    private static final String DEFAULT_TOPIC_TABLES = SinkTable.defaultTopics().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().table()).collect(Collectors.joining(","));

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(URL, Type.STRING, "http://127.0.0.1:8123", Importance.HIGH,
                    "HTTP(S) endpoint of the ClickHouse server, e.g. http://127.0.0.1:8123.")
            .define(USER, Type.STRING, "default", Importance.HIGH, "ClickHouse user.")
            .define(PASSWORD, Type.PASSWORD, "", Importance.HIGH, "ClickHouse password (empty for none).")
            .define(DATABASE, Type.STRING, "tlsxtractor", Importance.HIGH,
                    "Database that holds the tables; it must exist (the local stack creates it with ENGINE = Atomic).")
            .define(TOPIC_TABLES, Type.LIST, DEFAULT_TOPIC_TABLES, Importance.MEDIUM,
                    "Which topic loads which table, as topic=table pairs. Tables: " + SinkTable.tableNames() + ".")
            .define(BATCH_MAX_ROWS, Type.INT, 50_000, Range.between(1, 10_000_000), Importance.MEDIUM,
                    "Rows buffered per table before they are written.")
            .define(BATCH_MAX_BYTES, Type.LONG, 16L * 1024 * 1024, Range.between(1024, 1L << 31), Importance.MEDIUM,
                    "Encoded bytes buffered per table before they are written.")
            .define(BATCH_MAX_WAIT_MS, Type.LONG, 1_000L, Range.between(0, 3_600_000), Importance.MEDIUM,
                    "Longest time a buffered row waits before it is written.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 2_000L, Range.between(10, 600_000), Importance.LOW,
                    "Wait before retrying after a transient ClickHouse failure.")
            .define(RETRY_MAX_ATTEMPTS, Type.INT, 150, Range.between(0, 1_000_000), Importance.LOW,
                    "Consecutive transient failures tolerated before the task stops.")
            .define(SOCKET_TIMEOUT_MS, Type.INT, 60_000, Range.between(1_000, 3_600_000), Importance.LOW,
                    "Read timeout of one ClickHouse request.")
            .define(RAW_TTL_DAYS, Type.INT, 90, Range.between(0, 36_500), Importance.MEDIUM,
                    "Days raw rows (probe results, domain observations, events) are kept; 0 keeps them forever.")
            .define(MIGRATE_ON_START, Type.BOOLEAN, true, Importance.LOW,
                    "Create or upgrade the tables when the connector starts.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Confluent-compatible schema registry that decodes the records' Avro (values are read with "
                            + "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter).");

    public ClickHouseSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        ClickHouseMigrations.requireIdentifier(getString(DATABASE));
        topicTables();
    }

    /** Topic name to table, from {@value #TOPIC_TABLES}; fails naming the entry that is wrong. */
    public Map<String, SinkTable> topicTables() {
        Map<String, SinkTable> map = new LinkedHashMap<>();
        for (String entry : getList(TOPIC_TABLES)) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new ConfigException(TOPIC_TABLES, entry, "each entry must be topic=table");
            }
            String topic = entry.substring(0, eq).strip();
            String table = entry.substring(eq + 1).strip();
            SinkTable sinkTable = SinkTable.byTable(table).orElseThrow(() -> new ConfigException(TOPIC_TABLES, entry,
                    "unknown table '" + table + "'; the tables are " + SinkTable.tableNames()));
            if (map.put(topic, sinkTable) != null) {
                throw new ConfigException(TOPIC_TABLES, entry, "topic '" + topic + "' is mapped twice");
            }
        }
        return map;
    }

    /** Fails when a topic the connector reads has no table. */
    public void requireTablesFor(List<String> topics) {
        Map<String, SinkTable> map = topicTables();
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            if (!topic.isBlank() && !map.containsKey(topic.strip())) {
                missing.add(topic.strip());
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(TOPIC_TABLES, getList(TOPIC_TABLES), "topics " + missing
                    + " are read by the connector but have no table: add topic=table entries");
        }
    }

    public String url() {
        return getString(URL);
    }

    public String database() {
        return getString(DATABASE);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public long batchMaxWaitMs() {
        return getLong(BATCH_MAX_WAIT_MS);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public int retryMaxAttempts() {
        return getInt(RETRY_MAX_ATTEMPTS);
    }

    public int rawTtlDays() {
        return getInt(RAW_TTL_DAYS);
    }

    public boolean migrateOnStart() {
        return getBoolean(MIGRATE_ON_START);
    }

    public String user() {
        return getString(USER);
    }

    public String password() {
        Password password = getPassword(PASSWORD);
        return password == null ? "" : password.value();
    }

    /** A client-v2 client for these settings. */
    public Client client() {
        return client(url(), user(), password(), database(), getInt(SOCKET_TIMEOUT_MS));
    }

    /**
     * A client-v2 client. The client's own retries are off: the task retries whole batches itself, with its
     * backoff and its bound, and must see every failure to classify it. Requests go uncompressed: RowBinary is
     * compact, and on loopback compression costs more CPU than it saves.
     */
    static Client client(String url, String user, String password, String database, int socketTimeoutMs) {
        return new Client.Builder()
                .addEndpoint(url)
                .setUsername(user)
                .setPassword(password)
                .setDefaultDatabase(database)
                .setConnectTimeout(5_000, ChronoUnit.MILLIS)
                .setSocketTimeout(socketTimeoutMs, ChronoUnit.MILLIS)
                .setMaxRetries(0)
                .compressClientRequest(false)
                .build();
    }

    /** The settings the schemas module's registry client reads (URL, credentials, TLS, timeouts). */
    public Map<String, Object> registryConfigs() {
        return new LinkedHashMap<>(originals());
    }
}
