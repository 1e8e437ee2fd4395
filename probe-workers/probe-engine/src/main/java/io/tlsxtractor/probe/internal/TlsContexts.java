package io.tlsxtractor.probe.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.tlsxtractor.probe.TlsProvider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client TLS contexts of the engine: one offering ALPN h2 + http/1.1 (what is recorded),
 * one offering only http/1.1 for probes that fetch a page over HTTP/1.1.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);
    private static final String DISABLED = "jdk.tls.disabledAlgorithms";
    private static final String MAX_MESSAGE = "jdk.tls.maxHandshakeMessageSize";
    /** Room for a certificate message with tens of thousands of names (BoringSSL's default is 100 KB). */
    static final int MAX_CERTIFICATE_BYTES = 4 * 1024 * 1024;
    private static boolean legacyEnabled;

    /**
     * Offered in this order; each provider keeps those it supports. The CBC and plain-RSA suites
     * are there because TLS 1.0 servers know nothing else; this client validates nothing and
     * sends nothing secret, so weak suites cost no confidentiality.
     */
    private static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA");

    /**
     * Key-exchange groups offered by BoringSSL, most preferred first. Set explicitly because Netty's
     * default for BoringSSL puts the post-quantum hybrid X25519MLKEM768 first, and BoringSSL then
     * sends two key shares (ML-KEM-768 + X25519, 1.2 KB more ClientHello); a server that also knows
     * the hybrid makes the client decapsulate ML-KEM as well. That was most of what a TLS 1.3 probe
     * cost above a TLS 1.2 one. A probe sends nothing secret, so it gains nothing from a
     * post-quantum exchange. With X25519 first BoringSSL sends one key share; a TLS 1.3 server
     * without X25519 asks for another group with a HelloRetryRequest, and TLS 1.2 servers pick their
     * ECDHE curve from the whole list, so P-521 stays on it for the odd old server.
     *
     * <p>The JDK provider keeps its defaults: on Java 17 its groups can be set only through the
     * JVM-wide {@code jdk.tls.namedGroups} property (it would change every other TLS user in the
     * process, Kafka clients included), it offers no hybrid, and its second key share (X25519 and
     * P-256, one per key-exchange type) is fixed by SunJSSE for any list that keeps P-256.
     */
    static final String[] BORINGSSL_GROUPS = {"x25519", "secp256r1", "secp384r1", "secp521r1"};

    private final SslProvider provider;
    private final SslContext recorded;
    private final SslContext http11;

    public TlsContexts(TlsProvider choice, boolean legacyTls) throws SSLException {
        provider = resolve(choice);
        if (provider == SslProvider.JDK) {
            prepareJdkTls(legacyTls);
        }
        String[] protocols = legacyTls
                ? new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"}
                : new String[] {"TLSv1.3", "TLSv1.2"};
        recorded = build(protocols, ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        http11 = build(protocols, ApplicationProtocolNames.HTTP_1_1);
    }

    /** The provider a choice stands for on this machine. */
    public static SslProvider resolve(TlsProvider choice) {
        switch (choice) {
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("TLS provider OPENSSL requested but netty-tcnative (BoringSSL) does not load"
                            + " on this machine: " + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case JDK:
                return SslProvider.JDK;
            default:
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
    }

    /**
     * Prepares the JDK's TLS stack: room for very large certificate messages and, when asked,
     * TLS 1.0 and 1.1 re-enabled. Java 17 disables them through the
     * {@code jdk.tls.disabledAlgorithms} security property; old servers that know nothing newer
     * would then look like failures, and a reconnaissance client that validates nothing gains no
     * safety from refusing them. The property is global to the JVM and read once when the JDK's
     * TLS classes first load, so this must run before any TLS use in the process: the engine
     * calls it when it is built, and a process that opens TLS connections earlier (a test's TLS
     * lab) calls it first itself. Only the two protocol entries are removed; the other
     * restrictions stay.
     */
    public static synchronized void prepareJdkTls(boolean legacyTls) {
        // The JDK refuses handshake messages over 32 KB: a certificate with thousands of SANs is
        // larger. Read once at class loading, like the property below; a user's value is kept.
        if (System.getProperty(MAX_MESSAGE) == null) {
            System.setProperty(MAX_MESSAGE, Integer.toString(MAX_CERTIFICATE_BYTES));
        }
        if (legacyEnabled || !legacyTls) {
            return;
        }
        String current = Security.getProperty(DISABLED);
        if (current != null) {
            List<String> kept = new ArrayList<>();
            for (String entry : current.split(",")) {
                String e = entry.strip();
                if (!e.equals("TLSv1") && !e.equals("TLSv1.1") && !e.isEmpty()) {
                    kept.add(e);
                }
            }
            Security.setProperty(DISABLED, String.join(", ", kept));
            LOG.info("Re-enabled TLSv1 and TLSv1.1 for the JDK TLS provider ({} is now \"{}\")", DISABLED, String.join(", ", kept));
        }
        legacyEnabled = true;
    }

    private SslContext build(String[] protocols, String... alpn) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (provider == SslProvider.OPENSSL) {
            b.option(OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES, MAX_CERTIFICATE_BYTES);
            b.option(OpenSslContextOption.GROUPS, BORINGSSL_GROUPS.clone());
        }
        return b
                .sslProvider(provider)
                .trustManager(TrustAllCapture.INSTANCE)
                .protocols(protocols)
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        Arrays.asList(alpn)))
                .build();
    }

    public SslProvider provider() {
        return provider;
    }

    /** The context whose ALPN offer (h2, http/1.1) is what the outcome records. */
    public SslContext recorded() {
        return recorded;
    }

    /** The context offering only http/1.1, for probes that fetch a page. */
    public SslContext http11() {
        return http11;
    }
}
