package io.tlsxtractor.sinks.neo4j;

import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deterministic scan: probe {@code i} of {@code 10.x.y.z:443} presents leaf certificate {@code i} (issued by one of
 * five intermediates) naming {@code www/api.site<i/2>.example<i/2%7>.com} (probes 2k and 2k+1 share site and certificate),
 * and the site's CSP/JS reference a CDN domain. Observations and certificate records come with it.
 */
final class GraphTestData {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private GraphTestData() {
    }

    static String ip(int i) {
        return String.format(Locale.ROOT, "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    }

    static String site(int i) {
        return "site" + (i / 2) + ".example" + ((i / 2) % 7) + ".com";
    }

    static String registrable(int i) {
        return site(i);
    }

    static String leafSha(int i) {
        return sha("leaf-" + (i / 2));
    }

    static String intermediateSha(int i) {
        return sha("intermediate-" + (i % 5));
    }

    static String sha(String seed) {
        String hex = Integer.toHexString(seed.hashCode());
        StringBuilder b = new StringBuilder(64);
        while (b.length() < 64) {
            b.append(hex).append(Integer.toHexString(seed.length()));
        }
        return b.substring(0, 64).replace('-', 'f');
    }

    static ProbeResult probe(int i) {
        String site = site(i);
        List<ExtractedName> names = List.of(
                name("www." + site, NameSource.SAN), name("api." + site, NameSource.SAN),
                name("www." + site, NameSource.SNI),
                name("cdn" + (i % 11) + ".static-example.net", NameSource.CSP),
                name("js" + (i % 3) + ".static-example.net", NameSource.JS));
        return ProbeResult.newBuilder()
                .setScanId("scan-1").setIp(ip(i)).setPort(443).setSni("www." + site)
                .setStatus(ProbeStatus.SUCCESS)
                .setChain(List.of(chain(leafSha(i)), chain(intermediateSha(i))))
                .setLeaf(fields(i))
                .setNames(names)
                .setProbedAt(T0.plusSeconds(i))
                .build();
    }

    static CertificateFields fields(int i) {
        return CertificateFields.newBuilder()
                .setSubject(Map.of("commonName", "www." + site(i), "organizationName", "Org " + ((i / 2) % 13)))
                .setIssuer(Map.of("commonName", "Intermediate " + (i % 5)))
                .setSans(List.of("www." + site(i), "api." + site(i)))
                .setNotBefore(T0.minusSeconds(86_400))
                .setNotAfter(T0.plusSeconds(86_400L * 90))
                .setSerialNumber(Integer.toHexString(i / 2))
                .setKeyType("EC").setKeySize(256).setSignatureAlgorithm("SHA256withECDSA")
                .build();
    }

    static Certificate certificate(int i) {
        return Certificate.newBuilder()
                .setSha256(leafSha(i)).setDer(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setFields(fields(i)).setIssuerSha256(intermediateSha(i))
                .setFirstSeen(T0.plusSeconds(i)).setLastSeen(T0.plusSeconds(i + 1))
                .build();
    }

    static List<DomainObservation> observations(int i) {
        List<DomainObservation> out = new ArrayList<>();
        for (String prefix : List.of("www.", "api.")) {
            out.add(DomainObservation.newBuilder()
                    .setDomain(prefix + site(i)).setRegistrableDomain(registrable(i)).setSource(NameSource.SAN)
                    .setIp(ip(i)).setPort(443).setSni("www." + site(i)).setCertSha256(leafSha(i))
                    .setScanId("scan-1").setObservedAt(T0.plusSeconds(i)).build());
        }
        return out;
    }

    private static ExtractedName name(String name, NameSource source) {
        return ExtractedName.newBuilder().setName(name).setSource(source).build();
    }

    private static ChainCertificate chain(String sha) {
        return ChainCertificate.newBuilder().setSha256(sha).setDer(ByteBuffer.wrap(new byte[] {0})).build();
    }
}
