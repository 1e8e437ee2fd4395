package io.tlsxtractor.schemas;

import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topic catalog: every topic of the pipeline, declared once. Keys are UTF-8 strings, values Avro in the
 * Confluent wire format. Names carry a version suffix: an incompatible change is a new topic, not a new schema.
 */
public final class Topics {

    /** Scan requests, keyed by scan id. */
    public static final TopicSpec<String, ScanRequest> SCAN_REQUESTS =
            TopicSpec.avro("tlsx.scan-requests.v1", ScanRequest.class, CleanupPolicy.DELETE, 3, Duration.ofDays(30));

    /** Target blocks (units of probe work), keyed by block id; the partitions bound how many workers share a scan. */
    public static final TopicSpec<String, TargetBlock> TARGETS =
            TopicSpec.avro("tlsx.targets.v1", TargetBlock.class, CleanupPolicy.DELETE, 12, Duration.ofDays(7));

    /** Probe results, keyed by {@code ip:port}. */
    public static final TopicSpec<String, ProbeResult> PROBE_RESULTS =
            TopicSpec.avro("tlsx.probe-results.v1", ProbeResult.class, CleanupPolicy.DELETE, 12, Duration.ofDays(30));

    /** Domain observations, keyed by normalised domain. */
    public static final TopicSpec<String, DomainObservation> DOMAINS =
            TopicSpec.avro("tlsx.domains.v1", DomainObservation.class, CleanupPolicy.DELETE, 12, Duration.ofDays(30));

    /** The domain inventory (a table: latest record per domain), keyed by domain. */
    public static final TopicSpec<String, DomainRecord> DOMAIN_INVENTORY =
            TopicSpec.avro("tlsx.domain-inventory.v1", DomainRecord.class, CleanupPolicy.COMPACT, 12, null);

    /** Distinct certificates (a table), keyed by SHA-256 of the DER. */
    public static final TopicSpec<String, Certificate> CERTIFICATES =
            TopicSpec.avro("tlsx.certificates.v1", Certificate.class, CleanupPolicy.COMPACT, 6, null);

    /** Scan progress (a table), keyed by scan id. */
    public static final TopicSpec<String, ScanStatus> SCAN_STATUS =
            TopicSpec.avro("tlsx.scan-status.v1", ScanStatus.class, CleanupPolicy.COMPACT, 3, null);

    /** Events, keyed by the id of what they are about. */
    public static final TopicSpec<String, Event> EVENTS =
            TopicSpec.avro("tlsx.events.v1", Event.class, CleanupPolicy.DELETE, 3, Duration.ofDays(7));

    /**
     * Files of targets uploaded by the command for an ingest on another machine, keyed by scan id: the file's bytes in
     * chunks, each with the headers of {@code io.tlsxtractor.ingest.ScanInputs}. A scan request names its chunks by
     * offset (target type {@code UPLOAD}), so no request carries a million lines; kept as long as scan requests, so
     * that an ingest restarted in the middle of a long scan still finds them.
     */
    public static final TopicSpec<String, byte[]> SCAN_INPUTS =
            TopicSpec.raw("tlsx.scan-inputs.v1", CleanupPolicy.DELETE, 3, Duration.ofDays(30));

    private static final List<TopicSpec<String, ?>> ALL = List.of(SCAN_REQUESTS, TARGETS, PROBE_RESULTS, DOMAINS,
            DOMAIN_INVENTORY, CERTIFICATES, SCAN_STATUS, EVENTS);

    private Topics() {
    }

    /** Every Avro topic of the pipeline, in pipeline order, without dead-letter topics and {@link #SCAN_INPUTS}. */
    public static List<TopicSpec<String, ?>> all() {
        return ALL;
    }

    /** Every dead-letter topic, one per topic of {@link #all()}. */
    public static List<TopicSpec<byte[], byte[]>> deadLetters() {
        return ALL.stream().map(TopicSpec::dlq).toList();
    }

    /** Every topic and its dead-letter topic, and {@link #SCAN_INPUTS}: what provisioning creates. */
    public static List<TopicSpec<?, ?>> allWithDeadLetters() {
        List<TopicSpec<?, ?>> topics = new ArrayList<>(ALL);
        topics.addAll(deadLetters());
        topics.add(SCAN_INPUTS);
        return List.copyOf(topics);
    }

    /** The catalog entry (topic or dead-letter topic) named {@code name}. */
    public static Optional<TopicSpec<?, ?>> byName(String name) {
        return allWithDeadLetters().stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /** Name of the dead-letter topic of {@code topic}. */
    public static String deadLetterName(String topic) {
        return topic + TopicSpec.DLQ_SUFFIX;
    }
}
