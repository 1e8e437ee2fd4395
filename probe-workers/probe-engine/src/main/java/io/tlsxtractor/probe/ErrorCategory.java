package io.tlsxtractor.probe;

import java.util.Locale;

/** The 1.x error categories ({@code error_category} in results.json). */
public enum ErrorCategory {
    NETWORK, TLS, TIMEOUT, REFUSED, CERTIFICATE, DNS, SOCKET, UNKNOWN;

    /** The value written in results ({@code "timeout"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
