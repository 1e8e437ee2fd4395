package io.tlsxtractor.enrichment;

import io.tlsxtractor.localstack.DnsmasqProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DnsEnricher} against a real dnsmasq on loopback serving zones this test writes, and against
 * misbehaving UDP servers (silent, garbage) that this test runs.
 */
class DnsEnricherIT {

    @TempDir
    static Path dir;

    private static DnsmasqProcess dnsmasq;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        List<String> records = new ArrayList<>(List.of(
                "--host-record=web.site.test,192.0.2.10,2001:db8::10,300",
                "--host-record=v4only.site.test,192.0.2.11,300",
                "--host-record=origin.site.test,192.0.2.20,2001:db8::20,600",
                "--cname=cdn.site.test,origin.site.test,120",
                "--cname=www.site.test,cdn.site.test,90",
                "--host-record=short.site.test,192.0.2.30,1",
                "--host-record=long.site.test,192.0.2.31,86400",
                "--txt-record=textonly.site.test,hello"));
        for (int i = 1; i <= 6; i++) {
            records.add("--host-record=n" + i + ".site.test,192.0.2." + (100 + i) + ",300");
        }
        dnsmasq = DnsmasqProcess.start(dir, records);
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static DnsSettings settings(String... resolvers) {
        return DnsSettings.defaults(List.of(resolvers)).withQueryTimeout(Duration.ofMillis(500)).withRetries(1);
    }

    private static DnsAnswerSet get(CompletableFuture<DnsAnswerSet> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void resolvesIpv4AndIpv6WithTheirTtls() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("Web.Site.Test."));

