package io.tlsxtractor.command.scan;

import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.ingest.HostResolver;
import io.tlsxtractor.ingest.IngestService;
import io.tlsxtractor.ingest.IngestSettings;
import io.tlsxtractor.localstack.KafkaBrokerProcess;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.worker.WorkerService;
import io.tlsxtractor.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on this machine for one command: a real single-node broker as a child process (data under
 * {@code local.data_dir/embedded}, kept between runs), the in-process schema registry, the catalog's topics, and the
 * ingest service and one worker running in this process. {@link #close()} stops them in reverse order.
 *
 * <p>A new scan starts with an empty queue: work left on the topics by an interrupted earlier run is skipped (the
 * ingest's and the workers' group offsets are moved to the end before they start), so that it does not delay this
 * scan.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPipeline.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ARCHIVE_WRITE_WAIT = Duration.ofSeconds(60);
    /** The embedded run's own consumer groups, apart from those of a cluster the same data directory never serves. */
    static final String INGEST_GROUP = IngestSettings.DEFAULT_GROUP_ID;
    static final String WORKER_GROUP = WorkerSettings.DEFAULT_GROUP_ID;
    /**
     * Partitions of each catalog topic the embedded broker creates. The catalog's counts (up to 12, for a cluster's
     * workers and stream threads) would mean ~130 logs that the broker opens at every start, about a second and a half
     * of each scan's start-up; here one worker in this process consumes everything, so one partition loses nothing.
     * Topics created by earlier versions keep their partitions.
     */
    static final int TOPIC_PARTITIONS = 1;
    /**
     * Every in-process client of the embedded broker (ingest, worker, collector, submit): no JMX reporter (each client
     * registers an MBean per metric group as its sensors appear, CPU that the start-up shares with the broker's
     * start, and nobody reads a command's MBeans) and no telemetry push (the embedded broker has no metrics plugin to
     * push to, and asking costs a request per client).
     */
    static final Map<String, String> EMBEDDED_CLIENT = Map.of(
            "metric.reporters", "",
            "enable.metrics.push", "false");
    /**
     * The in-process worker's producer on the embedded broker. Each produce request, and each fetch it wakes, costs the
     * broker's fresh JVM a few hundred microseconds of CPU that the probes on the same two cores then lack: larger,
     * rarer batches (a 25 ms linger; results wait that long at most, against seconds of scan) and no compression on
     * loopback (the broker decompresses every batch to validate it, the collector again to read it) leave that CPU to
     * the scan.
     */
    static final Map<String, String> EMBEDDED_WORKER_CLIENT = Map.of(
            "linger.ms", "25",
            "batch.size", Integer.toString(1024 * 1024),
            "compression.type", "none");

    private final BrokerLaunch launch;
    private final KafkaBrokerProcess broker;
    private final ClusterConnection connection;
    private final HostResolver resolver;
    private final IngestService ingest;
    private final WorkerService worker;

    private EmbeddedPipeline(BrokerLaunch launch, KafkaBrokerProcess broker, ClusterConnection connection,
            HostResolver resolver, IngestService ingest, WorkerService worker) {
        this.launch = launch;
        this.broker = broker;
        this.connection = connection;
        this.resolver = resolver;
        this.ingest = ingest;
        this.worker = worker;
    }

    /**
     * Starts everything and returns once the broker serves clients, the topics exist and ingest and the worker run.
     *
     * @throws IllegalStateException when another command uses the same data directory, or the broker cannot start
     */
    public static EmbeddedPipeline start(TlsxConfig config) {
        return start(config, null);
    }

    /**
     * As {@link #start(TlsxConfig)}; with {@code firstScan}, the probe options of the scan about to be submitted, the
     * worker's engine for them is started while the broker starts, so that the first block is probed as it arrives.
     */
    public static EmbeddedPipeline start(TlsxConfig config, ProbeOptions firstScan) {
        try (Starting starting = begin(config, firstScan)) {
            return starting.await();
        }
    }

    /**
     * Launches the broker (or claims the one launched at the command's start) and builds ingest and the worker while
     * it starts, then returns at once: {@link Starting#await()} gives the running pipeline. In between, the caller can
     * build its own clients of {@link Starting#connection()} (they need the broker only to connect), so that nothing
     * but round trips is left for after the broker serves.
     *
     * @throws IllegalStateException when another command uses the same data directory
     */
    public static Starting begin(TlsxConfig config, ProbeOptions firstScan) {
        Path dir = config.local().dataDir().resolve("embedded").toAbsolutePath().normalize();
        String heap = config.local().brokerHeap();
        BrokerLaunch launch = BrokerHeadStart.claim(dir, heap).orElse(null);
        if (launch == null) {
            launch = BrokerLaunch.begin(dir, heap);
        }
        Starting starting = new Starting(launch);
        boolean ok = false;
        try {
            starting.build(config.scanning(), firstScan);
            ok = true;
            return starting;
        } finally {
            if (!ok) {
                starting.close();
            }
        }
    }

    /** A pipeline whose broker starts: see {@link #begin}. Closing it before {@link #await()} stops everything. */
    public static final class Starting implements AutoCloseable {

        private final BrokerLaunch launch;
        private final ClusterConnection connection;
        private HostResolver resolver;
        private IngestService ingest;
        private WorkerService worker;
        private boolean running;

        private Starting(BrokerLaunch launch) {
            this.launch = launch;
            this.connection = ClusterConnection.embedded(launch.bootstrapServers(), EMBEDDED_CLIENT);
        }

        private void build(TlsxConfig.Scanning s, ProbeOptions firstScan) {
            IngestSettings ingestSettings = IngestSettings.defaults(connection.bootstrapServers())
                    .withClientProperties(connection.clientProperties());
            resolver = ingestSettings.newDefaultResolver();
            ingest = new IngestService(ingestSettings, connection.registry(), resolver, Clock.systemUTC());
            worker = new WorkerService(workerSettings(connection, s.threads(), s)
                    .clientProperties(withEmbeddedTuning(connection.clientProperties())).build());
            if (firstScan != null) {
                worker.prepareEngine(firstScan);
            }
        }

        /** The embedded cluster's connection; its broker may not serve yet. */
        public ClusterConnection connection() {
            return connection;
        }

        /**
         * Waits until the broker serves, creates the topics, skips work an interrupted run left, and starts ingest and
         * the worker.
         *
         * @throws IllegalStateException when the broker cannot start (everything is stopped then)
         */
        public EmbeddedPipeline await() {
            try {
                return startAll();
            } finally {
                close();
            }
        }

        private EmbeddedPipeline startAll() {
            KafkaBrokerProcess broker = launch.await();
            try (Admin admin = TopicProvisioner.createAdmin(connection.bootstrapServers(), ADMIN_TIMEOUT)) {
                new TopicProvisioner(admin, connection.bootstrapServers(), TopicProvisioner.Options.defaults()
                        .withReplicationFactor((short) 1).withPartitions(TOPIC_PARTITIONS).withTimeout(ADMIN_TIMEOUT)
                        .withoutExistingCheck()).provisionCatalog();
                skipLeftoverWork(admin, Map.of(INGEST_GROUP, Topics.SCAN_REQUESTS.name(), WORKER_GROUP,
                        Topics.TARGETS.name()));
            }
            ingest.start();
            worker.start();
            running = true;
            launch.handOver();
            return new EmbeddedPipeline(launch, broker, connection, resolver, ingest, worker);
        }

        /** Stops what was built and the broker, unless {@link #await()} handed them to the running pipeline. */
        @Override
        public void close() {
            if (!running) {
                closeQuietly(worker);
                closeQuietly(ingest);
                closeQuietly(resolver);
                closeQuietly(launch); // stops the broker too: the launch was not handed over
            }
        }
    }

    /**
     * Stops the embedded broker that the last run on {@code dataDir} ({@code local.data_dir}) left stopping, and waits
     * until it is gone: for whoever deletes or moves that directory after a scan (a scan does not wait for the broker's
     * shutdown).
     */
    public static void awaitBrokerStopped(Path dataDir) {
        BrokerLaunch.awaitPreviousBroker(dataDir.resolve("embedded").toAbsolutePath().normalize());
    }

    private static Map<String, String> withEmbeddedTuning(Map<String, String> clientProperties) {
        Map<String, String> merged = new HashMap<>(EMBEDDED_WORKER_CLIENT);
        merged.putAll(clientProperties);
        return merged;
    }

    /** The settings of a worker for {@code connection}: the in-flight budget is 1.x {@code --threads}. */
    public static WorkerSettings.Builder workerSettings(ClusterConnection connection, int maxInFlight,
            TlsxConfig.Scanning s) {
        int budget = Math.max(1, Math.min(maxInFlight, ProbeSettings.MAX_IN_FLIGHT_LIMIT));
        return WorkerSettings.builder(connection.bootstrapServers(), connection.registryUrl())
                .groupId(WORKER_GROUP)
                .clientProperties(connection.clientProperties())
                .autoRegisterSchemas(connection.autoRegister())
                .maxInFlight(budget)
                .drainTimeout(Duration.ofSeconds(5))
                .probe(ProbeSettings.builder()
                        .maxInFlight(budget)
                        .timeout(Duration.ofSeconds(s.timeout()))
                        .retries(s.retry())
                        .rateLimit(s.rateLimit())
                        .build());
    }

    /**
     * Moves each group's offsets on its topic to the end, so that records left by an earlier, interrupted run are not
     * worked on by this one. Creates a group's offsets when the group is new. The groups are handled side by side:
     * this is on the way from the broker's start to the first probe.
     */
    private static void skipLeftoverWork(Admin admin, Map<String, String> topicByGroup) {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(topicByGroup.values()).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.values().forEach(t -> t.partitions().forEach(p ->
                    latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, KafkaFuture<Void>> moved = new HashMap<>();
            topicByGroup.forEach((group, topic) -> moved.put(group,
                    admin.alterConsumerGroupOffsets(group, endsOf(topic, ends)).all()));
            for (Map.Entry<String, KafkaFuture<Void>> m : moved.entrySet()) {
                String group = m.getKey();
                try {
                    m.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // A run that was killed leaves its members in the group until their session times out (45 s), and
                    // a group with members refuses new offsets. This directory's lock says that no other run uses them.
                    LOG.info("Removing the members that a killed run left in group {} ({})", group, e.getCause().toString());
                    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    admin.alterConsumerGroupOffsets(group, endsOf(topicByGroup.get(group), ends)).all()
                            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the embedded broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reset consumer groups " + topicByGroup + " of the embedded broker: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> endsOf(String topic,
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ends.forEach((tp, info) -> {
            if (tp.topic().equals(topic)) {
                offsets.put(tp, new OffsetAndMetadata(info.offset()));
            }
        });
        return offsets;
    }

    public ClusterConnection connection() {
        return connection;
    }

    public KafkaBrokerProcess broker() {
        return broker;
    }

    /** When the in-process worker sent its first probe ({@link System#nanoTime()}), or 0 before that. */
    public long firstProbeNanos() {
        return worker.firstProbeNanos();
    }

    /** Why the pipeline cannot finish the scan (the broker exited, the worker stopped on its own), or null. */
    public String failure() {
        if (!ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return "the embedded Kafka broker (pid " + broker.pid() + ") exited; its log is " + broker.logFile();
        }
        if (worker.failure() != null) {
            return "the embedded worker stopped: " + worker.failure().getMessage();
        }
        if (!worker.isRunning()) {
            return "the embedded worker stopped";
        }
        return null;
    }

    /**
     * Stops the worker (its probes in flight drain briefly) and ingest, then asks the broker to stop (SIGTERM to its
     * PID) without waiting: everything of the scan is written by then, the broker's controlled shutdown takes seconds
     * that the user need not wait for, and the next run waits for it ({@link BrokerLaunch#awaitPreviousBroker}).
     */
    @Override
    public void close() {
        // The two leave their groups independently: stopping them side by side halves the wait.
        Thread workerStop = new Thread(() -> closeQuietly(worker), "tlsx-embedded-worker-stop");
        workerStop.start();
        closeQuietly(ingest);
        closeQuietly(resolver);
        try {
            workerStop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.detach();
        ProcessHandle.of(broker.pid()).ifPresent(h -> {
            h.destroy();
            if (broker.writesClassArchiveAtExit()) {
                // Once per class path and data directory the broker writes its class-data archive as it exits: wait
                // for that, so that nothing is left writing into the directory after this command has ended.
                LOG.info("The broker (pid {}) writes its class-data archive as it stops, once: waiting for it", h.pid());
                if (!BrokerLaunch.awaitExit(h, ARCHIVE_WRITE_WAIT)) {
                    LOG.warn("The broker (pid {}) is still stopping after {}; the next run waits for it", h.pid(),
                            ARCHIVE_WRITE_WAIT);
                }
            }
        });
        launch.releaseLock();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
