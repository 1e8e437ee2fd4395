package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginSettings;
import io.tlsxtractor.plugins.core.js.JsExtractor;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Follow-up fetches ({@link FollowUpFetcher}) against the real TLS lab's {@code http-js} host, whose
 * page loads {@code /static/app.js} and {@code /static/vendor.js}, wired to the real JavaScript
 * extractor of the core plugins the way the worker wires it.
 */
class FollowUpFetchTest {
    /** Scheduling slack on a loaded 2-core machine beyond the hard deadline. */
    private static final long SLACK_MS = 1000;
    private static final String JS_HOST = "127.79.3.1";
    private static final String PLAIN_HOST = "127.79.3.2";

    private static TlsLab lab;

    @BeforeAll
    static void startLab() {
        ProbeEngine.enableLegacyJdkTls();
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "127.79.3.0/24 default",
                JS_HOST + " http-js")), 0);
        lab.chainFor(ip(JS_HOST), lab.hostName(ip(JS_HOST)));
        lab.chainFor(ip(PLAIN_HOST), lab.hostName(ip(PLAIN_HOST)));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProbeSettings.Builder settings() {
        return ProbeSettings.builder().tlsProvider(TlsProvider.AUTO).timeout(Duration.ofSeconds(5)).retries(0);
    }

    private static JsExtractor js(Map<String, String> configured) {
        JsExtractor js = new JsExtractor();
        js.start(PluginContext.of(PluginSettings.of(js.name(), js.configSchema(), configured)));
        return js;
    }

    /** The adapter the worker wiring uses: the JavaScript extractor's two script steps as a fetcher. */
    private static FollowUpFetcher scripts(JsExtractor js, List<HttpResponse> seen) {
        return FollowUpFetcher.of(js.name(), js.maxScripts(), js.maxScriptBytes(), js::scriptUrls, (url, script) -> {
            seen.add(script);
            return js.extractFromScript(script);
        });
    }

    private static ProbeOutcome probeByName(ProbeEngine engine, String address) throws Exception {
        InetAddress a = ip(address);
        return engine.probe(ProbeTarget.of(a, lab.port(), lab.hostName(a))).get(30, TimeUnit.SECONDS);
    }

    private static String base(String address) {
        return "https://" + lab.hostName(ip(address)) + ":" + lab.port();
    }

    private static Set<String> namesWithDetail(ProbeOutcome o, String detail) {
        return o.names().stream().filter(n -> n.source().equals(ExtractedName.SOURCE_JS))
                .filter(n -> n.detail().equals(java.util.Optional.of(detail)))
                .map(ExtractedName::name).collect(Collectors.toSet());
    }

    @Test
    void theScriptsAPageLoadsAreFetchedAndTheirNamesComeBackTaggedWithTheScriptUrl() throws Exception {
        JsExtractor js = js(Map.of());
        List<HttpResponse> seen = new CopyOnWriteArrayList<>();
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(new CertificateNameExtractor(), js),
                List.of(scripts(js, seen)))) {
            long connections = lab.connectionsAccepted();
            ProbeOutcome o = probeByName(engine, JS_HOST);

            assertThat(o.status()).as(o.toString()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(o.http().url()).isEqualTo(base(JS_HOST) + "/");
            // The page, then one connection per script: nothing else was fetched.
            assertThat(lab.connectionsAccepted() - connections).isEqualTo(3);
            assertThat(o.details()).containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED, "2")
                    .containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FAILED, "0");
            assertThat(seen).extracting(HttpResponse::url).containsExactlyInAnyOrder(
                    base(JS_HOST) + "/static/app.js", base(JS_HOST) + "/static/vendor.js");
            assertThat(seen).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyTruncated()).isFalse();
            });
            // The extractor accepts names under known TLDs only; of the lab's script names that is
            // the example.com one (the others are under .lab.test), found in vendor.js.
            assertThat(namesWithDetail(o, base(JS_HOST) + "/static/vendor.js")).containsExactly("metrics.static.example.com");
            assertThat(o.names()).filteredOn(n -> n.source().equals(ExtractedName.SOURCE_SAN))
                    .extracting(ExtractedName::name).contains(lab.hostName(ip(JS_HOST)));
            assertThat(engine.counters()).containsEntry("follow_ups_fetched", 2L);
        }
    }

    @Test
    void everyNameTheServedScriptsMentionComesBackWhenTheFetcherReadsThem() throws Exception {
        // A fetcher that reads every URL host, whatever its TLD: the engine's contract, with all
        // of the lab's script names (also those under .lab.test) as the expected set.
        JsExtractor js = js(Map.of());
        Pattern urlHost = Pattern.compile("(?:https?|wss?)://([a-z0-9.-]+)");
        FollowUpFetcher everyUrlHost = FollowUpFetcher.of("url-hosts", 10, 1 << 20, js::scriptUrls, (url, script) -> {
            List<ExtractedName> out = new ArrayList<>();
            Matcher m = urlHost.matcher(script.bodyText());
            while (m.find()) {
                out.add(ExtractedName.of(m.group(1), ExtractedName.SOURCE_JS, url.toString()));
            }
            return out;
        });
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(), List.of(everyUrlHost))) {
            ProbeOutcome o = probeByName(engine, JS_HOST);
            String host = lab.hostName(ip(JS_HOST));
            assertThat(namesWithDetail(o, base(JS_HOST) + "/static/app.js"))
                    .containsExactlyInAnyOrder("api." + host, "ws." + host, "graphql." + host);
            assertThat(namesWithDetail(o, base(JS_HOST) + "/static/vendor.js"))
                    .containsExactlyInAnyOrder("cdn." + host, "metrics.static.example.com");
            assertThat(o.names().stream().filter(n -> n.source().equals(ExtractedName.SOURCE_JS))
                    .map(ExtractedName::name).collect(Collectors.toSet())).isEqualTo(lab.expectedHttpNames(ip(JS_HOST)));
        }
    }

    @Test
    void aPageWithMoreScriptsThanTheBoundFetchesOnlyTheBound() throws Exception {
        JsExtractor js = js(Map.of("max_scripts", "1"));
        List<HttpResponse> seen = new CopyOnWriteArrayList<>();
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(js), List.of(scripts(js, seen)))) {
            long connections = lab.connectionsAccepted();
            ProbeOutcome o = probeByName(engine, JS_HOST);
            assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(lab.connectionsAccepted() - connections).isEqualTo(2);
            assertThat(seen).extracting(HttpResponse::url).containsExactly(base(JS_HOST) + "/static/app.js");
            assertThat(o.details()).containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED, "1");
            assertThat(o.domains()).doesNotContain("metrics.static.example.com");
        }

        // The engine enforces the bound even when the fetcher asks for more than it says.
        List<HttpResponse> seen2 = new CopyOnWriteArrayList<>();
        FollowUpFetcher greedy = FollowUpFetcher.of("greedy", 1, 1 << 20,
                page -> List.of(URI.create(base(JS_HOST) + "/static/vendor.js"), URI.create(base(JS_HOST) + "/static/app.js")),
                (url, r) -> {
                    seen2.add(r);
                    return List.of();
                });
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(), List.of(greedy))) {
            probeByName(engine, JS_HOST);
            assertThat(seen2).extracting(HttpResponse::url).containsExactly(base(JS_HOST) + "/static/vendor.js");
        }
    }

    @Test
    void aScriptLongerThanTheByteBoundIsTruncatedNotBuffered() throws Exception {
        JsExtractor js = js(Map.of("max_script_bytes", "30"));
        List<HttpResponse> seen = new CopyOnWriteArrayList<>();
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(js), List.of(scripts(js, seen)))) {
            ProbeOutcome o = probeByName(engine, JS_HOST);
            assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(seen).hasSize(2).allSatisfy(r -> {
                assertThat(r.bodyLength()).isEqualTo(30);
                assertThat(r.bodyTruncated()).isTrue();
            });
            // metrics.static.example.com is past the first 30 bytes of vendor.js.
            assertThat(o.domains()).doesNotContain("metrics.static.example.com");
        }
    }

    @Test
    void onlyUrlsOnTheTargetsOwnOriginAreFetched() throws Exception {
        String host = lab.hostName(ip(JS_HOST));
        List<HttpResponse> seen = new CopyOnWriteArrayList<>();
        FollowUpFetcher wandering = FollowUpFetcher.of("wandering", 10, 1 << 20, page -> List.of(
                URI.create("https://" + lab.hostName(ip(PLAIN_HOST)) + ":" + lab.port() + "/static/app.js"),
                URI.create("http://" + host + ":" + lab.port() + "/static/app.js"),
                URI.create("https://" + host + ":" + (lab.port() == 65535 ? 1 : lab.port() + 1) + "/static/app.js"),
                URI.create("https://" + host + "/static/app.js"),
                URI.create("https://user@" + host + ":" + lab.port() + "/static/app.js"),
                URI.create(base(JS_HOST).toUpperCase(java.util.Locale.ROOT).replace("HTTPS", "https") + "/static/vendor.js"),
                URI.create(base(JS_HOST) + "/static/vendor.js")), (url, r) -> {
                    seen.add(r);
                    return List.of();
                });
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(), List.of(wandering))) {
            long connections = lab.connectionsAccepted();
            ProbeOutcome o = probeByName(engine, JS_HOST);
            // Host names compare without case; the second spelling of vendor.js is the same path.
            assertThat(seen).singleElement().extracting(HttpResponse::url).isEqualTo(base(JS_HOST) + "/static/vendor.js");
            assertThat(lab.connectionsAccepted() - connections).isEqualTo(2);
            assertThat(o.details()).containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED, "1");
        }
    }

    @Test
    void missingScriptsAndFailingFetchersAreSkippedAndTheProbeGoesOn() throws Exception {
        FollowUpFetcher missing = FollowUpFetcher.of("missing", 10, 1 << 20,
                page -> List.of(URI.create(base(JS_HOST) + "/static/none.js"), URI.create(base(JS_HOST) + "/static/app.js")),
                (url, r) -> List.of(ExtractedName.of("loaded.example.com", "test", url.toString())));
        FollowUpFetcher broken = FollowUpFetcher.of("broken", 10, 1 << 20, page -> {
            throw new IllegalStateException("cannot read this page");
        }, (url, r) -> List.of());
        FollowUpFetcher brokenLater = FollowUpFetcher.of("broken-later", 10, 1 << 20,
                page -> List.of(URI.create(base(JS_HOST) + "/static/vendor.js")), (url, r) -> {
                    throw new IllegalStateException("cannot read this script");
                });
        try (ProbeEngine engine = new ProbeEngine(settings().build(), List.of(), List.of(missing, broken, brokenLater))) {
            ProbeOutcome o = probeByName(engine, JS_HOST);
            assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
            // The 404 is not handed to the fetcher; app.js is.
            assertThat(o.names()).filteredOn(n -> n.source().equals("test"))
                    .extracting(n -> n.detail().orElseThrow()).containsExactly(base(JS_HOST) + "/static/app.js");
            assertThat(o.details()).containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED, "2")
                    .containsEntry(ProbeOutcome.DETAIL_FOLLOW_UPS_FAILED, "1");
            assertThat(o.extractorProblems()).hasSize(2).anySatisfy(p -> assertThat(p).startsWith("broken: ")
                    .contains("cannot read this page")).anySatisfy(p -> assertThat(p).startsWith("broken-later: "));
        }
    }

    @Test
    void followUpsEndAtTheTargetsDeadline() throws Exception {
        // Far more fetches than fit in the deadline: the engine must stop at it, with the page and
        // what was fetched by then, and open no connection after it.
        Duration timeout = Duration.ofMillis(1000);
        int asked = 5000;
        List<URI> many = new ArrayList<>();
        for (int i = 0; i < asked; i++) {
            many.add(URI.create(base(JS_HOST) + "/static/app.js?n=" + i));
        }
        FollowUpFetcher flood = FollowUpFetcher.of("flood", asked, 1 << 20, page -> many, (url, r) -> List.of());
        try (ProbeEngine engine = new ProbeEngine(settings().timeout(timeout).build(), List.of(), List.of(flood))) {
            long connections = lab.connectionsAccepted();
            long start = System.nanoTime();
            ProbeOutcome o = probeByName(engine, JS_HOST);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(o.status()).isEqualTo(ProbeStatus.SUCCESS);
            assertThat(o.http()).isNotNull();
            assertThat(ms).isLessThanOrEqualTo(timeout.toMillis() + SLACK_MS);
            int fetched = Integer.parseInt(o.details().get(ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED));
            int failed = Integer.parseInt(o.details().get(ProbeOutcome.DETAIL_FOLLOW_UPS_FAILED));
            assertThat(fetched + failed).isEqualTo(asked);
            assertThat(failed).isPositive();
            assertThat(lab.connectionsAccepted() - connections).isLessThan(asked);
            assertThat(engine.inFlight()).isZero();
        }
    }
}
