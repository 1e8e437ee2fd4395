package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BadRecordException} (the content of a record cannot be used) sends the source record, as it was read,
 * to {@code <source topic>.dlq} with {@link DlqHeaders} and processing goes on. Any other exception is a bug: the
 * application fails loudly rather than dead-lettering good data.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof BadRecordException) || context.topic() == null
                || Topics.byName(context.topic()).isEmpty()) {
            LOG.error("Processor {} failed on {}/{}/{}: stopping", context.processorNodeId(), context.topic(),
                    context.partition(), context.offset(), exception);
            return Response.fail();
        }
        Headers headers = new RecordHeaders();
        for (Header header : context.headers()) {
            if (!header.key().startsWith(DlqHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        Headers reason = DlqHeaders.build(exception.getMessage(), exception, context.topic(), context.partition(),
                context.offset(), Instant.now());
        reason.forEach(headers::add);
        LOG.warn("Dead-lettering {}/{}/{}: {}", context.topic(), context.partition(), context.offset(),
                exception.getMessage());
        return Response.resume(List.of(new ProducerRecord<>(Topics.deadLetterName(context.topic()), null,
                context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure: the dead-letter topic is derived from the record's topic.
    }
}
