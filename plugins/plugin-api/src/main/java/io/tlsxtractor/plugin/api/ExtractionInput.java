package io.tlsxtractor.plugin.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server presented to one probe: the endpoint, the SNI sent, the certificate chain and,
 * when an extractor asked for it, the HTTP response. Immutable; byte arrays are copied in and
 * out, so a plugin cannot change what other plugins see.
 */
public final class ExtractionInput {
    private final String ip;
    private final int port;
    private final String sni;
    private final List<byte[]> chain;
    private final HttpResponse http;

    private ExtractionInput(Builder b) {
        this.ip = Objects.requireNonNull(b.ip, "ip");
        if (b.port < 1 || b.port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + b.port);
        }
        this.port = b.port;
        this.sni = b.sni;
        List<byte[]> copy = new ArrayList<>(b.chain.size());
        b.chain.forEach(der -> copy.add(Objects.requireNonNull(der, "certificate").clone()));
        this.chain = List.copyOf(copy);
        this.http = b.http;
    }

    public static Builder builder(String ip, int port) {
        return new Builder(ip, port);
    }

    /** The IP address probed, as text ({@code 93.184.216.34}, {@code 2001:db8::1}). */
    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    /** The server name sent in the handshake; empty when none was sent (the 1.x default for IPs). */
    public Optional<String> sni() {
        return Optional.ofNullable(sni);
    }

    /** The leaf certificate, DER-encoded (a copy); empty when the server presented none. */
    public Optional<byte[]> leafCertificate() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).clone());
    }

    /** The presented chain, leaf first, each DER-encoded (copies). */
    public List<byte[]> chain() {
        List<byte[]> copy = new ArrayList<>(chain.size());
        chain.forEach(der -> copy.add(der.clone()));
        return List.copyOf(copy);
    }

    /** Number of certificates presented, without copying them. */
    public int chainLength() {
        return chain.size();
    }

    /** The HTTP response, when the engine fetched one. */
    public Optional<HttpResponse> http() {
        return Optional.ofNullable(http);
    }

    @Override
    public String toString() {
        return "ExtractionInput[" + ip + ":" + port + (sni != null ? " sni=" + sni : "") + ", "
                + chain.size() + " certificates" + (http != null ? ", " + http : "") + "]";
    }

    /** Builds an {@link ExtractionInput}. */
    public static final class Builder {
        private final String ip;
        private final int port;
        private String sni;
        private List<byte[]> chain = List.of();
        private HttpResponse http;

        private Builder(String ip, int port) {
            this.ip = ip;
            this.port = port;
        }

        public Builder sni(String sni) {
            this.sni = sni;
            return this;
        }

        /** The chain as presented, leaf first. */
        public Builder chain(List<byte[]> chain) {
            this.chain = Objects.requireNonNull(chain, "chain");
            return this;
        }

        public Builder http(HttpResponse http) {
            this.http = http;
            return this;
        }

        public ExtractionInput build() {
            return new ExtractionInput(this);
        }
    }
}
