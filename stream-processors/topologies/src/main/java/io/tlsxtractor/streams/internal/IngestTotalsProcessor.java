package io.tlsxtractor.streams.internal;

import io.tlsxtractor.schemas.avro.ScanStatus;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Turns the statuses the ingest service writes to the status topic into {@link ProgressDelta totals}, and skips the
 * ones this application wrote itself (they carry {@link ScanProgressProcessor#ORIGIN_HEADER}): the status topic is
 * shared, and reading our own merged status back as "ingest's totals" could move a final count backwards.
 */
public final class IngestTotalsProcessor implements FixedKeyProcessor<String, ScanStatus, ProgressDelta> {

    private FixedKeyProcessorContext<String, ProgressDelta> context;

    @Override
    public void init(FixedKeyProcessorContext<String, ProgressDelta> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, ScanStatus> record) {
        ScanStatus s = record.value();
        Header origin = record.headers().lastHeader(ScanProgressProcessor.ORIGIN_HEADER);
        if (s == null || record.key() == null
                || (origin != null && Arrays.equals(origin.value(), ScanProgressProcessor.ORIGIN_VALUE))) {
            return;
        }
        context.forward(record.withValue(ProgressDelta.totals(record.key(), s.getState(), s.getTotalTargets(),
                s.getExpansionComplete(), s.getMessage(),
                s.getStartedAt() == null ? 0 : s.getStartedAt().toEpochMilli(),
                s.getFinishedAt() == null ? 0 : s.getFinishedAt().toEpochMilli(), s.getUpdatedAt().toEpochMilli())));
    }
}
