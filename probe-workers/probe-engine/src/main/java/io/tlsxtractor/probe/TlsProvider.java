package io.tlsxtractor.probe;

/** Which TLS implementation the engine uses. */
public enum TlsProvider {
    /**
     * BoringSSL when its native library loads on this machine, the JDK otherwise. On BoringSSL, a
     * handshake refused in a way that may mean no shared signature algorithm (BoringSSL as set up by
     * netty-tcnative offers no Ed25519) is tried once more on the JDK within the same deadline, so
     * that Ed25519-only servers still give their names; the outcome's
     * {@link ProbeOutcome#DETAIL_TLS_PROVIDER} detail says which provider produced it. The cost is
     * one JDK handshake for hosts that refuse with {@code handshake_failure} for other reasons.
     */
    AUTO,
    /** BoringSSL through netty-tcnative: fast, and tolerant of odd certificates. */
    OPENSSL,
    /** The JDK's SSLEngine: always available; rejects some malformed certificates in the handshake. */
    JDK
}
