package io.tlsxtractor.streams;

import static io.tlsxtractor.streams.Fixtures.certificate;
import static io.tlsxtractor.streams.Fixtures.name;
import static io.tlsxtractor.streams.Fixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.probe.CertificateParser;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.EventType;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Rules 2 (dedupe, inventory, certificates, exactly-once events) and 3 (enrichment wiring). */
class InventoryTopologyTest {

    @Test
    void oneRecordPerDomainMergedFromManyResultsWithSetsNotCounters() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] a = certificate("a.example.com", List.of("a.example.com", "shared.example.com"));
            byte[] b = certificate("b.example.com", List.of("b.example.com", "shared.example.com"));
            p.pipe(success("scan-1", "127.0.0.1", 443, null, null, p.at(0), List.of(a)),
                    success("scan-1", "127.0.0.2", 443, null, null, p.at(5), List.of(b)),
                    success("scan-2", "127.0.0.2", 8443, null, null, p.at(9), List.of(b),
                            name("shared.example.com", NameSource.CSP)));
            Map<String, DomainRecord> inventory = p.latestInventory();
            assertThat(inventory).containsOnlyKeys("a.example.com", "b.example.com", "shared.example.com");
            DomainRecord shared = inventory.get("shared.example.com");
            assertThat(shared.getIps()).containsExactly("127.0.0.1:443", "127.0.0.2:443", "127.0.0.2:8443");
            assertThat(shared.getCertificates()).containsExactlyInAnyOrder(CertificateParser.sha256Hex(a),
                    CertificateParser.sha256Hex(b));
            assertThat(shared.getSources()).containsExactly(NameSource.SAN, NameSource.CSP);
            assertThat(shared.getScanIds()).containsExactly("scan-1", "scan-2");
            assertThat(shared.getFirstSeen()).isEqualTo(p.at(0));
            assertThat(shared.getLastSeen()).isEqualTo(p.at(9));
            assertThat(shared.getRegistrableDomain()).isEqualTo("example.com");
            assertThat(shared.getIsNew()).isTrue();
        }
    }

    @Test
    void aReplayedResultChangesNothingAndEmitsNothing() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] cert = certificate("www.example.org", List.of("www.example.org", "example.org"));
            ProbeResult result = success("scan-1", "127.0.0.3", 443, "www.example.org", "www.example.org", p.at(0),
                    List.of(cert));
            p.pipe(result);
            int inventoryRecords = p.inventory.size();
            int certificateRecords = p.certificates.size();
            int events = p.events.size();
            Map<String, DomainRecord> before = p.latestInventory();

            p.pipe(result, result); // at-least-once upstream: the same result twice more

            assertThat(p.inventory).hasSize(inventoryRecords);
            assertThat(p.certificates).hasSize(certificateRecords);
            assertThat(p.events).hasSize(events);
            assertThat(p.latestInventory()).isEqualTo(before);
            assertThat(p.latestInventory().get("www.example.org").getIsNew())
                    .as("the scanned hostname itself is not new").isFalse();
        }
    }

    @Test
    void domainDiscoveredIsEmittedExactlyOncePerDomainEver() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] cert = certificate("x.example.net", List.of("x.example.net", "*.example.net"));
            for (int i = 0; i < 5; i++) {
                p.pipe(success("scan-" + (i % 2), "127.0.0." + (10 + i), 443, null, null, p.at(i), List.of(cert)));
            }
            List<Event> discovered = p.events(EventType.DOMAIN_DISCOVERED);
            assertThat(discovered).extracting(Event::getSubjectId)
                    .containsExactlyInAnyOrder("x.example.net", "*.example.net");
            Event wildcard = discovered.stream().filter(e -> e.getSubjectId().equals("*.example.net")).findFirst()
                    .orElseThrow();
            assertThat(wildcard.getData()).containsEntry("wildcard", "true").containsEntry("registrableDomain",
                    "example.net");
            assertThat(p.latestInventory().get("*.example.net").getWildcard()).isTrue();
        }
    }

    @Test
    void idnDomainsAreKeyedByPunycodeAndAnnouncedWithTheirUnicodeForm() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            p.pipe(success("scan-1", "127.0.0.4", 443, null, null, p.at(0), List.of(),
                    name("Bücher.example", NameSource.CSP), name("xn--bcher-kva.example", NameSource.JS)));
            assertThat(p.latestInventory()).containsOnlyKeys("xn--bcher-kva.example");
            assertThat(p.latestInventory().get("xn--bcher-kva.example").getSources())
                    .containsExactly(NameSource.CSP, NameSource.JS);
            assertThat(p.latestInventory().get("xn--bcher-kva.example").getUnicodeDomain()).isEqualTo("bücher.example");
            assertThat(p.events(EventType.DOMAIN_DISCOVERED)).singleElement()
                    .satisfies(e -> assertThat(e.getData()).containsEntry("unicode", "bücher.example"));
        }
    }

    @Test
    void certificatesAreStoredOncePerSha256WithEndpointsAndFoundOnce() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] leaf = certificate("api.example.com", List.of("api.example.com"));
            byte[] ca = certificate("Fixture Root", List.of(), Fixtures.T0.minus(Duration.ofDays(100)),
                    Fixtures.T0.plus(Duration.ofDays(1000)), Fixtures.RSA_2048, "SHA256withRSA", true);
            p.pipe(success("scan-1", "127.0.0.5", 443, null, null, p.at(0), List.of(leaf, ca)),
                    success("scan-1", "127.0.0.6", 443, null, null, p.at(3), List.of(leaf, ca)),
                    success("scan-1", "127.0.0.6", 443, null, null, p.at(3), List.of(leaf, ca)));
            String leafSha = CertificateParser.sha256Hex(leaf);
            String caSha = CertificateParser.sha256Hex(ca);
            Map<String, Certificate> certs = p.latestCertificates();
            assertThat(certs).containsOnlyKeys(leafSha, caSha);
            Certificate c = certs.get(leafSha);
            assertThat(c.getChainPosition()).isZero();
            assertThat(c.getIssuerSha256()).isEqualTo(caSha);
            assertThat(c.getSeenOn()).containsExactly("127.0.0.5:443", "127.0.0.6:443");
            assertThat(c.getFields().getSans()).containsExactly("api.example.com");
            assertThat(c.getLastSeen()).isEqualTo(p.at(3));
            assertThat(certs.get(caSha).getChainPosition()).isEqualTo(1);
            assertThat(certs.get(caSha).getSelfSigned()).isTrue();
            assertThat(p.events(EventType.CERTIFICATE_FOUND)).extracting(Event::getSubjectId)
                    .containsExactlyInAnyOrder(leafSha, caSha);
            assertThat(p.events(EventType.VULNERABILITY_DETECTED)).as("a healthy chain has no findings").isEmpty();
        }
    }

    @Test
    void badCertificatesGetFlagsAndOneVulnerabilityEventPerFinding() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            Instant start = Fixtures.T0.minus(Duration.ofDays(400));
            byte[] bad = certificate("old.example.com", List.of("old.example.com"), start,
                    Fixtures.T0.minus(Duration.ofDays(30)), Fixtures.RSA_1024, "SHA1withRSA", true);
            ProbeResult r = success("scan-1", "127.0.0.7", 443, "shop.example.com", "shop.example.com", p.at(0),
                    List.of(bad));
            p.pipe(r, r);
            Certificate c = p.latestCertificates().values().iterator().next();
            assertThat(c.getExpired()).isTrue();
            assertThat(c.getSelfSigned()).isTrue();
            assertThat(c.getWeakKey()).isTrue();
            assertThat(c.getSha1Signature()).isTrue();
            assertThat(c.getHostnameMismatch()).isTrue();
            assertThat(c.getNotYetValid()).isFalse();
            List<Event> findings = p.events(EventType.VULNERABILITY_DETECTED);
            assertThat(findings).extracting(e -> e.getData().get("finding")).containsExactlyInAnyOrder(
                    "expired", "self-signed", "weak-key", "weak-signature", "hostname-mismatch");
            assertThat(findings).allSatisfy(e -> {
                assertThat(e.getData()).containsEntry("certificate", c.getSha256())
                        .containsEntry("host", "shop.example.com").containsKey("reason");
                assertThat(e.getSubjectId()).isEqualTo(c.getSha256());
            });
        }
    }

    @Test
    void dnsAnswersArriveAsynchronouslyAndAreFoldedInByThePunctuator() {
        Map<String, CompletableFuture<DnsLookup.Result>> lookups = new ConcurrentHashMap<>();
        DnsLookup dns = domain -> lookups.computeIfAbsent(domain, d -> new CompletableFuture<>());
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()).dns(dns)
                .dnsPollInterval(Duration.ofMillis(100)))) {
            p.pipe(success("scan-1", "127.0.0.8", 443, null, null, p.at(0), List.of(),
                    name("mail.example.com", NameSource.CSP)));
            assertThat(lookups).as("a new domain is looked up at once").containsOnlyKeys("mail.example.com");
            assertThat(p.latestInventory().get("mail.example.com").getDnsAnswers()).isEmpty();
            assertThat(p.latestInventory().get("mail.example.com").getDnsStatus()).as("not resolved yet").isNull();

            p.advance(Duration.ofMillis(200));
            assertThat(p.latestInventory().get("mail.example.com").getDnsAnswers())
                    .as("nothing until the lookup completes; the stream thread never waited").isEmpty();

            lookups.get("mail.example.com").complete(DnsLookup.Result.withRecords(List.of(DnsAnswer.newBuilder()
                    .setType("A").setValue("127.0.0.8").setTtl(300L).setResolvedAt(p.at(1)).build())));
            p.advance(Duration.ofMillis(200));
            assertThat(p.latestInventory().get("mail.example.com").getDnsAnswers())
                    .extracting(DnsAnswer::getType, DnsAnswer::getValue)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("A", "127.0.0.8"));
            assertThat(p.latestInventory().get("mail.example.com").getDnsStatus()).as("resolved to an address")
                    .isNull();

            p.pipe(success("scan-1", "127.0.0.9", 443, null, null, p.at(2), List.of(),
                    name("mail.example.com", NameSource.CSP)));
            assertThat(lookups).as("a known domain is not looked up again").hasSize(1);
        }
    }

    @Test
    void lookupTheResolverCannotTakeNowIsAskedAgainAndAFailedOneIsNot() {
        Map<String, java.util.concurrent.atomic.AtomicInteger> asked = new ConcurrentHashMap<>();
        DnsLookup dns = domain -> {
            int n = asked.computeIfAbsent(domain, d -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            if (domain.startsWith("busy.") && n == 1) {
                return CompletableFuture.failedFuture(new DnsLookup.RetryLater("overloaded"));
            }
            if (domain.startsWith("broken.")) {
                return CompletableFuture.failedFuture(new IllegalStateException("resolver bug"));
            }
            return CompletableFuture.completedFuture(DnsLookup.Result.withRecords(List.of(DnsAnswer.newBuilder()
                    .setType("A").setValue("127.0.0.9").setTtl(60L).setResolvedAt(Fixtures.T0).build())));
        };
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()).dns(dns)
                .dnsPollInterval(Duration.ofMillis(100)))) {
            p.pipe(success("scan-1", "127.0.0.9", 443, null, null, p.at(0), List.of(),
                    name("busy.example.com", NameSource.CSP), name("broken.example.com", NameSource.CSP)));
            p.advance(Duration.ofMillis(100));
            p.advance(Duration.ofMillis(100));
            p.advance(Duration.ofMillis(100));

            assertThat(asked.get("busy.example.com").get()).as("deferred once, then asked again").isEqualTo(2);
            assertThat(p.latestInventory().get("busy.example.com").getDnsAnswers())
                    .extracting(DnsAnswer::getValue).containsExactly("127.0.0.9");
            assertThat(asked.get("broken.example.com").get()).as("a failed lookup is not repeated").isEqualTo(1);
            assertThat(p.latestInventory().get("broken.example.com").getDnsAnswers()).isEmpty();
            assertThat(p.latestInventory().get("broken.example.com").getDnsStatus()).isNull();
        }
    }

    @Test
    void aLookupWithoutAddressesIsRecordedAsTheDomainsDnsStatus() {
        Map<String, CompletableFuture<DnsLookup.Result>> lookups = new ConcurrentHashMap<>();
        DnsLookup dns = domain -> lookups.computeIfAbsent(domain, d -> new CompletableFuture<>());
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()).dns(dns)
                .dnsPollInterval(Duration.ofMillis(100)))) {
            p.pipe(success("scan-1", "127.0.0.10", 443, null, null, p.at(0), List.of(),
                    name("gone.example.com", NameSource.CSP), name("slow.example.com", NameSource.CSP)));
            lookups.get("gone.example.com").complete(DnsLookup.Result.withoutRecords("NXDOMAIN"));
            lookups.get("slow.example.com").complete(DnsLookup.Result.withoutRecords("TIMEOUT"));
            int before = p.inventory.size();
            p.advance(Duration.ofMillis(200));

            DomainRecord gone = p.latestInventory().get("gone.example.com");
            assertThat(gone.getDnsStatus()).isEqualTo("NXDOMAIN");
            assertThat(gone.getDnsAnswers()).as("a status is not an answer").isEmpty();
            assertThat(p.latestInventory().get("slow.example.com").getDnsStatus()).isEqualTo("TIMEOUT");
            assertThat(p.inventory.size() - before).as("one inventory update per folded lookup").isEqualTo(2);
            org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store =
                    p.driver.getKeyValueStore(StreamsTopologies.INVENTORY_STORE);
            DomainRecord stored = Topics.DOMAIN_INVENTORY.valueSerde(p.registry, false).deserializer()
                    .deserialize(Topics.DOMAIN_INVENTORY.name(), store.get("gone.example.com"));
            assertThat(stored).as("the queryable store holds what the topic got")
                    .isEqualTo(p.latestInventory().get("gone.example.com"));
            assertThat(stored.getDnsStatus()).as("the queryable store").isEqualTo("NXDOMAIN");

            // Later sightings keep the status: it is the last lookup's, and only a new lookup replaces it.
            p.pipe(success("scan-2", "127.0.0.11", 443, null, null, p.at(1), List.of(),
                    name("gone.example.com", NameSource.CSP)));
            assertThat(p.latestInventory().get("gone.example.com").getIps()).contains("127.0.0.11:443");
            assertThat(p.latestInventory().get("gone.example.com").getDnsStatus()).isEqualTo("NXDOMAIN");
        }
    }

    @Test
    void aLaterSightingThatOnlyMovesLastSeenIsWrittenOncePerResolution() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] cert = certificate("cdn.example.net", List.of("cdn.example.net"));
            String sha = CertificateParser.sha256Hex(cert);
            p.pipe(success("scan-1", "127.0.0.20", 443, null, null, p.at(0), List.of(cert)));
            int inventoryRecords = p.inventory.size();
            int certificateRecords = p.certificates.size();

            // Same endpoint, same scan, 10 s later: nothing new but the time.
            p.pipe(success("scan-1", "127.0.0.20", 443, null, null, p.at(10), List.of(cert)));
            assertThat(p.inventory.stream().skip(inventoryRecords).filter(r -> r.key().equals("cdn.example.net")))
                    .as("lastSeen moved by less than the resolution").isEmpty();

            // A minute later it is worth a record, with the exact time.
            p.pipe(success("scan-1", "127.0.0.20", 443, null, null, p.at(70), List.of(cert)));
            assertThat(p.latestInventory().get("cdn.example.net").getLastSeen()).isEqualTo(p.at(70));

            // A change of another kind writes lastSeen exactly, whatever the distance.
            p.pipe(success("scan-1", "127.0.0.21", 443, null, null, p.at(75), List.of(cert)));
            assertThat(p.latestCertificates().get(sha).getSeenOn()).containsExactly("127.0.0.20:443",
                    "127.0.0.21:443");
            assertThat(p.latestCertificates().get(sha).getLastSeen()).isEqualTo(p.at(75));
            assertThat(p.certificates.size()).isGreaterThan(certificateRecords);
        }
    }

    @Test
    void theCapsPerDomainAreConfigurableAndWhatTheyRefuseIsCounted() {
        InventoryCounters counters = new InventoryCounters();
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll())
                .limits(new InventoryLimits(2, 1)).inventoryCounters(counters))) {
            byte[] first = certificate("capped.example.com", List.of("capped.example.com"));
            byte[] second = certificate("capped.example.com", List.of("capped.example.com"));
            p.pipe(success("scan-1", "127.0.0.31", 443, null, null, p.at(0), List.of(first)),
                    success("scan-1", "127.0.0.32", 443, null, null, p.at(1), List.of(first)),
                    success("scan-1", "127.0.0.33", 443, null, null, p.at(2), List.of(second)));
            DomainRecord capped = p.latestInventory().get("capped.example.com");
            assertThat(capped.getIps()).containsExactly("127.0.0.31:443", "127.0.0.32:443");
            assertThat(capped.getCertificates()).containsExactly(CertificateParser.sha256Hex(first));
            // The third result brings one endpoint and one certificate too many, each named twice (CN and SAN).
            assertThat(counters.ipsRefused()).isEqualTo(2);
            assertThat(counters.certificatesRefused()).isEqualTo(2);
        }
    }

    @Test
    void aCertificateTravelsToItsOwnerOnceAndLaterSightingsCarryOnlyItsSha256() {
        try (Pipeline p = new Pipeline(b -> b.extraction(ExtractionSettings.keepAll()))) {
            byte[] leaf = certificate("once.example.com", List.of("once.example.com"));
            String sha = CertificateParser.sha256Hex(leaf);
            for (int i = 0; i < 4; i++) {
                p.pipe(success("scan-1", "127.0.0." + (40 + i), 443, null, null, p.at(i), List.of(leaf)));
            }
            var sightings = p.driver.createOutputTopic("tlsx-streams-certificates-by-sha256-repartition",
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    io.tlsxtractor.streams.internal.CertSighting.serde().deserializer()).readValuesToList();
            assertThat(sightings).hasSize(4).allSatisfy(s -> assertThat(s.sha256()).isEqualTo(sha));
            assertThat(sightings).filteredOn(io.tlsxtractor.streams.internal.CertSighting::hasDer)
                    .as("only the first carries the DER").singleElement()
                    .satisfies(s -> assertThat(s.endpoint()).isEqualTo("127.0.0.40:443"));
            assertThat(p.latestCertificates().get(sha).getSeenOn()).containsExactly("127.0.0.40:443",
                    "127.0.0.41:443", "127.0.0.42:443", "127.0.0.43:443");
            assertThat(p.latestCertificates().get(sha).getDer().remaining()).isEqualTo(leaf.length);
            assertThat(p.events(EventType.CERTIFICATE_FOUND)).hasSize(1);
        }
    }
}
