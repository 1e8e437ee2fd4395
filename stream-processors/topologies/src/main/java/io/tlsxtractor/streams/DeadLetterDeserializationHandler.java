package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record of a catalog topic that cannot be read goes, bytes untouched, to {@code <topic>.dlq} with
 * {@link DlqHeaders}, and the application goes on. A record of an internal topic (repartition, changelog) that
 * cannot be read is a bug of this application: it fails.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (Topics.byName(record.topic()).isEmpty()) {
            LOG.error("Unreadable record at {}/{}/{} of an internal topic: stopping", record.topic(),
                    record.partition(), record.offset(), exception);
            return Response.fail();
        }
        String reason = "cannot deserialize the value of " + record.topic() + ": " + exception.getMessage();
        LOG.warn("Dead-lettering {}/{}/{}: {}", record.topic(), record.partition(), record.offset(), reason);
        return Response.resume(List.of(DlqHeaders.deadLetter(record, reason, exception, Instant.now())));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure: the dead-letter topic is derived from the record's topic.
    }
}
