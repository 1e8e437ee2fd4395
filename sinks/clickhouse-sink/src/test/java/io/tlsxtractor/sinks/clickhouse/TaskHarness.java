package io.tlsxtractor.sinks.clickhouse;

import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.serde.AvroSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Drives a {@link ClickHouseSinkTask} the way the Connect runtime does (start, put, preCommit, stop) with real
 * SinkRecords whose values are Confluent-wire-format Avro registered in the real registry. The errant-record
 * reporter records what the task reports: the worker-level tests check the real dead-letter topic.
 */
final class TaskHarness implements AutoCloseable {

    record Reported(SinkRecord record, Throwable error) {
    }

    final ClickHouseSinkTask task = new ClickHouseSinkTask();
    final List<Reported> reported = new ArrayList<>();
    long lastTimeoutMs = -1;
    private final AvroSerializer<Object> serializer;
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();

    TaskHarness(Map<String, String> props, SchemaRegistryClient registry) {
        serializer = new AvroSerializer<>(registry, true, false);
        task.initialize(new SinkTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public void offset(Map<TopicPartition, Long> offsets) {
            }

            @Override
            public void offset(TopicPartition tp, long offset) {
            }

            @Override
            public void timeout(long timeoutMs) {
                lastTimeoutMs = timeoutMs;
            }

            @Override
            public Set<TopicPartition> assignment() {
                return new HashSet<>(nextOffset.keySet());
            }

            @Override
            public void pause(TopicPartition... partitions) {
            }

            @Override
            public void resume(TopicPartition... partitions) {
            }

            @Override
            public void requestCommit() {
            }

            @Override
            public ErrantRecordReporter errantRecordReporter() {
                return (record, error) -> {
                    synchronized (reported) {
                        reported.add(new Reported(record, error));
                    }
                    Future<Void> done = CompletableFuture.completedFuture(null);
                    return done;
                };
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
    }

    /** The next record of {@code topic} partition 0, its value serialized as the producers of the pipeline do. */
    SinkRecord record(String topic, Object value) {
        return raw(topic, serializer.serialize(topic, value));
    }

    SinkRecord raw(String topic, byte[] value) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long offset = nextOffset.merge(tp, 1L, Long::sum) - 1;
        return new SinkRecord(topic, 0, null, "key", null, value, offset, TestRecords.NOW.toEpochMilli(),
                TimestampType.CREATE_TIME);
    }

    void put(Collection<SinkRecord> records) {
        task.put(records);
    }

    /** What the runtime does before it commits offsets; returns what the task lets it commit. */
    Map<TopicPartition, OffsetAndMetadata> commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffset.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        return task.preCommit(offsets);
    }

    @Override
    public void close() {
        task.stop();
    }
}
