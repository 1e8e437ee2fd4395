package io.tlsxtractor.sinks.clickhouse.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The rows buffered for one table: their RowBinary bytes, where each row starts (to re-send rows one by one when
 * the server refuses a batch), the records they came from (for the dead-letter topic) and the Kafka offset range
 * per topic-partition (the batch's deduplication token).
 */
public final class TableBatch {

    private final SinkTable table;
    private final RowBinary rows = new RowBinary(1 << 16);
    private final List<SinkRecord> records = new ArrayList<>();
    private int[] rowStarts = new int[1024];
    private final Map<String, long[]> ranges = new TreeMap<>();
    private long firstAddedNanos;

    public TableBatch(SinkTable table) {
        this.table = table;
    }

    public SinkTable table() {
        return table;
    }

    /** Encodes {@code value} as one row; on bad data nothing is buffered and the exception says why. */
    public void add(SinkRecord record, Object value) {
        int start = rows.size();
        table.write(value, record.kafkaPartition(), record.kafkaOffset(), rows);
        if (records.size() == rowStarts.length) {
            rowStarts = java.util.Arrays.copyOf(rowStarts, rowStarts.length * 2);
        }
        if (records.isEmpty()) {
            firstAddedNanos = System.nanoTime();
        }
        rowStarts[records.size()] = start;
        records.add(record);
        long[] range = ranges.computeIfAbsent(record.topic() + "-" + record.kafkaPartition(),
                k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        range[0] = Math.min(range[0], record.kafkaOffset());
        range[1] = Math.max(range[1], record.kafkaOffset());
    }

    public int rowCount() {
        return records.size();
    }

    public int byteCount() {
        return rows.size();
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** Nanoseconds since the oldest buffered row was added (0 when empty). */
    public long ageNanos() {
        return records.isEmpty() ? 0 : System.nanoTime() - firstAddedNanos;
    }

    public byte[] bytes() {
        return rows.array();
    }

    public List<SinkRecord> records() {
        return records;
    }

    /** Byte offset of row {@code i}; {@code i == rowCount()} gives the end. */
    public int rowStart(int i) {
        return i == records.size() ? rows.size() : rowStarts[i];
    }

    /**
     * {@code <table>:<topic>-<partition>:<first>-<last>,...}: the same records always give the same token, so a
     * batch re-sent after a lost acknowledgement is dropped by the server instead of inserted twice.
     */
    public String deduplicationToken() {
        StringBuilder token = new StringBuilder(table.table()).append(':');
        ranges.forEach((tp, r) -> token.append(tp).append(':').append(r[0]).append('-').append(r[1]).append(','));
        token.append(records.size());
        return token.toString();
    }

    public void clear() {
        rows.clear();
        records.clear();
        ranges.clear();
        if (rowStarts.length > 1 << 16) {
            rowStarts = new int[1024];
        }
    }
}
