package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Files of targets on {@code tlsx.scan-inputs.v1}: {@link #upload} writes one (the command, for an ingest on another
 * machine), {@link #open} reads it back as the file's bytes (the ingest). See {@link UploadedInput}.
 */
public final class ScanInputs {

    /** Header holding the upload's id on every chunk. */
    public static final String UPLOAD_ID_HEADER = "tlsx.upload-id";
    /** Header holding a chunk's number in its upload, from 0. */
    public static final String PART_HEADER = "tlsx.part";
    /** Bytes per chunk: well under the 1 MB a record may have by default, with room for the batch overhead. */
    public static final int CHUNK_BYTES = 256 * 1024;

    private static final String MISSING_TOPIC_HINT = " (does the topic exist? 'tlsxtractor topics create' creates it)";

    /** Opens an uploaded file for reading; what the ingest's target stream uses for {@code UPLOAD} targets. */
    @FunctionalInterface
    public interface Opener {
        InputStream open(UploadedInput input) throws IOException;
    }

    private ScanInputs() {
    }

    /**
     * Uploads {@code file} for scan {@code scanId}: its bytes in chunks of {@link #CHUNK_BYTES}, keyed by the scan id
     * (so all land on one partition, in order).
     *
     * @param producer a producer of raw bytes to the cluster (acks=all and idempotence: a chunk lost or written twice
     *     would shift every later line)
     * @throws IOException when the file cannot be read or a chunk cannot be written within {@code timeout}; the message
     *     says which
     */
    public static UploadedInput upload(Producer<byte[], byte[]> producer, String scanId, Path file, Duration timeout)
            throws IOException {
        String topic = Topics.SCAN_INPUTS.name();
        String uploadId = UUID.randomUUID().toString();
        byte[] key = Topics.SCAN_INPUTS.keySerde().serializer().serialize(topic, scanId);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            // Until a short chunk: an empty file is one empty chunk, and a file of whole chunks ends with an empty one.
            byte[] chunk;
            int part = 0;
            do {
                chunk = in.readNBytes(CHUNK_BYTES);
                RecordHeaders headers = new RecordHeaders();
                headers.add(UPLOAD_ID_HEADER, uploadId.getBytes(StandardCharsets.UTF_8));
                headers.add(PART_HEADER, Integer.toString(part++).getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(topic, null, key, chunk, headers)));
            } while (chunk.length == CHUNK_BYTES);
        } catch (KafkaException e) {
            // A missing topic shows here: the send waits for its metadata until the producer's max.block.ms.
            throw new IOException("cannot upload " + file + " to " + topic + ": " + e.getMessage() + MISSING_TOPIC_HINT, e);
        }
        producer.flush();
        RecordMetadata first = null;
        RecordMetadata last = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> future : sent) {
            RecordMetadata metadata;
            try {
                metadata = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while uploading " + file + " to " + topic, e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                throw new IOException("cannot upload " + file + " to " + topic + ": " + cause.getMessage()
                        + MISSING_TOPIC_HINT, cause);
            }
            if (first == null) {
                first = metadata;
            } else if (metadata.partition() != first.partition()) {
                // Only if the topic's partitions changed during the upload: the chunks are no longer one run.
                throw new IOException("cannot upload " + file + " to " + topic + ": its chunks went to partitions "
                        + first.partition() + " and " + metadata.partition() + "; try again");
            }
            last = metadata;
        }
        return new UploadedInput(topic, first.partition(), first.offset(), last.offset(), uploadId,
                file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    /**
     * An opener reading uploads with its own consumer per upload (no group: it reads by offset), closed with the stream.
     *
     * @param clientProperties extra Kafka client properties (security...)
     * @param stallTimeout how long a read may wait for the next chunk before it fails
     */
    public static Opener opener(String bootstrapServers, Map<String, String> clientProperties, Duration stallTimeout) {
        return input -> open(input, bootstrapServers, clientProperties, stallTimeout);
    }

    /**
     * The bytes of {@code input}: its chunks in order, or an {@link IOException} saying what is missing (chunks older
     * than the topic's retention, a chunk missing from the run, a cluster that does not answer).
     */
    public static InputStream open(UploadedInput input, String bootstrapServers, Map<String, String> clientProperties,
            Duration stallTimeout) throws IOException {
        if (!Topics.SCAN_INPUTS.name().equals(input.topic())) {
            // A request must not make the ingest read (and report lines of) any other topic.
            throw new IOException("uploads are read from " + Topics.SCAN_INPUTS.name() + " only, not " + input.topic());
        }
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tlsx-ingest-upload-reader");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            return new ChunkStream(consumer, input, stallTimeout);
        } catch (IOException | RuntimeException e) {
            consumer.close(Duration.ofSeconds(5));
            throw e;
        }
    }

    /** The chunks of one upload as one stream of bytes. */
    private static final class ChunkStream extends InputStream {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final UploadedInput input;
        private final Duration stallTimeout;
        private Iterator<ConsumerRecord<byte[], byte[]>> polled = Collections.emptyIterator();
        private byte[] chunk = new byte[0];
        private int position;
        private int nextPart;
        private boolean lastRead;

        ChunkStream(KafkaConsumer<byte[], byte[]> consumer, UploadedInput input, Duration stallTimeout)
                throws IOException {
            this.consumer = consumer;
            this.input = input;
            this.stallTimeout = stallTimeout;
            TopicPartition tp = new TopicPartition(input.topic(), input.partition());
            long earliest;
            long end;
            try {
                consumer.assign(List.of(tp));
                earliest = consumer.beginningOffsets(List.of(tp), stallTimeout).getOrDefault(tp, 0L);
                end = consumer.endOffsets(List.of(tp), stallTimeout).getOrDefault(tp, 0L);
            } catch (KafkaException e) {
                throw new IOException("cannot read it from " + tp + ": " + e.getMessage(), e);
            }
            if (earliest > input.firstOffset()) {
                throw new IOException("its chunks are no longer on " + tp + " (offsets " + input.firstOffset() + "-"
                        + input.lastOffset() + "; the topic now starts at " + earliest + ": older than its retention)");
            }
            if (end <= input.lastOffset()) {
                throw new IOException("its chunks are not on " + tp + " (offsets " + input.firstOffset() + "-"
                        + input.lastOffset() + "; the partition ends at " + end + ")");
            }
            consumer.seek(tp, input.firstOffset());
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return chunk[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        /** Makes unread bytes available; false at the end of the upload. */
        private boolean fill() throws IOException {
            while (position >= chunk.length) {
                if (lastRead) {
                    return false;
                }
                ConsumerRecord<byte[], byte[]> record = nextRecord();
                if (record.offset() > input.lastOffset()) {
                    throw new IOException("chunk " + nextPart + " and later are missing: nothing of upload "
                            + input.uploadId() + " up to offset " + input.lastOffset());
                }
                if (!input.uploadId().equals(header(record, UPLOAD_ID_HEADER))) {
                    if (record.offset() == input.lastOffset()) {
                        throw new IOException("the record at offset " + record.offset() + " is not the last chunk of "
                                + "upload " + input.uploadId());
                    }
                    continue;
                }
                String part = header(record, PART_HEADER);
                if (!Integer.toString(nextPart).equals(part)) {
                    throw new IOException("chunk " + nextPart + " is missing (offset " + record.offset()
                            + " holds chunk " + part + ")");
                }
                nextPart++;
                chunk = record.value() == null ? new byte[0] : record.value();
                position = 0;
                lastRead = record.offset() == input.lastOffset();
            }
            return true;
        }

        private ConsumerRecord<byte[], byte[]> nextRecord() throws IOException {
            long deadline = System.nanoTime() + stallTimeout.toNanos();
            while (!polled.hasNext()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no chunk arrived within " + stallTimeout.toSeconds() + " s (chunk "
                            + nextPart + ")");
                }
                try {
                    polled = consumer.poll(Duration.ofMillis(200)).iterator();
                } catch (KafkaException e) {
                    throw new IOException("reading chunk " + nextPart + " failed: " + e.getMessage(), e);
                }
            }
            return polled.next();
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
