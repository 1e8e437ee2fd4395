package io.tlsxtractor.probe;

/** Which TLS implementation the engine uses. */
public enum TlsProvider {
    /** BoringSSL when its native library loads on this machine, the JDK otherwise. */
    AUTO,
    /** BoringSSL through netty-tcnative: fast, and tolerant of odd certificates. */
    OPENSSL,
    /** The JDK's SSLEngine: always available; rejects some malformed certificates in the handshake. */
    JDK
}
