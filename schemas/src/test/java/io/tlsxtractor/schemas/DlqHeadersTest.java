package io.tlsxtractor.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DlqHeadersTest {

    private static final Instant TIME = Instant.parse("2026-01-03T10:00:00Z");

    @Test
    void headersRoundTripAsReadableText() {
        Headers headers = DlqHeaders.build("value does not decode", new SerializationException("bad magic"),
                Topics.PROBE_RESULTS.name(), 3, 42L, TIME);

        assertThat(new String(headers.lastHeader("tlsx.error.source.topic").value(), StandardCharsets.UTF_8))
                .isEqualTo("tlsx.probe-results.v1");
        assertThat(DlqHeaders.read(headers)).contains(new DlqHeaders.Failure("value does not decode",
                SerializationException.class.getName(), "bad magic", "tlsx.probe-results.v1", 3, 42L, TIME));
    }

    @Test
    void deadLetterKeepsKeyValueAndHeadersAndReplacesEarlierErrorHeaders() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        original.add(DlqHeaders.REASON, "an earlier failure".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> failed = new ConsumerRecord<>(Topics.TARGETS.name(), 5, 7L, 0L,
                TimestampType.CREATE_TIME, 3, 3, "key".getBytes(), new byte[] {9, 9, 9}, original, Optional.empty());

        ProducerRecord<byte[], byte[]> dead = DlqHeaders.deadLetter(failed, "no such scan", null, TIME);

        assertThat(dead.topic()).isEqualTo("tlsx.targets.v1.dlq");
        assertThat(dead.key()).isEqualTo("key".getBytes());
        assertThat(dead.value()).isEqualTo(new byte[] {9, 9, 9});
        assertThat(dead.headers().lastHeader("trace")).isNotNull();
        assertThat(dead.headers().headers(DlqHeaders.REASON)).hasSize(1);
        assertThat(DlqHeaders.read(dead.headers())).get().satisfies(failure -> {
            assertThat(failure.reason()).isEqualTo("no such scan");
            assertThat(failure.exceptionClass()).isNull();
            assertThat(failure.sourcePartition()).isEqualTo(5);
            assertThat(failure.sourceOffset()).isEqualTo(7L);
        });
    }

    @Test
    void headersWithoutAReasonAreNotAFailure() {
        assertThat(DlqHeaders.read(new RecordHeaders())).isEmpty();
    }
}
