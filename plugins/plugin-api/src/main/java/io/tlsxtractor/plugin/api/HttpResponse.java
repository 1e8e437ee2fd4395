package io.tlsxtractor.plugin.api;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the engine fetched over HTTP from a target after the handshake (by default {@code GET /}),
 * for extractors that {@linkplain DomainExtractor#needsHttp() need it}. The body is bounded by the
 * engine; {@link #bodyTruncated()} says whether it was cut. Immutable.
 *
 * @param status HTTP status code of the final response
 * @param url URL of the final response, after any redirects followed
 * @param headers response headers
 * @param body the body as received, possibly truncated (use {@link #body()} to read it)
 * @param bodyTruncated whether the body was cut at the engine's limit
 */
public record HttpResponse(int status, String url, HttpHeaders headers, byte[] body, boolean bodyTruncated) {

    public HttpResponse {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body.clone();
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    /**
     * The body as text in the charset of the {@code Content-Type} header, UTF-8 when it names
     * none or one this JVM does not know.
     */
    public String bodyText() {
        return new String(body, charset());
    }

    private Charset charset() {
        String contentType = headers.first("Content-Type").orElse("");
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).replace("\"", "").strip();
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse other && status == other.status && url.equals(other.url)
                && headers.equals(other.headers) && Arrays.equals(body, other.body)
                && bodyTruncated == other.bodyTruncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, url, headers, Arrays.hashCode(body), bodyTruncated);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + " " + url + ", " + headers.names().size() + " headers, "
                + body.length + " body bytes" + (bodyTruncated ? " (truncated)" : "") + "]";
    }
}
