package io.tlsxtractor.bench;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Parsing one leaf certificate and extracting its names, as the engine does after every handshake,
 * for a typical certificate (2 SANs), a 100-SAN one and a 10,000-SAN one (~300 KB); the JDK's
 * {@link CertificateFactory} X.509 parse of the same bytes (plus {@code getSubjectAlternativeNames()},
 * the names the extractor returns) is the reference. {@link #main} runs it short (1 fork, 3 × 1 s
 * warm-up, 3 × 1 s measurement) and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class CertificateParsingBench {

    @Param({"2", "100", "10000"})
    public int sans;

    private byte[] der;
    private int counter;
    private CertificateNameExtractor extractor;
    private CertificateFactory jdk;

    @Setup
    public void makeCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair key = g.generateKeyPair();
        GeneralName[] names = new GeneralName[sans];
        names[0] = new GeneralName(GeneralName.dNSName, "bench.example.com");
        for (int i = 1; i < sans; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, i == 1 ? "www.bench.example.com" : "site" + i + ".shard" + (i % 97) + ".example.net");
        }
        X500Name subject = new X500Name("CN=bench.example.com, O=TLSXtractor bench, C=DE");
        X500Name issuer = new X500Name("CN=Bench Intermediate CA, O=TLSXtractor bench, C=DE");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now), new Date(now - 86_400_000L),
                new Date(now + 90 * 86_400_000L), subject, key.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())).getEncoded();
        extractor = new CertificateNameExtractor();
        jdk = CertificateFactory.getInstance("X.509");
    }

    /**
     * Makes the bytes differ from every earlier call: the JDK's {@code X509Factory} caches certificates by
     * their encoding, and a cache hit (~1 µs) is no parse. The last four bytes are inside the signature,
     * which no parser here verifies. Done in every benchmark, so all pay the same.
     */
    private void vary() {
        int n = ++counter;
        int end = der.length;
        der[end - 1] = (byte) n;
        der[end - 2] = (byte) (n >>> 8);
        der[end - 3] = (byte) (n >>> 16);
        der[end - 4] = (byte) (n >>> 24);
    }

    /** The engine's tolerant parser alone (the engine runs it once per handshake for the outcome's leaf). */
    @Benchmark
    public ParsedCertificate engineParse() {
        vary();
        return CertificateParser.parse(der);
    }

    /** Parse + names, as {@link CertificateNameExtractor} does for every successful probe. */
    @Benchmark
    public List<ExtractedName> engineParseAndExtract() {
        vary();
        return extractor.extract(ExtractionInput.builder("198.18.0.1", 443).chain(List.of(der)).build());
    }

    /** Reference: the JDK's strict X.509 parser on the same bytes, plus its SAN list. */
    @Benchmark
    public Collection<List<?>> jdkParseAndSans() throws Exception {
        vary();
        X509Certificate c = (X509Certificate) jdk.generateCertificate(new ByteArrayInputStream(der));
        return c.getSubjectAlternativeNames();
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
                .include(CertificateParsingBench.class.getName() + "\\.")
                .build();
        Map<Integer, Map<String, Double>> scores = new TreeMap<>();
        for (RunResult r : new Runner(options).run()) {
            int n = Integer.parseInt(r.getParams().getParam("sans"));
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            scores.computeIfAbsent(n, k -> new TreeMap<>()).put(name, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("=== Certificate parsing per certificate (µs/op, lower is better) ===");
        System.out.printf("%8s %14s %22s %16s %24s%n", "SANs", "engineParse", "engineParseAndExtract", "jdkParseAndSans",
                "ratio jdk/engine(+names)");
        scores.forEach((n, s) -> System.out.printf("%8d %14.2f %22.2f %16.2f %24.2f%n", n, s.get("engineParse"),
                s.get("engineParseAndExtract"), s.get("jdkParseAndSans"), s.get("jdkParseAndSans") / s.get("engineParseAndExtract")));
        System.out.println("ratio > 1: the engine's parse + name extraction is faster than the JDK's X.509 parse + SAN list of the"
                + " same bytes");
    }
}
