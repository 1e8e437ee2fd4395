package io.tlsxtractor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugin.api.HttpHeaders;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ErrorCategory;
import io.tlsxtractor.probe.ErrorCode;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.probe.ProbeError;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.ProbeStatus;
import io.tlsxtractor.probe.ProbeTarget;
import io.tlsxtractor.probe.Timings;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The one mapping from an engine outcome to the Avro probe result, field by field. */
class ProbeResultMapperTest {
    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant PROBED_AT = Instant.parse("2026-03-04T05:06:07.089Z");
    private static final ProbeResultMapper.Origin ORIGIN =
            new ProbeResultMapper.Origin("scan-7", "block-3", "www.example.com", "https://www.example.com/x");

    private static byte[] certificate(String cn, boolean ca, String... sans) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn + ",O=Example Org,OU=One,OU=Two");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(0x1234abcdL),
                Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name, key.getPublic());
        GeneralName[] names = new GeneralName[sans.length + 1];
        for (int i = 0; i < sans.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, sans[i]);
        }
        names[sans.length] = new GeneralName(GeneralName.iPAddress, "192.0.2.7");
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())).getEncoded();
    }

    private static ProbeOutcome success(InetAddress ip, byte[] leaf, byte[] intermediate) {
        ParsedCertificate parsed = CertificateParser.parse(leaf);
        List<io.tlsxtractor.plugin.api.ExtractedName> names = List.of(
                io.tlsxtractor.plugin.api.ExtractedName.of("www.example.com", "sni"),
                io.tlsxtractor.plugin.api.ExtractedName.of("www.example.com", "san"),
                io.tlsxtractor.plugin.api.ExtractedName.of("api.example.com", "san"),
                io.tlsxtractor.plugin.api.ExtractedName.of("www.example.com", "cn"),
                io.tlsxtractor.plugin.api.ExtractedName.of("cdn.example.com", "csp", "script-src"),
                io.tlsxtractor.plugin.api.ExtractedName.of("js.example.com", "js"),
                io.tlsxtractor.plugin.api.ExtractedName.of("other.example.com", "my-plugin"));
        HttpResponse http = new HttpResponse(200, "https://www.example.com/", HttpHeaders.empty(), new byte[0], false);
        return new ProbeOutcome(new ProbeTarget(ip, 8443, "www.example.com", "scan-7", "block-3"), "www.example.com",
                ProbeStatus.SUCCESS, null, "TLSv1.3", "TLS_AES_128_GCM_SHA256", "h2", List.of(leaf, intermediate),
                List.of(CertificateParser.sha256Hex(leaf), CertificateParser.sha256Hex(intermediate)), parsed, names,
                new Timings(3, 12, -1, 40), 2, 2, http,
                new ProbeError(ErrorCode.SOCKET_TIMEOUT, "HTTP read timed out", Map.of()),
                List.of("broken-plugin: java.lang.IllegalStateException: boom"));
    }

    @Test
    void successfulOutcomeMapsEveryField() throws Exception {
        byte[] leaf = certificate("www.example.com", false, "www.example.com", "api.example.com");
        byte[] intermediate = certificate("Example CA", true);
        ProbeOutcome outcome = success(InetAddress.getByName("192.0.2.10"), leaf, intermediate);

        ProbeResult r = ProbeResultMapper.toResult(outcome, ORIGIN, "worker-a", PROBED_AT);

        assertThat(ProbeResultMapper.key(outcome)).isEqualTo("192.0.2.10:8443");
        assertThat(r.getScanId()).isEqualTo("scan-7");
        assertThat(r.getBlockId()).isEqualTo("block-3");
        assertThat(r.getIp()).isEqualTo("192.0.2.10");
        assertThat(r.getPort()).isEqualTo(8443);
        assertThat(r.getHostname()).isEqualTo("www.example.com");
        assertThat(r.getUrl()).isEqualTo("https://www.example.com/x");
        assertThat(r.getSni()).isEqualTo("www.example.com");
        assertThat(r.getStatus()).isEqualTo(io.tlsxtractor.schemas.avro.ProbeStatus.SUCCESS);
        assertThat(r.getError()).isNull();
        assertThat(r.getErrorCode()).isNull();
        assertThat(r.getErrorCategory()).isNull();
        assertThat(r.getErrorDetails()).containsEntry(ProbeResultMapper.HTTP_ERROR_CODE, "SOCKET_TIMEOUT")
                .containsEntry(ProbeResultMapper.HTTP_ERROR, "HTTP read timed out")
                .containsEntry(ProbeResultMapper.EXTRACTOR_PROBLEMS, "broken-plugin: java.lang.IllegalStateException: boom");
        assertThat(r.getRetryCount()).isEqualTo(1);
        assertThat(r.getAttempts()).isEqualTo(2);
        assertThat(r.getSuccessfulAttempt()).isEqualTo(2);
        assertThat(r.getTlsVersion()).isEqualTo("TLSv1.3");
        assertThat(r.getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(r.getAlpn()).isEqualTo("h2");
        assertThat(r.getHttpStatus()).isEqualTo(200);
        assertThat(r.getWorkerId()).isEqualTo("worker-a");
        assertThat(r.getProbedAt()).isEqualTo(PROBED_AT.truncatedTo(ChronoUnit.MILLIS));

        assertThat(r.getChain()).hasSize(2);
        assertThat(bytes(r.getChain().get(0).getDer())).isEqualTo(leaf);
        assertThat(r.getChain().get(0).getSha256()).isEqualTo(CertificateParser.sha256Hex(leaf)).hasSize(64);
        assertThat(bytes(r.getChain().get(1).getDer())).isEqualTo(intermediate);
        assertThat(r.getChain().get(1).getSha256()).isEqualTo(CertificateParser.sha256Hex(intermediate));

        CertificateFields f = r.getLeaf();
        assertThat(f.getSubject()).containsEntry("commonName", "www.example.com")
                .containsEntry("organizationName", "Example Org")
                .containsEntry("organizationalUnitName", "One, Two");
        assertThat(f.getIssuer()).isEqualTo(f.getSubject());
        assertThat(f.getSubjectDn()).isEqualTo(CertificateParser.parse(leaf).subjectDn()).containsIgnoringCase("cn=www.example.com");
        assertThat(f.getIssuerDn()).isEqualTo(f.getSubjectDn());
        assertThat(f.getSans()).containsExactly("www.example.com", "api.example.com");
        assertThat(f.getIpSans()).containsExactly("192.0.2.7");
        assertThat(f.getNotBefore()).isEqualTo(NOT_BEFORE);
        assertThat(f.getNotAfter()).isEqualTo(NOT_AFTER);
        assertThat(f.getSerialNumber()).isEqualTo("1234abcd");
        assertThat(f.getSha256()).isEqualTo(CertificateParser.sha256Hex(leaf));
        assertThat(f.getKeyType()).isEqualTo("RSA");
        assertThat(f.getKeySize()).isEqualTo(2048);
        assertThat(f.getSignatureAlgorithm()).containsIgnoringCase("SHA256");
        assertThat(f.getVersion()).isEqualTo(3);
        assertThat(f.getIsCa()).isFalse();
        assertThat(ProbeResultMapper.toResult(success(InetAddress.getByName("192.0.2.10"), intermediate, leaf), ORIGIN,
                "w", PROBED_AT).getLeaf().getIsCa()).isTrue();

        assertThat(r.getNames()).extracting(ExtractedName::getName, ExtractedName::getSource, ExtractedName::getPlugin)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("www.example.com", NameSource.SNI, null),
                        org.assertj.core.groups.Tuple.tuple("www.example.com", NameSource.SAN, null),
                        org.assertj.core.groups.Tuple.tuple("api.example.com", NameSource.SAN, null),
                        org.assertj.core.groups.Tuple.tuple("www.example.com", NameSource.CN, null),
                        org.assertj.core.groups.Tuple.tuple("cdn.example.com", NameSource.CSP, null),
                        org.assertj.core.groups.Tuple.tuple("js.example.com", NameSource.JS, null),
                        org.assertj.core.groups.Tuple.tuple("other.example.com", NameSource.PLUGIN, "my-plugin"));

        assertThat(r.getTimings().getConnectMs()).isEqualTo(3L);
        assertThat(r.getTimings().getHandshakeMs()).isEqualTo(12L);
        assertThat(r.getTimings().getHttpMs()).as("a step not reached is null, not -1").isNull();
        assertThat(r.getTimings().getTotalMs()).isEqualTo(40L);
    }

    @Test
    void failedOutcomeCarriesTheErrorTaxonomyAndNoCertificate() throws Exception {
        ProbeError error = new ProbeError(ErrorCode.SOCKET_TIMEOUT, "no answer within 1500 ms",
                Map.of("phase", "handshake", "timeout_ms", "1500"));
        ProbeOutcome failed = new ProbeOutcome(ProbeTarget.of(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 443),
                null, ProbeStatus.FAILED, error, null, null, null, List.of(), List.of(), null, List.of(),
                new Timings(2, -1, -1, 4600), 3, null, null, null, List.of());

        ProbeResult r = ProbeResultMapper.toResult(failed, new ProbeResultMapper.Origin("scan-1", null, null, null),
                "w1", PROBED_AT);

        assertThat(ProbeResultMapper.key(failed)).isEqualTo("[2001:db8::1]:443");
        assertThat(r.getIp()).isEqualTo("2001:db8::1");
        assertThat(r.getPort()).isEqualTo(443);
        assertThat(r.getStatus()).isEqualTo(io.tlsxtractor.schemas.avro.ProbeStatus.FAILED);
        assertThat(r.getError()).isEqualTo("no answer within 1500 ms");
        assertThat(r.getErrorCode()).isEqualTo(io.tlsxtractor.schemas.avro.ErrorCode.SOCKET_TIMEOUT);
        assertThat(r.getErrorCategory()).isEqualTo(io.tlsxtractor.schemas.avro.ErrorCategory.TIMEOUT);
        assertThat(r.getErrorDetails()).isEqualTo(Map.of("phase", "handshake", "timeout_ms", "1500"));
        assertThat(r.getRetryCount()).isEqualTo(2);
        assertThat(r.getAttempts()).isEqualTo(3);
        assertThat(r.getSuccessfulAttempt()).isNull();
        assertThat(r.getSni()).isNull();
        assertThat(r.getBlockId()).isNull();
        assertThat(r.getHostname()).isNull();
        assertThat(r.getTlsVersion()).isNull();
        assertThat(r.getCipherSuite()).isNull();
        assertThat(r.getAlpn()).isNull();
        assertThat(r.getChain()).isEmpty();
        assertThat(r.getLeaf()).isNull();
        assertThat(r.getNames()).isEmpty();
        assertThat(r.getHttpStatus()).isNull();
        assertThat(r.getTimings().getConnectMs()).isEqualTo(2L);
        assertThat(r.getTimings().getHandshakeMs()).isNull();
        assertThat(r.getTimings().getTotalMs()).isEqualTo(4600L);
    }

    @Test
    void everyEngineErrorCodeAndCategoryHasItsAvroSymbol() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ProbeResultMapper.errorCode(code).name()).as(code.name()).isEqualTo(code.name());
        }
        for (ErrorCategory category : ErrorCategory.values()) {
            assertThat(ProbeResultMapper.errorCategory(category).name()).isEqualTo(category.name());
        }
    }

    @Test
    void ipv6KeysUseBracketsAndTheShortForm() throws Exception {
        for (Map.Entry<String, String> c : Map.of(
                "::1", "[::1]:443",
                "2001:DB8:0:0:1:0:0:1", "[2001:db8::1:0:0:1]:443",
                "fe80:0:0:0:0:0:0:0", "[fe80::]:443",
                "2001:db8:1:2:3:4:5:6", "[2001:db8:1:2:3:4:5:6]:443",
                "2001:0:0:1:0:0:0:1", "[2001:0:0:1::1]:443").entrySet()) {
            ProbeOutcome o = new ProbeOutcome(ProbeTarget.of(InetAddress.getByName(c.getKey()), 443), null,
                    ProbeStatus.FAILED, new ProbeError(ErrorCode.CONN_REFUSED, "refused", Map.of()), null, null, null,
                    List.of(), List.of(), null, List.of(), new Timings(-1, -1, -1, 1), 1, null, null, null, List.of());
            assertThat(ProbeResultMapper.key(o)).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void mappedResultsSerializeWithTheTopicSerde() throws Exception {
        byte[] leaf = certificate("www.example.com", false, "www.example.com");
        ProbeResult r = ProbeResultMapper.toResult(success(InetAddress.getByName("192.0.2.10"), leaf, leaf), ORIGIN,
                "w", PROBED_AT);
        Serde<ProbeResult> serde = Topics.PROBE_RESULTS.valueSerde(new InMemorySchemaRegistryClient(), true);
        byte[] bytes = serde.serializer().serialize(Topics.PROBE_RESULTS.name(), r);
        assertThat(serde.deserializer().deserialize(Topics.PROBE_RESULTS.name(), bytes)).isEqualTo(r);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
