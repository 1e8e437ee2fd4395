package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which follow-up URLs the engine accepts as the target's own origin, and the fetcher's bounds. */
class FollowUpOriginTest {

    private static String path(String url, String host, int port) {
        return ProbeEngine.sameOriginPath(URI.create(url), host, port);
    }

    @Test
    void theSameSchemeHostAndPortGiveTheRequestTarget() {
        assertThat(path("https://www.example.com/static/app.js", "www.example.com", 443)).isEqualTo("/static/app.js");
        assertThat(path("https://WWW.Example.com:443/a.js?v=1&x=%20y#frag", "www.example.com", 443)).isEqualTo("/a.js?v=1&x=%20y");
        assertThat(path("https://www.example.com:8443", "www.example.com", 8443)).isEqualTo("/");
        assertThat(path("https://192.0.2.7:8443/x.js", "192.0.2.7", 8443)).isEqualTo("/x.js");
        assertThat(path("https://[2001:db8::1]/x.js", "2001:db8::1", 443)).isEqualTo("/x.js");
        // Characters legal in a java.net.URI but not on a request line are percent-encoded.
        assertThat(ProbeEngine.sameOriginPath(URI.create("https://h.example/caf\u00e9.js"), "h.example", 443))
                .isEqualTo("/caf%C3%A9.js");
    }

    @Test
    void anythingElseIsAnotherOrigin() {
        assertThat(path("http://www.example.com/app.js", "www.example.com", 443)).isNull();
        assertThat(path("wss://www.example.com/app.js", "www.example.com", 443)).isNull();
        assertThat(path("https://cdn.example.com/app.js", "www.example.com", 443)).isNull();
        assertThat(path("https://www.example.com.evil.test/app.js", "www.example.com", 443)).isNull();
        assertThat(path("https://www.example.com:8443/app.js", "www.example.com", 443)).isNull();
        assertThat(path("https://www.example.com/app.js", "www.example.com", 8443)).isNull();
        assertThat(path("https://user:pw@www.example.com/app.js", "www.example.com", 443)).isNull();
        assertThat(path("/static/app.js", "www.example.com", 443)).isNull();
        assertThat(ProbeEngine.sameOriginPath(null, "www.example.com", 443)).isNull();
    }

    @Test
    void aFetcherFromFunctionsChecksItsBounds() {
        FollowUpFetcher f = FollowUpFetcher.of("js-extractor", 3, 1000, page -> List.of(), (url, r) -> List.of());
        assertThat(f.name()).isEqualTo("js-extractor");
        assertThat(f.maxFetches()).isEqualTo(3);
        assertThat(f.maxBytes()).isEqualTo(1000);
        assertThatThrownBy(() -> FollowUpFetcher.of("js-extractor", -1, 1000, page -> List.of(), (url, r) -> List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("js-extractor").hasMessageContaining("maxFetches");
        assertThatThrownBy(() -> FollowUpFetcher.of("js-extractor", 1, -5, page -> List.of(), (url, r) -> List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
    }
}
