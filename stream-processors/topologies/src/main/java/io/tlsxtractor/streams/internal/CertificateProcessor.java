package io.tlsxtractor.streams.internal;

import io.tlsxtractor.worker.ProbeResultMapper;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.streams.CertificateInspector;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the certificate table (keyed by SHA-256). The first sighting of a certificate parses and inspects it, stores
 * and emits the {@link Certificate}, a {@code certificate.found} event and one {@code vulnerability.detected} event
 * per problem; later sightings only add endpoints and move {@code lastSeen}, and emit an update only when that
 * changed something, so a replayed result emits nothing. Certificates are emitted serialised for
 * {@code tlsx.certificates.v1} (the bytes the store holds, see {@link ObjectCache}); events as objects.
 */
public final class CertificateProcessor implements Processor<String, CertSighting, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateProcessor.class);

    /** A CDN certificate can sit on thousands of endpoints; the record keeps the first ones. */
    static final int MAX_SEEN_ON = 100;

    /** Deserialised certificates, most recently used first (see {@link ObjectCache}). */
    private static final int CACHED_CERTIFICATES = 1_024;

    private final String storeName;
    private final CertificateInspector inspector;
    private final Serde<Certificate> certificates;
    private ProcessorContext<String, Object> context;
    private ObjectCache<Certificate> store;

    public CertificateProcessor(String storeName, Serde<Certificate> certificates, CertificateInspector inspector) {
        this.certificates = certificates;
        this.storeName = storeName;
        this.inspector = inspector;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new ObjectCache<>(context.getStateStore(storeName), certificates, Topics.CERTIFICATES.name(),
                CACHED_CERTIFICATES);
    }

    @Override
    public void process(Record<String, CertSighting> record) {
        CertSighting s = record.value();
        if (s == null) {
            return;
        }
        Certificate existing = store.get(s.sha256());
        if (existing == null) {
            if (!s.hasDer()) {
                // The sighting that carried the DER was rejected (dead-letter topic) or claimed a wrong SHA-256.
                LOG.debug("Sighting of unknown certificate {} from {} (scan {}) without its DER: ignored", s.sha256(),
                        s.endpoint(), s.scanId());
                return;
            }
            first(record, s);
            return;
        }
        // The cached record is this processor's own: update it in place instead of deep-copying its DER.
        Certificate updated = existing;
        boolean changed = false;
        List<String> seenOn = existing.getSeenOn();
        if (seenOn.size() < MAX_SEEN_ON && !seenOn.contains(s.endpoint())) {
            List<String> grown = new ArrayList<>(seenOn.size() + 1);
            grown.addAll(seenOn);
            grown.add(s.endpoint());
            grown.sort(null);
            updated.setSeenOn(grown);
            changed = true;
        }
        Instant at = Instant.ofEpochMilli(s.observedAt());
        if (at.isAfter(existing.getLastSeen()) && (changed
                || !at.isBefore(existing.getLastSeen().plus(InventoryProcessor.LAST_SEEN_RESOLUTION)))) {
            updated.setLastSeen(at);
            changed = true;
        }
        if (at.isBefore(existing.getFirstSeen())) {
            updated.setFirstSeen(at);
            changed = true;
        }
        if (existing.getIssuerSha256() == null && s.issuerSha256() != null) {
            updated.setIssuerSha256(s.issuerSha256());
            changed = true;
        }
        if (changed) {
            context.forward(new Record<>(s.sha256(), store.put(s.sha256(), updated), record.timestamp()));
        }
    }

    private void first(Record<String, CertSighting> record, CertSighting s) {
        String actual = CertificateParser.sha256Hex(s.der());
        if (!actual.equals(s.sha256())) {
            LOG.warn("Certificate from {} (scan {}) claims SHA-256 {} but hashes to {}: ignored; the worker that"
                    + " produced it mislabels chains", s.endpoint(), s.scanId(), s.sha256(), actual);
            return;
        }
        ParsedCertificate parsed = CertificateParser.parse(s.der());
        Instant at = Instant.ofEpochMilli(s.observedAt());
        CertificateInspector.Verdict verdict = inspector.inspect(s.der(), parsed, s.position(), s.chain(),
                s.servedFor(), at);
        Certificate certificate = Certificate.newBuilder()
                .setSha256(s.sha256())
                .setDer(ByteBuffer.wrap(s.der()))
                .setFields(ProbeResultMapper.certificateFields(parsed))
                .setChainPosition(s.position())
                .setIssuerSha256(s.issuerSha256())
                .setExpired(verdict.expired())
                .setNotYetValid(verdict.notYetValid())
                .setSelfSigned(verdict.selfSigned())
                .setWeakKey(verdict.weakKey())
                .setSha1Signature(verdict.sha1Signature())
                .setHostnameMismatch(verdict.hostnameMismatch())
                .setChainValid(verdict.chainValid())
                .setTrustAnchor(verdict.trustAnchor())
                .setSeenOn(new ArrayList<>(List.of(s.endpoint())))
                .setFirstSeen(at)
                .setLastSeen(at)
                .build();
        long ts = record.timestamp();
        context.forward(new Record<>(s.sha256(), store.put(s.sha256(), certificate), ts));
        Map<String, String> found = new LinkedHashMap<>();
        found.put("sha256", s.sha256());
        found.put("subject", parsed.subjectDn());
        found.put("issuer", parsed.issuerDn());
        found.put("endpoint", s.endpoint());
        found.put("host", s.servedFor());
        found.put("chainPosition", Integer.toString(s.position()));
        found.put("notAfter", parsed.notAfter() == null ? null : parsed.notAfter().toString());
        context.forward(new Record<>(s.sha256(), Events.once(EventType.CERTIFICATE_FOUND, s.sha256(), s.scanId(),
                s.observedAt(), s.sha256(), found), ts));
        for (CertificateInspector.Problem problem : verdict.problems()) {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("certificate", s.sha256());
            data.put("host", s.servedFor() != null ? s.servedFor() : s.endpoint());
            data.put("endpoint", s.endpoint());
            data.put("finding", problem.finding());
            data.put("reason", problem.reason());
            data.put("subject", parsed.subjectDn());
            context.forward(new Record<>(s.sha256(), Events.once(EventType.VULNERABILITY_DETECTED, s.sha256(),
                    s.scanId(), s.observedAt(), s.sha256() + ":" + problem.finding(), data), ts));
        }
        LOG.debug("New certificate {} from {} ({} problems)", s.sha256(), s.endpoint(), verdict.problems().size());
    }
}
