package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.1 after the handshake: CSP headers, redirects, pages with JavaScript that names domains. */
class HttpProfilesTest {

    private static TlsLab lab;

    @BeforeAll
    static void start() {
        lab = TlsLab.start(LabSpec.parse(String.join("\n",
                "range 127.77.5.0/24",
                "127.77.5.1 http-csp",
                "127.77.5.2 http-redirect",
                "127.77.5.3 http-redirect:host",
                "127.77.5.4 http-js",
                "127.77.5.5 http-csp,http-js,http-redirect")), 0);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    /** Status line, headers (lower-case names) and body of a response. */
    private static final class Response {
        final String statusLine;
        final Map<String, String> headers = new LinkedHashMap<>();
        final String body;

        Response(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            assertThat(split).as("a complete HTTP response head in: %s", raw).isPositive();
            String[] lines = raw.substring(0, split).split("\r\n");
            statusLine = lines[0];
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            body = raw.substring(split + 4);
            assertThat(Integer.parseInt(headers.get("content-length")))
                    .isEqualTo(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    private static Response get(String address, String path) throws Exception {
        return new Response(LabClient.http(ip(address), lab.port(), null, "GET", path));
    }

    @Test
    void defaultHostServesAPlainPageAnd404() throws Exception {
        Response page = get("127.77.5.100", "/");
        assertThat(page.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(page.headers).doesNotContainKey("content-security-policy").containsEntry("connection", "close");
        assertThat(page.body).contains("h-127-77-5-100.lab.test").doesNotContain("<script");
        assertThat(get("127.77.5.100", "/missing").statusLine).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(lab.expectedHttpNames(ip("127.77.5.100"))).isEmpty();
    }

    @Test
    void cspHostSendsBothPolicyHeadersNamingDomains() throws Exception {
        Response page = get("127.77.5.1", "/");
        String host = "h-127-77-5-1.lab.test";
        assertThat(page.statusLine).isEqualTo("HTTP/1.1 200 OK");
        assertThat(page.headers.get("content-security-policy"))
                .contains("https://cdn." + host, "*.static.example.com", "'self'", "'unsafe-inline'", "'nonce-",
                        "https://api." + host, "wss://ws." + host);
        assertThat(page.headers.get("content-security-policy-report-only"))
                .contains("https://beta-cdn." + host, "https://analytics.example.com");
        assertThat(get("127.77.5.1", "/").headers.get("content-security-policy"))
                .as("the nonce is deterministic").isEqualTo(page.headers.get("content-security-policy"));
    }

    @Test
    void redirectHostSendsGetSlashToAnotherPathOnTheSameHost() throws Exception {
        Response redirect = get("127.77.5.2", "/");
        assertThat(redirect.statusLine).isEqualTo("HTTP/1.1 301 Moved Permanently");
        assertThat(redirect.headers).containsEntry("location", "/home");
        assertThat(lab.redirectLocation(ip("127.77.5.2"))).isEqualTo("/home");
        assertThat(get("127.77.5.2", "/home").statusLine).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void redirectHostVariantSendsGetSlashToAnotherHost() throws Exception {
        Response redirect = get("127.77.5.3", "/");
        assertThat(redirect.statusLine).startsWith("HTTP/1.1 301");
        assertThat(redirect.headers).containsEntry("location", "https://login.h-127-77-5-3.lab.test/start");
        assertThat(lab.expectedHttpNames(ip("127.77.5.3"))).containsExactly("login.h-127-77-5-3.lab.test");
    }

    @Test
    void jsHostServesAPageWithScriptsWhoseCodeNamesDomains() throws Exception {
        String host = "h-127-77-5-4.lab.test";
        Response page = get("127.77.5.4", "/");
        assertThat(page.body).contains("<script src=\"/static/app.js\"></script>", "<script src=\"/static/vendor.js\"></script>");
        Response app = get("127.77.5.4", "/static/app.js");
        assertThat(app.headers.get("content-type")).isEqualTo("application/javascript");
        assertThat(app.body).contains("fetch(\"https://api." + host + "/x\")");
        assertThat(get("127.77.5.4", "/static/vendor.js").body).contains("https://cdn." + host + "/lib/v1.js");
        assertThat(get("127.77.5.100", "/static/app.js").statusLine).as("no JS on hosts without http-js").contains("404");
    }

    @Test
    void combinedHostRedirectsThenServesCspAndScriptsAndEveryExpectedNameAppears() throws Exception {
        InetAddress ip = ip("127.77.5.5");
        Response redirect = get("127.77.5.5", "/");
        assertThat(redirect.statusLine).startsWith("HTTP/1.1 301");
        Response home = get("127.77.5.5", "/home");
        String everything = home.headers + home.body + get("127.77.5.5", "/static/app.js").body
                + get("127.77.5.5", "/static/vendor.js").body;
        assertThat(lab.expectedHttpNames(ip)).isNotEmpty().allSatisfy(name -> assertThat(everything).contains(name));
    }

    @Test
    void headRequestGetsHeadersOnly() throws Exception {
        String raw = LabClient.http(ip("127.77.5.1"), lab.port(), null, "HEAD", "/");
        assertThat(raw).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
    }
}
