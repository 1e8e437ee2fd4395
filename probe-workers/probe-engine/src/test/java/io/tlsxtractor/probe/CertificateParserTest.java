package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

class CertificateParserTest {
    private static final Date FROM = Date.from(Instant.parse("2024-01-01T00:00:00Z"));
    private static final Date TO = Date.from(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void readsEveryFieldOfAWellFormedCertificate() {
        byte[] der = TestCertificates.signed("CN=www.example.com,O=Example Inc,C=US", "CN=Example CA,O=Example Inc",
                TestCertificates.RSA, List.of(TestCertificates.dns("www.example.com"), TestCertificates.dns("example.com"),
                        new GeneralName(GeneralName.iPAddress, "192.0.2.7")), false, FROM, TO, "SHA256withRSA");

        ParsedCertificate c = CertificateParser.parse(der);

        assertThat(c.parseProblems()).isEmpty();
        assertThat(c.version()).isEqualTo(3);
        assertThat(c.serialHex()).isEqualTo("1234abcd");
        assertThat(c.subject()).containsEntry("commonName", List.of("www.example.com"))
                .containsEntry("organizationName", List.of("Example Inc")).containsEntry("countryName", List.of("US"));
        assertThat(c.issuer()).containsEntry("commonName", List.of("Example CA"));
        assertThat(c.sanDns()).containsExactly("www.example.com", "example.com");
        assertThat(c.sanIp()).containsExactly("192.0.2.7");
        assertThat(c.notBefore()).isEqualTo(FROM.toInstant());
        assertThat(c.notAfter()).isEqualTo(TO.toInstant());
        assertThat(c.keyType()).isEqualTo("RSA");
        assertThat(c.keyBits()).isEqualTo(2048);
        assertThat(c.signatureAlgorithm()).isEqualToIgnoringCase("SHA256WITHRSA");
        assertThat(c.ca()).isFalse();
        assertThat(c.selfIssued()).isFalse();
        assertThat(c.sha256()).isEqualTo(CertificateParser.sha256Hex(der)).hasSize(64);
        assertThat(c.extensionOids()).contains("2.5.29.17", "2.5.29.19!");
    }

    @Test
    void readsEcKeysAndSelfIssuedCas() {
        byte[] der = TestCertificates.signed("CN=Root", "CN=Root", TestCertificates.EC, List.of(), true, FROM, TO,
                "SHA384withECDSA");

        ParsedCertificate c = CertificateParser.parse(der);

        assertThat(c.parseProblems()).isEmpty();
        assertThat(c.keyType()).isEqualTo("EC");
        assertThat(c.keyBits()).isEqualTo(384);
        assertThat(c.keyCurve()).isEqualTo("secp384r1");
        assertThat(c.ca()).isTrue();
        assertThat(c.selfIssued()).isTrue();
        assertThat(c.sanDns()).isEmpty();
    }

    @Test
    void tenThousandSansParseQuickly() {
        List<GeneralName> sans = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sans.add(TestCertificates.dns("host" + i + ".example.com"));
        }
        byte[] der = TestCertificates.signed("CN=many.example.com", "CN=CA", TestCertificates.RSA, sans, false, FROM, TO,
                "SHA256withRSA");

        long start = System.nanoTime();
        ParsedCertificate c = CertificateParser.parse(der);
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(c.sanDns()).hasSize(10_000).startsWith("host0.example.com").endsWith("host9999.example.com");
        assertThat(c.parseProblems()).isEmpty();
        // Generous bound for a loaded 2-core machine; a quadratic parser takes far longer.
        assertThat(ms).isLessThan(2_000);
    }

    @Test
    void duplicateSansAreKeptOnce() {
        byte[] der = TestCertificates.raw(new ASN1Integer(5), new X500Name("CN=CA"), TestCertificates.validity(FROM, TO),
                new X500Name("CN=a.example"), new ASN1Encodable[] {TestCertificates.extension("2.5.29.17", false,
                        TestCertificates.sanValue(TestCertificates.dnsTagged("a.example"), TestCertificates.dnsTagged("b.example"),
                                TestCertificates.dnsTagged("a.example")))});

        assertThat(CertificateParser.parse(der).sanDns()).containsExactly("a.example", "b.example");
    }

    @Test
    void unknownCriticalExtensionsAndBadSanEntriesDoNotLoseTheOtherNames() {
        byte[] der = TestCertificates.raw(new ASN1Integer(5), new X500Name("CN=CA"), TestCertificates.validity(FROM, TO),
                new X500Name("CN=odd.example"), new ASN1Encodable[] {
                        TestCertificates.extension("1.3.6.1.4.1.99999.1", true, new byte[] {0x05, 0x00}),
                        TestCertificates.extension("2.5.29.17", false, TestCertificates.sanValue(
                                TestCertificates.ipTagged(new byte[] {1, 2, 3}),
                                TestCertificates.dnsTagged("good.example"))),
                        TestCertificates.extension("2.5.29.19", true, new byte[] {0x01, 0x02})});

        ParsedCertificate c = CertificateParser.parse(der);

        assertThat(c.sanDns()).containsExactly("good.example");
        assertThat(c.commonNames()).containsExactly("odd.example");
        assertThat(c.extensionOids()).contains("1.3.6.1.4.1.99999.1!");
        assertThat(c.parseProblems()).anyMatch(p -> p.contains("iPAddress of 3 bytes"))
                .anyMatch(p -> p.startsWith("basicConstraints"));
    }

