package io.tlsxtractor.plugins.core.testing;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.HttpHeaders;
import io.tlsxtractor.plugin.api.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** HTTP responses and name lists for the extractor tests. */
public final class Responses {
    private Responses() {
    }

    /** A 200 response from {@code url} with the given header name/value pairs and body. */
    public static HttpResponse response(String url, String body, String... headerPairs) {
        HttpHeaders.Builder headers = HttpHeaders.builder();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        return new HttpResponse(200, url, headers.build(), body.getBytes(StandardCharsets.UTF_8), false);
    }

    public static List<String> names(List<ExtractedName> extracted) {
        return extracted.stream().map(ExtractedName::name).toList();
    }
}
