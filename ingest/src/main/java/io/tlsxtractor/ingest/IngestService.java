package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.AckTracker;
import io.tlsxtractor.ingest.internal.CheckpointCodec;
import io.tlsxtractor.ingest.internal.FinishedTargets;
import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: reads {@link ScanRequest}s ({@link Topics#SCAN_REQUESTS}, as a consumer group), validates each
 * one, and expands the valid ones into target blocks ({@link Topics#TARGETS}).
 *
 * <ul>
 *   <li>A valid request gets a RUNNING {@link ScanStatus} with the targets known so far (exact up front for
 *   addresses, networks and ranges, {@code expansionComplete} true; for files and hostnames counted as expanded and
 *   final when the expansion ends) and a {@code scan.started} event; then its blocks; then the final status and a
 *   {@code scan.progress} event with the expansion's summary (scope refusals, once per range; invalid lines).</li>
 *   <li>An invalid request (bad target, port 0, no targets, a range above the size limit without the override,
 *   nothing in scope) gets a FAILED status with the reason and a {@code scan.failed} event; the service goes on.</li>
 *   <li>A record that cannot be read goes to {@code tlsx.scan-requests.v1.dlq} with {@link DlqHeaders}; the service
 *   goes on.</li>
 *   <li>A hostname that does not resolve becomes a FAILED {@link ProbeResult} with its DNS error (keyed
 *   {@code hostname:port}, {@code ip} empty), so the scan reports it.</li>
 * </ul>
 *
 * <p>Delivery: sends are bounded ({@link IngestSettings#maxInFlight()}); the request's offset is committed only once
 * every block is acknowledged. While a request is expanded, its own offset is committed with the expansion
 * checkpoint as metadata (see {@code CheckpointCodec}), so a restarted or rebalanced ingest resumes where the last
 * acknowledged block ended; blocks after it may be produced twice, with the same ids ({@code scanId:sequence}).
 * Kafka or registry failures are retried from the checkpoint after a back-off.
 *
 * <p>Resume: a request tagged {@value #RESUME_TAG}{@code =true} continues an interrupted scan under the same scan id.
 * It is expanded again from the start, but the targets that already have a result of that scan on
 * {@code tlsx.probe-results.v1} (read to its end when the request is handled) are left out of the blocks, so that
 * they are not probed twice; the target count is still the whole scan's.
 *
 * <p>Building it needs no broker: clients are created by {@link #run()}.
 */
public final class IngestService implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final String SOURCE = "ingest";
    private static final int PROBLEMS_LOGGED = 100;
    /** The request tag that asks to continue an earlier request of the same scan id (see the class comment). */
    public static final String RESUME_TAG = "tlsx.resume";

    private final IngestSettings settings;
    private final HostResolver resolver;
    private final ScanInputs.Opener uploads;
    private final Clock clock;
    private final ScanRequestValidator validator;
    private final Deserializer<ScanRequest> requestDeserializer;
    private final Serializer<String> keySerializer;
    private final Serializer<io.tlsxtractor.schemas.avro.TargetBlock> blockSerializer;
    private final Serializer<ScanStatus> statusSerializer;
    private final Serializer<Event> eventSerializer;
    private final Serializer<ProbeResult> resultSerializer;
    private final Deserializer<ProbeResult> resultDeserializer;

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread thread;
    private final AtomicLong requestsHandled = new AtomicLong();

    /** The request being expanded, for the rebalance listener. */
    private volatile Expanding current;
    private final Set<TopicPartition> paused = new HashSet<>();

    private static final class Expanding {
        final TopicPartition partition;
        final long offset;
        final String scanId;
        final AckTracker tracker;
        volatile boolean lost;

        Expanding(TopicPartition partition, long offset, String scanId, AckTracker tracker) {
            this.partition = partition;
            this.offset = offset;
            this.scanId = scanId;
            this.tracker = tracker;
        }
    }

    /**
     * @param registry the schema registry the catalog serdes use
     * @param resolver resolves hostnames; closed by the caller
     */
    public IngestService(IngestSettings settings, SchemaRegistryClient registry, HostResolver resolver, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        // Uploaded files of targets are read with the same connection settings as everything else; a chunk slower than
        // the send timeout means the cluster is in trouble, and the scan fails with that reason.
        this.uploads = ScanInputs.opener(settings.bootstrapServers(), settings.clientProperties(), settings.sendTimeout());
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(registry, "registry");
        this.validator = new ScanRequestValidator(settings.scope());
        boolean register = settings.autoRegisterSchemas();
        this.requestDeserializer = Topics.SCAN_REQUESTS.valueSerde(registry, false).deserializer();
        this.keySerializer = Topics.TARGETS.keySerde().serializer();
        this.blockSerializer = Topics.TARGETS.valueSerde(registry, register).serializer();
        this.statusSerializer = Topics.SCAN_STATUS.valueSerde(registry, register).serializer();
        this.eventSerializer = Topics.EVENTS.valueSerde(registry, register).serializer();
        this.resultSerializer = Topics.PROBE_RESULTS.valueSerde(registry, register).serializer();
        this.resultDeserializer = Topics.PROBE_RESULTS.valueSerde(registry, false).deserializer();
        // Exclusions are checked now, so that a bad list fails at start rather than on the first request.
        ScopePolicy.create(settings.scope());
    }

    /** Runs {@link #run()} on a new thread named {@code tlsx-ingest}. */
    public synchronized Thread start() {
        if (thread != null) {
            throw new IllegalStateException("the ingest service is already started");
        }
        thread = new Thread(this, "tlsx-ingest");
        thread.start();
        return thread;
    }

    /** Requests handled so far (expanded, failed or dead-lettered). */
    public long requestsHandled() {
        return requestsHandled.get();
    }

    @Override
    public void run() {
        Properties consumerProps = new Properties();
        consumerProps.putAll(settings.clientProperties());
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // One request can take minutes to expand: take few at a time.
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        Properties producerProps = new Properties();
        producerProps.putAll(settings.clientProperties());
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer = c;
            producer = p;
            c.subscribe(List.of(Topics.SCAN_REQUESTS.name()), new Rebalance());
            LOG.info("Ingest consuming {} as group {} from {}", Topics.SCAN_REQUESTS.name(), settings.groupId(),
                    settings.bootstrapServers());
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = c.poll(settings.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        if (!running || !c.assignment().contains(partition)) {
                            break;
                        }
                        if (!handle(record, partition)) {
                            break;
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer = null;
            producer = null;
            LOG.info("Ingest stopped");
        }
    }

    /**
     * Handles one request record. Returns false when the rest of the partition's batch must not be handled now (the
     * record is to be tried again, or the partition was lost).
     */
    private boolean handle(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) {
        ScanRequest request;
        try {
            request = requestDeserializer.deserialize(record.topic(), record.headers(), record.value());
            if (request == null) {
                throw new IllegalArgumentException("the record has no value (a tombstone is not a scan request)");
            }
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SchemaRegistryException registryError && registryError.retriable()) {
                LOG.warn("Cannot read scan request at {}/{}: the registry is unavailable ({}); retrying in {} ms",
                        partition, record.offset(), registryError.getMessage(), settings.retryBackoff().toMillis());
                return retryLater(partition, record.offset());
            }
            return deadLetter(record, partition, e);
        }
        try {
            ScanRequestValidator.Result result = validator.validate(request);
            if (!result.valid()) {
                LOG.warn("Scan {} rejected: {}", request.getScanId(), result.message());
                failScan(request.getScanId(), result.message());
                commit(partition, record.offset() + 1, "");
                requestsHandled.incrementAndGet();
                return true;
            }
            return expand(record, partition, request, result.job());
        } catch (AckTracker.SendFailedException | KafkaException | SchemaRegistryException e) {
            if (e instanceof CommitFailedException) {
                LOG.warn("Partition {} was taken by another ingest while scan {} was handled", partition, request.getScanId());
                return false;
            }
            LOG.warn("Scan {}: Kafka or the registry failed ({}); retrying from the last checkpoint in {} ms",
                    request.getScanId(), e.toString(), settings.retryBackoff().toMillis());
            return retryLater(partition, record.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private boolean expand(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, ScanRequest request,
            ExpansionJob job) throws InterruptedException {
        String scanId = job.scanId();
        Optional<Checkpoint> resume = committedCheckpoint(partition, record.offset(), scanId);
        Checkpoint from = resume.orElse(Checkpoint.START);
        if (resume.isEmpty()) {
            boolean complete = job.totalKnownUpFront();
            sendAndWait(List.of(
                    status(scanId, ScanState.RUNNING, job.addressTargetsUpFront(), complete, null, null),
                    event(scanId, EventType.SCAN_STARTED, "started", Map.of(
                            "targets", Long.toString(job.addressTargetsUpFront()),
                            "targetsFinal", Boolean.toString(complete),
                            "inputs", Integer.toString(job.inputs().size()),
                            "ports", job.ports().toString()))));
            commit(partition, record.offset(), CheckpointCodec.encode(scanId, Checkpoint.START));
            LOG.info("Scan {}: expanding {} inputs ({} targets known up front)", scanId, job.inputs().size(),
                    job.addressTargetsUpFront());
        } else {
            LOG.info("Scan {}: resuming expansion at block {} (cursor {}, {} targets already sent)", scanId,
                    from.nextSequence(), from.cursor(), from.targetsEmitted());
        }
        FinishedTargets finished = null;
        if ("true".equals(request.getTags().get(RESUME_TAG))) {
            Properties props = new Properties();
            props.putAll(settings.clientProperties());
            finished = FinishedTargets.read(props, settings.bootstrapServers(), resultDeserializer, scanId,
                    settings.sendTimeout());
            LOG.info("Scan {}: resuming, {} targets already have a result and are not probed again", scanId,
                    finished.size());
        }
        ScopeReport report = new ScopeReport();
        ProblemLog problems = new ProblemLog(scanId);
        AckTracker tracker = new AckTracker(settings.maxInFlight(), from);
        Expanding expanding = new Expanding(partition, record.offset(), scanId, tracker);
        current = expanding;
        pauseAssigned();
        Checkpoint end;
        try (BlockExpander expander = BlockExpander.open(job, from, settings.expansion(), resolver, report, problems,
                InputStream.nullInputStream(), uploads, clock)) {
            long blocksSinceCommit = 0;
            long lastCommit = System.nanoTime();
            while (expander.hasNext()) {
                if (!running || expanding.lost) {
                    return stopMidway(expanding);
                }
                Emission emission = expander.next();
                long ticket = tracker.register(emission.resumeFrom());
                if (emission instanceof Emission.Block block) {
                    TargetBlock rest = finished == null ? block.block() : finished.remaining(block.block());
                    if (rest == null) {
                        tracker.complete(ticket, null);
                    } else {
                        send(Topics.TARGETS.name(), rest.getBlockId(), blockSerializer, rest, tracker, ticket);
                    }
                } else {
                    Emission.Unresolved unresolved = (Emission.Unresolved) emission;
                    ProbeResult result = dnsFailure(scanId, unresolved);
                    send(Topics.PROBE_RESULTS.name(), unresolved.target().hostname() + ":" + unresolved.port(),
                            resultSerializer, result, tracker, ticket);
                }
                blocksSinceCommit++;
                if (blocksSinceCommit >= settings.checkpointEveryBlocks()
                        || System.nanoTime() - lastCommit >= settings.checkpointInterval().toNanos()) {
                    commit(partition, record.offset(), CheckpointCodec.encode(scanId, tracker.safe()));
                    keepMembership();
                    blocksSinceCommit = 0;
                    lastCommit = System.nanoTime();
                }
            }
            tracker.awaitAll(settings.sendTimeout());
            end = expander.checkpoint();
        } catch (TargetInputException e) {
            tracker.awaitAll(settings.sendTimeout());
            LOG.warn("Scan {} failed while expanding: {}", scanId, e.getMessage());
            failScan(scanId, e.getMessage());
            commit(partition, record.offset() + 1, "");
            requestsHandled.incrementAndGet();
            return true;
        } finally {
            current = null;
            resumePaused();
        }
        long total = end.targetsEmitted() + end.unresolved();
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("phase", "expansion-complete");
        summary.put("blocks", Long.toString(end.nextSequence()));
        summary.put("targets", Long.toString(total));
        summary.put("unresolvedHostnames", Long.toString(end.unresolved()));
        summary.put("invalidLines", Long.toString(problems.count()));
        summary.put("skippedAddresses", Long.toString(report.refusedAddresses()));
        List<String> refusals = report.refusals().stream().map(Object::toString).toList();
        if (!refusals.isEmpty()) {
            summary.put("skipped", String.join("; ", refusals));
        }
        if (!problems.first().isEmpty()) {
            summary.put("firstInvalidLines", String.join("; ", problems.first()));
        }
        sendAndWait(List.of(status(scanId, ScanState.RUNNING, total, true, null, null),
                event(scanId, EventType.SCAN_PROGRESS, "expansion-complete", summary)));
        commit(partition, record.offset() + 1, "");
        requestsHandled.incrementAndGet();
        refusals.forEach(line -> LOG.info("Scan {}: {}", scanId, line));
        LOG.info("Scan {}: expansion complete: {} blocks, {} targets, {} unresolved hostnames, {} invalid lines",
                scanId, end.nextSequence(), total, end.unresolved(), problems.count());
        return true;
    }

    /** Stops an expansion for shutdown or a lost partition, leaving a checkpoint to resume from. */
    private boolean stopMidway(Expanding expanding) throws InterruptedException {
        expanding.tracker.awaitAll(settings.sendTimeout());
        if (!expanding.lost) {
            commit(expanding.partition, expanding.offset, CheckpointCodec.encode(expanding.scanId, expanding.tracker.safe()));
        }
        LOG.info("Scan {}: expansion stopped at block {}; it resumes from there", expanding.scanId,
                expanding.tracker.safe().nextSequence());
        return false;
    }

    private Optional<Checkpoint> committedCheckpoint(TopicPartition partition, long offset, String scanId) {
        OffsetAndMetadata committed = consumer.committed(Set.of(partition), settings.sendTimeout()).get(partition);
        if (committed == null || committed.offset() != offset) {
            return Optional.empty();
        }
        return CheckpointCodec.decode(committed.metadata(), scanId);
    }

    private void commit(TopicPartition partition, long offset, String metadata) {
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, metadata)), settings.sendTimeout());
    }

    /**
     * Polls with every partition paused, so that a long expansion stays within {@code max.poll.interval.ms} and
     * takes part in rebalances; whatever a poll returns anyway is rewound.
     */
    private void keepMembership() {
        ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ZERO);
        for (TopicPartition partition : stray.partitions()) {
            consumer.seek(partition, stray.records(partition).get(0).offset());
        }
    }

    private void pauseAssigned() {
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        paused.addAll(assigned);
    }

    private void resumePaused() {
        Set<TopicPartition> stillAssigned = new HashSet<>(paused);
        stillAssigned.retainAll(consumer.assignment());
        consumer.resume(stillAssigned);
        paused.clear();
    }

    private boolean retryLater(TopicPartition partition, long offset) {
        try {
            consumer.seek(partition, offset);
        } catch (IllegalStateException e) {
            return false;
        }
        try {
            Thread.sleep(settings.retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return false;
    }

    private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, RuntimeException error) {
        String reason = "not a readable " + ScanRequest.class.getSimpleName() + " (Confluent-format Avro): " + error.getMessage();
        LOG.warn("Dead-lettering the record at {}/{}: {}", partition, record.offset(), reason);
        try {
            producer.send(DlqHeaders.deadLetter(record, reason, error, clock.instant()))
                    .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            commit(partition, record.offset() + 1, "");
            requestsHandled.incrementAndGet();
            return true;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            LOG.warn("Cannot dead-letter the record at {}/{} ({}); retrying in {} ms", partition, record.offset(), e,
                    settings.retryBackoff().toMillis());
            return retryLater(partition, record.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private <V> void send(String topic, String key, Serializer<V> serializer, V value, AckTracker tracker, long ticket) {
        byte[] keyBytes = keySerializer.serialize(topic, key);
        byte[] valueBytes = serializer.serialize(topic, value);
        producer.send(new ProducerRecord<>(topic, keyBytes, valueBytes), (metadata, error) -> tracker.complete(ticket, error));
    }

    /** A record for {@link #sendAndWait}. */
    private record Outgoing(String topic, String key, byte[] value) {
    }

    private void sendAndWait(List<Outgoing> records) throws InterruptedException {
        AckTracker tracker = new AckTracker(records.size(), Checkpoint.START);
        for (Outgoing outgoing : records) {
            long ticket = tracker.register(Checkpoint.START);
            producer.send(new ProducerRecord<>(outgoing.topic(), keySerializer.serialize(outgoing.topic(), outgoing.key()),
                    outgoing.value()), (metadata, error) -> tracker.complete(ticket, error));
        }
        tracker.awaitAll(settings.sendTimeout());
    }

    private void failScan(String scanId, String reason) throws InterruptedException {
        String id = scanId == null || scanId.isBlank() ? "(no scan id)" : scanId;
        Instant now = clock.instant();
        sendAndWait(List.of(status(id, ScanState.FAILED, 0, true, reason, now),
                event(id, EventType.SCAN_FAILED, "failed", Map.of("reason", reason))));
    }

    private Outgoing status(String scanId, ScanState state, long total, boolean complete, String message, Instant finished) {
        Instant now = clock.instant();
        ScanStatus status = ScanStatus.newBuilder()
                .setScanId(scanId)
                .setState(state)
                .setTotalTargets(total)
                .setExpansionComplete(complete)
                .setMessage(message)
                .setStartedAt(state == ScanState.RUNNING ? now : null)
                .setUpdatedAt(now)
                .setFinishedAt(finished)
                .build();
        String topic = Topics.SCAN_STATUS.name();
        return new Outgoing(topic, scanId, statusSerializer.serialize(topic, status));
    }

    /** Ingest's events have name-based ids, so that one sent twice after a restart is recognisably the same. */
    private Outgoing event(String scanId, EventType type, String what, Map<String, String> data) {
        Event event = Event.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((SOURCE + ":" + scanId + ":" + what).getBytes(StandardCharsets.UTF_8)).toString())
                .setType(type)
                .setSubjectId(scanId)
                .setScanId(scanId)
                .setSource(SOURCE)
                .setTime(clock.instant())
                .setData(new LinkedHashMap<>(data))
                .build();
        String topic = Topics.EVENTS.name();
        return new Outgoing(topic, scanId, eventSerializer.serialize(topic, event));
    }

    private ProbeResult dnsFailure(String scanId, Emission.Unresolved unresolved) {
        Resolution resolution = unresolved.resolution();
        return ProbeResult.newBuilder()
                .setScanId(scanId)
                .setIp("")
                .setPort(unresolved.port())
                .setHostname(unresolved.target().hostname())
                .setUrl(unresolved.target().url())
                .setStatus(ProbeStatus.FAILED)
                .setError(resolution.message())
                .setErrorCode(resolution.error())
                .setErrorCategory(ErrorCategory.DNS)
                .setAttempts(1)
                .setWorkerId(SOURCE)
                .setProbedAt(clock.instant())
                .build();
    }

    /**
     * Stops the service: an expansion under way stops at a checkpoint, once what was sent is acknowledged; waits up to
     * 30 s for the loop to end.
     */
    @Override
    public void close() {
        // No consumer.wakeup(): it would also break the commit that leaves the checkpoint; the poll timeout bounds the wait.
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Keeps the expansion safe across rebalances: a lost partition's expansion commits where it is and stops. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Expanding expanding = current;
            if (expanding != null && partitions.contains(expanding.partition) && !expanding.lost) {
                try {
                    expanding.tracker.awaitAll(settings.sendTimeout());
                    commit(expanding.partition, expanding.offset,
                            CheckpointCodec.encode(expanding.scanId, expanding.tracker.safe()));
                } catch (RuntimeException e) {
                    LOG.warn("Scan {}: could not commit the checkpoint before giving up partition {}: {}",
                            expanding.scanId, expanding.partition, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    expanding.lost = true;
                }
            }
            paused.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Expanding expanding = current;
            if (expanding != null && partitions.contains(expanding.partition)) {
                expanding.lost = true;
            }
            paused.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (current != null) {
                // Mid-expansion: new partitions wait until it is done, like the others.
                consumer.pause(partitions);
                paused.addAll(partitions);
            }
        }
    }

    /** Invalid lines of one scan: all counted, the first ones logged and kept for the summary. */
    private static final class ProblemLog implements java.util.function.Consumer<ParseProblem> {
        private final String scanId;
        private final List<String> first = new ArrayList<>();
        private long count;

        ProblemLog(String scanId) {
            this.scanId = scanId;
        }

        @Override
        public void accept(ParseProblem problem) {
            count++;
            if (count <= PROBLEMS_LOGGED) {
                LOG.warn("Scan {}: skipped {}", scanId, problem);
            }
            if (first.size() < 10) {
                first.add(problem.toString());
            }
        }

        long count() {
            return count;
        }

        List<String> first() {
            return first;
        }
    }
}
