package io.tlsxtractor.tlslab;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One behaviour a lab host can have. A host's {@link HostBehaviour} is a set of these, each with an
 * optional argument ({@code rsa:4096}, {@code many-sans:500}).
 *
 * <p>Profiles in the same {@link Group} exclude each other (a host cannot both speak TLS 1.3 only and
 * TLS 1.0 only); profiles in {@link Group#FEATURE} combine freely.
 */
public enum Profile {
    /** RSA 2048 leaf issued by the lab's intermediate, SAN = host name and {@code www.} + host name. */
    DEFAULT("default", Group.FEATURE, Arg.none()),

    // Names in the leaf.
    /** SAN with {@code N} names (default 6): the host name, {@code www.}, and names under it and under example.com. */
    MULTI_SAN("multi-san", Group.NAMES, Arg.integer(6, 1, 1000)),
    /** CN and SAN {@code *.host}, plus the host name itself. */
    WILDCARD("wildcard", Group.NAMES, Arg.none()),
    /** SAN with punycode names ({@code xn--bcher-kva.host}); the CN is the Unicode form ({@code bücher.host}). */
    IDN("idn", Group.NAMES, Arg.none()),
    /** CN = host name and no subjectAltName extension at all. */
    CN_ONLY("cn-only", Group.NAMES, Arg.none()),
    /** SAN with the host's IP address (and the host name); CN = the dotted address. */
    IP_SAN("ip-san", Group.NAMES, Arg.none()),
    /** SAN with {@code N} DNS names (default 10,000; the certificate grows to hundreds of KB). */
    MANY_SANS("many-sans", Group.NAMES, Arg.integer(10_000, 1, 100_000)),

    // Validity.
    /** Valid from 400 days before the lab's start day until 35 days before it. */
    EXPIRED("expired", Group.VALIDITY, Arg.none()),
    /** Valid from 30 days after the lab's start day. */
    NOT_YET_VALID("not-yet-valid", Group.VALIDITY, Arg.none()),

    // Issuer.
    /** Leaf signed by its own key; the chain is the leaf alone. */
    SELF_SIGNED("self-signed", Group.ISSUER, Arg.none()),
    /** Presented chain length 1-3: leaf (signed by the root), leaf + 1 intermediate (the default), leaf + 2. */
    CHAIN("chain", Group.ISSUER, Arg.integer(2, 1, 3)),

    // Leaf key.
    /** RSA leaf key of 1024, 2048 (default) or 4096 bits. */
    RSA("rsa", Group.KEY, Arg.choice("2048", "1024", "2048", "4096")),
    /** ECDSA leaf key on P-256 (default) or P-384. */
    ECDSA("ecdsa", Group.KEY, Arg.choice("p256", "p256", "p384")),
    /** Ed25519 leaf key. */
    ED25519("ed25519", Group.KEY, Arg.none()),

    /** The leaf is signed with SHA-1 instead of SHA-256/384. */
    SHA1("sha1", Group.FEATURE, Arg.none()),

    // SNI.
    /** Name-based virtual hosts: SNI {@code vhN.<host name>} (N = 1..k, default 3) gets its own certificate. */
    VHOSTS("vhosts", Group.FEATURE, Arg.integer(3, 1, 64)),
    /** A fatal {@code unrecognized_name} alert when the ClientHello carries no SNI. */
    SNI_REQUIRED("sni-required", Group.FEATURE, Arg.none()),
    /** A fatal {@code unrecognized_name} alert when the SNI is none of the host's names. */
    UNKNOWN_SNI_ABORT("unknown-sni-abort", Group.FEATURE, Arg.none()),

    // Protocol versions.
    /** TLS 1.3 only. */
    TLS13("tls13", Group.PROTOCOL, Arg.none()),
    /** TLS 1.2 only. */
    TLS12("tls12", Group.PROTOCOL, Arg.none()),
    /** TLS 1.0 and 1.1 only. */
    TLS10("tls10", Group.PROTOCOL, Arg.none()),
    /** ALPN offering h2 and http/1.1 (an h2 connection gets SETTINGS + GOAWAY; HTTP content is served on http/1.1). */
    ALPN_H2("alpn-h2", Group.FEATURE, Arg.none()),

    // Connection-level behaviour (no TLS, or broken TLS).
    /** Plain HTTP/1.1 on the TLS port: a ClientHello is answered with {@code HTTP/1.1 400 Bad Request}. */
    PLAIN_HTTP("plain-http", Group.CONNECTION, Arg.none()),
    /** Accepts, reads, never answers and never closes. */
    TARPIT("tarpit", Group.CONNECTION, Arg.none()),
    /** Real TLS, but every outgoing byte is delayed: one byte per interval (milliseconds, default 1000). */
    SLOW("slow", Group.CONNECTION, Arg.integer(1000, 1, 60_000)),
    /** Reads the ClientHello, then resets the connection (SO_LINGER 0 + close = RST). */
    RESET("reset", Group.CONNECTION, Arg.none()),
    /** Sends the first handshake record (the ServerHello) and closes: no certificate reaches the client. */
    CLOSE_AFTER_HELLO("close-after-hello", Group.CONNECTION, Arg.none()),
    /** Answers a ClientHello with random bytes that are not a TLS record, then closes. */
    GARBAGE("garbage", Group.CONNECTION, Arg.none()),

    // HTTP after the handshake.
    /** {@code Content-Security-Policy} and {@code Content-Security-Policy-Report-Only} headers naming domains. */
    HTTP_CSP("http-csp", Group.FEATURE, Arg.none()),
    /** {@code GET /} answers 301: to {@code /home} ({@code path}, default) or to another host ({@code host}). */
    HTTP_REDIRECT("http-redirect", Group.FEATURE, Arg.choice("path", "path", "host")),
    /** The page references JavaScript files (served too) whose code names domains. */
    HTTP_JS("http-js", Group.FEATURE, Arg.none());

    /** Profiles in one group (except {@link #FEATURE}) exclude each other on one host. */
    public enum Group { FEATURE, NAMES, VALIDITY, ISSUER, KEY, PROTOCOL, CONNECTION }

    private final String label;
    private final Group group;
    private final Arg arg;

    Profile(String label, Group group, Arg arg) {
        this.label = label;
        this.group = group;
        this.arg = arg;
    }

    /** The name used in lab spec files, e.g. {@code close-after-hello}. */
    public String label() {
        return label;
    }

    public Group group() {
        return group;
    }

    /** True when the profile takes an argument ({@code profile:arg}). */
    public boolean takesArgument() {
        return arg.kind != ArgKind.NONE;
    }

    /** The argument used when a spec names the profile without one; empty for profiles without arguments. */
    public String defaultArgument() {
        return arg.defaultValue;
    }

    /** True for the profiles under which the lab never completes a TLS handshake. */
    public boolean preventsTls() {
        return this == PLAIN_HTTP || this == TARPIT || this == RESET || this == GARBAGE;
    }

    /** Finds a profile by its spec label (case-insensitive). */
    public static Optional<Profile> byLabel(String label) {
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.label.equals(wanted)).findFirst();
    }

    /**
     * Checks and normalises an argument ({@code null} = the default).
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    String normaliseArgument(String raw) {
        switch (arg.kind) {
            case NONE:
                if (raw != null) {
                    throw new IllegalArgumentException("profile '" + label + "' takes no argument, got '" + raw + "'");
                }
                return "";
            case INTEGER:
                if (raw == null) {
                    return arg.defaultValue;
                }
                int value;
                try {
                    value = Integer.parseInt(raw.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("profile '" + label + "' takes a whole number, got '" + raw + "'");
                }
                if (value < arg.min || value > arg.max) {
                    throw new IllegalArgumentException("profile '" + label + "' takes a number from " + arg.min
                            + " to " + arg.max + ", got " + value);
                }
                return Integer.toString(value);
            case CHOICE:
                if (raw == null) {
                    return arg.defaultValue;
                }
                String wanted = raw.trim().toLowerCase(Locale.ROOT);
                if (!arg.choices.contains(wanted)) {
                    throw new IllegalArgumentException("profile '" + label + "' takes one of " + arg.choices
                            + ", got '" + raw + "'");
                }
                return wanted;
            default:
                throw new IllegalStateException("unhandled argument kind " + arg.kind);
        }
    }

    private enum ArgKind { NONE, INTEGER, CHOICE }

    private static final class Arg {
        final ArgKind kind;
        final String defaultValue;
        final int min;
        final int max;
        final List<String> choices;

        private Arg(ArgKind kind, String defaultValue, int min, int max, List<String> choices) {
            this.kind = kind;
            this.defaultValue = defaultValue;
            this.min = min;
            this.max = max;
            this.choices = choices;
        }

        static Arg none() {
            return new Arg(ArgKind.NONE, "", 0, 0, List.of());
        }

        static Arg integer(int defaultValue, int min, int max) {
            return new Arg(ArgKind.INTEGER, Integer.toString(defaultValue), min, max, List.of());
        }

        static Arg choice(String defaultValue, String... choices) {
            return new Arg(ArgKind.CHOICE, defaultValue, 0, 0, List.of(choices));
        }
    }
}
