package io.tlsxtractor.worker;

import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.PluginRegistry;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.schemas.DlqHeaders;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryException;
import io.tlsxtractor.schemas.serde.AvroSerdeConfig;
import io.tlsxtractor.worker.internal.BlockExpander;
import io.tlsxtractor.worker.internal.BlockExpander.Endpoint;
import io.tlsxtractor.worker.internal.BlockExpander.SniCall;
import io.tlsxtractor.worker.internal.EnginePool;
import io.tlsxtractor.worker.internal.MetricsServer;
import io.tlsxtractor.worker.internal.OffsetTracker;
import io.tlsxtractor.worker.internal.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: a member of the consumer group on {@link Topics#TARGETS} that probes each target block
 * and writes one {@link ProbeResult} per probe to {@link Topics#PROBE_RESULTS}.
 *
 * <p>Delivery is at least once. The producer waits for all in-sync replicas and is idempotent; the
 * offset of a block is committed only when every result of that block, and of every earlier record
 * of its partition, is acknowledged. A crash therefore re-delivers unfinished blocks to another
 * worker; the results are keyed by {@code ip:port}, so the duplicates this makes do no harm.
 *
 * <p>Backpressure: at most {@link WorkerSettings#maxInFlight()} endpoints are probed at once; when the
 * budget is full the assigned partitions are paused (polling goes on, so the worker stays in the
 * group) and resumed when probes finish. The only buffers are the records of one poll.
 *
 * <p>Records that cannot be read or probed as written go to {@code tlsx.targets.v1.dlq} with
 * {@link DlqHeaders}, and the worker goes on. {@link #close()} stops fetching, starts no more probes (those
 * still waiting for the rate limit or a slot are dropped, and their blocks left uncommitted for the next
 * owner), waits for the probes already started (up to {@link WorkerSettings#drainTimeout()}), writes their
 * results, commits and leaves the group. Events {@code worker.started} and {@code worker.stopped} go to
 * {@link Topics#EVENTS}.
 *
 * <p>All Kafka calls run on the worker's own thread; probes complete on the engine's threads and hand
 * their outcomes back through a queue bounded by the in-flight budget.
 */
public final class WorkerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    /** How often a busy worker looks at finished probes; an idle one waits the configured poll timeout. */
    private static final Duration BUSY_POLL = Duration.ofMillis(20);
    /** Wait before re-reading a partition after a failed write or an unreachable registry. */
    private static final Duration REWIND_BACKOFF = Duration.ofSeconds(1);
    /** Longest a rebalance waits for the blocks of revoked partitions to finish. */
    private static final Duration REVOKE_GRACE = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    static final String REASON_UNREADABLE = "unreadable target block";
    static final String REASON_INVALID = "invalid target block";

    private final WorkerSettings settings;
    private final String workerId;
    private final String source;
    private final PluginRegistry plugins;
    private final EnginePool engines;
    private final WorkerMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Deserializer<TargetBlock> blockReader;
    private final Serializer<ProbeResult> resultWriter;
    private final Serializer<Event> eventWriter;
    private final Serializer<String> keyWriter;

    // Consumer-thread state.
    private final OffsetTracker tracker = new OffsetTracker();
    private final ArrayDeque<BlockRun> backlog = new ArrayDeque<>();
    private final Map<TopicPartition, Set<Work>> active = new HashMap<>();
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    private final Map<TopicPartition, Instant> backoffUntil = new HashMap<>();
    private final Set<TopicPartition> revoking = new HashSet<>();
    /** Partitions rewound while handling the current poll: the rest of their records is read again. */
    private final Set<TopicPartition> rewound = new HashSet<>();
    private int inFlight;

    // Hand-over from other threads; each bounded: probes by the budget, the others by the work in progress.
    private final ConcurrentLinkedQueue<EndpointDone> probed = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Work> acked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<WriteFailure> writeFailures = new ConcurrentLinkedQueue<>();

    private final AtomicInteger inFlightGauge = new AtomicInteger();
    /** {@link System#nanoTime()} when the first probe was handed to the engine; 0 until then. */
    private volatile long firstProbeNanos;
    private final AtomicLong blocksDone = new AtomicLong();
    private final AtomicLong blocksAbandoned = new AtomicLong();
    private final AtomicLong probesDone = new AtomicLong();
    private final AtomicLong resultsWritten = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean running;
    private volatile Throwable failure;
    private volatile int drained = -1;
    private volatile int abandonedAtStop;
    private MetricsServer metricsServer;
    private Thread thread;

    /** Counts since start, for tests, logs and the {@code worker.stopped} event. */
    public record Stats(long blocksDone, long blocksAbandoned, long probes, long resultsWritten, long deadLetters,
            int inFlight, int enginesStarted) {
    }

    /**
     * Builds the worker: plugins are started and the clients created, nothing connects yet.
     *
     * @throws IllegalArgumentException or {@link io.tlsxtractor.plugin.api.PluginException} when an
     *     extractor is not installed or its settings are invalid
     */
    public WorkerService(WorkerSettings settings) {
        this.settings = settings;
        this.workerId = settings.workerId();
        this.source = "worker-" + workerId;
        this.plugins = PluginRegistry.discover(WorkerService.class.getClassLoader(), settings.pluginDirectories());
        boolean ok = false;
        try {
            plugins.enable(settings.extractors(), settings.pluginSettings());
            Map<String, DomainExtractor> byName = new LinkedHashMap<>();
            plugins.extractors().forEach(x -> byName.put(x.name(), x));
            this.engines = new EnginePool(settings.probe().toBuilder().maxInFlight(settings.maxInFlight()).build(),
                    byName, settings.maxSniNames());
            this.metrics = new WorkerMetrics(workerId, inFlightGauge::get, settings.maxInFlight());

            Map<String, Object> registryConfig = new HashMap<>(settings.clientProperties());
            registryConfig.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, settings.registryUrl());
            SchemaRegistryClient registry = AvroSerdeConfig.client(registryConfig);
            this.blockReader = Topics.TARGETS.valueSerde(registry, false).deserializer();
            this.resultWriter = Topics.PROBE_RESULTS.valueSerde(registry, settings.autoRegisterSchemas()).serializer();
            this.eventWriter = Topics.EVENTS.valueSerde(registry, settings.autoRegisterSchemas()).serializer();
            this.keyWriter = Topics.PROBE_RESULTS.keySerde().serializer();
            this.consumer = new KafkaConsumer<>(consumerConfig(settings), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            try {
                this.producer = new KafkaProducer<>(producerConfig(settings), new ByteArraySerializer(),
                        new ByteArraySerializer());
            } catch (RuntimeException e) {
                consumer.close(Duration.ZERO);
                throw e;
            }
            ok = true;
        } finally {
            if (!ok) {
                plugins.close();
            }
        }
    }

    static Map<String, Object> consumerConfig(WorkerSettings s) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A block is up to a few hundred endpoints: a handful per poll keeps what waits in memory small.
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 8);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "tlsx-worker-" + s.workerId());
        c.putAll(s.clientProperties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return c;
    }

    static Map<String, Object> producerConfig(WorkerSettings s) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "tlsx-worker-" + s.workerId());
        c.putAll(s.clientProperties());
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return c;
    }

    public String workerId() {
        return workerId;
    }

    public WorkerSettings settings() {
        return settings;
    }

    /** The metrics port actually bound, or 0 when metrics are off. */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    /**
     * When this worker handed its first probe to the engine, as {@link System#nanoTime()}, or 0 before that: what a
     * command's start-up ends with.
     */
    public long firstProbeNanos() {
        return firstProbeNanos;
    }

    /** Endpoints being probed now. */
    public int inFlight() {
        return inFlightGauge.get();
    }

    public Stats stats() {
        return new Stats(blocksDone.get(), blocksAbandoned.get(), probesDone.get(), resultsWritten.get(),
                deadLetters.get(), inFlightGauge.get(), engines.started());
    }

    /** Whether the worker's thread runs (started and not yet stopped). */
    public boolean isRunning() {
        return running;
    }

    /** Why the worker stopped on its own, if it did. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Starts, before {@link #start()}, the probe engine that blocks with these options will use, so that its set-up
     * (event loops, TLS contexts: a few hundred milliseconds) overlaps what the caller waits for anyway (the embedded
     * broker starting) instead of delaying the first probe. An engine no block asks for is closed with the worker.
     *
     * @throws IllegalStateException after {@link #start()}: the engines then belong to the worker's thread
     * @throws IllegalArgumentException when the options are out of range
     */
    public synchronized void prepareEngine(ProbeOptions options) {
        if (thread != null) {
            throw new IllegalStateException("worker " + workerId + ": prepareEngine is for before start()");
        }
        engines.acquire(engines.profile(options)).release();
    }

    /**
     * Starts the metrics endpoint (when configured) and the worker's thread, which joins the group.
     *
     * @throws IllegalStateException when started twice
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("worker " + workerId + " is already started");
        }
        if (settings.metricsPort() > 0) {
            metricsServer = MetricsServer.start(settings.metricsPort(), metrics::scrape);
        }
        running = true;
        thread = new Thread(this::run, "tlsx-worker-" + workerId);
        thread.start();
    }

    /** Waits until the worker has stopped; true when it did within {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops: no more fetching, the probes in flight finish (up to the drain timeout) and their results
     * are written, completed blocks are committed, the group is left. Idempotent; waits for the end.
     */
    @Override
    public void close() {
        stopRequested = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            releaseResources();
            stopped.countDown();
            return;
        }
        if (Thread.currentThread() != t) {
            try {
                if (!stopped.await(settings.drainTimeout().plus(CLOSE_TIMEOUT).plus(CLOSE_TIMEOUT).toMillis(),
                        TimeUnit.MILLISECONDS)) {
                    LOG.error("Worker {} did not stop within the drain timeout plus {}", workerId, CLOSE_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The worker's thread.

    private void run() {
        Instant started = Instant.now();
        // Sending waits for the producer's first metadata of the events topic: round trips that the first poll (the
        // group join, then the first block) need not wait for, and that a scan's first probe waits for otherwise.
        Thread startedEvent = new Thread(() -> {
            try {
                sendEvent(EventType.WORKER_STARTED, startData());
            } catch (RuntimeException e) {
                LOG.warn("Worker {}: event {} not written: {}", workerId, EventType.WORKER_STARTED, e.toString());
            }
        }, "tlsx-worker-" + workerId + "-started-event");
        try {
            consumer.subscribe(List.of(Topics.TARGETS.name()), new Rebalance());
            startedEvent.start();
            LOG.info("Worker {} started: group {}, {} in flight, extractors {}", workerId, settings.groupId(),
                    settings.maxInFlight(), settings.extractors());
            while (!stopRequested) {
                step();
            }
            drain();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("Worker {} failed and stops: {}", workerId, e.toString(), e);
        } finally {
            try {
                // worker.stopped comes after worker.started.
                startedEvent.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Map<String, String> data = startData();
                Stats s = stats();
                data.put("reason", failure == null ? "stopped" : "failed: " + failure);
                data.put("blocks_done", Long.toString(s.blocksDone()));
                data.put("blocks_abandoned", Long.toString(s.blocksAbandoned()));
                data.put("probes", Long.toString(s.probes()));
                data.put("results_written", Long.toString(s.resultsWritten()));
                data.put("dead_letters", Long.toString(s.deadLetters()));
                data.put("drained", Integer.toString(Math.max(drained, 0)));
                data.put("abandoned_in_flight", Integer.toString(abandonedAtStop));
                data.put("uptime_ms", Long.toString(Duration.between(started, Instant.now()).toMillis()));
                sendEvent(EventType.WORKER_STOPPED, data);
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("Worker {}: cannot write the worker.stopped event: {}", workerId, e.toString());
            }
            releaseResources();
            running = false;
            LOG.info("Worker {} stopped: {}", workerId, stats());
            stopped.countDown();
        }
    }

    private Map<String, String> startData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("host", WorkerSettings.hostName());
        data.put("pid", Long.toString(ProcessHandle.current().pid()));
        data.put("group", settings.groupId());
        data.put("max_in_flight", Integer.toString(settings.maxInFlight()));
        data.put("extractors", String.join(",", settings.extractors()));
        return data;
    }

    private void releaseResources() {
        closeQuietly("consumer", () -> consumer.close(CLOSE_TIMEOUT));
        closeQuietly("engines", engines::close);
        closeQuietly("producer", () -> producer.close(CLOSE_TIMEOUT));
        closeQuietly("plugins", plugins::close);
        if (metricsServer != null) {
            closeQuietly("metrics server", metricsServer::close);
        }
    }

    private void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("Worker {}: closing the {} failed: {}", workerId, what, e.toString());
        }
    }

    /** One turn: hand finished probes to the producer, commit, submit, pause or resume, poll. */
    private void step() {
        settle();
        commit(false);
        dispatch();
        updatePause();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(inFlight > 0 || !backlog.isEmpty()
                ? BUSY_POLL : settings.pollTimeout());
        rewound.clear();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            receive(record);
        }
        dispatch();
        updatePause();
    }

    /** Everything other threads handed back: finished probes, acknowledgements, failed writes. */
    private void settle() {
        EndpointDone d;
        while ((d = probed.poll()) != null) {
            onProbed(d);
        }
        WriteFailure f;
        while ((f = writeFailures.poll()) != null) {
            if (!f.work.abandoned) {
                rewind(f.work.tp, f.error);
            }
        }
        Work w;
        while ((w = acked.poll()) != null) {
            if (w instanceof BlockRun b) {
                maybeComplete(b);
            } else if (!w.abandoned && !w.done) {
                deadLetters.incrementAndGet();
                metrics.deadLetter();
                finish(w);
            }
        }
    }

    private void receive(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (rewound.contains(tp)) {
            return;
        }
        tracker.track(tp, record.offset());
        TargetBlock block;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            block = blockReader.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            if (transientRegistryFailure(e)) {
                rewind(tp, e);
                return;
            }
            deadLetter(tp, record, REASON_UNREADABLE, e);
            return;
        }
        List<Endpoint> endpoints;
        EnginePool.Profile profile;
        try {
            endpoints = BlockExpander.expand(block);
            profile = engines.profile(block.getOptions());
        } catch (IllegalArgumentException e) {
            deadLetter(tp, record, REASON_INVALID, e);
            return;
        }
        BlockRun run = new BlockRun(tp, record.offset(), block, endpoints, profile);
        active.computeIfAbsent(tp, k -> new LinkedHashSet<>()).add(run);
        LOG.debug("Worker {}: block {} of scan {} ({} endpoints) from {}@{}", workerId, block.getBlockId(),
                block.getScanId(), endpoints.size(), tp, record.offset());
        if (endpoints.isEmpty()) {
            LOG.warn("Worker {}: block {} of scan {} at {}@{} lists no target", workerId, block.getBlockId(),
                    block.getScanId(), tp, record.offset());
            maybeComplete(run);
        } else {
            backlog.addLast(run);
        }
    }

    private static boolean transientRegistryFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SchemaRegistryException sre) {
                return sre.retriable();
            }
        }
        return false;
    }

    private void deadLetter(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
        LOG.warn("Worker {}: record {}@{} goes to the dead-letter topic: {}: {}", workerId, tp, record.offset(),
                reason, error.getMessage());
        Work work = new Work(tp, record.offset());
        active.computeIfAbsent(tp, k -> new LinkedHashSet<>()).add(work);
        send(work, DlqHeaders.deadLetter(record, reason, error, Instant.now()));
    }

    /** Submits endpoints while the budget allows, oldest block first. */
    private void dispatch() {
        while (inFlight < settings.maxInFlight() && !backlog.isEmpty() && !stopRequested) {
            BlockRun b = backlog.peekFirst();
            if (b.abandoned || b.next >= b.endpoints.size()) {
                backlog.pollFirst();
                continue;
            }
            Endpoint e = b.endpoints.get(b.next++);
            if (b.next >= b.endpoints.size()) {
                backlog.pollFirst();
            }
            submit(b, e);
        }
    }

    private void submit(BlockRun b, Endpoint e) {
        EnginePool.Entry engine = engines.acquire(b.profile);
        List<CompletableFuture<List<ProbeOutcome>>> futures = new ArrayList<>(e.sniCalls().size());
        for (SniCall call : e.sniCalls()) {
            ProbeTarget target = new ProbeTarget(e.ip(), e.port(), call.sni(), b.block.getScanId(), b.block.getBlockId());
            futures.add(engine.planner().probe(target, call.strategy(), e.hostname(), call.names()));
        }
        if (firstProbeNanos == 0) {
            firstProbeNanos = System.nanoTime();
        }
        inFlight++;
        inFlightGauge.set(inFlight);
        b.outstanding++;
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).whenComplete((v, error) -> {
            List<ProbeOutcome> outcomes = new ArrayList<>();
            if (error == null) {
                futures.forEach(f -> outcomes.addAll(f.join()));
            }
            probed.add(new EndpointDone(b, e, engine, outcomes, error));
        });
    }

    private void onProbed(EndpointDone d) {
        inFlight--;
        inFlightGauge.set(inFlight);
        d.engine.release();
        BlockRun b = d.block;
        b.outstanding--;
        if (d.error != null) {
            if (stopRequested) {
                // Not probed because this worker stops (SniPlanner.stopStarting): the block stays uncommitted, so its
                // next owner redoes it; the results of its other endpoints are still written.
                b.unprobedAtStop = true;
            } else if (!b.abandoned) {
                LOG.error("Worker {}: probing {} of block {} failed unexpectedly", workerId, d.endpoint.key(),
                        b.block.getBlockId(), d.error);
                rewind(b.tp, d.error);
            }
            return;
        }
        Instant now = Instant.now();
        ProbeResultMapper.Origin origin = new ProbeResultMapper.Origin(b.block.getScanId(), b.block.getBlockId(),
                d.endpoint.hostname(), d.endpoint.url());
        for (ProbeOutcome o : d.outcomes) {
            probesDone.incrementAndGet();
            metrics.probe(o);
            LOG.debug("Worker {}: {}", workerId, o);
            if (b.abandoned) {
                continue;
            }
            String topic = Topics.PROBE_RESULTS.name();
            byte[] value;
            try {
                value = resultWriter.serialize(topic, ProbeResultMapper.toResult(o, origin, workerId, now));
            } catch (RuntimeException e) {
                LOG.error("Worker {}: cannot serialize the result of {}: {}", workerId, o.target(), e.toString());
                rewind(b.tp, e);
                return;
            }
            send(b, new ProducerRecord<>(topic, keyWriter.serialize(topic, ProbeResultMapper.key(o)), value));
        }
        maybeComplete(b);
    }

    private void send(Work work, ProducerRecord<byte[], byte[]> record) {
        work.pendingAcks.incrementAndGet();
        boolean result = work instanceof BlockRun;
        try {
            producer.send(record, (meta, error) -> {
                if (error != null) {
                    work.pendingAcks.decrementAndGet();
                    writeFailures.add(new WriteFailure(work, error));
                    return;
                }
                if (result) {
                    resultsWritten.incrementAndGet();
                    metrics.resultWritten();
                }
                if (work.pendingAcks.decrementAndGet() == 0) {
                    acked.add(work);
                }
            });
        } catch (RuntimeException e) {
            work.pendingAcks.decrementAndGet();
            LOG.error("Worker {}: cannot write to {}: {}", workerId, record.topic(), e.toString());
            rewind(work.tp, e);
        }
    }

    private void maybeComplete(BlockRun b) {
        if (!b.done && !b.abandoned && !b.unprobedAtStop && b.next >= b.endpoints.size() && b.outstanding == 0
                && b.pendingAcks.get() == 0) {
            blocksDone.incrementAndGet();
            metrics.blockDone();
            LOG.info("Worker {}: block {} of scan {} done ({} endpoints, {}@{})", workerId, b.block.getBlockId(),
                    b.block.getScanId(), b.endpoints.size(), b.tp, b.offset);
            finish(b);
        }
    }

    private void finish(Work w) {
        w.done = true;
        Set<Work> set = active.get(w.tp);
        if (set != null) {
            set.remove(w);
        }
        tracker.complete(w.tp, w.offset);
    }

    /** Commits, per partition, the offset after the longest completed run, when it moved. */
    private void commit(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(tracker.partitions());
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets, CLOSE_TIMEOUT);
            LOG.debug("Worker {} committed {}", workerId, offsets);
        } else {
            consumer.commitAsync(offsets, (o, error) -> {
                if (error != null) {
                    // The next commit carries the same or a later offset; a lost one only means re-probing.
                    LOG.warn("Worker {}: commit of {} failed: {}", workerId, o, error.toString());
                }
            });
        }
        offsets.forEach((tp, om) -> lastCommitted.put(tp, om.offset()));
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OptionalLong next = tracker.committable(tp);
            if (next.isPresent() && next.getAsLong() > lastCommitted.getOrDefault(tp, -1L)) {
                offsets.put(tp, new OffsetAndMetadata(next.getAsLong()));
            }
        }
        return offsets;
    }

    /** Pauses every assigned partition while the budget is full (or while stopping), resumes them after. */
    private void updatePause() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        boolean full = stopRequested || inFlight >= settings.maxInFlight() || !backlog.isEmpty();
        Instant now = Instant.now();
        backoffUntil.values().removeIf(until -> until.isBefore(now));
        Set<TopicPartition> want = new HashSet<>();
        for (TopicPartition tp : assignment) {
            if (full || backoffUntil.containsKey(tp)) {
                want.add(tp);
            }
        }
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toPause = new HashSet<>(want);
        toPause.removeAll(paused);
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(want);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
            if (full) {
                metrics.paused();
            }
            LOG.debug("Worker {}: paused {} ({} in flight)", workerId, toPause, inFlight);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
            LOG.debug("Worker {}: resumed {} ({} in flight)", workerId, toResume, inFlight);
        }
    }

    /**
     * After a failed write (or an unreachable registry): drops the partition's unfinished work and
     * reads it again from its oldest unfinished record after a short wait. The results already
     * written are written again: harmless, they are keyed.
     */
    private void rewind(TopicPartition tp, Throwable error) {
        if (revoking.contains(tp) || !consumer.assignment().contains(tp)) {
            abandon(tp);
            return;
        }
        OptionalLong from = tracker.firstPending(tp);
        abandon(tp);
        rewound.add(tp);
        if (from.isPresent()) {
            consumer.seek(tp, from.getAsLong());
        }
        backoffUntil.put(tp, Instant.now().plus(REWIND_BACKOFF));
        LOG.warn("Worker {}: re-reading {} from offset {} in {} ms after: {}", workerId, tp,
                from.isPresent() ? from.getAsLong() : "(current)", REWIND_BACKOFF.toMillis(), error.toString());
    }

    /** Forgets the partition's unfinished work: nothing of it is committed, so its next owner redoes it. */
    private void abandon(TopicPartition tp) {
        Set<Work> works = active.remove(tp);
        if (works != null) {
            for (Work w : works) {
                w.abandoned = true;
                if (w instanceof BlockRun) {
                    blocksAbandoned.incrementAndGet();
                }
            }
        }
        backlog.removeIf(b -> b.tp.equals(tp));
        tracker.forget(tp);
        lastCommitted.remove(tp);
    }

    private boolean busyWith(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Set<Work> works = active.get(tp);
            if (works != null && !works.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Stops fetching, lets the probes in flight finish and writes their results, commits. */
    private void drain() {
        drained = inFlight;
        LOG.info("Worker {} stopping: draining {} probes in flight (up to {} ms)", workerId, inFlight,
                settings.drainTimeout().toMillis());
        // Endpoints not yet submitted are not probed: their blocks stay uncommitted and are redone elsewhere. Nor are
        // those submitted but still waiting for the rate limit or a slot: started now, they would reach their server
        // and be dropped at the deadline, then probed again by whoever redoes the block.
        backlog.clear();
        engines.stopStarting();
        updatePause();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (inFlight > 0 && System.nanoTime() < deadline) {
            settle();
            // Polling paused partitions returns nothing but keeps the worker in the group meanwhile.
            for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(BUSY_POLL)) {
                LOG.debug("Worker {}: record {}@{} left for the next owner", workerId, ignored.partition(), ignored.offset());
            }
        }
        settle();
        producer.flush();
        settle();
        commit(true);
        abandonedAtStop = inFlight;
        if (inFlight > 0) {
            LOG.warn("Worker {}: {} probes still in flight after the drain timeout; their blocks will be redone",
                    workerId, inFlight);
        }
        for (TopicPartition tp : new ArrayList<>(active.keySet())) {
            abandon(tp);
        }
    }

    private void sendEvent(EventType type, Map<String, String> data) {
        String topic = Topics.EVENTS.name();
        Event event = Event.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setType(type)
                .setSubjectId(workerId)
                .setScanId(null)
                .setSource(source)
                .setTime(Instant.now())
                .setData(data)
                .build();
        producer.send(new ProducerRecord<>(topic, keyWriter.serialize(topic, workerId), eventWriter.serialize(topic, event)),
                (meta, error) -> {
                    if (error != null) {
                        LOG.warn("Worker {}: event {} not written: {}", workerId, type, error.toString());
                    }
                });
    }

    /** Partitions taken away: finish what can finish shortly, commit it, abandon the rest. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            revoking.addAll(partitions);
            try {
                backlog.removeIf(b -> {
                    if (partitions.contains(b.tp) && b.next == 0) {
                        b.abandoned = true;
                        return true;
                    }
                    return false;
                });
                long deadline = System.nanoTime() + REVOKE_GRACE.toNanos();
                while (busyWith(partitions) && inFlight > 0 && System.nanoTime() < deadline) {
                    settle();
                    dispatchOnly(partitions);
                    sleep(5);
                }
                producer.flush();
                settle();
                Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
                if (!offsets.isEmpty()) {
                    try {
                        consumer.commitSync(offsets, CLOSE_TIMEOUT);
                    } catch (RuntimeException e) {
                        LOG.warn("Worker {}: commit of revoked {} failed: {}", workerId, offsets, e.toString());
                    }
                }
                int unfinished = 0;
                for (TopicPartition tp : partitions) {
                    Set<Work> works = active.get(tp);
                    unfinished += works == null ? 0 : works.size();
                    abandon(tp);
                    backoffUntil.remove(tp);
                }
                LOG.info("Worker {}: partitions {} revoked; committed {}, {} unfinished records left to the next owner",
                        workerId, partitions, offsets.values(), unfinished);
            } finally {
                revoking.removeAll(partitions);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("Worker {}: partitions {} assigned", workerId, partitions);
                if (stopRequested || inFlight >= settings.maxInFlight() || !backlog.isEmpty()) {
                    consumer.pause(partitions);
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.warn("Worker {}: partitions {} lost; their unfinished blocks are left to the next owner", workerId,
                    partitions);
            for (TopicPartition tp : partitions) {
                abandon(tp);
                backoffUntil.remove(tp);
            }
        }
    }

    /** While a revoked partition's started block finishes, submit the rest of that block only. */
    private void dispatchOnly(Collection<TopicPartition> partitions) {
        for (BlockRun b : new ArrayList<>(backlog)) {
            if (!partitions.contains(b.tp)) {
                continue;
            }
            while (inFlight < settings.maxInFlight() && b.next < b.endpoints.size() && !b.abandoned) {
                submit(b, b.endpoints.get(b.next++));
            }
            if (b.next >= b.endpoints.size()) {
                backlog.remove(b);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A record being handled: a block or a dead letter. */
    private static class Work {
        final TopicPartition tp;
        final long offset;
        final AtomicInteger pendingAcks = new AtomicInteger();
        volatile boolean abandoned;
        boolean done;

        Work(TopicPartition tp, long offset) {
            this.tp = tp;
            this.offset = offset;
        }
    }

    private static final class BlockRun extends Work {
        final TargetBlock block;
        final List<Endpoint> endpoints;
        final EnginePool.Profile profile;
        /** Next endpoint to submit. */
        int next;
        /** Endpoints submitted whose outcomes have not been handed to the producer yet. */
        int outstanding;
        /** Some endpoint was submitted but not probed because the worker stops: the block cannot complete here. */
        boolean unprobedAtStop;

        BlockRun(TopicPartition tp, long offset, TargetBlock block, List<Endpoint> endpoints, EnginePool.Profile profile) {
            super(tp, offset);
            this.block = block;
            this.endpoints = endpoints;
            this.profile = profile;
        }
    }

    private record EndpointDone(BlockRun block, Endpoint endpoint, EnginePool.Entry engine, List<ProbeOutcome> outcomes,
            Throwable error) {
    }

    private record WriteFailure(Work work, Throwable error) {
    }
}
