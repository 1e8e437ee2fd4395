package io.tlsxtractor.streams;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.streams.internal.CertSighting;
import io.tlsxtractor.streams.internal.CertificateProcessor;
import io.tlsxtractor.streams.internal.ExtractProcessor;
import io.tlsxtractor.streams.internal.IngestTotalsProcessor;
import io.tlsxtractor.streams.internal.InventoryProcessor;
import io.tlsxtractor.streams.internal.NameFilters;
import io.tlsxtractor.streams.internal.ProgressDelta;
import io.tlsxtractor.streams.internal.ScanProgressProcessor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology that turns probe results into the inventory. Built by {@link #build}, which needs no
 * broker: tests run the very same topology through {@code TopologyTestDriver}.
 *
 * <pre>
 * probe-results ─► extract-names ─┬─► tlsx.domains.v1 ─► inventory-update ─┬─► tlsx.domain-inventory.v1
 *                                 │                     (DNS, async)       ├─► events (domain.discovered)
 *                                 │                                        └─► progress (domain found in scan)
 *                                 ├─► certificates-by-sha256 ─► certificate-table ─► tlsx.certificates.v1, events
 *                                 └─► progress (target done) ─┐
 * tlsx.scan-status.v1 (ingest's) ─► ingest-totals ────────────┴─► progress-by-scan ─► scan-progress
 *                                                                   ─► tlsx.scan-status.v1, events
 * </pre>
 *
 * <p>Every operator, store and internal topic is named: renaming one changes the application's internal topics and
 * stores, so it must be a decision.
 */
public final class StreamsTopologies {

    /** The domain inventory, keyed by domain: {@link DomainRecord}, serialised as in its topic. */
    public static final String INVENTORY_STORE = "domain-inventory-store";
    /** Domains whose DNS lookup is outstanding. */
    public static final String DNS_PENDING_STORE = "dns-pending-store";
    /** The certificate table, keyed by SHA-256: {@link Certificate}, serialised as in its topic. */
    public static final String CERTIFICATE_STORE = "certificate-store";
    /** Merged scan statuses, keyed by scan id: {@link ScanStatus}. */
    public static final String SCAN_PROGRESS_STORE = "scan-progress-store";
    /** Targets done and domains found per scan (set members), so that a replay counts nothing twice. */
    public static final String SCAN_MEMBERS_STORE = "scan-members-store";

    private StreamsTopologies() {
    }

    /** Adds the whole pipeline to {@code builder} and returns the topology. */
    public static Topology build(StreamsBuilder builder, TopologySettings settings) {
        Serde<String> keys = Serdes.String();
        NameFilters filters = NameFilters.start(settings.extraction());
        boolean register = settings.autoRegisterSchemas();

        // Caching: a domain, certificate or scan updated many times between two commits reaches RocksDB and its
        // changelog once per commit instead of once per update (a scan's status changes with every result).
        // The inventory and certificate stores hold the serialised records their output topics get (ObjectCache says
        // why); the processors forward those bytes to byte-array sinks.
        Serde<DomainRecord> inventoryRecords = Topics.DOMAIN_INVENTORY.valueSerde(settings.registry(), register);
        Serde<Certificate> certificateRecords = Topics.CERTIFICATES.valueSerde(settings.registry(), register);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INVENTORY_STORE), keys,
                Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CERTIFICATE_STORE), keys,
                Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCAN_PROGRESS_STORE), keys,
                Topics.SCAN_STATUS.valueSerde(settings.registry(), true)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCAN_MEMBERS_STORE), keys,
                Serdes.String()));
        List<String> inventoryStores = new ArrayList<>(List.of(INVENTORY_STORE));
        if (settings.dns() != null) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DNS_PENDING_STORE), keys,
                    Serdes.Long()));
            inventoryStores.add(DNS_PENDING_STORE);
        }

        // 1. Extraction and normalisation.
        KStream<String, ProbeResult> results = builder.stream(Topics.PROBE_RESULTS.name(),
                Consumed.with(keys, Topics.PROBE_RESULTS.valueSerde(settings.registry(), register))
                        .withName("probe-results-source"));
        KStream<String, Object> extracted = results.process(
                () -> new ExtractProcessor(filters, settings.drops()), Named.as("extract-names"));
        only(extracted, DomainObservation.class, "observations")
                .to(Topics.DOMAINS.name(), Produced.with(keys, Topics.DOMAINS.valueSerde(settings.registry(), register))
                        .withName("domains-sink"));

        // 2a. Certificates: one owner per SHA-256.
        KStream<String, Object> certificates = only(extracted, CertSighting.class, "certificate-sightings")
                .repartition(Repartitioned.with(keys, CertSighting.serde()).withName("certificates-by-sha256"))
                .process(() -> new CertificateProcessor(CERTIFICATE_STORE, certificateRecords, settings.inspector()),
                        Named.as("certificate-table"), CERTIFICATE_STORE);
        only(certificates, byte[].class, "certificate-records")
                .to(Topics.CERTIFICATES.name(), Produced.with(keys, Serdes.ByteArray()).withName("certificates-sink"));
        only(certificates, Event.class, "certificate-events").to(Topics.EVENTS.name(),
                Produced.with(keys, Topics.EVENTS.valueSerde(settings.registry(), register))
                        .withName("certificate-events-sink"));

        // 2b. Inventory, read back from the domains topic (already keyed by domain: no extra repartition topic).
        KStream<String, Object> inventory = builder.stream(Topics.DOMAINS.name(),
                        Consumed.with(keys, Topics.DOMAINS.valueSerde(settings.registry(), register))
                                .withName("domains-source"))
                .process(() -> new InventoryProcessor(INVENTORY_STORE, inventoryRecords, DNS_PENDING_STORE,
                                settings.dns(), settings.dnsPollInterval(), settings.maxDnsInFlight(),
                                settings.limits(), settings.inventoryCounters()),
                        Named.as("inventory-update"), inventoryStores.toArray(String[]::new));
        only(inventory, byte[].class, "inventory-records")
                .to(Topics.DOMAIN_INVENTORY.name(), Produced.with(keys, Serdes.ByteArray()).withName("inventory-sink"));
        only(inventory, Event.class, "inventory-events").to(Topics.EVENTS.name(),
                Produced.with(keys, Topics.EVENTS.valueSerde(settings.registry(), register))
                        .withName("inventory-events-sink"));

        // 4. Scan status: target results, domains found and ingest's totals, all by scan id.
        KStream<String, ProgressDelta> ingestTotals = builder.stream(Topics.SCAN_STATUS.name(),
                        Consumed.with(keys, Topics.SCAN_STATUS.valueSerde(settings.registry(), register))
                                .withName("scan-status-source"))
                .processValues(IngestTotalsProcessor::new, Named.as("ingest-totals"));
        KStream<String, Object> progress = only(extracted, ProgressDelta.class, "result-progress")
                .merge(only(inventory, ProgressDelta.class, "domain-progress"), Named.as("merge-domain-progress"))
                .merge(ingestTotals, Named.as("merge-ingest-totals"))
                .repartition(Repartitioned.with(keys, ProgressDelta.serde()).withName("progress-by-scan"))
                .process(() -> new ScanProgressProcessor(SCAN_PROGRESS_STORE, SCAN_MEMBERS_STORE,
                        settings.progressInterval()), Named.as("scan-progress"), SCAN_PROGRESS_STORE, SCAN_MEMBERS_STORE);
        only(progress, ScanStatus.class, "scan-statuses").to(Topics.SCAN_STATUS.name(),
                Produced.with(keys, Topics.SCAN_STATUS.valueSerde(settings.registry(), register))
                        .withName("scan-status-sink"));
        only(progress, Event.class, "scan-events").to(Topics.EVENTS.name(),
                Produced.with(keys, Topics.EVENTS.valueSerde(settings.registry(), register))
                        .withName("scan-events-sink"));
        return builder.build();
    }

    /** The records of {@code stream} that are of {@code type}: processors with several kinds of output emit Object. */
    private static <V> KStream<String, V> only(KStream<String, Object> stream, Class<V> type, String name) {
        return stream.filter((k, v) -> type.isInstance(v), Named.as(name + "-only"))
                .mapValues(type::cast, Named.as(name + "-typed"));
    }
}
