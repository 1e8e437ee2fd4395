package io.tlsxtractor.plugins.core.js;

import static io.tlsxtractor.plugins.core.testing.Responses.names;
import static io.tlsxtractor.plugins.core.testing.Responses.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.plugin.api.PluginContext;
import io.tlsxtractor.plugin.api.PluginException;
import io.tlsxtractor.plugin.api.PluginSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names from a realistic page and script, the false positives kept out, script URL selection and bounds. */
class JsExtractorTest {
    private static final String PAGE_URL = "https://shop.example.com/index.html";

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head>
            <meta charset="utf-8">
            <base href="https://shop.example.com/">
            <title>Shop <script src="https://title.example.net/not-a-tag.js"></title>
            <script src="/static/js/app.3f2a.js"></script>
            <script src="https://shop.example.com/static/vendor.js?v=2&amp;x=1"></script>
            <script SRC='static/js/app.3f2a.js' defer></script>
            <script src="https://cdn.partner-cdn.net/lib/widget.js" async></script>
            <script src="//static.example-assets.com/x.js"></script>
            <script src="https://shop.example.com:8443/other-port.js"></script>
            <script src="http://shop.example.com/insecure.js"></script>
            <script src="javascript:void(0)"></script>
            <script type="text/template"><a href="https://template.example.org">x</a> "tpl.example.org"</script>
            <script>
              window.config = { api: "https://api.example.com/v2", auth: 'auth.example.com', user: "user.id",
                                file: "bundle.min.js" };
              // see docs.example.com for details; if (a < b && c > d) { x = "<b>" }
              var img = new Image(); img.src = "//pixel.tracker-example.io/p.gif";
            </script>
            <script type="application/ld+json">{"url": "https:\\/\\/www.example.com\\/", "logo": "logo.png"}</script>
            <link rel="stylesheet" href="https://fonts.example-cdn.org/css?family=Roboto">
            <style>body { background: url("https://style.example.org/bg.png") }</style>
            </head><body>
            <a href="https://blog.example.net/post">blog</a>
            <a href="/relative">relative</a> <a href="https://shop.example.com/self">self</a>
            <img src="https://images.example-img.com/a.png" alt="">
            <form action="https://pay.example-payments.com/checkout" method="post"></form>
            <!-- <script src="https://commented.example.com/x.js"></script> -->
            <a href="mailto:someone@mail.example.com">mail</a> <a href="https://10.0.0.1/x">ip</a>
            <a href="https://user@userinfo.example.com/">userinfo</a>
            <p>Visit www.example.biz today</p>
            </body></html>
            """;

    /** A minified vendor bundle as servers send them: real hosts among many things that look like hosts. */
    private static final String SCRIPT = """
            !function(e){"use strict";var t="https://collector.analytics-example.com/v1/events",
            n={host:"ws.example-realtime.io",path:"/socket"};e.endpoints=["https:\\/\\/escaped.example.org\\/x"];
            var r=document.location.hostname,s="jquery.min",o='app.js',u="window.location.href",
            CDN='static.Example.com',version="1.2.3.4",ip="http://192.168.1.1/admin",l="./chunk.a1b2.js";
            var re=/https?:\\/\\/([a-z]+)\\.example\\.com/,css="styles.css",nm="user.name",p='props.children';
            fetch('//api2.example.com/data');console.log("Loaded from cdn.example.co.uk");
            var svc='internal.service.local',m="mail.google.com",w=`wss://live.example-stream.tv/feed`;
            var k="a.b",z="e.target.value",f="fonts.googleapis.com/css",q='Math.PI';
            // https://commented-url.example.com/ is in a comment but is a URL all the same
            }(window);
            """;

    private final JsExtractor extractor = new JsExtractor();

    @Test
    void thePageGivesInlineScriptHostsAndLinksToOtherHosts() {
        List<ExtractedName> names = extractor.extract(ExtractionInput.builder("192.0.2.10", 443)
                .sni("shop.example.com").http(response(PAGE_URL, PAGE, "Content-Type", "text/html; charset=utf-8"))
                .build());
        assertThat(names).allSatisfy(n -> assertThat(n.source()).isEqualTo(ExtractedName.SOURCE_JS));
        assertThat(names).extracting(ExtractedName::name, n -> n.detail().orElseThrow()).containsExactly(
                tuple("cdn.partner-cdn.net", "script src"),
                tuple("static.example-assets.com", "script src"),
                tuple("api.example.com", JsExtractor.DETAIL_INLINE),
                tuple("auth.example.com", JsExtractor.DETAIL_INLINE),
                tuple("pixel.tracker-example.io", JsExtractor.DETAIL_INLINE),
                tuple("www.example.com", JsExtractor.DETAIL_INLINE),
                tuple("fonts.example-cdn.org", "link href"),
                tuple("blog.example.net", "a href"),
                tuple("images.example-img.com", "img src"),
                tuple("pay.example-payments.com", "form action"));
        // Not: the page's own host, text in <title>/<style>/comments/templates, plain text, mailto:,
        // IP literals, user-info URLs, property paths and file names.
    }

    @Test
    void theScriptGivesHostsOfUrlsAndWholeQuotedHostStringsOnly() {
        List<ExtractedName> names = extractor.extractFromScript(
                response("https://shop.example.com/static/vendor.js", SCRIPT,
                        "Content-Type", "application/javascript"));
        assertThat(names(names)).containsExactly(
                "collector.analytics-example.com", "ws.example-realtime.io", "escaped.example.org",
                "api2.example.com", "mail.google.com", "live.example-stream.tv", "fonts.googleapis.com",
                "commented-url.example.com");
        assertThat(names).allSatisfy(n -> {
            assertThat(n.source()).isEqualTo("js");
            assertThat(n.detail()).contains("https://shop.example.com/static/vendor.js");
        });
    }

    @Test
    void quotedStringsThatAreNotHostsAreRejected() {
        String script = String.join(";",
                "a='app.js'", "b=\"jquery.min\"", "c='bundle.min.js'", "d='logo.png'", "e='user.id'",
                "f='row.name'", "g='item.link'", "h='config.json'", "i='this.is'", "j='a.b'", "k='v1.2'",
                "l='Example.com'", "m='internal.local'", "n='x.y.z'", "o='en.US'", "p='1.2.3.4'",
                "q='foo..com'", "r='-a.com'", "s='e.target'", "t='style.css'", "u='main.ts'");
        assertThat(extractor.extractFromScript("https://h.example.com/s.js", script)).isEmpty();
    }

    @Test
    void urlsNeedAKnownLetterTopLevelDomain() {
        String script = "a='https://localhost:3000/';b='https://app.js/x';c='https://svc.internal/';"
                + "d='https://10.1.2.3/';e='https://[::1]/';f='https://host.example.xn--p1ai/';"
                + "g='https://ok.example.museum/';h='//protocol-relative.example.com/x'";
        assertThat(names(extractor.extractFromScript("https://h.example.com/s.js", script)))
                .containsExactly("ok.example.museum", "protocol-relative.example.com");
    }

    @Test
    void scriptUrlsAreTheSameOriginScriptsResolvedDeduplicatedAndBounded() {
        HttpResponse page = response(PAGE_URL, PAGE, "Content-Type", "text/html");
        assertThat(extractor.scriptUrls(page)).containsExactly(
                URI.create("https://shop.example.com/static/js/app.3f2a.js"),
                URI.create("https://shop.example.com/static/vendor.js?v=2&x=1"));

        extractor.start(context(Map.of("max_scripts", "1")));
        assertThat(extractor.maxScripts()).isEqualTo(1);
        assertThat(extractor.scriptUrls(page)).containsExactly(URI.create("https://shop.example.com/static/js/app.3f2a.js"));

        extractor.start(context(Map.of("max_scripts", "0")));
        assertThat(extractor.scriptUrls(page)).isEmpty();
    }

    @Test
    void scriptUrlsOnAnUnparsableOrRelativePageUrlAreEmpty() {
        assertThat(extractor.scriptUrls(response("not a url", "<script src=/a.js></script>"))).isEmpty();
        assertThat(extractor.scriptUrls(response("/index.html", "<script src=/a.js></script>"))).isEmpty();
        assertThat(extractor.scriptUrls(response("https://h.example.com/", "<script src=/a.js></script>")))
                .containsExactly(URI.create("https://h.example.com/a.js"));
    }

    @Test
    void aJavaScriptResponseIsReadAsAScript() {
        HttpResponse js = response("https://h.example.com/", "var u = 'https://api.example.com/';",
                "Content-Type", "text/javascript");
        assertThat(names(extractor.extractFromPage(js))).containsExactly("api.example.com");
        assertThat(extractor.scriptUrls(js)).isEmpty();
    }

    @Test
    void settingsTurnOffLinksAndInlineScriptsAndBoundScriptsAndNames() {
        HttpResponse page = response(PAGE_URL, PAGE);
        extractor.start(context(Map.of("links", "false")));
        assertThat(names(extractor.extractFromPage(page))).containsExactly(
                "api.example.com", "auth.example.com", "pixel.tracker-example.io", "www.example.com");
        extractor.start(context(Map.of("inline", "false", "max_names", "3")));
        assertThat(names(extractor.extractFromPage(page)))
                .containsExactly("cdn.partner-cdn.net", "static.example-assets.com", "fonts.example-cdn.org");
        extractor.start(context(Map.of("max_script_bytes", "80")));
        assertThat(extractor.maxScriptBytes()).isEqualTo(80);
        assertThat(names(extractor.extractFromScript("https://h.example.com/s.js", SCRIPT)))
                .containsExactly("collector.analytics-example.com");
    }

    @Test
    void invalidSettingsAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> extractor.start(context(Map.of("max_scripts", "-1", "max_script_bytes", "0"))))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.problems()).containsExactly(
                        "plugin js-extractor: max_scripts: must be 0 or more, got -1",
                        "plugin js-extractor: max_script_bytes: must be at least 1, got 0"));
    }

    @Test
    void needsHttpAndNothingWithoutAResponse() {
        assertThat(extractor.needsHttp()).isTrue();
        assertThat(extractor.extract(ExtractionInput.builder("192.0.2.10", 443).build())).isEmpty();
    }

    /*
     * Hostile input: the limits below are generous guards against super-linear behaviour, not a
     * benchmark.
     */

    @Test
    void aFiveMegabyteScriptIsScannedInLinearTime() {
        extractor.start(context(Map.of("max_script_bytes", String.valueOf(6 * 1024 * 1024))));
        StringBuilder script = new StringBuilder(5 * 1024 * 1024 + 100);
        for (int i = 0; script.length() < 5 * 1024 * 1024; i++) {
            script.append("var a").append(i).append("=\"https://h").append(i % 500).append(".example.com/x\",b='x.")
                    .append(i).append(".js',c=a.b.c.d,d='user.id';// see example.com\n");
        }
        script.append("load('https://the-end.example.com/');");
        List<ExtractedName> names = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> extractor.extractFromScript("https://h.example.com/big.js", script));
        // All 5 MB were read: the name on the last line is there.
        assertThat(names).hasSize(501);
        assertThat(names.get(500).name()).isEqualTo("the-end.example.com");
        for (String hostile : List.of("a.".repeat(2_621_440), "\"".repeat(5_242_880), "//".repeat(2_621_440),
                "'a.com".repeat(873_813), ":\\/\\/".repeat(1_048_576))) {
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> extractor.extractFromScript("https://h.example.com/big.js", hostile)))
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void aFiveMegabyteMalformedPageIsScannedInLinearTime() {
        for (String page : List.of("<script>".repeat(655_360), "<a href='".repeat(582_542), "<!--<".repeat(1_048_576),
                "<a " + "x=".repeat(2_621_440), "<".repeat(5_242_880), "<script src=/a.js>" + "<".repeat(5_000_000))) {
            HttpResponse response = response(PAGE_URL, page);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                extractor.extractFromPage(response);
                extractor.scriptUrls(response);
            });
        }
    }

    private static PluginContext context(Map<String, String> settings) {
        JsExtractor plugin = new JsExtractor();
        assertThat(plugin.configSchema().validate(plugin.name(), settings)).isEmpty();
        return PluginContext.of(PluginSettings.of(plugin.name(), plugin.configSchema(), settings));
    }
}
