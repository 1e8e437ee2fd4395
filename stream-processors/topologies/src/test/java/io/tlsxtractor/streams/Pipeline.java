package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production topology ({@link StreamsTopologies#build}) in a {@link TopologyTestDriver}, with the production
 * settings of {@link StreamsSettings#streamsProperties()} and typed views of every topic it reads and writes.
 * Output topics accumulate; the lists below are everything read so far.
 */
final class Pipeline implements AutoCloseable {

    final InMemorySchemaRegistryClient registry;
    final TopologyTestDriver driver;
    final DropCounters drops;
    final TestInputTopic<String, ProbeResult> results;
    final TestInputTopic<byte[], byte[]> rawResults;
    final TestInputTopic<String, ScanStatus> ingestStatus;
    private final TestOutputTopic<String, DomainObservation> domainsOut;
    private final TestOutputTopic<String, DomainRecord> inventoryOut;
    private final TestOutputTopic<String, Certificate> certificatesOut;
    private final TestOutputTopic<String, ScanStatus> statusOut;
    private final TestOutputTopic<String, Event> eventsOut;
    private final TestOutputTopic<byte[], byte[]> dlqOut;
    final List<TestRecord<String, DomainObservation>> domains = new ArrayList<>();
    final List<TestRecord<String, DomainRecord>> inventory = new ArrayList<>();
    final List<TestRecord<String, Certificate>> certificates = new ArrayList<>();
    final List<TestRecord<String, ScanStatus>> statuses = new ArrayList<>();
    final List<TestRecord<String, Event>> events = new ArrayList<>();
    final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private final Path stateDir;
    private final String scope;

    Pipeline() {
        this(b -> b);
    }

    Pipeline(UnaryOperator<TopologySettings.Builder> customise) {
        this(customise, Map.of());
    }

    /** @param overrides Streams properties replacing the production ones (a test says why it needs one) */
    Pipeline(UnaryOperator<TopologySettings.Builder> customise, Map<String, String> overrides) {
        scope = "ttd-" + UUID.randomUUID();
        registry = InMemorySchemaRegistryClient.scoped(scope);
        drops = new DropCounters();
        TopologySettings settings = customise.apply(TopologySettings.builder(registry).drops(drops)
                .progressInterval(Duration.ofSeconds(1))).build();
        try {
            stateDir = Files.createTempDirectory("ttd-state");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StreamsSettings streamsSettings = StreamsSettings.builder("127.0.0.1:9", "mock://" + scope)
                .stateDir(stateDir).build();
        Properties props = streamsSettings.streamsProperties();
        props.putAll(overrides);
        driver = new TopologyTestDriver(StreamsTopologies.build(new StreamsBuilder(), settings), props,
                Fixtures.T0);
        results = driver.createInputTopic(Topics.PROBE_RESULTS.name(), new StringSerializer(),
                Topics.PROBE_RESULTS.valueSerde(registry, true).serializer());
        rawResults = driver.createInputTopic(Topics.PROBE_RESULTS.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        ingestStatus = driver.createInputTopic(Topics.SCAN_STATUS.name(), new StringSerializer(),
                Topics.SCAN_STATUS.valueSerde(registry, true).serializer());
        domainsOut = driver.createOutputTopic(Topics.DOMAINS.name(), new StringDeserializer(),
                Topics.DOMAINS.valueSerde(registry, true).deserializer());
        inventoryOut = driver.createOutputTopic(Topics.DOMAIN_INVENTORY.name(), new StringDeserializer(),
                Topics.DOMAIN_INVENTORY.valueSerde(registry, true).deserializer());
        certificatesOut = driver.createOutputTopic(Topics.CERTIFICATES.name(), new StringDeserializer(),
                Topics.CERTIFICATES.valueSerde(registry, true).deserializer());
        statusOut = driver.createOutputTopic(Topics.SCAN_STATUS.name(), new StringDeserializer(),
                Topics.SCAN_STATUS.valueSerde(registry, true).deserializer());
        eventsOut = driver.createOutputTopic(Topics.EVENTS.name(), new StringDeserializer(),
                Topics.EVENTS.valueSerde(registry, true).deserializer());
        dlqOut = driver.createOutputTopic(Topics.PROBE_RESULTS.dlq().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    void pipe(ProbeResult... probeResults) {
        for (ProbeResult r : probeResults) {
            results.pipeInput(Fixtures.key(r), r, r.getProbedAt());
        }
        drain();
    }

    /** Moves the wall clock (punctuators) and collects what that emitted. */
    void advance(Duration d) {
        driver.advanceWallClockTime(d);
        drain();
    }

    void drain() {
        domains.addAll(domainsOut.readRecordsToList());
        inventory.addAll(inventoryOut.readRecordsToList());
        certificates.addAll(certificatesOut.readRecordsToList());
        // The status topic is also an input (ingest's totals): what we read back includes what a test piped in.
        statuses.addAll(statusOut.readRecordsToList());
        events.addAll(eventsOut.readRecordsToList());
        deadLetters.addAll(dlqOut.readRecordsToList());
    }

    /** The latest inventory record per domain, as a compacted topic would keep it. */
    Map<String, DomainRecord> latestInventory() {
        Map<String, DomainRecord> out = new LinkedHashMap<>();
        inventory.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    Map<String, Certificate> latestCertificates() {
        Map<String, Certificate> out = new LinkedHashMap<>();
        certificates.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    /** The latest status per scan written by the streams application (ingest's own records left out). */
    Map<String, ScanStatus> latestStatus() {
        Map<String, ScanStatus> out = new LinkedHashMap<>();
        statuses.stream().filter(r -> r.headers().lastHeader("tlsx.origin") != null)
                .forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    List<Event> events(EventType type) {
        return events.stream().map(TestRecord::value).filter(e -> e.getType() == type).toList();
    }

    Instant at(long seconds) {
        return Fixtures.T0.plusSeconds(seconds);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            InMemorySchemaRegistryClient.dropScope(scope);
            deleteQuietly(stateDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
