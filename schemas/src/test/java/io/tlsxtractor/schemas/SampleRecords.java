package io.tlsxtractor.schemas;

import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.ProbeTimings;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import io.tlsxtractor.schemas.avro.SniStrategy;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Fully populated records of every topic's value type, so round trips exercise every field. */
public final class SampleRecords {

    /** Millisecond precision: timestamp-millis drops anything finer, and the round trip must compare equal. */
    static final Instant NOW = Instant.parse("2026-01-03T10:00:00.123Z").truncatedTo(ChronoUnit.MILLIS);

    private SampleRecords() {
    }

    /** A sample value for {@code spec}, keyed as the pipeline keys it. */
    public static Map.Entry<String, SpecificRecord> sample(TopicSpec<String, ?> spec) {
        return switch (spec.name()) {
            case "tlsx.scan-requests.v1" -> Map.entry("scan-1", scanRequest());
            case "tlsx.targets.v1" -> Map.entry("scan-1/0", targetBlock());
            case "tlsx.probe-results.v1" -> Map.entry("93.184.216.34:443", probeResult());
            case "tlsx.domains.v1" -> Map.entry("www.example.com", domainObservation());
            case "tlsx.domain-inventory.v1" -> Map.entry("www.example.com", domainRecord());
            case "tlsx.certificates.v1" -> Map.entry("ab".repeat(32), certificate());
            case "tlsx.scan-status.v1" -> Map.entry("scan-1", scanStatus());
            case "tlsx.events.v1" -> Map.entry("scan-1", event());
            default -> throw new IllegalArgumentException("no sample for topic " + spec.name());
        };
    }

    static ProbeOptions options() {
        return ProbeOptions.newBuilder()
                .setConnectTimeoutMs(3000)
                .setDeadlineMs(12_000L)
                .setRetries(2)
                .setRateLimitPerSecond(100.5)
                .setSniStrategy(SniStrategy.HINTS)
                .setFetchCsp(true)
                .setFollowRedirects(true)
                .setMaxRedirects(5)
                .setExtractors(List.of("certificate", "csp"))
                .build();
    }

    public static ScanRequest scanRequest() {
        return ScanRequest.newBuilder()
                .setScanId("scan-1")
                .setTargets(List.of(new TargetSpec(TargetType.CIDR, "10.0.0.0/30"),
                        new TargetSpec(TargetType.URL, "https://example.com:8443/path"),
                        new TargetSpec(TargetType.IP_PORT, "[::1]:443")))
                .setPorts(List.of(443, 8443))
                .setSniHints(List.of("example.com"))
                .setOptions(options())
                .setConcurrency(500)
                .setAllowPrivate(true)
                .setIpv6(true)
                .setIncludeDomains(List.of("example.com"))
                .setExcludeDomains(List.of("cdn.example.com"))
                .setDefaultExclusions(false)
                .setPlugins(List.of("dns-enricher"))
                .setTags(Map.of("team", "red"))
                .setSubmitter("alice@host")
                .setSubmittedAt(NOW)
                .build();
    }

    public static TargetBlock targetBlock() {
        return TargetBlock.newBuilder()
                .setBlockId("scan-1/0")
                .setScanId("scan-1")
                .setSequence(0)
                .setRange(new AddressRange("10.0.0.1", "10.0.0.2", 2L))
                .setTargets(List.of(new BlockTarget("93.184.216.34", 8443, "example.com", "https://example.com:8443/path")))
                .setPorts(List.of(443))
                .setSniHints(List.of("example.org"))
                .setOptions(options())
                .setAttempt(2)
                .setCreatedAt(NOW)
                .build();
    }

    static CertificateFields leafFields() {
        return CertificateFields.newBuilder()
                .setSubject(Map.of("commonName", "www.example.com", "organizationName", "Example Inc"))
                .setIssuer(Map.of("commonName", "Example CA"))
                .setSubjectDn("CN=www.example.com,O=Example Inc")
                .setIssuerDn("CN=Example CA")
                .setSans(List.of("www.example.com", "*.example.com"))
                .setIpSans(List.of("93.184.216.34"))
                .setNotBefore(NOW.minus(30, ChronoUnit.DAYS))
                .setNotAfter(NOW.plus(60, ChronoUnit.DAYS))
                .setSerialNumber("0a1b2c")
                .setSha256("ab".repeat(32))
                .setKeyType("EC")
                .setKeySize(256)
                .setSignatureAlgorithm("SHA256withECDSA")
                .setVersion(3)
                .setIsCa(false)
                .build();
    }

