package io.tlsxtractor.probe;

import java.util.Locale;

/** Outcome of a probe ({@code status} in results.json). */
public enum ProbeStatus {
    /** The handshake completed and the presented chain was captured. */
    SUCCESS,
    /** No handshake; the error fields say why. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
