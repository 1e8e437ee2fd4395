package io.tlsxtractor.probe.internal;

import io.tlsxtractor.probe.RedirectPolicy;

/** What to fetch after the handshake, and how far to follow redirects. */
public record HttpRequestSpec(String host, String path, String userAgent, int maxBodyBytes,
                              RedirectPolicy redirects, int redirectsLeft) {

    public HttpRequestSpec next(String newHost, String newPath) {
        return new HttpRequestSpec(newHost, newPath, userAgent, maxBodyBytes, redirects, redirectsLeft - 1);
    }
}
