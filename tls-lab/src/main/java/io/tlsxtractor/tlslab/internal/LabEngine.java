package io.tlsxtractor.tlslab.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import io.tlsxtractor.tlslab.HostBehaviour;
import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.Profile;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, per (address, SNI), what the lab does: no TLS at all, abort the handshake, or serve a given
 * certificate with a given TLS configuration. The server's handlers and the public assertion helpers
 * of {@code TlsLab} both ask here, so what a test expects is what the server does.
 */
public final class LabEngine implements AutoCloseable {

    /** Cipher suites that TLS 1.0/1.1 can use (CBC with SHA-1 MACs); BoringSSL ignores those it lacks. */
    private static final List<String> LEGACY_CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");

    private final LabSpec spec;
    private final LabCertificates certificates;
    private final SslProvider provider;
    private final Map<InetAddress, HostBehaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, SslContext> contexts = new ConcurrentHashMap<>();
    private final ExecutorService issuer;

    /** What to do with one ClientHello. */
    public static final class Decision {
        public enum Kind { NO_TLS, ABORT, SERVE }

        private final Kind kind;
        private final String reason;
        private final SslContext context;
        private final LabCertificates.CertBundle bundle;

        private Decision(Kind kind, String reason, SslContext context, LabCertificates.CertBundle bundle) {
            this.kind = kind;
            this.reason = reason;
            this.context = context;
            this.bundle = bundle;
        }

        public Kind kind() {
            return kind;
        }

        public String reason() {
            return reason;
        }

        public SslContext context() {
            return context;
        }

        /** The certificate served; null unless {@link Kind#SERVE}. */
        public LabCertificates.CertBundle bundle() {
            return bundle;
        }
    }

    public LabEngine(LabSpec spec, LabCertificates certificates, SslProvider provider) {
        this.spec = spec;
        this.certificates = certificates;
        this.provider = provider;
        AtomicInteger n = new AtomicInteger();
        this.issuer = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tls-lab-issuer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        certificates.warmUp(spec.rules().stream().map(LabSpec.Rule::behaviour).collect(java.util.stream.Collectors.toSet()),
                issuer);
    }

    public LabSpec spec() {
        return spec;
    }

    public SslProvider provider() {
        return provider;
    }

    /** Runs certificate issuing off the event loop (RSA 4096 key generation takes seconds). */
    public ExecutorService issuer() {
        return issuer;
    }

    public HostBehaviour behaviour(InetAddress address) {
        return behaviours.computeIfAbsent(address, spec::behaviourFor);
    }

    public HttpSite site(InetAddress address) {
        return new HttpSite(LabSpec.hostName(address), behaviour(address));
    }

    /**
     * Decides for one ClientHello.
     *
     * @param sni       the server name sent, or null
     * @param mayIssue  false on the event loop: then a decision that needs a new certificate or TLS
     *                  context returns null, and the caller asks again off the loop
     */
    public Decision decide(InetAddress address, String sni, boolean mayIssue) {
        HostBehaviour b = behaviour(address);
        if (!b.speaksTls()) {
            return new Decision(Decision.Kind.NO_TLS, "profile " + b + " does not speak TLS", null, null);
        }
        String host = LabSpec.hostName(address);
        String name = normalise(sni);
        if (name == null && b.has(Profile.SNI_REQUIRED)) {
            return new Decision(Decision.Kind.ABORT, "no SNI sent to an sni-required host", null, null);
        }
        String vhost = vhostFor(b, host, name);
        if (name != null && vhost == null && b.has(Profile.UNKNOWN_SNI_ABORT)) {
            if (!mayIssue && !certificates.isIssued(address, null, b)) {
                return null;
            }
            LabCertificates.CertBundle main = certificates.bundle(address, host, null, b);
            if (namesOf(main.leaf()).stream().noneMatch(pattern -> matches(pattern, name))) {
                return new Decision(Decision.Kind.ABORT, "SNI " + name + " is not a name of " + host, null, null);
            }
        }
        String contextKey = address.getHostAddress() + "|" + (vhost == null ? "" : vhost);
        SslContext context = contexts.get(contextKey);
        if (context == null && !mayIssue) {
            return null;
        }
        LabCertificates.CertBundle bundle = certificates.bundle(address, host, vhost, b);
        if (context == null) {
            context = contexts.computeIfAbsent(contextKey, k -> newContext(bundle, b, k));
        }
        return new Decision(Decision.Kind.SERVE, "serve", context, bundle);
    }

    /** The virtual-host name an SNI selects ({@code vhN.<host>} with N in 1..k), or null. */
    private static String vhostFor(HostBehaviour b, String host, String name) {
        if (name == null || !b.has(Profile.VHOSTS) || !name.startsWith("vh") || !name.endsWith("." + host)) {
            return null;
        }
        String number = name.substring(2, name.length() - host.length() - 1);
        if (number.isEmpty() || number.length() > 3 || !number.chars().allMatch(Character::isDigit) || number.startsWith("0")) {
            return null;
        }
        int n = Integer.parseInt(number);
        return n >= 1 && n <= b.intArgument(Profile.VHOSTS) ? name : null;
    }

    private static String normalise(String sni) {
        if (sni == null || sni.isEmpty()) {
            return null;
        }
        String lower = sni.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Exact match, or a {@code *.suffix} pattern matching exactly one more label. */
    static boolean matches(String pattern, String name) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            return name.endsWith(suffix) && name.length() > suffix.length()
                    && name.substring(0, name.length() - suffix.length()).indexOf('.') < 0;
        }
        return p.equals(name);
    }

    private SslContext newContext(LabCertificates.CertBundle bundle, HostBehaviour b, String key) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(bundle.key(), bundle.chain())
                    .sslProvider(providerFor(b));
            if (b.has(Profile.TLS13)) {
                builder.protocols("TLSv1.3");
            } else if (b.has(Profile.TLS12)) {
                builder.protocols("TLSv1.2");
            } else if (b.has(Profile.TLS10)) {
                builder.protocols("TLSv1", "TLSv1.1");
                builder.ciphers(LEGACY_CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            } else {
                builder.protocols("TLSv1.2", "TLSv1.3");
            }
            if (b.has(Profile.ALPN_H2)) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the " + providerFor(b) + " TLS context for " + key + " (" + b + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * BoringSSL serves everything it can, TLS 1.0/1.1 included; an Ed25519 key makes its handshakes fail
     * with internal_error under netty-tcnative, so Ed25519 hosts are served by the JDK (which signs with
     * Ed25519 in TLS 1.2 and 1.3).
     */
    public SslProvider providerFor(HostBehaviour b) {
        return b.has(Profile.ED25519) ? SslProvider.JDK : provider;
    }

    /** SAN DNS names and the CN of a certificate, in that order. */
    public static Set<String> namesOf(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == 2) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("cannot read the SANs of " + certificate.getSubjectX500Principal(), e);
        }
        String cn = commonName(certificate);
        if (cn != null) {
            names.add(cn);
        }
        return names;
    }

    /** The subject CN as text (Unicode as encoded), or null. */
    public static String commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            if (rdn.getFirst().getValue() instanceof ASN1String) {
                return ((ASN1String) rdn.getFirst().getValue()).getString();
            }
            return IETFUtils.valueToString(rdn.getFirst().getValue());
        }
        return null;
    }

    @Override
    public void close() {
        issuer.shutdownNow();
        contexts.values().forEach(ReferenceCountUtil::release);
        contexts.clear();
    }
}
