package io.tlsxtractor.probe;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One endpoint to probe.
 *
 * @param ip the address to connect to
 * @param port TCP port, 1..65535
 * @param sni the server name to send, or {@code null} to send none (the 1.x default for IPs)
 * @param scanId the scan this probe belongs to, opaque to the engine (may be {@code null})
 * @param context anything the caller wants back with the outcome (block id, attempt...), opaque (may be {@code null})
 */
public record ProbeTarget(InetAddress ip, int port, String sni, String scanId, String context) {

    public ProbeTarget {
        Objects.requireNonNull(ip, "ip");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + ip.getHostAddress() + " out of range 1..65535: " + port);
        }
        if (sni != null && sni.isBlank()) {
            sni = null;
        }
    }

    public static ProbeTarget of(InetAddress ip, int port) {
        return new ProbeTarget(ip, port, null, null, null);
    }

    public static ProbeTarget of(InetAddress ip, int port, String sni) {
        return new ProbeTarget(ip, port, sni, null, null);
    }

    /** The same endpoint and context with another SNI ({@code null} for none). */
    public ProbeTarget withSni(String newSni) {
        return new ProbeTarget(ip, port, newSni, scanId, context);
    }

    /** {@code ip:port}, brackets around IPv6: the key of probe results. */
    public String endpoint() {
        String host = ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return endpoint() + (sni != null ? " sni=" + sni : "");
    }
}
