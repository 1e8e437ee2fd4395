package io.tlsxtractor.sinks.neo4j;

import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import io.tlsxtractor.schemas.serde.AvroDeserializer;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import io.tlsxtractor.sinks.neo4j.internal.GraphFacts;
import io.tlsxtractor.sinks.neo4j.internal.GraphMapper;
import io.tlsxtractor.sinks.neo4j.internal.GraphWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each record's value (Confluent wire-format Avro, read with the registry into the generated classes), maps
 * it to graph facts and writes them in batches, one transaction per batch.
 *
 * <p>Three kinds of failure: a transient Neo4j or registry error makes Connect redeliver the batch after the backoff
 * ({@link RetriableException}; the writes are idempotent); a record that cannot be decoded or mapped, or that Neo4j
 * refuses, goes to the errant-record reporter (the dead-letter queue) with the reason, and the rest loads (a failed
 * batch is retried record by record to find it); without a dead-letter queue such a record fails the task.
 */
public class Neo4jSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(Neo4jSinkTask.class);

    private Neo4jSinkConfig config;
    private Driver driver;
    private GraphWriter writer;
    private SchemaRegistryClient registry;
    private final Map<String, AvroDeserializer<?>> deserializers = new ConcurrentHashMap<>();
    private ErrantRecordReporter reporter;
    private boolean schemaReady;
    private long relationshipsWritten;

    @Override
    public String version() {
        return Neo4jSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new Neo4jSinkConfig(props);
        Map<String, Object> serde = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("schema.registry.") || k.startsWith("basic.auth.")) {
                serde.put(k, v);
            }
        });
        registry = AvroSerdeConfig.client(serde);
        driver = GraphDatabase.driver(config.uri(), AuthTokens.basic(config.user(), config.password().value()),
                Config.builder()
                        .withConnectionTimeout(config.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        // Transient errors go back to Connect, which redelivers after the backoff: keep the driver's
                        // own retry short so put() does not block the consumer for long.
                        .withMaxTransactionRetryTime(10, TimeUnit.SECONDS)
                        .withLogging(Logging.slf4j())
                        .withUserAgent("tlsxtractor-neo4j-sink/" + version())
                        .build());
        writer = new GraphWriter(driver, config.database());
        reporter = errantRecordReporter();
        try {
            driver.verifyConnectivity();
            ensureSchema();
        } catch (Neo4jException e) {
            if (!GraphWriter.isTransient(e)) {
                driver.close();
                throw new ConnectException("Cannot use Neo4j at " + config.uri() + " (database " + config.database()
                        + ", user " + config.user() + "): " + e.getMessage(), e);
            }
            LOG.warn("Neo4j at {} is not reachable yet ({}); the graph schema is created at the first write",
                    config.uri(), e.getMessage());
        }
        LOG.info("Neo4j sink task writing to {} database {} in batches of {} (dead-letter queue: {})", config.uri(),
                config.database(), config.batchSize(), reporter != null ? "yes" : "no, a bad record fails the task");
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError olderWorker) {
            return null;
        }
    }

    /** Replaces the reporter Connect gives; for driving the task outside a worker (tests, the benchmark). */
    void useReporter(ErrantRecordReporter errantRecordReporter) {
        this.reporter = errantRecordReporter;
    }

    private void ensureSchema() {
        if (!schemaReady) {
            GraphSchema.create(driver, config.database());
            schemaReady = true;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<SinkRecord> batch = new ArrayList<>(config.batchSize());
        List<GraphFacts> facts = new ArrayList<>(config.batchSize());
        try {
            ensureSchema();
            for (SinkRecord record : records) {
                GraphFacts mapped = decodeAndMap(record);
                if (mapped == null) {
                    continue;
                }
                batch.add(record);
                facts.add(mapped);
                if (batch.size() >= config.batchSize()) {
                    writeBatch(batch, facts);
                    batch.clear();
                    facts.clear();
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(batch, facts);
            }
        } catch (Neo4jException e) {
            if (GraphWriter.isTransient(e)) {
                throw retry("Neo4j at " + config.uri() + " failed transiently: " + e.getMessage(), e);
            }
            throw new ConnectException("Neo4j at " + config.uri() + " refused the graph schema: " + e.getMessage(), e);
        }
    }

    private GraphFacts decodeAndMap(SinkRecord record) {
        Object value;
        try {
            value = decode(record);
        } catch (SerializationException e) {
            SchemaRegistryException cause = registryCause(e);
            if (cause != null && (cause.kind() == SchemaRegistryException.Kind.UNREACHABLE
                    || cause.kind() == SchemaRegistryException.Kind.SERVER_ERROR)) {
                throw retry("the schema registry failed transiently: " + e.getMessage(), e);
            }
            report(record, "cannot decode the value: " + e.getMessage(), e);
            return null;
        } catch (DataException e) {
            report(record, e.getMessage(), e);
            return null;
        }
        try {
            return GraphMapper.map(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            report(record, "cannot map the " + value.getClass().getSimpleName() + " to the graph: " + e.getMessage(), e);
            return null;
        }
    }

    private Object decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw new DataException("the value is null (a tombstone): the graph keeps what it learnt");
        }
        if (!(value instanceof byte[] bytes)) {
            throw new DataException("the value is a " + value.getClass().getName() + ", not bytes: set value.converter="
                    + Neo4jSinkConfig.BYTE_ARRAY_CONVERTER);
        }
        AvroDeserializer<?> deserializer = deserializers.computeIfAbsent(record.topic(), this::deserializerFor);
        Object decoded = deserializer.deserialize(record.topic(), bytes);
        if (decoded == null) {
            throw new DataException("the value decodes to null");
        }
        return decoded;
    }

    private AvroDeserializer<?> deserializerFor(String topic) {
        TopicSpec<?, ?> spec = Topics.byName(topic).filter(s -> Neo4jSinkConfig.SUPPORTED_TOPICS.contains(s.name()))
                .orElseThrow(() -> new DataException("topic '" + topic + "' has no graph mapping; supported: "
                        + Neo4jSinkConfig.SUPPORTED_TOPICS));
        return deserializer(spec);
    }

    private <V> AvroDeserializer<V> deserializer(TopicSpec<?, V> spec) {
        return new AvroDeserializer<>(registry, spec.valueClass());
    }

    private static SchemaRegistryException registryCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException s) {
                return s;
            }
        }
        return null;
    }

    private void writeBatch(List<SinkRecord> batch, List<GraphFacts> facts) {
        long started = System.nanoTime();
        try {
            int rels = writer.write(facts);
            relationshipsWritten += rels;
            LOG.info("Wrote {} records ({} relationships) to Neo4j in {} ms", batch.size(), rels,
                    (System.nanoTime() - started) / 1_000_000);
            return;
        } catch (Neo4jException e) {
            if (GraphWriter.isTransient(e) || batch.size() == 1) {
                throw e;
            }
            LOG.warn("A batch of {} records failed in Neo4j ({}); retrying record by record to find the bad ones",
                    batch.size(), e.getMessage());
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                relationshipsWritten += writer.write(List.of(facts.get(i)));
            } catch (Neo4jException e) {
                if (GraphWriter.isTransient(e)) {
                    throw e;
                }
                report(batch.get(i), "Neo4j refused the record's graph facts: " + e.getMessage(), e);
            }
        }
    }

    private void report(SinkRecord record, String reason, Throwable cause) {
        String where = record.topic() + "/" + record.kafkaPartition() + "@" + record.kafkaOffset();
        if (reporter == null) {
            throw new ConnectException("Record " + where + ": " + reason + " (no dead-letter queue is configured:"
                    + " set errors.tolerance=all and errors.deadletterqueue.topic.name)", cause);
        }
        LOG.warn("Record {} goes to the dead-letter queue: {}", where, reason);
        try {
            reporter.report(record, new DataException(reason, cause)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting record " + where + " to the dead-letter queue", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConnectException("Cannot send record " + where + " to the dead-letter queue: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private RetriableException retry(String message, Throwable cause) {
        Duration backoff = config.retryBackoff();
        if (context != null) {
            context.timeout(backoff.toMillis());
        }
        LOG.warn("{}; Connect redelivers the batch in {} ms", message, backoff.toMillis());
        return new RetriableException(message, cause);
    }

    /** Relationship rows written since the task started (a replayed record counts again). */
    public long relationshipsWritten() {
        return relationshipsWritten;
    }

    @Override
    public void stop() {
        if (driver != null) {
            driver.close();
        }
        if (registry instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Closing the schema registry client failed", e);
            }
        }
    }
}