            assertThat(answer.status()).isEqualTo(DnsStatus.OK);
            assertThat(answer.domain()).isEqualTo("web.site.test");
            assertThat(answer.ipv4()).containsExactly("192.0.2.10");
            assertThat(answer.ipv6()).containsExactly("2001:db8:0:0:0:0:0:10");
            assertThat(answer.records()).extracting(DnsRecord::ttlSeconds).containsOnly(300L);
            assertThat(answer.cnameChain()).isEmpty();
            assertThat(answer.cacheTtl()).isEqualTo(Duration.ofSeconds(300));
            assertThat(answer.resolver()).isEqualTo(dnsmasq.address());
            assertThat(answer.fromCache()).isFalse();
        }
    }

    @Test
    void nameWithOnlyAnIpv4AddressIsOkWithoutIpv6() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("v4only.site.test"));

            assertThat(answer.status()).isEqualTo(DnsStatus.OK);
            assertThat(answer.ipv4()).containsExactly("192.0.2.11");
            assertThat(answer.ipv6()).isEmpty();
            assertThat(answer.detail()).isEmpty();
        }
    }

    @Test
    void followsACnameChainToTheAddressesOfItsEnd() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("www.site.test"));

            assertThat(answer.status()).isEqualTo(DnsStatus.OK);
            assertThat(answer.cnameChain()).containsExactly("cdn.site.test", "origin.site.test");
            assertThat(answer.canonicalName()).isEqualTo("origin.site.test");
            assertThat(answer.ipv4()).containsExactly("192.0.2.20");
            assertThat(answer.ipv6()).containsExactly("2001:db8:0:0:0:0:0:20");
            assertThat(answer.records()).filteredOn(r -> r.type() == DnsRecord.Type.CNAME)
                    .containsExactly(new DnsRecord("www.site.test", DnsRecord.Type.CNAME, 90, "cdn.site.test"),
                            new DnsRecord("cdn.site.test", DnsRecord.Type.CNAME, 120, "origin.site.test"));
            // The smallest TTL along the chain decides how long the answer may be kept.
            assertThat(answer.cacheTtl()).isEqualTo(Duration.ofSeconds(90));
        }
    }

    @Test
    void unknownNameIsNxdomainAndIsCachedForTheNegativeTtl() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()).withNegativeTtl(Duration.ofMinutes(2)))) {
            DnsAnswerSet answer = get(dns.resolve("missing.site.test"));
            assertThat(answer.status()).isEqualTo(DnsStatus.NXDOMAIN);
            assertThat(answer.records()).isEmpty();
            assertThat(answer.cacheTtl()).isEqualTo(Duration.ofMinutes(2));

            long sent = dns.metrics().queriesSent();
            DnsAnswerSet again = get(dns.resolve("missing.site.test"));
            assertThat(again.status()).isEqualTo(DnsStatus.NXDOMAIN);
            assertThat(again.fromCache()).isTrue();
            assertThat(dns.metrics().queriesSent()).isEqualTo(sent);
            assertThat(dns.metrics().count(DnsStatus.NXDOMAIN)).isEqualTo(2);
        }
    }

    @Test
    void existingNameWithoutAddressesIsNodata() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("textonly.site.test"));

            assertThat(answer.status()).isEqualTo(DnsStatus.NODATA);
            assertThat(answer.addresses()).isEmpty();
        }
    }

    @Test
    void secondQueryIsACacheHitUntilTheRecordTtlRunsOut() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet first = get(dns.resolve("short.site.test"));
            assertThat(first.status()).isEqualTo(DnsStatus.OK);
            assertThat(first.cacheTtl()).isEqualTo(Duration.ofSeconds(1));
            long sent = dns.metrics().queriesSent();

            DnsAnswerSet second = get(dns.resolve("short.site.test"));
            assertThat(second.fromCache()).isTrue();
            assertThat(second.ipv4()).containsExactly("192.0.2.30");
            assertThat(dns.metrics().queriesSent()).isEqualTo(sent);
            assertThat(dns.metrics().cacheHits()).isEqualTo(1);

            // After the record's 1 s TTL the answer must be asked for again.
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(1100))
                    .until(() -> !get(dns.resolve("short.site.test")).fromCache());
            assertThat(dns.metrics().queriesSent()).isGreaterThan(sent);
        }
    }

    @Test
    void cacheTtlIsCappedByTheMaximumTtl() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()).withMaxTtl(Duration.ofSeconds(30)))) {
            DnsAnswerSet answer = get(dns.resolve("long.site.test"));

            assertThat(answer.records()).extracting(DnsRecord::ttlSeconds).containsOnly(86400L);
            assertThat(answer.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void cacheKeepsNoMoreThanItsSizeBound() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()).withCacheMaxEntries(2))) {
            for (int i = 1; i <= 6; i++) {
                assertThat(get(dns.resolve("n" + i + ".site.test")).status()).isEqualTo(DnsStatus.OK);
            }
            assertThat(dns.metrics().cacheSize()).isLessThanOrEqualTo(2);
            long sent = dns.metrics().queriesSent();
            int hits = 0;
            for (int i = 1; i <= 6; i++) {
                hits += get(dns.resolve("n" + i + ".site.test")).fromCache() ? 1 : 0;
            }
            assertThat(hits).isLessThanOrEqualTo(2);
            assertThat(dns.metrics().queriesSent()).isGreaterThanOrEqualTo(sent + 2L * (6 - 2));
        }
    }

    @Test
    void invalidNameIsReportedWithoutAQuery() throws Exception {
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("bad..name.test"));

            assertThat(answer.status()).isEqualTo(DnsStatus.INVALID_NAME);
            assertThat(answer.detail()).contains("bad..name.test");
            assertThat(dns.metrics().queriesSent()).isZero();
        }
    }

    @Test
    void silentResolverEndsInTimeoutWithoutBlockingTheCaller() throws Exception {
        try (FakeUdpServer silent = FakeUdpServer.silent();
             DnsEnricher dns = new DnsEnricher(settings(silent.address()))) {
            CompletableFuture<DnsAnswerSet> future = dns.resolve("web.site.test");
            // resolve() returned while the resolver has not answered anything: the caller was not held.
            assertThat(future).isNotDone();

            DnsAnswerSet answer = get(future);
            assertThat(answer.status()).isEqualTo(DnsStatus.TIMEOUT);
            assertThat(answer.detail()).contains(silent.address());
            // One attempt and one retry, for A and for AAAA.
            assertThat(answer.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(2 * 500));
            await().atMost(Duration.ofSeconds(2)).until(() -> silent.received() == 4);
            // A timeout says nothing about the name: it is not cached.
            assertThat(dns.metrics().cacheSize()).isZero();
            assertThat(dns.metrics().count(DnsStatus.TIMEOUT)).isEqualTo(1);
        }
    }

    @Test
    void garbageAnswersEndInGarbageStatusAndTheEnricherKeepsWorking() throws Exception {
        try (FakeUdpServer garbage = FakeUdpServer.garbage();
             FakeUdpServer tooShort = FakeUdpServer.shortAnswers();
             DnsEnricher dns = new DnsEnricher(settings(garbage.address()));
             DnsEnricher dnsShort = new DnsEnricher(settings(tooShort.address()))) {
            DnsAnswerSet answer = get(dns.resolve("web.site.test"));
            assertThat(answer.status()).isEqualTo(DnsStatus.GARBAGE);
            assertThat(answer.detail()).contains("unreadable answer from " + garbage.address());

            DnsAnswerSet shortAnswer = get(dnsShort.resolve("web.site.test"));
            assertThat(shortAnswer.status()).isEqualTo(DnsStatus.GARBAGE);

            assertThat(garbage.received()).isEqualTo(4);
            assertThat(get(dns.resolve("other.site.test")).status()).isEqualTo(DnsStatus.GARBAGE);
        }
    }

    @Test
    void retryGoesToTheNextResolverAfterAGarbageAnswer() throws Exception {
        try (FakeUdpServer garbage = FakeUdpServer.garbage();
             DnsEnricher dns = new DnsEnricher(settings(garbage.address(), dnsmasq.address()))) {
            DnsAnswerSet answer = get(dns.resolve("web.site.test"));

            assertThat(answer.status()).isEqualTo(DnsStatus.OK);
            assertThat(answer.ipv4()).containsExactly("192.0.2.10");
            assertThat(answer.resolver()).isEqualTo(dnsmasq.address());
            assertThat(garbage.received()).isEqualTo(2);
        }
    }

    @Test
    void beyondTheInFlightBoundResolveAnswersOverloadedAtOnce() throws Exception {
        try (FakeUdpServer silent = FakeUdpServer.silent();
             DnsEnricher dns = new DnsEnricher(settings(silent.address()).withMaxConcurrentQueries(2))) {
            CompletableFuture<DnsAnswerSet> a = dns.resolve("a.site.test");
            CompletableFuture<DnsAnswerSet> b = dns.resolve("b.site.test");
            CompletableFuture<DnsAnswerSet> c = dns.resolve("c.site.test");

            assertThat(c).isDone();
            assertThat(c.join().status()).isEqualTo(DnsStatus.OVERLOADED);
            assertThat(c.join().detail()).contains("dns.max-concurrent-queries");
            assertThat(a).isNotDone();
            assertThat(dns.metrics().inFlight()).isEqualTo(2);

            assertThat(get(a).status()).isEqualTo(DnsStatus.TIMEOUT);
            assertThat(get(b).status()).isEqualTo(DnsStatus.TIMEOUT);
            await().atMost(Duration.ofSeconds(2)).until(() -> dns.metrics().inFlight() == 0);
            // Once the backlog has drained, the enricher admits again.
            assertThat(dns.resolve("d.site.test")).isNotDone();
        }
    }

    @Test
    void identicalResolutionsInFlightShareOneSetOfQueries() throws Exception {
        try (FakeUdpServer silent = FakeUdpServer.silent();
             DnsEnricher dns = new DnsEnricher(settings(silent.address()).withRetries(0))) {
            CompletableFuture<DnsAnswerSet> first = dns.resolve("same.site.test");
            CompletableFuture<DnsAnswerSet> second = dns.resolve("same.site.test");

            assertThat(get(first).status()).isEqualTo(DnsStatus.TIMEOUT);
            assertThat(get(second).status()).isEqualTo(DnsStatus.TIMEOUT);
            assertThat(dns.metrics().joined()).isEqualTo(1);
            assertThat(dns.metrics().queriesSent()).isEqualTo(2);
        }
    }

    @Test
    void rateLimitPacesTheQueries() throws Exception {
        // 2 queries/s with a burst of 2: 8 queries (4 names, A + AAAA) need at least 3 s.
        try (DnsEnricher dns = new DnsEnricher(settings(dnsmasq.address()).withQueriesPerSecond(2))) {
            List<CompletableFuture<DnsAnswerSet>> futures = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                futures.add(dns.resolve("n" + i + ".site.test"));
            }
            Duration slowest = Duration.ZERO;
            for (CompletableFuture<DnsAnswerSet> f : futures) {
                DnsAnswerSet answer = get(f);
                assertThat(answer.status()).isEqualTo(DnsStatus.OK);
                slowest = answer.elapsed().compareTo(slowest) > 0 ? answer.elapsed() : slowest;
            }
            assertThat(slowest).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @Test
    void closingCompletesResolutionsInFlightAsClosed() throws Exception {
        try (FakeUdpServer silent = FakeUdpServer.silent()) {
            DnsEnricher dns = new DnsEnricher(settings(silent.address()).withQueryTimeout(Duration.ofSeconds(30)));
            CompletableFuture<DnsAnswerSet> pending = dns.resolve("web.site.test");
            dns.close();

            assertThat(pending.get(2, TimeUnit.SECONDS).status()).isEqualTo(DnsStatus.CLOSED);
            assertThat(dns.resolve("web.site.test").join().status()).isEqualTo(DnsStatus.CLOSED);
        }
    }
}
