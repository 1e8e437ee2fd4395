package io.tlsxtractor.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The {@code tlsx.error.*} headers a dead-letter record carries: why it failed and where it came from. Values are
 * UTF-8 text (the time as ISO-8601) so that any tool can show them.
 */
public final class DlqHeaders {

    public static final String PREFIX = "tlsx.error.";
    public static final String REASON = PREFIX + "reason";
    public static final String EXCEPTION_CLASS = PREFIX + "exception.class";
    public static final String EXCEPTION_MESSAGE = PREFIX + "exception.message";
    public static final String SOURCE_TOPIC = PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = PREFIX + "source.offset";
    public static final String TIME = PREFIX + "time";

    /** Exception messages can hold a whole payload; a header is for a human to read. */
    private static final int MAX_MESSAGE_CHARS = 2000;

    /** What the headers say about a failure. {@code error} fields are null when the failure had no exception. */
    public record Failure(String reason, String exceptionClass, String exceptionMessage, String sourceTopic,
            int sourcePartition, long sourceOffset, Instant time) {
    }

    private DlqHeaders() {
    }

    /** Headers describing a failure of the record at {@code sourceTopic}/{@code partition}/{@code offset}. */
    public static Headers build(String reason, Throwable error, String sourceTopic, int partition, long offset,
            Instant time) {
        RecordHeaders headers = new RecordHeaders();
        addTo(headers, reason, error, sourceTopic, partition, offset, time);
        return headers;
    }

    /**
     * The dead-letter record for {@code failed}: same key, value and headers (earlier {@code tlsx.error.*} headers
     * replaced), sent to {@code <topic>.dlq}, same partition number when the dead-letter topic has as many.
     */
    public static ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> failed, String reason,
            Throwable error, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : failed.headers()) {
            if (!header.key().startsWith(PREFIX)) {
                headers.add(header);
            }
        }
        addTo(headers, reason, error, failed.topic(), failed.partition(), failed.offset(), time);
        return new ProducerRecord<>(Topics.deadLetterName(failed.topic()), null, failed.key(), failed.value(), headers);
    }

    /** The failure the headers describe, or empty when they carry no {@code tlsx.error.reason}. */
    public static Optional<Failure> read(Headers headers) {
        String reason = text(headers, REASON);
        if (reason == null) {
            return Optional.empty();
        }
        return Optional.of(new Failure(reason, text(headers, EXCEPTION_CLASS), text(headers, EXCEPTION_MESSAGE),
                text(headers, SOURCE_TOPIC), (int) number(headers, SOURCE_PARTITION), number(headers, SOURCE_OFFSET),
                instant(headers, TIME)));
    }

    private static void addTo(Headers headers, String reason, Throwable error, String sourceTopic, int partition,
            long offset, Instant time) {
        Objects.requireNonNull(reason, "reason");
        put(headers, REASON, reason);
        if (error != null) {
            put(headers, EXCEPTION_CLASS, error.getClass().getName());
            String message = error.getMessage();
            if (message != null) {
                put(headers, EXCEPTION_MESSAGE, message.length() <= MAX_MESSAGE_CHARS ? message
                        : message.substring(0, MAX_MESSAGE_CHARS) + "...");
            }
        }
        put(headers, SOURCE_TOPIC, Objects.requireNonNull(sourceTopic, "sourceTopic"));
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        put(headers, TIME, Objects.requireNonNull(time, "time").toString());
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String key) {
        String text = text(headers, key);
        try {
            return text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant instant(Headers headers, String key) {
        String text = text(headers, key);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
