package io.tlsxtractor.probe;

/**
 * How long each step of the successful (or last) attempt took, in milliseconds; -1 for a step
 * not reached. {@code totalMs} runs from the first attempt's start to the end, retries and
 * back-off included.
 */
public record Timings(long connectMs, long handshakeMs, long httpMs, long totalMs) {
}
