package io.tlsxtractor.config;

import java.util.Locale;

/**
 * How the probe chooses the SNI of a handshake ({@code scanning.sni_strategy}). {@link #NONE} is the
 * 1.x behaviour: no SNI for IP targets, the input hostname for hostname and URL targets.
 */
public enum SniStrategy {
    /** No SNI for IP targets (1.x). */
    NONE,
    /** The input hostname when the target came from one. */
    HOSTNAME,
    /** Additionally try each name of {@code scanning.sni_names}. */
    NAMES,
    /** Additionally try names already discovered for the same IP. */
    LEARNED,
    /** Additionally try the reverse-DNS (PTR) name of the IP. */
    REVERSE_DNS;

    /** The spelling used in configuration files, e.g. {@code reverse_dns}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
