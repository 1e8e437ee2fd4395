package io.tlsxtractor.streams;

import io.tlsxtractor.enrichment.CertificateAnalyzer;
import io.tlsxtractor.enrichment.DnsEnricher;
import io.tlsxtractor.enrichment.DnsSettings;
import io.tlsxtractor.enrichment.TrustSettings;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams application: the topology of {@link StreamsTopologies} in a {@link KafkaStreams} instance configured
 * by {@link StreamsSettings}. Creating it contacts nothing; {@link #start()} provisions missing catalog topics and
 * starts processing.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final StreamsSettings settings;
    private final Topology topology;
    private final KafkaStreams streams;
    private final DropCounters drops;
    private final InventoryCounters inventoryCounters;
    private final DnsEnricher ownedDns;
    private final InventoryQueries queries;

    private StreamsApp(StreamsSettings settings, Topology topology, KafkaStreams streams, DropCounters drops,
            InventoryCounters inventoryCounters, DnsEnricher ownedDns, InventoryQueries queries) {
        this.inventoryCounters = inventoryCounters;
        this.queries = queries;
        this.settings = settings;
        this.topology = topology;
        this.streams = streams;
        this.drops = drops;
        this.ownedDns = ownedDns;
    }

    /**
     * The application as {@code tlsxtractor streams} runs it, from its settings alone: when
     * {@link StreamsSettings#dnsEnabled()}, a {@link DnsEnricher} on {@link StreamsSettings#dnsResolvers()} (closed
     * with the application); certificates analysed by a {@link CertificateAnalyzer} trusting
     * {@link StreamsSettings#trustBundle()} or the JDK's trust store. Contacts nothing until {@link #start()}.
     *
     * @throws IllegalArgumentException when the trust bundle cannot be read (naming the file)
     */
    public static StreamsApp fromSettings(StreamsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        CertificateAnalyzer analyzer = CertificateAnalyzer.create(settings.trustBundle() == null
                ? TrustSettings.jdkDefault() : TrustSettings.fromPemBundle(settings.trustBundle()));
        DnsEnricher dns = settings.dnsEnabled() ? new DnsEnricher(DnsSettings.defaults(settings.dnsResolvers())) : null;
        try {
            return create(settings, dns == null ? null : Enrichment.dns(dns), Enrichment.inspector(analyzer), dns);
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            throw e;
        }
    }

    /**
     * @param dns DNS lookups for new domains; required when {@link StreamsSettings#dnsEnabled()}, ignored otherwise
     * @param inspector certificate analysis (see {@link Enrichment#inspector}); null for the built-in checks
     */
    public static StreamsApp create(StreamsSettings settings, DnsLookup dns, CertificateInspector inspector) {
        return create(settings, dns, inspector, null);
    }

    private static StreamsApp create(StreamsSettings settings, DnsLookup dns, CertificateInspector inspector,
            DnsEnricher ownedDns) {
        Objects.requireNonNull(settings, "settings");
        if (settings.dnsEnabled() && dns == null) {
            throw new IllegalArgumentException("streams.dns.enabled is true but no DNS resolver was given");
        }
        SchemaRegistryClient registry = settings.registryClient();
        DropCounters drops = new DropCounters();
        InventoryCounters inventoryCounters = new InventoryCounters();
        TopologySettings.Builder topologySettings = TopologySettings.builder(registry)
                .autoRegisterSchemas(settings.autoRegisterSchemas())
                .extraction(settings.extraction())
                .progressInterval(settings.progressInterval())
                .dns(settings.dnsEnabled() ? dns : null)
                .maxDnsInFlight(settings.dnsMaxInFlight())
                .drops(drops)
                .limits(settings.limits())
                .inventoryCounters(inventoryCounters);
        if (inspector != null) {
            topologySettings.inspector(inspector);
        }
        Topology topology = StreamsTopologies.build(new StreamsBuilder(), topologySettings.build());
        KafkaStreams streams = new KafkaStreams(topology, settings.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; shutting the application down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        String server = settings.applicationServer();
        // The stores hold Avro bytes; lookups decode them with the topology's registry client (its schema cache).
        InventoryQueries queries = new InventoryQueries(streams,
                server == null ? null : HostInfo.buildFromEndpoint(server),
                Topics.DOMAIN_INVENTORY.valueSerde(registry, false).deserializer(),
                Topics.CERTIFICATES.valueSerde(registry, false).deserializer());
        return new StreamsApp(settings, topology, streams, drops, inventoryCounters, ownedDns, queries);
    }

    /** Creates missing catalog topics (idempotent), then starts the stream threads. */
    public void start() {
        try (Admin admin = TopicProvisioner.createAdmin(settings.bootstrapServers(), Duration.ofSeconds(30))) {
            TopicProvisioner.Report report = new TopicProvisioner(admin, settings.bootstrapServers(),
                    TopicProvisioner.Options.defaults()).provisionCatalog();
            if (!report.created().isEmpty()) {
                LOG.info("Created topics {}", report.created());
            }
        }
        LOG.info("Starting {} with {}", settings.applicationId(), settings);
        streams.start();
    }

    /** Waits until the application is RUNNING; false on timeout or if it failed. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    /** Interactive queries against this instance. */
    public InventoryQueries queries() {
        return queries;
    }

    /** Names dropped by extraction in this process, by reason. */
    public DropCounters drops() {
        return drops;
    }

    /** Additions the inventory refused in this process because a domain's record was full. */
    public InventoryCounters inventoryCounters() {
        return inventoryCounters;
    }

    /** Stops processing, committing what was processed; waits up to {@code timeout}. */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(timeout);
        if (ownedDns != null) {
            // After the streams: a lookup completing into a closed enricher would be recorded as CLOSED.
            ownedDns.close();
        }
        LOG.info("{} stopped (clean: {}); dropped names: {}; inventory caps: {}", settings.applicationId(), closed,
                drops.snapshot(), inventoryCounters);
        return closed;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
