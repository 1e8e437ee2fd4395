package io.tlsxtractor.streams;

import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and probe results for topology tests: real DER, built with Bouncy Castle. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final KeyPair RSA_2048 = keys(2048);
    static final KeyPair RSA_1024 = keys(1024);
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private Fixtures() {
    }

    private static KeyPair keys(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate for {@code cn} and {@code sans}, valid around T0 unless told otherwise. */
    static byte[] certificate(String cn, List<String> sans) {
        return certificate(cn, sans, T0.minus(Duration.ofDays(10)), T0.plus(Duration.ofDays(80)), RSA_2048,
                "SHA256withRSA", false);
    }

    /**
     * @param selfSigned signed with its own key (issuer = subject); otherwise issued by "Test CA" with another key
     */
    static byte[] certificate(String cn, List<String> sans, Instant notBefore, Instant notAfter, KeyPair key,
            String signatureAlgorithm, boolean selfSigned) {
        try {
            X500Name subject = new X500Name("CN=" + cn + ",O=Fixture");
            X500Name issuer = selfSigned ? subject : new X500Name("CN=Test CA,O=Fixture");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    key.getPublic());
            if (!sans.isEmpty()) {
                GeneralName[] names = sans.stream().map(s -> new GeneralName(GeneralName.dNSName, s))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            KeyPair signer = selfSigned ? key : RSA_2048;
            return builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(signer.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a test certificate for " + cn, e);
        }
    }

    static ProbeResult success(String scanId, String ip, int port, String sni, String hostname, Instant at,
            List<byte[]> chain, ExtractedName... names) {
        List<ChainCertificate> certs = new ArrayList<>();
        for (byte[] der : chain) {
            certs.add(ChainCertificate.newBuilder().setDer(ByteBuffer.wrap(der))
                    .setSha256(CertificateParser.sha256Hex(der)).build());
        }
        return ProbeResult.newBuilder()
                .setScanId(scanId)
                .setIp(ip)
                .setPort(port)
                .setSni(sni)
                .setHostname(hostname)
                .setStatus(ProbeStatus.SUCCESS)
                .setSuccessfulAttempt(1)
                .setTlsVersion("TLSv1.3")
                .setChain(certs)
                .setLeaf(chain.isEmpty() ? null : leaf(CertificateParser.parse(chain.get(0))))
                .setNames(List.of(names))
                .setWorkerId("test-worker")
                .setProbedAt(at)
                .build();
    }

    static ProbeResult failure(String scanId, String ip, int port, ErrorCategory category, ErrorCode code,
            Instant at) {
        return ProbeResult.newBuilder()
                .setScanId(scanId)
                .setIp(ip)
                .setPort(port)
                .setStatus(ProbeStatus.FAILED)
                .setError("probe failed: " + code)
                .setErrorCategory(category)
                .setErrorCode(code)
                .setWorkerId("test-worker")
                .setProbedAt(at)
                .build();
    }

    static ExtractedName name(String name, NameSource source) {
        return ExtractedName.newBuilder().setName(name).setSource(source).build();
    }

    static ExtractedName plugin(String name, String plugin) {
        return ExtractedName.newBuilder().setName(name).setSource(NameSource.PLUGIN).setPlugin(plugin).build();
    }

    static String key(ProbeResult r) {
        return r.getIp() + ":" + r.getPort();
    }

    private static CertificateFields leaf(ParsedCertificate c) {
        Map<String, String> subject = new LinkedHashMap<>();
        c.subject().forEach((k, v) -> subject.put(k, String.join(", ", v)));
        return CertificateFields.newBuilder()
                .setSubject(subject)
                .setSans(c.sanDns())
                .setSha256(c.sha256())
                .setNotBefore(c.notBefore())
                .setNotAfter(c.notAfter())
                .build();
    }
}
