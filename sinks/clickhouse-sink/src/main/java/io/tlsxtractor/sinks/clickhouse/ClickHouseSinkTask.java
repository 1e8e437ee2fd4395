package io.tlsxtractor.sinks.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import io.tlsxtractor.schemas.serde.AvroDeserializer;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import io.tlsxtractor.sinks.clickhouse.internal.ClickHouseErrors;
import io.tlsxtractor.sinks.clickhouse.internal.SinkTable;
import io.tlsxtractor.sinks.clickhouse.internal.TableBatch;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the records' Confluent-wire-format Avro into the generated classes, encodes them as RowBinary rows per
 * table, and writes each table's rows in large INSERTs.
 *
 * <p>Batching: rows are buffered in {@link #put}; a table's buffer is written when it reaches
 * {@code clickhouse.batch.max.rows} or {@code .bytes}, when its oldest row is {@code .wait.ms} old (the task asks the
 * runtime to call {@code put} again in time), and always before offsets are committed ({@link #preCommit}). Offsets
 * are therefore committed only for rows ClickHouse has acknowledged: at-least-once.
 *
 * <p>Redelivery does not double anything: (1) each INSERT carries a deduplication token built from the
 * topic-partition offset ranges it holds, so re-sending the same batch (after a timeout whose INSERT had in fact
 * succeeded, or after {@code put} was retried) is dropped by the server; (2) after a crash the runtime replays
 * from the last committed offset and batches may be cut differently, so tokens differ: then the tables'
 * ReplacingMergeTree keys (natural keys; see V1__tables.sql) collapse the copies in FINAL queries and merges, and
 * the dashboard aggregates count distinct keys. (3) When {@code put} is retried after a transient failure the
 * runtime hands the same records again; offsets already buffered are skipped.
 *
 * <p>Failures: transient ones (server down, timeouts, too many parts, 5xx) make {@code put} throw
 * {@link RetriableException} after asking for a backoff, at most {@code clickhouse.retry.max.attempts} times in a
 * row; a record that cannot be decoded or mapped, or a row the server refuses, goes to the errant-record reporter
 * (the DLQ) with the reason; configuration errors (unknown database or table, authentication) stop the task with
 * the reason.
 */
public class ClickHouseSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkTask.class);
    private static final long INSERT_TIMEOUT_SECONDS = 300;

    private ClickHouseSinkConfig config;
    private Client client;
    private SchemaRegistryClient registry;
    private Map<String, SinkTable> topicTables;
    private final Map<SinkTable, AvroDeserializer<Object>> decoders = new EnumMap<>(SinkTable.class);
    private final Map<SinkTable, TableBatch> batches = new EnumMap<>(SinkTable.class);
    private final Map<TopicPartition, Long> bufferedUpTo = new HashMap<>();
    private final List<Future<Void>> pendingReports = new ArrayList<>();
    private ErrantRecordReporter reporter;
    private int consecutiveFailures;
    private RuntimeException fatal;
    private long rowsWritten;

    @Override
    public String version() {
        return ClickHouseSinkConnector.VERSION;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start(Map<String, String> props) {
        config = new ClickHouseSinkConfig(props);
        topicTables = config.topicTables();
        registry = AvroSerdeConfig.client(config.registryConfigs());
        for (SinkTable table : SinkTable.values()) {
            decoders.put(table, new AvroDeserializer<>(registry, (Class<Object>) table.type()));
            batches.put(table, new TableBatch(table));
        }
        client = config.client();
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError oldRuntime) {
            reporter = null;
        }
        checkTables();
        LOG.info("ClickHouse sink task started: {} database {}, tables {}, batches of {} rows / {} bytes / {} ms",
                config.url(), config.database(), topicTables, config.batchMaxRows(), config.batchMaxBytes(),
                config.batchMaxWaitMs());
    }

    /**
     * Fails the start on configuration errors (unknown database, missing tables, refused credentials). A server
     * that is merely down is not a reason to fail: the first write retries until it is back.
     */
    private void checkTables() {
        List<String> wanted = topicTables.values().stream().map(SinkTable::table).distinct().toList();
        try {
            List<GenericRecord> rows = client.queryAll("SELECT name FROM system.tables WHERE database = '"
                    + config.database() + "'");
            List<String> present = rows.stream().map(r -> r.getString("name")).toList();
            List<String> missing = wanted.stream().filter(t -> !present.contains(t)).toList();
            if (!missing.isEmpty()) {
                throw new ConnectException("ClickHouse database '" + config.database() + "' at " + config.url()
                        + " lacks the tables " + missing + ": run the migrations (" + ClickHouseSinkConfig.MIGRATE_ON_START
                        + "=true on the connector, or tlsxtractor sinks migrate)");
            }
        } catch (ConnectException e) {
            throw e;
        } catch (RuntimeException e) {
            if (ClickHouseErrors.classify(e) == ClickHouseErrors.Kind.CONFIGURATION) {
                throw new ConnectException(ClickHouseErrors.describe("checking the tables in database '"
                        + config.database() + "' at " + config.url(), e).getMessage(), e);
            }
            LOG.warn("ClickHouse at {} cannot be reached at task start ({}); writes will retry",
                    config.url(), ClickHouseErrors.rootMessage(e));
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (fatal != null) {
            throw fatal;
        }
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            Long done = bufferedUpTo.get(tp);
            if (done != null && record.kafkaOffset() <= done) {
                continue;
            }
            accept(record);
            bufferedUpTo.put(tp, record.kafkaOffset());
        }
        boolean due = false;
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(config.batchMaxWaitMs());
        long oldest = 0;
        for (TableBatch batch : batches.values()) {
            due |= batch.rowCount() >= config.batchMaxRows() || batch.byteCount() >= config.batchMaxBytes()
                    || (!batch.isEmpty() && batch.ageNanos() >= waitNanos);
            oldest = Math.max(oldest, batch.ageNanos());
        }
        if (due) {
            writeAllOrRetry();
        } else if (oldest > 0) {
            // Without new records put() is not called again: ask for a call when the oldest row is due.
            context.timeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos - oldest)));
        }
    }

    private void accept(SinkRecord record) {
        SinkTable table = topicTables.get(record.topic());
        if (table == null) {
            throw new ConnectException("Record from topic '" + record.topic() + "' but " + ClickHouseSinkConfig.TOPIC_TABLES
                    + " maps no table to it (" + topicTables.keySet() + ")");
        }
        Object value = record.value();
        if (value == null) {
            // A tombstone of a compacted topic: the tables keep the last version of a deleted key (history).
            return;
        }
        if (!(value instanceof byte[] bytes)) {
            throw new ConnectException("Record value from topic '" + record.topic() + "' is a "
                    + value.getClass().getName() + ", not bytes: configure the connector with "
                    + "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        }
        Object decoded;
        try {
            decoded = decoders.get(table).deserialize(record.topic(), bytes);
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registryError && registryError.retriable()) {
                context.timeout(config.retryBackoffMs());
                throw new RetriableException("Schema registry unavailable while decoding " + position(record) + ": "
                        + registryError.getMessage(), e);
            }
            report(record, new DataException("Cannot decode " + position(record) + " as " + table.type().getSimpleName()
                    + ": " + e.getMessage(), e));
            return;
        }
        try {
            batches.get(table).add(record, decoded);
        } catch (IllegalArgumentException | NullPointerException e) {
            report(record, new DataException("Cannot map " + position(record) + " to table " + table.table() + ": "
                    + e.getMessage(), e));
        }
    }

    private void report(SinkRecord record, DataException reason) {
        if (reporter == null) {
            throw new ConnectException(reason.getMessage() + " (no errant-record reporter: set errors.tolerance=all "
                    + "and errors.deadletterqueue.topic.name to send such records to a dead-letter topic)", reason);
        }
        LOG.debug("To the dead-letter topic: {}", reason.getMessage());
        pendingReports.add(reporter.report(record, reason));
    }

    /** put() path: a transient failure keeps the rows buffered and asks the runtime to retry after the backoff. */
    private void writeAllOrRetry() {
        try {
            writeAll();
            consecutiveFailures = 0;
        } catch (TransientWriteException e) {
            consecutiveFailures++;
            if (consecutiveFailures > config.retryMaxAttempts()) {
                throw new ConnectException("ClickHouse at " + config.url() + " failed " + consecutiveFailures
                        + " times in a row (" + ClickHouseSinkConfig.RETRY_MAX_ATTEMPTS + "=" + config.retryMaxAttempts()
                        + "); last: " + e.getMessage(), e.getCause());
            }
            LOG.warn("ClickHouse write failed ({} of at most {}), retrying in {} ms: {}", consecutiveFailures,
                    config.retryMaxAttempts(), config.retryBackoffMs(), e.getMessage());
            context.timeout(config.retryBackoffMs());
            throw new RetriableException(e.getMessage(), e.getCause());
        }
    }

    /**
     * Writes what is buffered, then waits for the dead-letter reports: only then may the offsets be committed. A
     * write that fails commits nothing this time; the rows stay buffered for the next put or commit.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            writeAll();
            consecutiveFailures = 0;
        } catch (TransientWriteException e) {
            consecutiveFailures++;
            LOG.warn("ClickHouse write before an offset commit failed; committing nothing this time: {}", e.getMessage());
            return Map.of();
        } catch (ConnectException e) {
            fatal = e;
            return Map.of();
        }
        awaitReports();
        return currentOffsets;
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit writes; nothing else is buffered.
    }

    private void awaitReports() {
        for (Future<Void> report : pendingReports) {
            try {
                report.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new ConnectException("Could not send a record to the dead-letter topic: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new RetriableException("Dead-letter topic did not acknowledge a record within 60 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while waiting for the dead-letter topic", e);
            }
        }
        pendingReports.clear();
    }

    private void writeAll() {
        for (TableBatch batch : batches.values()) {
            if (batch.isEmpty()) {
                continue;
            }
            long started = System.nanoTime();
            int rows = batch.rowCount();
            try {
                insert(batch, 0, rows, batch.deduplicationToken());
            } catch (BadDataException e) {
                LOG.warn("ClickHouse refused a batch of {} rows for {} ({}); re-sending row by row so that only the bad "
                        + "rows go to the dead-letter topic", rows, batch.table().table(), e.getMessage());
                insertOneByOne(batch);
            }
            rowsWritten += rows;
            LOG.info("Wrote {} rows ({} bytes) to {}.{} in {} ms", rows, batch.byteCount(), config.database(),
                    batch.table().table(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            batch.clear();
        }
    }

    private void insertOneByOne(TableBatch batch) {
        for (int i = 0; i < batch.rowCount(); i++) {
            SinkRecord record = batch.records().get(i);
            try {
                insert(batch, i, i + 1, batch.table().table() + ":" + position(record));
            } catch (BadDataException e) {
                report(record, new DataException("ClickHouse refused " + position(record) + " for table "
                        + batch.table().table() + ": " + e.getMessage(), e.getCause()));
            }
        }
    }

    private void insert(TableBatch batch, int fromRow, int toRow, String token) {
        int from = batch.rowStart(fromRow);
        int to = batch.rowStart(toRow);
        InsertSettings settings = new InsertSettings().setDeduplicationToken(token);
        try (InsertResponse ignored = client.insert(config.database() + "." + batch.table().table(), batch.table().columns(),
                new ByteArrayInputStream(batch.bytes(), from, to - from), ClickHouseFormat.RowBinary, settings)
                .get(INSERT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.debug("Inserted rows {}-{} into {}", fromRow, toRow, batch.table().table());
        } catch (ExecutionException e) {
            throw classified(batch, e.getCause());
        } catch (TimeoutException e) {
            throw new TransientWriteException("INSERT into " + batch.table().table() + " took longer than "
                    + INSERT_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientWriteException("Interrupted during an INSERT into " + batch.table().table(), e);
        } catch (RuntimeException e) {
            throw classified(batch, e);
        } catch (Exception e) {
            throw classified(batch, e);
        }
    }

    private RuntimeException classified(TableBatch batch, Throwable error) {
        String message = "INSERT into " + config.database() + "." + batch.table().table() + " at " + config.url() + ": "
                + ClickHouseErrors.rootMessage(error);
        return switch (ClickHouseErrors.classify(error)) {
            case TRANSIENT -> new TransientWriteException(message, error);
            case BAD_DATA -> new BadDataException(message, error);
            case CONFIGURATION -> new ConnectException(message + " (a configuration error: check "
                    + ClickHouseSinkConfig.URL + ", " + ClickHouseSinkConfig.USER + ", " + ClickHouseSinkConfig.PASSWORD
                    + ", " + ClickHouseSinkConfig.DATABASE + " and the migrations)", error);
        };
    }

    private static String position(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    /** Rows written since the task started (for logs and the benchmark). */
    public long rowsWritten() {
        return rowsWritten;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        // Partitions leave after the runtime's commit (preCommit wrote their rows); a later owner starts fresh.
        for (TopicPartition tp : partitions) {
            bufferedUpTo.remove(tp);
        }
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
        }
        LOG.info("ClickHouse sink task stopped after writing {} rows", rowsWritten);
    }

    /** The server is down, slow or busy: the rows are fine and stay buffered. */
    private static final class TransientWriteException extends RuntimeException {
        TransientWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server refused the rows themselves. */
    private static final class BadDataException extends RuntimeException {
        BadDataException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
