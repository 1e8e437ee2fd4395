package io.tlsxtractor.streams.internal;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.streams.DnsLookup;
import io.tlsxtractor.streams.InventoryCounters;
import io.tlsxtractor.streams.InventoryLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the domain inventory (keyed by domain). An observation is folded into the domain's record with set
 * semantics (addresses, certificates, sources, plugins, scans; first/last seen as min/max), so the same observation
 * twice changes nothing and emits nothing. The first observation of a domain ever creates the record and emits
 * {@code domain.discovered}; the first observation of a domain in a scan emits a {@link ProgressDelta} so that the
 * scan counts it once. Records are emitted serialised for {@code tlsx.domain-inventory.v1} (the bytes the store
 * holds, see {@link ObjectCache}); events and progress deltas as objects.
 *
 * <p>DNS enrichment is asynchronous: a new domain is written to a pending store and its lookup submitted; a
 * wall-clock punctuator folds completed lookups into the record ({@code dnsAnswers}, and {@code dnsStatus} when the
 * lookup found no address) and emits it. Pending lookups survive a restart
 * (the store is changelogged): on start every pending domain is submitted again.
 */
public final class InventoryProcessor implements Processor<String, DomainObservation, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryProcessor.class);

    static final int MAX_SCANS = 100;
    /** Deserialised inventory records, most recently used first (see {@link ObjectCache}). */
    private static final int CACHED_RECORDS = 4_096;
    /**
     * A sighting that teaches nothing but a later lastSeen is written (store, changelog, output topic) only when that
     * moves lastSeen by at least this much: a certificate or domain seen on thousands of endpoints in a scan would
     * otherwise be rewritten for every one of them. Any other change writes lastSeen exactly.
     */
    public static final Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(1);

    private final String storeName;
    private final String pendingStoreName;
    private final DnsLookup dns;
    private final Duration dnsPollInterval;
    private final int maxLookupsInFlight;
    private final InventoryLimits limits;
    private final InventoryCounters counters;
    private final Serde<DomainRecord> records;

    private ProcessorContext<String, Object> context;
    private ObjectCache<DomainRecord> store;
    private KeyValueStore<String, Long> pending;
    private final Set<String> inFlight = new HashSet<>();
    private final Queue<Answer> completed = new ConcurrentLinkedQueue<>();

    private record Answer(String domain, DnsLookup.Result result, Throwable error) {
    }

    /**
     * @param dns null to disable enrichment
     */
    public InventoryProcessor(String storeName, Serde<DomainRecord> records, String pendingStoreName, DnsLookup dns,
            Duration dnsPollInterval, int maxLookupsInFlight, InventoryLimits limits, InventoryCounters counters) {
        this.records = records;
        this.limits = limits;
        this.counters = counters;
        this.storeName = storeName;
        this.pendingStoreName = pendingStoreName;
        this.dns = dns;
        this.dnsPollInterval = dnsPollInterval;
        this.maxLookupsInFlight = maxLookupsInFlight;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new ObjectCache<>(context.getStateStore(storeName), records, Topics.DOMAIN_INVENTORY.name(),
                CACHED_RECORDS);
        if (dns != null) {
            this.pending = context.getStateStore(pendingStoreName);
            context.schedule(dnsPollInterval, PunctuationType.WALL_CLOCK_TIME, this::pollDns);
        }
    }

    @Override
    public void process(Record<String, DomainObservation> record) {
        DomainObservation o = record.value();
        if (o == null) {
            return;
        }
        String domain = o.getDomain();
        DomainRecord existing = store.get(domain);
        long ts = record.timestamp();
        String endpoint = o.getIp() == null || o.getIp().isEmpty() || o.getPort() == null ? null
                : (o.getIp().indexOf(':') >= 0 ? "[" + o.getIp() + "]" : o.getIp()) + ":" + o.getPort();
        if (existing == null) {
            DomainRecord created = DomainRecord.newBuilder()
                    .setDomain(domain)
                    .setUnicodeDomain(o.getUnicodeDomain())
                    .setRegistrableDomain(o.getRegistrableDomain())
                    .setFirstSeen(o.getObservedAt())
                    .setLastSeen(o.getObservedAt())
                    .setIps(endpoint == null ? new ArrayList<>() : new ArrayList<>(List.of(endpoint)))
                    .setCertificates(o.getCertSha256() == null ? new ArrayList<>()
                            : new ArrayList<>(List.of(o.getCertSha256())))
                    .setSources(new ArrayList<>(List.of(o.getSource())))
                    .setPlugins(o.getPlugin() == null ? new ArrayList<>() : new ArrayList<>(List.of(o.getPlugin())))
                    .setScanIds(new ArrayList<>(List.of(o.getScanId())))
                    .setObservations(1)
                    .setDnsAnswers(new ArrayList<>())
                    .setWildcard(o.getWildcard())
                    .setIsNew(!o.getInInput())
                    .build();
            context.forward(new Record<>(domain, store.put(domain, created), ts));
            context.forward(new Record<>(domain, discovered(o), ts));
            context.forward(new Record<>(o.getScanId(), ProgressDelta.domain(o.getScanId(), domain,
                    o.getObservedAt().toEpochMilli()), ts));
            if (dns != null) {
                pending.put(domain, o.getObservedAt().toEpochMilli());
                submit(domain);
            }
            return;
        }
        // The cached record is this processor's own: update it in place rather than deep-copy it per observation
        // (most observations of a known domain change one list or one timestamp, or nothing).
        DomainRecord updated = existing;
        boolean changed = false;
        if (endpoint != null && !existing.getIps().contains(endpoint)) {
            if (existing.getIps().size() < limits.maxIpsPerDomain()) {
                changed |= addSorted(existing.getIps(), endpoint, Integer.MAX_VALUE, updated::setIps);
            } else {
                counters.ipRefused();
                LOG.debug("{} already holds {} endpoints: {} not added", domain, existing.getIps().size(), endpoint);
            }
        }
        if (o.getCertSha256() != null && !existing.getCertificates().contains(o.getCertSha256())) {
            if (existing.getCertificates().size() < limits.maxCertificatesPerDomain()) {
                changed |= addSorted(existing.getCertificates(), o.getCertSha256(), Integer.MAX_VALUE,
                        updated::setCertificates);
            } else {
                counters.certificateRefused();
                LOG.debug("{} already holds {} certificates: {} not added", domain,
                        existing.getCertificates().size(), o.getCertSha256());
            }
        }
        if (!existing.getSources().contains(o.getSource())) {
            TreeSet<NameSource> sources = new TreeSet<>(existing.getSources());
            sources.add(o.getSource());
            updated.setSources(new ArrayList<>(sources));
            changed = true;
        }
        if (o.getPlugin() != null) {
            changed |= addSorted(existing.getPlugins(), o.getPlugin(), Integer.MAX_VALUE, updated::setPlugins);
        }
        boolean newInScan = !existing.getScanIds().contains(o.getScanId());
        if (newInScan) {
            List<String> scans = new ArrayList<>(existing.getScanIds());
            scans.add(o.getScanId());
            while (scans.size() > MAX_SCANS) {
                scans.remove(0);
            }
            updated.setScanIds(scans);
            changed = true;
        }
        Instant at = o.getObservedAt();
        if (at.isAfter(existing.getLastSeen())
                && (changed || !at.isBefore(existing.getLastSeen().plus(LAST_SEEN_RESOLUTION)))) {
            updated.setLastSeen(at);
            changed = true;
        }
        if (at.isBefore(existing.getFirstSeen())) {
            updated.setFirstSeen(at);
            changed = true;
        }
        if (changed) {
            // Counts observations that taught something: a replayed observation teaches nothing.
            updated.setObservations(updated.getObservations() + 1);
            context.forward(new Record<>(domain, store.put(domain, updated), ts));
        }
        if (newInScan) {
            context.forward(new Record<>(o.getScanId(), ProgressDelta.domain(o.getScanId(), domain, at.toEpochMilli()),
                    ts));
        }
    }

    private static boolean addSorted(List<String> current, String value, int max,
            java.util.function.Consumer<List<String>> setter) {
        if (current.size() >= max) {
            return false;
        }
        int at = java.util.Collections.binarySearch(current, value);
        if (at >= 0) {
            return false;
        }
        List<String> grown = new ArrayList<>(current.size() + 1);
        grown.addAll(current);
        grown.add(-at - 1, value);
        setter.accept(grown);
        return true;
    }

    private io.tlsxtractor.schemas.avro.Event discovered(DomainObservation o) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("domain", o.getDomain());
        if (o.getUnicodeDomain() != null) {
            data.put("unicode", o.getUnicodeDomain());
        }
        data.put("registrableDomain", o.getRegistrableDomain());
        data.put("source", o.getSource().name().toLowerCase(java.util.Locale.ROOT));
        data.put("plugin", o.getPlugin());
        data.put("ip", o.getIp());
        data.put("port", o.getPort() == null ? null : o.getPort().toString());
        data.put("certificate", o.getCertSha256());
        data.put("wildcard", Boolean.toString(o.getWildcard()));
        data.put("new", Boolean.toString(!o.getInInput()));
        return Events.once(EventType.DOMAIN_DISCOVERED, o.getDomain(), o.getScanId(),
                o.getObservedAt().toEpochMilli(), o.getDomain(), data);
    }

    private void submit(String domain) {
        if (inFlight.size() >= maxLookupsInFlight || !inFlight.add(domain)) {
            return;
        }
        try {
            dns.resolve(domain).whenComplete((result, error) -> completed.add(new Answer(domain, result, error)));
        } catch (RuntimeException e) {
            completed.add(new Answer(domain, null, e));
        }
    }

    private void pollDns(long now) {
        Answer answer;
        while ((answer = completed.poll()) != null) {
            inFlight.remove(answer.domain());
            Throwable error = answer.error() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : answer.error();
            if (error instanceof DnsLookup.RetryLater) {
                // Nothing is known about the name yet: it stays pending and is submitted again below or later.
                LOG.debug("DNS lookup of {} deferred: {}", answer.domain(), error.getMessage());
                continue;
            }
            pending.delete(answer.domain());
            if (error != null) {
                LOG.debug("DNS lookup of {} failed: {}", answer.domain(), error.toString());
                continue;
            }
            DomainRecord existing = store.get(answer.domain());
            if (existing == null || answer.result() == null) {
                continue;
            }
            DomainRecord updated = DomainRecord.newBuilder(existing)
                    .setDnsAnswers(new ArrayList<>(answer.result().answers()))
                    .setDnsStatus(answer.result().status())
                    .build();
            if (!updated.equals(existing)) {
                context.forward(new Record<>(answer.domain(), store.put(answer.domain(), updated), now));
            }
        }
        if (inFlight.size() < maxLookupsInFlight) {
            // Domains pending from before a restart, or beyond the in-flight bound when they were found.
            try (KeyValueIterator<String, Long> all = pending.all()) {
                while (all.hasNext() && inFlight.size() < maxLookupsInFlight) {
                    KeyValue<String, Long> next = all.next();
                    submit(next.key);
                }
            }
        }
    }

    @Override
    public void close() {
        inFlight.clear();
        completed.clear();
    }
}
