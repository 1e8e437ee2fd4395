package io.tlsxtractor.streams.internal;

import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugin.api.FilterDecision;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.streams.BadRecordException;
import io.tlsxtractor.streams.DropCounters;
import io.tlsxtractor.streams.DropReason;
import io.tlsxtractor.streams.NameNormalizer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@link ProbeResult} and emits everything the rest of the pipeline needs from it, in this order:
 * a {@link ProgressDelta} for its scan (keyed by scan id), one {@link DomainObservation} per distinct
 * (name, source) (keyed by domain), and one {@link CertSighting} per chain certificate (keyed by SHA-256).
 *
 * <p>A certificate travels once: its DER (and, for a leaf, the chain's) goes with the first sighting this task sends
 * for its SHA-256; later sightings carry the SHA-256 and the endpoint only. The certificate processor that owns the
 * SHA-256 reads this task's sightings of it in order from one partition, so it has the DER before the first sighting
 * without one. The memory of what was sent lives as long as the processor's state: {@link #init} clears it, and
 * Kafka Streams re-initialises every task of the thread when an exactly-once transaction aborts, so a DER whose
 * sighting was rolled back is sent again.
 *
 * <p>A result that cannot be used (no scan id, certificate bytes that are not a DER structure) is rejected with
 * {@link BadRecordException} before anything is emitted, so the whole result goes to the dead-letter topic.
 */
public final class ExtractProcessor implements Processor<String, ProbeResult, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractProcessor.class);

    /** Sightings of the same certificate on the same endpoint change nothing downstream; skip the recent ones. */
    private static final int RECENT_SIGHTINGS = 10_000;
    /** SHA-256s whose DER this task has sent; beyond this many, the least recent is sent again when seen. */
    private static final int SENT_CERTIFICATES = 20_000;

    private final NameFilters filters;
    private final DropCounters drops;
    private ProcessorContext<String, Object> context;
    private final Set<String> recentSightings = lruSet(RECENT_SIGHTINGS);
    private final Set<String> sentCertificates = lruSet(SENT_CERTIFICATES);

    /**
     * Names repeat across results (a certificate served by many addresses, a scan's SNI list): normalising one (IDNA,
     * the public suffix list) costs more than looking it up here.
     */
    private static final int NORMALISED_NAMES = 10_000;
    private final Map<String, NameNormalizer.Outcome> normalised = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NameNormalizer.Outcome> eldest) {
            return size() > NORMALISED_NAMES;
        }
    };

    public ExtractProcessor(NameFilters filters, DropCounters drops) {
        this.filters = filters;
        this.drops = drops;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // What this task sent before a re-initialisation may have been rolled back with an aborted transaction.
        recentSightings.clear();
        sentCertificates.clear();
    }

    private static Set<String> lruSet(int max) {
        return java.util.Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        });
    }

    @Override
    public void process(Record<String, ProbeResult> record) {
        ProbeResult result = record.value();
        if (result == null) {
            return;
        }
        validate(record.key(), result);
        long time = result.getProbedAt().toEpochMilli();
        String scanId = result.getScanId();
        String endpoint = endpoint(record.key(), result);
        boolean success = result.getStatus() == ProbeStatus.SUCCESS;
        String target = endpoint + "|" + (result.getSni() != null ? result.getSni()
                : result.getHostname() != null ? result.getHostname() : "");
        context.forward(new Record<>(scanId, ProgressDelta.target(scanId, target, success,
                result.getErrorCategory() == null ? null : result.getErrorCategory().name().toLowerCase(Locale.ROOT),
                result.getErrorCode() == null ? null : result.getErrorCode().name(),
                result.getSuccessfulAttempt() == null ? 0 : result.getSuccessfulAttempt(), time), time));
        if (!success) {
            return;
        }
        List<ChainCertificate> chain = result.getChain();
        CertificateFields leaf = result.getLeaf();
        String leafSha = !chain.isEmpty() ? chain.get(0).getSha256() : leaf == null ? null : leaf.getSha256();
        List<String> sans;
        List<String> commonNames;
        if (leaf != null) {
            sans = leaf.getSans();
            String cn = leaf.getSubject().get("commonName");
            commonNames = cn == null ? List.of() : List.of(cn.split(", "));
        } else if (!chain.isEmpty()) {
            // Results from older workers may lack parsed fields; the names are still in the DER.
            ParsedCertificate parsed = CertificateParser.parse(bytes(chain.get(0).getDer()));
            sans = parsed.sanDns();
            commonNames = parsed.commonNames();
        } else {
            sans = List.of();
            commonNames = List.of();
        }
        String inputName = result.getHostname() == null ? null
                : Optional.ofNullable(NameNormalizer.acceptedOrNull(result.getHostname()))
                        .map(NameNormalizer.Accepted::domain).orElse(null);
        Set<String> emitted = new HashSet<>();
        if (result.getSni() != null) {
            observe(record, result, endpoint, result.getSni(), NameSource.SNI, null, null, inputName, emitted);
        }
        for (String san : sans) {
            observe(record, result, endpoint, san, NameSource.SAN, null, leafSha, inputName, emitted);
        }
        for (String cn : commonNames) {
            observe(record, result, endpoint, cn, NameSource.CN, null, leafSha, inputName, emitted);
        }
        for (ExtractedName name : result.getNames()) {
            NameSource source = name.getSource();
            String cert = source == NameSource.SAN || source == NameSource.CN ? leafSha : null;
            observe(record, result, endpoint, name.getName(), source,
                    source == NameSource.PLUGIN ? name.getPlugin() : null, cert, inputName, emitted);
        }
        List<byte[]> ders = null;
        for (int i = 0; i < chain.size(); i++) {
            String sha = chain.get(i).getSha256();
            if (!recentSightings.add(sha + "|" + endpoint)) {
                continue;
            }
            String issuer = i + 1 < chain.size() ? chain.get(i + 1).getSha256() : null;
            byte[] der = CertSighting.NO_DER;
            List<byte[]> chainDers = List.of();
            if (sentCertificates.add(sha)) {
                if (ders == null) {
                    ders = new ArrayList<>(chain.size());
                    for (ChainCertificate c : chain) {
                        ders.add(bytes(c.getDer()));
                    }
                }
                der = ders.get(i);
                chainDers = i == 0 ? ders : List.of();
            }
            context.forward(new Record<>(sha, new CertSighting(sha, i, der, issuer, endpoint, result.getSni(),
                    result.getHostname(), scanId, time, chainDers), time));
        }
    }

    private void observe(Record<String, ProbeResult> record, ProbeResult result, String endpoint, String raw,
            NameSource source, String plugin, String certSha, String inputName, Set<String> emitted) {
        NameNormalizer.Outcome outcome = normalised.get(raw);
        if (outcome == null) {
            outcome = NameNormalizer.normalize(raw);
            normalised.put(raw, outcome);
        }
        if (outcome instanceof NameNormalizer.Rejected rejected) {
            drops.increment(rejected.reason());
            if (LOG.isDebugEnabled()) {
                LOG.debug("Scan {}, {}: dropped {} name ({}): {}", result.getScanId(), endpoint, source,
                        rejected.reason(), rejected.detail());
            }
            return;
        }
        NameNormalizer.Accepted name = (NameNormalizer.Accepted) outcome;
        if (!emitted.add(name.domain() + "|" + source + "|" + plugin)) {
            return;
        }
        if (!filters.isEmpty()) {
            FilterDecision decision = filters.decide(name.domain(), new FilterContext(
                    source == NameSource.PLUGIN && plugin != null ? plugin : source.name().toLowerCase(Locale.ROOT),
                    result.getIp(), result.getPort(), Optional.ofNullable(result.getSni()),
                    Optional.of(result.getScanId())));
            if (decision.dropped()) {
                drops.increment(DropReason.FILTERED);
                LOG.debug("Scan {}, {}: filtered {}: {}", result.getScanId(), endpoint, name.domain(),
                        decision.reason().orElse(""));
                return;
            }
        }
        // The all-arguments constructor: a builder validates and deep-copies defaults per field, per observation.
        // The Unicode form only where it differs (IDN): consumers show it, and match on the punycode domain.
        DomainObservation observation = new DomainObservation(name.domain(), name.registrableDomain(),
                name.wildcard(), source, plugin, result.getIp(), result.getPort(), result.getSni(), certSha,
                name.domain().equals(inputName), result.getScanId(), result.getProbedAt(),
                name.unicode().equals(name.domain()) ? null : name.unicode());
        context.forward(new Record<>(name.domain(), observation, record.timestamp()));
    }

    private static void validate(String key, ProbeResult result) {
        if (result.getScanId() == null || result.getScanId().isBlank()) {
            throw new BadRecordException("probe result " + key + " has no scan id");
        }
        List<ChainCertificate> chain = result.getChain();
        for (int i = 0; i < chain.size(); i++) {
            ChainCertificate c = chain.get(i);
            String problem = derProblem(c.getDer());
            if (problem != null) {
                throw new BadRecordException("probe result " + key + " (scan " + result.getScanId()
                        + "): chain certificate " + i + " is not a certificate: " + problem);
            }
            String sha = c.getSha256();
            if (sha == null || sha.length() != 64) {
                throw new BadRecordException("probe result " + key + " (scan " + result.getScanId()
                        + "): chain certificate " + i + " has no SHA-256 (got '" + sha + "')");
            }
        }
    }

    /**
     * Why {@code der} is not one DER SEQUENCE filling the buffer exactly, or null. Cheap on purpose: the full parse
     * happens once per distinct certificate, behind the certificate store.
     */
    static String derProblem(ByteBuffer buffer) {
        ByteBuffer der = buffer.duplicate();
        int size = der.remaining();
        if (size < 2) {
            return size + " bytes";
        }
        int start = der.position();
        if ((der.get(start) & 0xff) != 0x30) {
            return String.format("starts with 0x%02x, not a SEQUENCE (0x30)", der.get(start) & 0xff);
        }
        int first = der.get(start + 1) & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4 || size < 2 + count) {
                return "bad length encoding (0x" + Integer.toHexString(first) + ")";
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der.get(start + 2 + i) & 0xff);
            }
            header = 2 + count;
        }
        if (header + length != size) {
            return "the SEQUENCE claims " + (header + length) + " bytes but there are " + size;
        }
        return null;
    }

    private static String endpoint(String key, ProbeResult result) {
        if (key != null && !key.isEmpty()) {
            return key;
        }
        String ip = result.getIp();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + result.getPort();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
