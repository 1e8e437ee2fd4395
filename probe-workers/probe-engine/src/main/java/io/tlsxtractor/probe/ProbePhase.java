package io.tlsxtractor.probe;

import java.util.Locale;

/** What a probe was doing when it ended; tells a timeout while connecting from one after it. */
public enum ProbePhase {
    CONNECT, HANDSHAKE, HTTP, DONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
