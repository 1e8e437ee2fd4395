package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.handler.ssl.SslProvider;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.plugins.core.csp.CspExtractor;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine against the real TLS lab (an in-process TLS server answering for a 127.x range with
 * one behaviour per address), with both TLS providers.
 */
class ProbeEngineTest {
    /** Per-probe timeout of the tests that are not about timeouts: robust on a loaded 2-core machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Timeout of the tests that wait for it to expire: short, so that they stay quick. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(1500);
    /** Scheduling slack on a loaded 2-core machine beyond the hard deadline (upper bounds only). */
    private static final long SLACK_MS = 3000;

    private static TlsLab lab;
    private static final Map<TlsProvider, ProbeEngine> ENGINES = new EnumMap<>(TlsProvider.class);
    private static final List<DomainExtractor> EXTRACTORS = List.of(new CertificateNameExtractor());

    @BeforeAll
    static void startLab() {
        // Before any TLS use in this JVM: the JDK reads the disabled-protocols list only once.
        ProbeEngine.enableLegacyJdkTls();
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "127.77.1.0/24 default",
                "127.77.1.2 multi-san",
                "127.77.1.3 wildcard",
                "127.77.1.4 idn",
                "127.77.1.5 cn-only",
                "127.77.1.6 ip-san",
                "127.77.1.7 expired",
                "127.77.1.8 not-yet-valid",
                "127.77.1.9 self-signed",
                "127.77.1.10 chain:3",
                "127.77.1.11 rsa:1024",
                "127.77.1.12 rsa:4096",
                "127.77.1.13 ecdsa:p384",
                "127.77.1.14 ed25519",
                "127.77.1.15 sha1",
                "127.77.1.16 many-sans",
                "127.77.1.17 vhosts",
                "127.77.1.18 sni-required",
                "127.77.1.19 unknown-sni-abort",
                "127.77.1.20 tls13",
                "127.77.1.21 tls12",
                "127.77.1.22 tls10",
                "127.77.1.23 plain-http",
                "127.77.1.24 alpn-h2",
                "127.77.1.25 tarpit",
                "127.77.1.26 slow:1000",
                "127.77.1.27 reset",
                "127.77.1.28 close-after-hello",
                "127.77.1.29 garbage",
                "127.77.1.30 http-csp",
                "127.77.1.31 http-redirect",
                "127.77.1.32 http-js",
                "127.77.1.33 ecdsa:p256",
                "127.77.1.34 ed25519,tls10",
                // REVERSE_DNS: 127.0.0.1's PTR name is localhost (/etc/hosts); only a handshake
                // that really sends it gets a certificate.
                "127.0.0.1 sni-required")), 0);
        // The lab makes keys and certificates on first use (an RSA 4096 key takes seconds): make
        // them now, so that the deadlines below measure TLS, not key generation.
        for (int host = 1; host <= 34; host++) {
            lab.chainFor(ip("127.77.1." + host), null);
        }
        for (TlsProvider p : List.of(TlsProvider.OPENSSL, TlsProvider.JDK)) {
            ENGINES.put(p, new ProbeEngine(settings(p).build(), EXTRACTORS));
        }
    }

    @AfterAll
    static void stop() {
        ENGINES.values().forEach(ProbeEngine::close);
        if (lab != null) {
            lab.close();
        }
    }

    private static ProbeSettings.Builder settings(TlsProvider p) {
        // No attempt beyond the first unless a test asks: the tests time single attempts.
        return ProbeSettings.builder().tlsProvider(p).timeout(TIMEOUT).retries(0).connectedTimeoutRetries(0).maxInFlight(500)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProbeOutcome probe(ProbeEngine engine, String address, String sni) throws Exception {
        return engine.probe(ProbeTarget.of(ip(address), lab.port(), sni)).get(30, TimeUnit.SECONDS);
    }

    private static Set<String> certNames(ProbeOutcome o) {
        return o.names().stream()
                .filter(n -> n.source().equals(ExtractedName.SOURCE_SAN) || n.source().equals(ExtractedName.SOURCE_CN))
                .map(ExtractedName::name).collect(Collectors.toSet());
    }

    private static List<byte[]> expectedChain(String address, String sni) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : lab.chainFor(ip(address), sni)) {
            out.add(c.getEncoded());
        }
        return out;
    }

    @Test
    void bothProvidersAreReallyInUse() {
        assertThat(ENGINES.get(TlsProvider.OPENSSL).tlsProvider()).isEqualTo(SslProvider.OPENSSL);
        assertThat(ENGINES.get(TlsProvider.JDK).tlsProvider()).isEqualTo(SslProvider.JDK);
        assertThat(ENGINES.get(TlsProvider.JDK).transport()).isEqualTo("epoll");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void certificateHostsGiveTheirChainAndNames(TlsProvider provider) throws Exception {
        ProbeEngine engine = ENGINES.get(provider);
        // BoringSSL, as netty-tcnative configures it, offers no Ed25519 signature scheme: the
        // server refuses the handshake (see edDsaNeedsTheJdkProvider).
        int[] hosts = provider == TlsProvider.JDK
                ? new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 33}
                : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 33};
        for (int host : hosts) {
            String address = "127.77.1." + host;
            ProbeOutcome o = probe(engine, address, null);
            assertThat(o.status()).as(address + " " + o).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(o.error()).isNull();
            assertThat(o.sni()).isNull();
            assertThat(o.chain()).as(address).zipSatisfy(expectedChain(address, null), (a, b) -> assertThat(a).isEqualTo(b));
            assertThat(o.chain()).hasSameSizeAs(expectedChain(address, null));
            assertThat(o.chainSha256().get(0)).isEqualTo(o.leaf().sha256());
            assertThat(certNames(o)).as(address).isEqualTo(lab.expectedNames(ip(address), null));
            assertThat(o.leaf().parseProblems()).as(address).isEmpty();
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.successfulAttempt()).isEqualTo(1);
            assertThat(o.timings().connectMs()).isGreaterThanOrEqualTo(0);
            assertThat(o.timings().handshakeMs()).isGreaterThanOrEqualTo(0);
            assertThat(o.timings().totalMs()).isGreaterThanOrEqualTo(o.timings().handshakeMs());
        }
        assertThat(probe(engine, "127.77.1.7", null).leaf().expiredAt(Instant.now())).isTrue();
        assertThat(probe(engine, "127.77.1.8", null).leaf().notYetValidAt(Instant.now())).isTrue();
        assertThat(probe(engine, "127.77.1.9", null).leaf().selfIssued()).isTrue();
        assertThat(probe(engine, "127.77.1.10", null).chain()).hasSize(3);
        assertThat(probe(engine, "127.77.1.11", null).leaf().keyBits()).isEqualTo(1024);
        assertThat(probe(engine, "127.77.1.12", null).leaf().keyBits()).isEqualTo(4096);
        assertThat(probe(engine, "127.77.1.13", null).leaf().keyCurve()).isEqualTo("secp384r1");
        assertThat(probe(engine, "127.77.1.15", null).leaf().signatureAlgorithm()).containsIgnoringCase("SHA1");
        assertThat(probe(engine, "127.77.1.6", null).leaf().sanIp()).containsExactly("127.77.1.6");
    }

    @Test
    void edDsaNeedsTheJdkProvider() throws Exception {
        assertThat(probe(ENGINES.get(TlsProvider.JDK), "127.77.1.14", null).leaf().keyType()).isEqualTo("Ed25519");
        ProbeOutcome boring = probe(ENGINES.get(TlsProvider.OPENSSL), "127.77.1.14", null);
        assertThat(boring.errorCode()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
        assertThat(boring.error().details()).containsEntry("alert", "handshake_failure");
    }

    @Test
    void underAutoAnEd25519OnlyServerIsReachedThroughTheJdkWithinTheSameDeadline() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.AUTO).build(), EXTRACTORS)) {
            assertThat(engine.tlsProvider()).isEqualTo(SslProvider.OPENSSL);
            long start = System.nanoTime();
            ProbeOutcome ed = probe(engine, "127.77.1.14", null);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ed.status()).as(ed.toString()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(ed.leaf().keyType()).isEqualTo("Ed25519");
            assertThat(certNames(ed)).isEqualTo(lab.expectedNames(ip("127.77.1.14"), null));
            assertThat(ed.details()).containsEntry(ProbeOutcome.DETAIL_TLS_PROVIDER, "JDK")
                    .containsEntry(ProbeOutcome.DETAIL_TLS_FALLBACK_FROM, "OPENSSL")
                    .containsEntry(ProbeOutcome.DETAIL_TLS_FALLBACK_REASON, "TLS_ALERT_RECEIVED handshake_failure");
            // A fallback is part of the attempt, not a retry.
            assertThat(ed.attempts()).isEqualTo(1);
            assertThat(ed.successfulAttempt()).isEqualTo(1);
            assertThat(ms).isLessThan(TIMEOUT.toMillis() + SLACK_MS);
            assertThat(engine.counters()).containsEntry("tls_provider_fallbacks", 1L);

            // In TLS 1.0 the host presents its Ed25519 certificate anyway: BoringSSL rejects the
            // certificate type, the JDK accepts it.
            ProbeOutcome old = probe(engine, "127.77.1.34", null);
            assertThat(old.status()).as(old.toString()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(old.tlsVersion()).isIn("TLSv1", "TLSv1.1");
            assertThat(old.details()).containsEntry(ProbeOutcome.DETAIL_TLS_PROVIDER, "JDK")
                    .containsEntry(ProbeOutcome.DETAIL_TLS_FALLBACK_REASON, "TLS_HANDSHAKE_FAILED");

            // Every other host stays on BoringSSL, and other refusals are not tried twice.
            ProbeOutcome rsa = probe(engine, "127.77.1.1", null);
            assertThat(rsa.details()).containsEntry(ProbeOutcome.DETAIL_TLS_PROVIDER, "OPENSSL")
                    .doesNotContainKey(ProbeOutcome.DETAIL_TLS_FALLBACK_FROM);
            ProbeOutcome noSni = probe(engine, "127.77.1.18", null);
            assertThat(noSni.errorCode()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
            assertThat(noSni.error().details()).doesNotContainKey("tls_fallback_error");
            assertThat(engine.counters()).containsEntry("tls_provider_fallbacks", 2L);
        }
        // With BoringSSL chosen explicitly there is no fallback (see edDsaNeedsTheJdkProvider).
        assertThat(ENGINES.get(TlsProvider.OPENSSL).counters()).containsEntry("tls_provider_fallbacks", 0L);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void tenThousandSansAreAllExtracted(TlsProvider provider) throws Exception {
        ProbeOutcome o = probe(ENGINES.get(provider), "127.77.1.16", null);
        assertThat(o.status()).as(o.toString()).isEqualTo(ProbeStatus.SUCCESS);
        assertThat(o.leaf().sanDns()).hasSize(10_000);
        assertThat(certNames(o)).isEqualTo(lab.expectedNames(ip("127.77.1.16"), null));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void protocolVersionsAndAlpnAreRecorded(TlsProvider provider) throws Exception {
        ProbeEngine engine = ENGINES.get(provider);
        assertThat(probe(engine, "127.77.1.20", null).tlsVersion()).isEqualTo("TLSv1.3");
        assertThat(probe(engine, "127.77.1.21", null).tlsVersion()).isEqualTo("TLSv1.2");
        ProbeOutcome old = probe(engine, "127.77.1.22", null);
        assertThat(old.status()).as(old.toString()).isEqualTo(ProbeStatus.SUCCESS);
        assertThat(old.tlsVersion()).isIn("TLSv1", "TLSv1.1");
        ProbeOutcome h2 = probe(engine, "127.77.1.24", null);
        assertThat(h2.alpn()).isEqualTo("h2");
        assertThat(h2.cipherSuite()).isNotBlank();
        assertThat(probe(engine, "127.77.1.1", null).alpn()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void sniSelectsTheVirtualHostAndIsRecordedAsASource(TlsProvider provider) throws Exception {
        ProbeEngine engine = ENGINES.get(provider);
        String address = "127.77.1.17";
        String vhost = "vh2." + lab.hostName(ip(address));
        ProbeOutcome o = probe(engine, address, vhost);
        assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
        assertThat(o.sni()).isEqualTo(vhost);
        assertThat(certNames(o)).isEqualTo(lab.expectedNames(ip(address), vhost)).contains(vhost);
        assertThat(o.namesBySource()).containsEntry("sni", List.of(vhost));
        assertThat(certNames(probe(engine, address, null))).doesNotContain(vhost);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void everyFailingBehaviourHasItsCode(TlsProvider provider) throws Exception {
        ProbeEngine engine = ENGINES.get(provider);
        ProbeOutcome noSni = probe(engine, "127.77.1.18", null);
        assertThat(noSni.errorCode()).as(noSni.toString()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
        assertThat(noSni.error().details()).containsEntry("alert", "unrecognized_name");
        assertThat(probe(engine, "127.77.1.18", lab.hostName(ip("127.77.1.18"))).status()).isEqualTo(ProbeStatus.SUCCESS);

        ProbeOutcome unknown = probe(engine, "127.77.1.19", "nobody.example");
        assertThat(unknown.errorCode()).as(unknown.toString()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);

        ProbeOutcome http = probe(engine, "127.77.1.23", null);
        assertThat(http.errorCode()).as(http.toString()).isEqualTo(ErrorCode.PLAIN_HTTP_NO_TLS);
        assertThat(http.errorCategory()).isEqualTo(ErrorCategory.TLS);

        ProbeOutcome reset = probe(engine, "127.77.1.27", null);
        assertThat(reset.errorCode()).as(reset.toString()).isEqualTo(ErrorCode.CONN_RESET);
        assertThat(reset.errorCategory()).isEqualTo(ErrorCategory.NETWORK);

        ProbeOutcome eof = probe(engine, "127.77.1.28", null);
        assertThat(eof.errorCode()).as(eof.toString()).isEqualTo(ErrorCode.TLS_EOF);
        assertThat(eof.error().retriable()).isTrue();

        ProbeOutcome garbage = probe(engine, "127.77.1.29", null);
        assertThat(garbage.errorCode()).as(garbage.toString()).isEqualTo(ErrorCode.TLS_PROTOCOL_ERROR);

        for (ProbeOutcome f : List.of(noSni, unknown, http, reset, eof, garbage)) {
            assertThat(f.status()).isEqualTo(ProbeStatus.FAILED);
            assertThat(f.chain()).isEmpty();
            assertThat(f.successfulAttempt()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void tarpitAndSlowHostsEndAtTheDeadline(TlsProvider provider) throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(provider).timeout(SHORT_TIMEOUT).build(), EXTRACTORS)) {
            for (String address : List.of("127.77.1.25", "127.77.1.26")) {
                long start = System.nanoTime();
                ProbeOutcome o = probe(engine, address, null);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(o.errorCode()).as(address + " " + o).isEqualTo(ErrorCode.SOCKET_TIMEOUT);
                assertThat(o.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
                assertThat(o.error().details()).containsEntry("phase", "handshake");
                // The deadline starts at the connect, after the submission: never sooner than the timeout.
                assertThat(ms).isBetween(SHORT_TIMEOUT.toMillis() - 50, SHORT_TIMEOUT.toMillis() + SLACK_MS);
            }
            assertThat(engine.inFlight()).isZero();
        }
    }

    @Test
    void aProbeQueuedBehindABusyEventLoopStillGetsItsWholeTimeout() throws Exception {
        // One I/O thread, kept busy by an extractor for four timeouts: the probe submitted meanwhile
        // must not have its deadline run out before its connect was even issued.
        Duration timeout = Duration.ofMillis(500);
        long busyMs = 4 * timeout.toMillis();
        CountDownLatch busy = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        DomainExtractor blocking = new DomainExtractor() {
            @Override
            public String name() {
                return "blocks-the-event-loop";
            }

            @Override
            public String version() {
                return "0";
            }

            @Override
            public List<ExtractedName> extract(io.tlsxtractor.plugin.api.ExtractionInput input) {
                if (first.getAndSet(false)) {
                    busy.countDown();
                    try {
                        Thread.sleep(busyMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of();
            }
        };
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, ip("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.OPENSSL).ioThreads(1).timeout(timeout).build(),
                List.of(blocking))) {
            CompletableFuture<ProbeOutcome> blocker = engine.probe(ProbeTarget.of(ip("127.77.1.1"), lab.port()));
            assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            ProbeOutcome refused = engine.probe(ProbeTarget.of(ip("127.0.0.1"), closedPort)).get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(refused.errorCode()).as(refused.toString()).isEqualTo(ErrorCode.CONN_REFUSED);
            // It did wait for the loop: the refusal is not an answer that came before the loop was free.
            assertThat(ms).isGreaterThanOrEqualTo(busyMs / 2);
            assertThat(blocker.get(30, TimeUnit.SECONDS).status()).isEqualTo(ProbeStatus.SUCCESS);
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoffRefusalsAreNot() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.AUTO).retries(2)
                .backoff(Duration.ofMillis(200), Duration.ofMillis(200)).timeout(Duration.ofMillis(500)).build(), EXTRACTORS)) {
            long start = System.nanoTime();
            ProbeOutcome tarpit = probe(engine, "127.77.1.25", null);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tarpit.errorCode()).isEqualTo(ErrorCode.SOCKET_TIMEOUT);
            assertThat(tarpit.attempts()).isEqualTo(3);
            assertThat(tarpit.retryCount()).isEqualTo(2);
            assertThat(tarpit.successfulAttempt()).isNull();
            // 1.x said MAX_RETRIES here; the last attempt's code says more, the detail says the rest.
            assertThat(tarpit.error().details()).containsEntry(ProbeError.DETAIL_MAX_RETRIES_EXHAUSTED, "true");
            // Three deadlines and two back-offs, nothing more.
            assertThat(ms).isBetween(3 * 500L + 2 * 200L - 50, 3 * 500L + 2 * 200L + SLACK_MS);

            int closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, ip("127.0.0.1"))) {
                closedPort = s.getLocalPort();
            }
            ProbeOutcome refused = engine.probe(ProbeTarget.of(ip("127.0.0.1"), closedPort)).get(10, TimeUnit.SECONDS);
            assertThat(refused.errorCode()).isEqualTo(ErrorCode.CONN_REFUSED);
            assertThat(refused.errorCategory()).isEqualTo(ErrorCategory.REFUSED);
            assertThat(refused.attempts()).isEqualTo(1);
            assertThat(refused.error().details()).doesNotContainKey(ProbeError.DETAIL_MAX_RETRIES_EXHAUSTED);

            ProbeOutcome alert = probe(engine, "127.77.1.18", null);
            assertThat(alert.attempts()).isEqualTo(1);
            assertThat(alert.error().details()).doesNotContainKey(ProbeError.DETAIL_MAX_RETRIES_EXHAUSTED);
        }
    }

    @Test
    void aHostThatAcceptedButTimedOutGetsOneMoreAttemptWithoutRetriesSilentAndFailingHostsDoNot() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.OPENSSL).retries(0).connectedTimeoutRetries(1)
                .backoff(Duration.ofMillis(200), Duration.ofMillis(200)).timeout(Duration.ofMillis(500)).build(), EXTRACTORS)) {
            long start = System.nanoTime();
            ProbeOutcome tarpit = probe(engine, "127.77.1.25", null);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tarpit.errorCode()).as(tarpit.toString()).isEqualTo(ErrorCode.SOCKET_TIMEOUT);
            assertThat(tarpit.attempts()).isEqualTo(2);
            assertThat(tarpit.retryCount()).isEqualTo(1);
            assertThat(tarpit.error().details()).containsEntry(ProbeError.DETAIL_MAX_RETRIES_EXHAUSTED, "true");
            // Two deadlines and one back-off.
            assertThat(ms).isBetween(2 * 500L + 200L - 50, 2 * 500L + 200L + SLACK_MS);
            assertThat(engine.counters()).containsEntry("connected_timeout_retries", 1L);

            // A TLS host that answers is not probed twice.
            ProbeOutcome ok = probe(engine, "127.77.1.1", null);
            assertThat(ok.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(ok.attempts()).isEqualTo(1);
            // A connection closed mid-handshake is transient but not a timeout: retries(0) holds.
            ProbeOutcome eof = probe(engine, "127.77.1.28", null);
            assertThat(eof.errorCode()).isEqualTo(ErrorCode.TLS_EOF);
            assertThat(eof.attempts()).isEqualTo(1);

            // A host that never accepts (its SYNs dropped: a listener whose accept queue is full) is silent.
            try (ServerSocket full = new ServerSocket(0, 1, ip("127.0.0.1"))) {
                List<java.net.Socket> filling = new ArrayList<>();
                try {
                    for (int i = 0; i < 4; i++) {
                        java.net.Socket s = new java.net.Socket();
                        try {
                            s.connect(full.getLocalSocketAddress(), 200);
                            filling.add(s);
                        } catch (java.io.IOException queueFull) {
                            s.close();
                            break;
                        }
                    }
                    ProbeOutcome silent = engine.probe(ProbeTarget.of(ip("127.0.0.1"), full.getLocalPort()))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(silent.errorCode()).as(silent.toString()).isEqualTo(ErrorCode.CONN_TIMEOUT);
                    assertThat(silent.attempts()).isEqualTo(1);
                } finally {
                    for (java.net.Socket s : filling) {
                        s.close();
                    }
                }
            }
            assertThat(engine.counters()).containsEntry("connected_timeout_retries", 1L);
        }
    }

    @Test
    void httpIsFetchedForExtractorsThatNeedItAndRedirectsFollowed() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.AUTO).redirects(RedirectPolicy.SAME_HOST, 5).build(),
                List.of(new CertificateNameExtractor(), new CspExtractor()))) {
            InetAddress csp = ip("127.77.1.30");
            ProbeOutcome o = engine.probe(ProbeTarget.of(csp, lab.port(), lab.hostName(csp))).get(30, TimeUnit.SECONDS);
            assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(o.http()).as(o.toString() + " " + o.httpError()).isNotNull();
            assertThat(o.http().status()).isEqualTo(200);
            assertThat(o.tlsVersion()).isNotNull();
            Set<String> cspNames = o.names().stream().filter(n -> n.source().equals("csp")).map(ExtractedName::name)
                    .collect(Collectors.toSet());
            // report-uri is not among the directives 1.x read (V1-COMPAT), so its host is not a CSP name.
            Set<String> expected = new HashSet<>(lab.expectedHttpNames(csp));
            expected.remove("csp." + lab.hostName(csp));
            assertThat(cspNames).isEqualTo(expected);
            assertThat(o.timings().httpMs()).isGreaterThanOrEqualTo(0);

            InetAddress redirect = ip("127.77.1.31");
            ProbeOutcome r = engine.probe(ProbeTarget.of(redirect, lab.port(), lab.hostName(redirect))).get(30, TimeUnit.SECONDS);
            assertThat(r.http()).as(r + " " + r.httpError()).isNotNull();
            assertThat(r.http().status()).isEqualTo(200);
            assertThat(r.http().url()).endsWith(lab.redirectLocation(redirect).replaceFirst("^https://[^/]+", ""));

            // 1.x fetched only when a name was known: no SNI, no page.
            ProbeOutcome noName = engine.probe(ProbeTarget.of(csp, lab.port())).get(30, TimeUnit.SECONDS);
            assertThat(noName.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(noName.http()).isNull();
        }
    }

    @Test
    void learnedSniProbesEveryCertificateNameOnce() throws Exception {
        ProbeEngine engine = ENGINES.get(TlsProvider.OPENSSL);
        try (SniPlanner planner = new SniPlanner(engine, 16, Duration.ofSeconds(1))) {
            InetAddress multi = ip("127.77.1.2");
            List<ProbeOutcome> all = planner.probe(ProbeTarget.of(multi, lab.port()), SniStrategy.LEARNED, null, List.of())
                    .get(60, TimeUnit.SECONDS);
            assertThat(all.get(0).sni()).isNull();
            List<String> learned = SniPlanner.learnableNames(all.get(0));
            assertThat(learned).isNotEmpty();
            assertThat(all.subList(1, all.size())).extracting(ProbeOutcome::sni).containsExactlyElementsOf(learned);
            for (ProbeOutcome o : all.subList(1, all.size())) {
                assertThat(certNames(o)).isEqualTo(lab.expectedNames(multi, o.sni()));
            }

            InetAddress vh = ip("127.77.1.17");
            String host = lab.hostName(vh);
            List<ProbeOutcome> named = planner.probe(ProbeTarget.of(vh, lab.port()), SniStrategy.NAMES, null,
                    List.of("vh1." + host, "vh3." + host)).get(60, TimeUnit.SECONDS);
            assertThat(named).extracting(ProbeOutcome::sni).containsExactly("vh1." + host, "vh3." + host);
            assertThat(certNames(named.get(1))).contains("vh3." + host);

            List<ProbeOutcome> none = planner.probe(ProbeTarget.of(vh, lab.port(), "x.example"), SniStrategy.NONE, null, List.of())
                    .get(60, TimeUnit.SECONDS);
            assertThat(none).singleElement().extracting(ProbeOutcome::sni).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
    void reverseDnsProbesWithThePtrNameAndRecordsIt(TlsProvider provider) throws Exception {
        InetAddress loopback = ip("127.0.0.1");
        String ptr = InetAddress.getByAddress(loopback.getAddress()).getCanonicalHostName().toLowerCase(Locale.ROOT);
        assumeThat(ptr).as("127.0.0.1 has a PTR name on this machine").isNotEqualTo("127.0.0.1");
        try (SniPlanner planner = new SniPlanner(ENGINES.get(provider), 16, Duration.ofSeconds(2))) {
            List<ProbeOutcome> all = planner.probe(ProbeTarget.of(loopback, lab.port()), SniStrategy.REVERSE_DNS, null,
                    List.of()).get(60, TimeUnit.SECONDS);
            assertThat(all).extracting(ProbeOutcome::sni).containsExactly(null, ptr);
            // The host wants an SNI: without one it refuses, with the PTR name (a single label:
            // sent explicitly, Netty would leave it out) it answers.
            assertThat(all.get(0).errorCode()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
            assertThat(all.get(0).error().details()).containsEntry("alert", "unrecognized_name");
            ProbeOutcome named = all.get(1);
            assertThat(named.status()).as(named.toString()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(named.namesBySource()).containsEntry(ExtractedName.SOURCE_SNI, List.of(ptr));
            assertThat(certNames(named)).isEqualTo(lab.expectedNames(loopback, ptr));
        }
    }

    @Test
    void learnedSniOnVirtualHostsAttributesEachCertificateToItsSniWithinTheBound() throws Exception {
        ProbeEngine engine = ENGINES.get(TlsProvider.OPENSSL);
        InetAddress vh = ip("127.77.1.17");
        String host = lab.hostName(vh);
        try (SniPlanner planner = new SniPlanner(engine, 16, Duration.ofSeconds(1))) {
            // Without SNI the default certificate (host, www.host): each of its names is probed once.
            List<ProbeOutcome> all = planner.probe(ProbeTarget.of(vh, lab.port()), SniStrategy.LEARNED, null, List.of())
                    .get(60, TimeUnit.SECONDS);
            assertThat(all).extracting(ProbeOutcome::sni).containsExactly(null, host, "www." + host);
            for (ProbeOutcome o : all) {
                assertThat(o.status()).as(o.toString()).isEqualTo(ProbeStatus.SUCCESS);
                assertThat(certNames(o)).as(String.valueOf(o.sni())).isEqualTo(lab.expectedNames(vh, o.sni()));
                assertThat(o.namesBySource().get(ExtractedName.SOURCE_SNI))
                        .isEqualTo(o.sni() == null ? null : List.of(o.sni()));
            }

            // Starting from a virtual host's name: its own certificate, attributed to that SNI, and
            // nothing new to learn from it (its only name was the one sent).
            List<ProbeOutcome> fromVhost = planner.probe(ProbeTarget.of(vh, lab.port(), "vh2." + host),
                    SniStrategy.LEARNED, null, List.of()).get(60, TimeUnit.SECONDS);
            assertThat(fromVhost).singleElement().satisfies(o -> {
                assertThat(o.sni()).isEqualTo("vh2." + host);
                assertThat(certNames(o)).isEqualTo(lab.expectedNames(vh, "vh2." + host)).contains("vh2." + host)
                        .doesNotContain("www." + host);
            });
        }
        try (SniPlanner bounded = new SniPlanner(engine, 1, Duration.ofSeconds(1))) {
            List<ProbeOutcome> one = bounded.probe(ProbeTarget.of(vh, lab.port()), SniStrategy.LEARNED, null, List.of())
                    .get(60, TimeUnit.SECONDS);
            assertThat(one).extracting(ProbeOutcome::sni).containsExactly(null, host);
        }
    }

    @Test
    void capacityIsBoundedAndChangeableAtRunTime() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.AUTO).maxInFlight(2).build(), EXTRACTORS)) {
            ProbeTarget tarpit = ProbeTarget.of(ip("127.77.1.25"), lab.port());
            Optional<CompletableFuture<ProbeOutcome>> a = engine.tryProbe(tarpit);
            Optional<CompletableFuture<ProbeOutcome>> b = engine.tryProbe(tarpit);
            assertThat(a).isPresent();
            assertThat(b).isPresent();
            assertThat(engine.tryProbe(tarpit)).isEmpty();
            assertThat(engine.inFlight()).isEqualTo(2);
            engine.setMaxInFlight(3);
            Optional<CompletableFuture<ProbeOutcome>> c = engine.tryProbe(tarpit);
            assertThat(c).isPresent();
            assertThat(engine.tryProbe(tarpit)).isEmpty();
            // Cancelling by the caller frees the slot at once.
            c.get().cancel(true);
            assertThat(engine.tryProbe(tarpit)).isPresent();
            engine.close();
            // Closing ends what was in progress as CANCELLED, well before the deadline.
            assertThat(a.get().get(1, TimeUnit.SECONDS).errorCode()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(engine.inFlight()).isZero();
        }
    }

    @Test
    void theRateLimitIsNeverExceeded() throws Exception {
        double rate = 150;
        int count = 300;
        for (int i = 0; i < 200; i++) {
            lab.chainFor(ip("127.77.1." + (40 + i)), null); // certificates made before timing starts
        }
        try (ProbeEngine engine = new ProbeEngine(settings(TlsProvider.AUTO).rateLimit(rate)
                .timeout(Duration.ofSeconds(20)).build(), EXTRACTORS)) {
            List<CompletableFuture<ProbeOutcome>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                futures.add(engine.probe(ProbeTarget.of(ip("127.77.1." + (40 + i % 200)), lab.port())));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // count starts need (count - 1) intervals; fewer means the limiter let too many through.
            double achieved = (count - 1) / seconds;
            assertThat(achieved).isLessThanOrEqualTo(rate * 1.03);
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(futures).allMatch(f -> f.join().succeeded());

            engine.setRate(0);
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                engine.probe(ProbeTarget.of(ip("127.77.1.1"), lab.port()));
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(150 * 50 / 10);
        }
    }

    @Test
    void aSlash22WithTwoThousandConcurrentProbesIsAnsweredInFull() throws Exception {
        try (TlsLab big = TlsLab.start(LabSpec.parse("127.78.0.0/22 default"), 0);
             ProbeEngine engine = new ProbeEngine(settings(TlsProvider.OPENSSL).maxInFlight(5000)
                     .timeout(Duration.ofSeconds(30)).retries(1).build(), EXTRACTORS)) {
            for (int a = 0; a < 4; a++) {
                for (int b = 1; b < 255; b++) {
                    // The lab makes certificates on first use; make them now so the probes measure TLS only.
                    InetAddress ip = ip("127.78." + a + "." + b);
                    big.chainFor(ip, null);
                    big.chainFor(ip, big.hostName(ip));
                }
            }
            List<CompletableFuture<ProbeOutcome>> futures = new ArrayList<>();
            int peak = 0;
            for (int a = 0; a < 4; a++) {
                for (int b = 1; b < 255; b++) {
                    InetAddress ip = ip("127.78." + a + "." + b);
                    futures.add(engine.probe(ProbeTarget.of(ip, big.port())));
                    futures.add(engine.probe(ProbeTarget.of(ip, big.port(), big.hostName(ip))));
                    peak = Math.max(peak, engine.inFlight());
                }
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(180, TimeUnit.SECONDS);
            assertThat(futures).hasSize(2032);
            Set<String> wrong = new HashSet<>();
            for (CompletableFuture<ProbeOutcome> f : futures) {
                ProbeOutcome o = f.join();
                if (!o.succeeded() || !certNames(o).equals(big.expectedNames(o.target().ip(), o.sni()))) {
                    wrong.add(o.toString());
                }
            }
            assertThat(wrong).isEmpty();
            // The submit loop outran the handshakes: many were in flight at once.
            assertThat(peak).isGreaterThan(200);
            assertThat(engine.inFlight()).isZero();
        }
    }
}