    public static ProbeResult probeResult() {
        return ProbeResult.newBuilder()
                .setScanId("scan-1")
                .setBlockId("scan-1/0")
                .setIp("93.184.216.34")
                .setPort(443)
                .setHostname("example.com")
                .setUrl("https://example.com/")
                .setSni("example.com")
                .setStatus(ProbeStatus.SUCCESS)
                .setError("handshake retried after reset")
                .setErrorCode(ErrorCode.CONN_RESET)
                .setErrorCategory(ErrorCategory.NETWORK)
                .setErrorDetails(Map.of("errno", "104"))
                .setRetryCount(1)
                .setSuccessfulAttempt(2)
                .setAttempts(2)
                .setTlsVersion("TLSv1.3")
                .setCipherSuite("TLS_AES_128_GCM_SHA256")
                .setAlpn("h2")
                .setChain(List.of(new ChainCertificate(ByteBuffer.wrap(new byte[] {0x30, (byte) 0x82, 1, 2}), "ab".repeat(32))))
                .setLeaf(leafFields())
                .setNames(List.of(new ExtractedName("example.com", NameSource.SNI, null),
                        new ExtractedName("www.example.com", NameSource.SAN, null),
                        new ExtractedName("api.example.com", NameSource.PLUGIN, "js-extractor")))
                .setHttpStatus(200)
                .setTimings(new ProbeTimings(12L, 40L, 80L, 150L))
                .setWorkerId("worker-1")
                .setProbedAt(NOW)
                .build();
    }

    public static DomainObservation domainObservation() {
        return DomainObservation.newBuilder()
                .setDomain("www.example.com")
                .setRegistrableDomain("example.com")
                .setWildcard(false)
                .setSource(NameSource.CSP)
                .setPlugin(null)
                .setIp("93.184.216.34")
                .setPort(443)
                .setSni("example.com")
                .setCertSha256("ab".repeat(32))
                .setInInput(false)
                .setScanId("scan-1")
                .setObservedAt(NOW)
                .build();
    }

    public static DomainRecord domainRecord() {
        return DomainRecord.newBuilder()
                .setDomain("www.example.com")
                .setRegistrableDomain("example.com")
                .setFirstSeen(NOW.minus(1, ChronoUnit.DAYS))
                .setLastSeen(NOW)
                .setIps(List.of("93.184.216.34:443"))
                .setCertificates(List.of("ab".repeat(32)))
                .setSources(List.of(NameSource.SAN, NameSource.CN))
                .setPlugins(List.of())
                .setScanIds(List.of("scan-0", "scan-1"))
                .setObservations(7)
                .setDnsAnswers(List.of(new DnsAnswer("A", "93.184.216.34", 300L, NOW)))
                .setWildcard(false)
                .setIsNew(true)
                .build();
    }

    public static Certificate certificate() {
        return Certificate.newBuilder()
                .setSha256("ab".repeat(32))
                .setDer(ByteBuffer.wrap(new byte[] {0x30, (byte) 0x82, 1, 2}))
                .setFields(leafFields())
                .setChainPosition(0)
                .setIssuerSha256("cd".repeat(32))
                .setExpired(false)
                .setNotYetValid(false)
                .setSelfSigned(false)
                .setWeakKey(false)
                .setSha1Signature(false)
                .setHostnameMismatch(true)
                .setChainValid(true)
                .setTrustAnchor("CN=Example Root")
                .setSeenOn(List.of("93.184.216.34:443"))
                .setFirstSeen(NOW.minus(1, ChronoUnit.DAYS))
                .setLastSeen(NOW)
                .build();
    }

    public static ScanStatus scanStatus() {
        return ScanStatus.newBuilder()
                .setScanId("scan-1")
                .setState(ScanState.RUNNING)
                .setTotalTargets(256)
                .setExpansionComplete(true)
                .setDone(100)
                .setSucceeded(90)
                .setFailed(10)
                .setDomainsFound(42)
                .setRatePerSecond(33.3)
                .setErrorsByCategory(Map.of("timeout", 7L, "refused", 3L))
                .setErrorsByCode(Map.of("CONN_TIMEOUT", 7L, "CONN_REFUSED", 3L))
                .setRetrySuccessDistribution(Map.of("1", 85L, "2", 5L))
                .setMessage(null)
                .setStartedAt(NOW.minus(5, ChronoUnit.MINUTES))
                .setUpdatedAt(NOW)
                .setFinishedAt(null)
                .build();
    }

    public static Event event() {
        return Event.newBuilder()
                .setEventId("6f1c9a52-0d6c-4c83-9a57-3c2b0f8d1e11")
                .setType(EventType.DOMAIN_DISCOVERED)
                .setSubjectId("scan-1")
                .setScanId("scan-1")
                .setSource("streams")
                .setTime(NOW)
                .setData(Map.of("domain", "www.example.com", "sources", "san,cn"))
                .build();
    }

    /** {@code record} as a generic record of {@code target} (an older or newer version), by Avro's schema resolution. */
    public static GenericRecord project(SpecificRecord record, Schema target) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(record.getSchema(), target)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
