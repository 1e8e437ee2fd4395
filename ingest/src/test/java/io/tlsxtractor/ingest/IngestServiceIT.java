package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tlsxtractor.ingest.internal.CheckpointCodec;
import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.avro.TargetType;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest service against a real broker, with the catalog serdes over an in-memory registry. */
class IngestServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String GROUP = "it-ingest";

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static final InMemorySchemaRegistryClient REGISTRY = new InMemorySchemaRegistryClient();
    private static KafkaTestSupport kafka;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        kafka = new KafkaTestSupport(broker.bootstrapServers(), REGISTRY);
        kafka.provision();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static IngestSettings settings() {
        return IngestSettings.defaults(broker.bootstrapServers()).withGroupId(GROUP);
    }

    private static IngestService startService(IngestSettings settings, HostResolver resolver) {
        IngestService service = new IngestService(settings, REGISTRY, resolver, Clock.systemUTC());
        service.start();
        return service;
    }

    private static ScanRequest request(String scanId, List<String[]> targets, List<Integer> ports, boolean allowPrivate) {
        ScanRequest request = ScanRequestValidatorTest.request(scanId, targets.stream()
                .map(t -> ScanRequestValidatorTest.spec(TargetType.valueOf(t[0]), t[1])).toList(), ports);
        request.setAllowPrivate(allowPrivate);
        return request;
    }

    private static List<String> targetsOf(List<TargetBlock> blocks) {
        List<String> out = new ArrayList<>();
        for (TargetBlock block : blocks) {
            if (block.getRange() != null) {
                long first = IpAddresses.parseV4(block.getRange().getFirst());
                long last = IpAddresses.parseV4(block.getRange().getLast());
                for (long a = first; a <= last; a++) {
                    for (int port : block.getPorts()) {
                        out.add(IpAddresses.formatV4(a) + ":" + port);
                    }
                }
            } else {
                for (BlockTarget t : block.getTargets()) {
                    for (int port : t.getPort() != null ? List.of(t.getPort()) : block.getPorts()) {
                        out.add(t.getAddress() + ":" + port + (t.getHostname() == null ? "" : "@" + t.getHostname()));
                    }
                }
            }
        }
        return out;
    }

    private static List<TargetBlock> blocksOf(String scanId, long expectedDistinct) {
        Set<String> ids = new HashSet<>();
        List<ConsumerRecord<String, TargetBlock>> records = kafka.readUntil(Topics.TARGETS,
                r -> r.value().getScanId().equals(scanId), read -> {
                    read.forEach(r -> ids.add(r.key()));
                    return ids.size() >= expectedDistinct;
                }, WAIT);
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<ScanStatus> statusesOf(String scanId, Predicate2<List<ScanStatus>> done) {
        return kafka.readUntil(Topics.SCAN_STATUS, r -> r.key().equals(scanId),
                read -> done.test(read.stream().map(ConsumerRecord::value).toList()), WAIT)
                .stream().map(ConsumerRecord::value).toList();
    }

    private static List<Event> eventsOf(String scanId, Predicate2<List<Event>> done) {
        return kafka.readUntil(Topics.EVENTS, r -> r.key().equals(scanId),
                read -> done.test(read.stream().map(ConsumerRecord::value).toList()), WAIT)
                .stream().map(ConsumerRecord::value).toList();
    }

    @FunctionalInterface
    private interface Predicate2<T> {
        boolean test(T value);
    }

    @Test
    void aValidRequestBecomesBlocksCoveringExactlyItsTargetsWithStatusAndStartedEvent() throws Exception {
        StaticResolver resolver = new StaticResolver(Map.of("local.test", List.of("127.0.5.5")));
        try (IngestService service = startService(settings().withExpansion(new BlockExpander.Settings(100, 256, true, 16)), resolver)) {
            kafka.submit(request("valid-1", List.of(new String[] {"CIDR", "127.0.0.0/24"}, new String[] {"IP_PORT", "127.0.1.1:8443"},
                    new String[] {"HOST", "local.test"}, new String[] {"HOST", "missing.test"}), List.of(443), true));

            List<TargetBlock> blocks = blocksOf("valid-1", 4);
            List<String> targets = targetsOf(blocks);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 254; i++) {
                expected.add("127.0.0." + i + ":443");
            }
            expected.add("127.0.1.1:8443");
            expected.add("127.0.5.5:443@local.test");
            assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(blocks).extracting(TargetBlock::getBlockId).containsExactlyInAnyOrder("valid-1:0", "valid-1:1", "valid-1:2", "valid-1:3");

            List<ScanStatus> statuses = statusesOf("valid-1", read -> read.stream().anyMatch(s -> s.getExpansionComplete() && s.getTotalTargets() == 257));
            assertThat(statuses.get(0).getState()).isEqualTo(ScanState.RUNNING);
            assertThat(statuses.get(0).getTotalTargets()).as("addresses known up front").isEqualTo(255);
            assertThat(statuses.get(0).getExpansionComplete()).as("a hostname is counted as expanded").isFalse();

            List<Event> events = eventsOf("valid-1", read -> read.stream().anyMatch(e -> e.getType() == EventType.SCAN_PROGRESS));
            assertThat(events).extracting(Event::getType).containsExactly(EventType.SCAN_STARTED, EventType.SCAN_PROGRESS);
            assertThat(events.get(1).getData()).containsEntry("targets", "257").containsEntry("unresolvedHostnames", "1");

            List<ConsumerRecord<String, ProbeResult>> dns = kafka.readUntil(Topics.PROBE_RESULTS,
                    r -> r.value().getScanId().equals("valid-1"), read -> !read.isEmpty(), WAIT);
            assertThat(dns).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("missing.test:443");
                assertThat(r.value().getStatus()).isEqualTo(ProbeStatus.FAILED);
                assertThat(r.value().getErrorCategory()).isEqualTo(ErrorCategory.DNS);
                assertThat(r.value().getHostname()).isEqualTo("missing.test");
            });
        }
    }

    @Test
    void invalidRequestsFailWithTheReasonAndTheServiceGoesOn() throws Exception {
        try (IngestService service = startService(settings(), new StaticResolver(Map.of()))) {
            kafka.submit(request("bad-cidr", List.<String[]>of(new String[] {"CIDR", "127.0.0.0/40"}), List.of(443), true));
            kafka.submit(request("port-zero", List.<String[]>of(new String[] {"IP", "127.0.0.1"}), List.of(0), true));
            kafka.submit(request("no-targets", List.of(), List.of(443), true));
            kafka.submit(request("slash-zero", List.<String[]>of(new String[] {"CIDR", "0.0.0.0/0"}), List.of(443), true));
            kafka.submit(request("after-bad", List.<String[]>of(new String[] {"IP", "127.0.0.9"}), List.of(443), true));

            Map<String, String> reasons = new HashMap<>();
            for (String scanId : List.of("bad-cidr", "port-zero", "no-targets", "slash-zero")) {
                ScanStatus failed = statusesOf(scanId, read -> !read.isEmpty()).get(0);
                assertThat(failed.getState()).as(scanId).isEqualTo(ScanState.FAILED);
                reasons.put(scanId, failed.getMessage());
                Event event = eventsOf(scanId, read -> !read.isEmpty()).get(0);
                assertThat(event.getType()).isEqualTo(EventType.SCAN_FAILED);
                assertThat(event.getData().get("reason")).isEqualTo(failed.getMessage());
            }
            assertThat(reasons.get("bad-cidr")).contains("prefix length '40' is not 0-32");
            assertThat(reasons.get("port-zero")).contains("port 0 is not 1-65535");
            assertThat(reasons.get("no-targets")).isEqualTo("the scan has no targets");
            assertThat(reasons.get("slash-zero")).contains("more than the limit");
            assertThat(targetsOf(blocksOf("after-bad", 1))).containsExactly("127.0.0.9:443");
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheServiceGoesOn() throws Exception {
        try (IngestService service = startService(settings(), new StaticResolver(Map.of()))) {
            byte[] garbage = "{\"not\": \"avro\"}".getBytes();
            kafka.sendRaw("poison-1", garbage);
            kafka.submit(request("after-poison", List.<String[]>of(new String[] {"IP", "127.0.0.10"}), List.of(443), true));

            assertThat(targetsOf(blocksOf("after-poison", 1))).containsExactly("127.0.0.10:443");
            List<ConsumerRecord<byte[], byte[]>> dead = kafka.readDeadLetters(Topics.SCAN_REQUESTS.dlq(), 1, WAIT);
            assertThat(dead).filteredOn(r -> new String(r.key()).equals("poison-1")).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo(garbage);
                DlqHeaders.Failure failure = DlqHeaders.read(r.headers()).orElseThrow();
                assertThat(failure.sourceTopic()).isEqualTo(Topics.SCAN_REQUESTS.name());
                assertThat(failure.reason()).contains("not a readable ScanRequest");
                assertThat(failure.exceptionClass()).isNotBlank();
            });
        }
    }

    @Test
    void aRestartMidExpansionResumesWithEveryTargetExactlyOnceAcrossDistinctBlocks() throws Exception {
        String scanId = "big-1";
        BlockExpander.Settings cut = new BlockExpander.Settings(16, 256, true, 16);
        // One block in flight at a time: slow enough to stop the first service part-way.
        IngestSettings slow = settings().withExpansion(cut).withMaxInFlight(1).withCheckpoints(10, Duration.ofMillis(200));
        IngestService first = startService(slow, new StaticResolver(Map.of()));
        kafka.submit(request(scanId, List.<String[]>of(new String[] {"CIDR", "127.0.0.0/16"}), List.of(443), true));
        Set<String> seen = new HashSet<>();
        kafka.readUntil(Topics.TARGETS, r -> r.value().getScanId().equals(scanId), read -> {
            read.forEach(r -> seen.add(r.key()));
            return seen.size() >= 300;
        }, WAIT);
        first.close();

        Checkpoint stoppedAt = committedCheckpoint(scanId);
        long totalBlocks = 65534 / 16 + 1;
        assertThat(stoppedAt.nextSequence()).as("the first service stopped part-way").isBetween(300L, totalBlocks - 1);

        try (IngestService second = startService(settings().withExpansion(cut), new StaticResolver(Map.of()))) {
            List<TargetBlock> blocks = blocksOf(scanId, totalBlocks);
            Map<String, TargetBlock> distinct = new TreeMap<>();
            for (TargetBlock block : blocks) {
                TargetBlock earlier = distinct.putIfAbsent(block.getBlockId(), block);
                if (earlier != null) {
                    assertThat(block.getRange()).as("a re-produced block is the same block").isEqualTo(earlier.getRange());
                }
            }
            assertThat(distinct).hasSize((int) totalBlocks);
            List<String> targets = targetsOf(new ArrayList<>(distinct.values()));
            assertThat(targets).hasSize(65534).doesNotHaveDuplicates();
            assertThat(new HashSet<>(targets)).contains("127.0.0.1:443", "127.0.255.254:443").doesNotContain("127.0.0.0:443");

            List<ScanStatus> statuses = statusesOf(scanId, read -> read.stream().anyMatch(ScanStatus::getExpansionComplete));
            assertThat(statuses).extracting(ScanStatus::getTotalTargets).containsOnly(65534L);
            List<Event> events = eventsOf(scanId, read -> read.stream().anyMatch(e -> e.getType() == EventType.SCAN_PROGRESS));
            assertThat(events).extracting(Event::getType).as("started once, not again on resume")
                    .containsExactly(EventType.SCAN_STARTED, EventType.SCAN_PROGRESS);
        }
    }

    @Test
    void anUploadedFileIsExpandedLikeTheFileWithItsLineNumbersAcrossChunks() throws Exception {
        // 60,000 addresses with comments, CRLF, a byte-order mark and two bad lines: ~1.5 MB, more than a Kafka record
        // may hold, so it travels in several chunks whose borders fall inside lines.
        Path file = dataDir.resolve("upload-big.txt");
        StringBuilder text = new StringBuilder("\uFEFF# targets for the upload test\r\n");
        Set<String> expected = new HashSet<>();
        long line = 1;
        long badLine1 = 0;
        long badLine2 = 0;
        for (int i = 0; i < 60_000; i++) {
            String address = IpAddresses.formatV4(IpAddresses.parseV4("127.2.0.1") + i);
            text.append(address).append(i % 3 == 0 ? "\r\n" : "\n");
            line++;
            expected.add(address + ":443");
            if (i % 20 == 0) {
                text.append("# ").append("padding ".repeat(10 + i % 7)).append('\n');
                line++;
            }
            if (i == 2) {
                text.append("not a target!\n");
                badLine1 = ++line;
            }
            if (i == 41_000) {
                text.append("300.1.1.1\n");
                badLine2 = ++line;
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).isGreaterThan(1_100_000L);
        UploadedInput upload;
        try (KafkaProducer<byte[], byte[]> producer = uploadProducer()) {
            upload = ScanInputs.upload(producer, "upload-1", file, WAIT);
        }
        assertThat(upload.lastOffset() - upload.firstOffset() + 1).as("chunks").isGreaterThanOrEqualTo(
                Files.size(file) / ScanInputs.CHUNK_BYTES);
        assertThat(upload.fileName()).isEqualTo("upload-big.txt");

        try (IngestService service = startService(settings(), new StaticResolver(Map.of()))) {
            kafka.submit(uploadRequest("upload-1", upload));

            List<ScanStatus> statuses = statusesOf("upload-1", read -> read.stream().anyMatch(ScanStatus::getExpansionComplete));
            assertThat(statuses.get(statuses.size() - 1).getTotalTargets()).isEqualTo(60_000L);
            List<String> targets = targetsOfScan("upload-1", 60_000);
            assertThat(targets).hasSize(60_000).doesNotHaveDuplicates();
            assertThat(new HashSet<>(targets)).isEqualTo(expected);

            List<Event> events = eventsOf("upload-1", read -> read.stream().anyMatch(e -> e.getType() == EventType.SCAN_PROGRESS));
            Map<String, String> summary = events.get(events.size() - 1).getData();
            assertThat(summary).containsEntry("invalidLines", "2");
            assertThat(summary.get("firstInvalidLines"))
                    .contains("upload-big.txt (uploaded to tlsx.scan-inputs.v1-" + upload.partition() + "@")
                    .contains(":" + badLine1 + ": ").contains("'not a target!'")
                    .contains(":" + badLine2 + ": ").contains("'300.1.1.1'");
        }
    }

    @Test
    void aFileOfExactlyTwoChunksEndsWithAnEmptyChunkAndLosesNoLine() throws Exception {
        // 127.6.0.1 ... as "a.b.c.d\n" lines, then a comment that pads the file to exactly two chunks.
        StringBuilder text = new StringBuilder();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String address = IpAddresses.formatV4(IpAddresses.parseV4("127.6.0.1") + i);
            text.append(address).append('\n');
            expected.add(address + ":443");
        }
        int padding = 2 * ScanInputs.CHUNK_BYTES - text.length() - 3;
        text.append("# ").append("x".repeat(padding)).append('\n');
        Path file = Files.writeString(dataDir.resolve("two-chunks.txt"), text.toString(), StandardCharsets.US_ASCII);
        assertThat(Files.size(file)).isEqualTo(2L * ScanInputs.CHUNK_BYTES);
        UploadedInput upload;
        try (KafkaProducer<byte[], byte[]> producer = uploadProducer()) {
            upload = ScanInputs.upload(producer, "two-chunks-1", file, WAIT);
        }
        assertThat(upload.lastOffset() - upload.firstOffset()).as("two full chunks and an empty one").isEqualTo(2);

        try (IngestService service = startService(settings(), new StaticResolver(Map.of()))) {
            kafka.submit(uploadRequest("two-chunks-1", upload));
            List<ScanStatus> statuses = statusesOf("two-chunks-1", read -> read.stream().anyMatch(ScanStatus::getExpansionComplete));
            assertThat(statuses.get(statuses.size() - 1).getTotalTargets()).isEqualTo(1000L);
            assertThat(new HashSet<>(targetsOfScan("two-chunks-1", 1000))).isEqualTo(expected);
        }
    }

    @Test
    void anUploadReadsOnlyItsOwnChunksAndAMissingChunkFailsTheScanWithTheReason() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = uploadProducer();
                IngestService service = startService(settings(), new StaticResolver(Map.of()))) {
            // Two uploads of the same scan interleaved on one partition (as two submitters at once would write them).
            long first = chunk(producer, "mixed", "A", 0, "127.3.0.1\n127.3.0.").offset();
            chunk(producer, "mixed", "B", 0, "127.9.9.9\n");
            int partition = chunk(producer, "mixed", "A", 1, "2\n127.3.0.3").partition();
            long last = chunk(producer, "mixed", "A", 2, "\n").offset();
            kafka.submit(uploadRequest("mixed-1",
                    new UploadedInput(Topics.SCAN_INPUTS.name(), partition, first, last, "A", "a.txt")));
            assertThat(targetsOf(blocksOf("mixed-1", 1))).containsExactlyInAnyOrder("127.3.0.1:443", "127.3.0.2:443",
                    "127.3.0.3:443");

            long gapFirst = chunk(producer, "gap", "C", 0, "127.4.0.1\n").offset();
            int gapPartition = chunk(producer, "gap", "C", 1, "127.4.0.2\n").partition();
            long gapLast = chunk(producer, "gap", "C", 3, "127.4.0.4\n").offset();
            kafka.submit(uploadRequest("gap-1",
                    new UploadedInput(Topics.SCAN_INPUTS.name(), gapPartition, gapFirst, gapLast, "C", "c.txt")));
            List<ScanStatus> failed = statusesOf("gap-1", read -> read.stream().anyMatch(s -> s.getState() == ScanState.FAILED));
            assertThat(failed.get(failed.size() - 1).getMessage()).contains("c.txt (uploaded to tlsx.scan-inputs.v1-")
                    .contains("chunk 2 is missing");

            kafka.submit(uploadRequest("gone-1",
                    new UploadedInput(Topics.SCAN_INPUTS.name(), gapPartition, gapLast + 100, gapLast + 101, "D", "d.txt")));
            failed = statusesOf("gone-1", read -> read.stream().anyMatch(s -> s.getState() == ScanState.FAILED));
            assertThat(failed.get(failed.size() - 1).getMessage()).contains("d.txt").contains("its chunks are not on");
        }
    }

    /** A request (private ranges allowed, port 443) whose one target is {@code upload}. */
    private static ScanRequest uploadRequest(String scanId, UploadedInput upload) {
        ScanRequest request = request(scanId, List.<String[]>of(), List.of(443), true);
        request.setTargets(List.of(ScanRequestValidatorTest.spec(TargetType.UPLOAD, upload.specValue())));
        return request;
    }

    /** Every target of the scan's blocks (each block once), read until there are at least {@code count}. */
    private static List<String> targetsOfScan(String scanId, int count) {
        Map<String, TargetBlock> distinct = new TreeMap<>();
        kafka.readUntil(Topics.TARGETS, r -> r.value().getScanId().equals(scanId), read -> {
            read.forEach(r -> distinct.put(r.key(), r.value()));
            return targetsOf(new ArrayList<>(distinct.values())).size() >= count;
        }, WAIT);
        return targetsOf(new ArrayList<>(distinct.values()));
    }

    private static KafkaProducer<byte[], byte[]> uploadProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RecordMetadata chunk(KafkaProducer<byte[], byte[]> producer, String scanId, String uploadId, int part,
            String bytes) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ScanInputs.UPLOAD_ID_HEADER, uploadId.getBytes(StandardCharsets.UTF_8));
        headers.add(ScanInputs.PART_HEADER, Integer.toString(part).getBytes(StandardCharsets.UTF_8));
        return producer.send(new ProducerRecord<>(Topics.SCAN_INPUTS.name(), null, scanId.getBytes(StandardCharsets.UTF_8),
                bytes.getBytes(StandardCharsets.UTF_8), headers)).get();
    }

    private static Checkpoint committedCheckpoint(String scanId) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream()
                    .map(o -> CheckpointCodec.decode(o.metadata(), scanId))
                    .filter(java.util.Optional::isPresent).map(java.util.Optional::get)
                    .findFirst().orElseThrow(() -> new AssertionError("no checkpoint committed for " + scanId + ": " + offsets));
        }
    }
}
