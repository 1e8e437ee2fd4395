package io.tlsxtractor.probe;

/** How the server names to send to one endpoint are chosen. */
public enum SniStrategy {
    /** One handshake without SNI: the 1.x behaviour for IP targets. */
    NONE,
    /** One handshake with the input host name (1.x for hostname and URL targets). */
    HOSTNAME,
    /** One handshake per name of a given list. */
    NAMES,
    /**
     * A first handshake (with the given SNI or none), then one per name found in its certificate
     * (SANs and CN, no wildcards, no names already tried, up to a maximum), which uncovers
     * name-based virtual hosts that share the address.
     */
    LEARNED,
    /**
     * A handshake without SNI, then one with the address's PTR name when it has one (a single-label
     * name such as {@code localhost} included: it is sent as SNI like any other).
     */
    REVERSE_DNS
}