    @Test
    void overlongNamesAreCutAndReported() {
        String longCn = "x".repeat(CertificateParser.MAX_VALUE_CHARS + 500);
        byte[] der = TestCertificates.raw(new ASN1Integer(5), new X500Name("CN=CA"), TestCertificates.validity(FROM, TO),
                longName(longCn), null);

        ParsedCertificate c = CertificateParser.parse(der);

        assertThat(c.commonNames().get(0)).hasSize(CertificateParser.MAX_VALUE_CHARS);
        assertThat(c.parseProblems()).anyMatch(p -> p.contains("cut to"));
    }

    @Test
    void nonCanonicalSerialIntegersAreRead() {
        // A serial with a redundant leading zero byte: strict DER parsers refuse the whole certificate.
        byte[] der = TestCertificates.raw(new ASN1Integer(77), new X500Name("CN=CA"), TestCertificates.validity(FROM, TO),
                new X500Name("CN=serial.example"), null);
        byte[] odd = replaceFirst(der, new byte[] {0x02, 0x01, 0x4d}, new byte[] {0x02, 0x02, 0x00, 0x4d});
        odd = fixOuterLengths(odd, 1);

        ParsedCertificate c = CertificateParser.parse(odd);

        assertThat(c.commonNames()).containsExactly("serial.example");
        assertThat(c.serialHex()).isEqualTo("4d");
    }

    @Test
    void garbageAndTruncationAreReportedNotThrown() {
        byte[] der = TestCertificates.signed("CN=t.example", "CN=CA", TestCertificates.RSA,
                List.of(TestCertificates.dns("t.example")), false, FROM, TO, "SHA256withRSA");

        assertThat(CertificateParser.parse(new byte[0]).parseProblems()).containsExactly("empty certificate");
        assertThat(CertificateParser.parse(null).parseProblems()).isNotEmpty();
        assertThat(CertificateParser.parse("hello, not a certificate".getBytes()).parseProblems()).isNotEmpty();
        // A length that claims 2 GB must fail at once, not allocate.
        assertThat(CertificateParser.parse(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0})
                .parseProblems()).isNotEmpty();
        ParsedCertificate truncated = CertificateParser.parse(java.util.Arrays.copyOf(der, der.length / 2));
        assertThat(truncated.parseProblems()).isNotEmpty();
        assertThat(truncated.sha256()).hasSize(64);
    }

    @Test
    void randomMutationsNeverThrowNorStall() {
        byte[] der = TestCertificates.signed("CN=fuzz.example,O=Fuzz", "CN=CA", TestCertificates.RSA,
                List.of(TestCertificates.dns("fuzz.example"), TestCertificates.dns("www.fuzz.example")), false, FROM, TO,
                "SHA256withRSA");
        Random random = new Random(42);
        long start = System.nanoTime();
        int withProblems = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] m = der.clone();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            byte[] input = random.nextInt(10) == 0 ? java.util.Arrays.copyOf(m, random.nextInt(m.length)) : m;
            ParsedCertificate[] out = new ParsedCertificate[1];
            assertThatCode(() -> out[0] = CertificateParser.parse(input)).doesNotThrowAnyException();
            if (!out[0].parseProblems().isEmpty()) {
                withProblems++;
            }
        }
        assertThat(withProblems).isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    /** A subject with one CN of any length: X500Name refuses what RFC 5280 bounds, real servers do not. */
    private static ASN1Encodable longName(String cn) {
        return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.DERSequence(
                new ASN1Encodable[] {new org.bouncycastle.asn1.ASN1ObjectIdentifier("2.5.4.3"),
                        new org.bouncycastle.asn1.DERUTF8String(cn)})));
    }

    private static byte[] replaceFirst(byte[] in, byte[] find, byte[] repl) {
        for (int i = 0; i + find.length <= in.length; i++) {
            if (java.util.Arrays.equals(in, i, i + find.length, find, 0, find.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(in, 0, i);
                out.write(repl, 0, repl.length);
                out.write(in, i + find.length, in.length - i - find.length);
                return out.toByteArray();
            }
        }
        throw new AssertionError("pattern not found");
    }

    /** Adds {@code delta} to the two outer SEQUENCE lengths (certificate, tbsCertificate), both long-form 2 bytes. */
    private static byte[] fixOuterLengths(byte[] der, int delta) {
        byte[] out = der.clone();
        for (int at : new int[] {0, 4}) {
            if (out[at] != 0x30 || out[at + 1] != (byte) 0x82) {
                throw new AssertionError("unexpected header at " + at);
            }
            int len = ((out[at + 2] & 0xff) << 8 | (out[at + 3] & 0xff)) + delta;
            out[at + 2] = (byte) (len >> 8);
            out[at + 3] = (byte) len;
        }
        return out;
    }
}
