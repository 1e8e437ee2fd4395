package io.tlsxtractor.sinks.clickhouse;

import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.ScanState;
import io.tlsxtractor.schemas.avro.ScanStatus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Deterministic records of every topic, numbered: record {@code i} always has the same content, so a test knows
 * what each table must hold. Probe {@code i} is a TLS success (versions alternate 1.3/1.2) unless {@code i % 5 == 4}
 * (a timeout); certificate {@code i} is issued by "Issuer {@code i % 3}" and expires {@code i} days from "now".
 */
final class TestRecords {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private TestRecords() {
    }

    static String ip(int i) {
        return i % 7 == 6 ? "2001:db8::" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xFFFF) : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    }

    static String sha(int i) {
        return String.format("%064x", i);
    }

    static boolean failed(int i) {
        return i % 5 == 4;
    }

    static ProbeResult probe(String scanId, int i) {
        ProbeResult.Builder b = ProbeResult.newBuilder()
                .setScanId(scanId)
                .setIp(ip(i))
                .setPort(443)
                .setSni("host" + i + ".example.com")
                .setAttempts(1)
                .setWorkerId("worker-1")
                .setProbedAt(NOW.minus(Duration.ofMinutes(i % 60)));
        if (failed(i)) {
            return b.setStatus(ProbeStatus.TIMEOUT).setError("timed out").setErrorCode(ErrorCode.CONN_TIMEOUT)
                    .setErrorCategory(ErrorCategory.TIMEOUT).build();
        }
        return b.setStatus(ProbeStatus.SUCCESS)
                .setTlsVersion(i % 2 == 0 ? "TLSv1.3" : "TLSv1.2")
                .setCipherSuite("TLS_AES_128_GCM_SHA256")
                .setChain(List.of(new ChainCertificate(ByteBuffer.wrap(new byte[] {1, 2, 3}), sha(i))))
                .setLeaf(fields(i))
                .setNames(List.of(new ExtractedName("host" + i + ".example.com", NameSource.SAN, null)))
                .build();
    }

    /** When certificate {@code i} expires: {@code i} days and one hour after {@link #NOW}. */
    static Instant notAfter(int i) {
        return NOW.plus(Duration.ofDays(i)).plus(Duration.ofHours(1));
    }

    static CertificateFields fields(int i) {
        return CertificateFields.newBuilder()
                .setSubject(Map.of("CN", "host" + i + ".example.com"))
                .setIssuer(Map.of("CN", "Issuer CA " + (i % 3), "O", "Issuer " + (i % 3)))
                .setSans(List.of("host" + i + ".example.com"))
                .setNotBefore(NOW.minus(Duration.ofDays(30)))
                .setNotAfter(notAfter(i))
                .setSha256(sha(i))
                .setKeyType("RSA")
                .setKeySize(2048)
                .build();
    }

    static DomainObservation observation(String scanId, int i) {
        return DomainObservation.newBuilder()
                .setDomain("host" + i + ".example" + (i % 4) + ".com")
                .setRegistrableDomain("example" + (i % 4) + ".com")
                .setSource(NameSource.SAN)
                .setIp(ip(i))
                .setPort(443)
                .setCertSha256(sha(i))
                .setScanId(scanId)
                .setObservedAt(NOW)
                .build();
    }

    static DomainRecord inventory(int i, long observations) {
        return DomainRecord.newBuilder()
                .setDomain("host" + i + ".example.com")
                .setRegistrableDomain("example.com")
                .setFirstSeen(NOW.minus(Duration.ofDays(1)))
                .setLastSeen(NOW)
                .setIps(List.of(ip(i)))
                .setCertificates(List.of(sha(i)))
                .setSources(List.of(NameSource.SAN))
                .setObservations(observations)
                // Every fifth domain does not exist in DNS; the others were not resolved (or resolved to addresses).
                .setDnsStatus(i % 5 == 0 ? "NXDOMAIN" : null)
                .build();
    }

    static Certificate certificate(int i) {
        return Certificate.newBuilder()
                .setSha256(sha(i))
                .setDer(ByteBuffer.wrap(new byte[] {(byte) i, 1, 2, 3}))
                .setFields(fields(i))
                .setSeenOn(List.of(ip(i) + ":443"))
                .setFirstSeen(NOW)
                .setLastSeen(NOW)
                .build();
    }

    static ScanStatus status(String scanId, long done, ScanState state) {
        return ScanStatus.newBuilder()
                .setScanId(scanId)
                .setState(state)
                .setTotalTargets(100)
                .setDone(done)
                .setSucceeded(done)
                .setErrorsByCategory(Map.of("TIMEOUT", 2L))
                .setStartedAt(NOW.minus(Duration.ofMinutes(5)))
                .setUpdatedAt(NOW)
                .build();
    }

    static Event event(String scanId, int i) {
        return Event.newBuilder()
                .setEventId("event-" + i)
                .setType(EventType.DOMAIN_DISCOVERED)
                .setSubjectId("host" + i + ".example.com")
                .setScanId(scanId)
                .setSource("streams")
                .setTime(NOW)
                .setData(Map.of("domain", "host" + i + ".example.com"))
                .build();
    }
}
