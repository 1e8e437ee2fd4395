package io.tlsxtractor.probe.internal;

import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.probe.ProbeError;
import io.tlsxtractor.probe.ProbePhase;
import java.util.List;

/** What one connection attempt produced; {@code error} is null when the handshake completed. */
public record AttemptResult(
        ProbeError error,
        ProbePhase phase,
        String tlsVersion,
        String cipherSuite,
        String alpn,
        List<byte[]> chain,
        HttpResponse http,
        ProbeError httpError,
        long connectNanos,
        long handshakeNanos,
        long httpNanos) {
}
