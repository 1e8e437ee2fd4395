package io.tlsxtractor.tlslab;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.tlsxtractor.tlslab.internal.HttpSite;
import io.tlsxtractor.tlslab.internal.LabCertificates;
import io.tlsxtractor.tlslab.internal.LabChannelInitializer;
import io.tlsxtractor.tlslab.internal.LabEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TLS server on loopback that answers for every address of its {@link LabSpec}'s 127.x range,
 * each address with its own host name ({@link #hostName}), certificate and behaviour.
 *
 * <p>One listening socket on {@code 0.0.0.0:<port>} covers all of 127/8 on Linux; the accepted
 * socket's local address says which host was dialled. Connections to addresses outside the lab's
 * range (including non-loopback interfaces) are reset at once.
 *
 * <pre>{@code
 * try (TlsLab lab = TlsLab.start(LabSpec.parse("127.77.0.10 tarpit"), 0)) {
 *     ... connect to 127.77.0.10:lab.port() ...
 * }
 * }</pre>
 */
public final class TlsLab implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsLab.class);

    private final LabSpec spec;
    private final LabCertificates certificates;
    private final LabEngine engine;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final AtomicLong accepted;
    private final boolean epoll;
    private final int port;

    private TlsLab(LabSpec spec, LabCertificates certificates, LabEngine engine, EventLoopGroup boss,
                   EventLoopGroup workers, Channel server, AtomicLong accepted, boolean epoll) {
        this.spec = spec;
        this.certificates = certificates;
        this.engine = engine;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
        this.accepted = accepted;
        this.epoll = epoll;
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Creates the lab CA and starts listening. Leaf certificates are made lazily, on first use.
     *
     * @param port the TCP port, 0 for a free one (see {@link #port()})
     * @throws IllegalStateException when the port cannot be bound
     */
    public static TlsLab start(LabSpec spec, int port) {
        if (spec.nonLoopbackAllowed()) {
            LOG.warn("TLS lab range {} may lie outside 127.0.0.0/8: for use inside a network namespace only", spec.range());
        }
        LabCertificates certificates = new LabCertificates(LocalDate.now(ZoneOffset.UTC));
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            LOG.warn("BoringSSL (netty-tcnative) is not available ({}); using the JDK TLS stack, "
                    + "which refuses TLS 1.0/1.1 under the JDK's default security settings", OpenSsl.unavailabilityCause());
        }
        LabEngine engine = new LabEngine(spec, certificates, provider);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), io);
        AtomicLong accepted = new AtomicLong();
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new LabChannelInitializer(engine, accepted))
                    .bind(new InetSocketAddress("0.0.0.0", port))
                    .syncUninterruptibly()
                    .channel();
            TlsLab lab = new TlsLab(spec, certificates, engine, boss, workers, server, accepted, epoll);
            LOG.info("TLS lab listening on port {} for {} ({} transport, {} TLS)", lab.port(), spec.range(),
                    epoll ? "epoll" : "NIO", provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK");
            return lab;
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            engine.close();
            throw new IllegalStateException("cannot start the TLS lab on 0.0.0.0:" + port + ": " + e, e);
        }
    }

    /** The port the lab listens on (on every 127.x.y.z of its range). */
    public int port() {
        return port;
    }

    public LabSpec spec() {
        return spec;
    }

    /** The behaviour of one address of the lab. */
    public HostBehaviour behaviourFor(InetAddress address) {
        return engine.behaviour(address);
    }

    /** {@code 127.77.0.10} → {@code h-127-77-0-10.lab.test}. */
    public String hostName(InetAddress address) {
        return LabSpec.hostName(address);
    }

    /**
     * Exactly the chain the lab presents to a ClientHello to {@code address} with this SNI (leaf first,
     * without the root); empty when no certificate reaches the client: handshake aborted (SNI profiles),
     * no TLS at all (tarpit, reset, garbage, plain-http) or {@code close-after-hello} (only the
     * ServerHello record is sent). A {@code slow} host does present its chain, one byte per second.
     * Makes the certificate if it does not exist yet, as a connection would.
     */
    public List<X509Certificate> chainFor(InetAddress address, String sniOrNull) {
        if (engine.behaviour(address).has(Profile.CLOSE_AFTER_HELLO)) {
            return List.of();
        }
        LabEngine.Decision decision = engine.decide(address, sniOrNull, true);
        return decision.kind() == LabEngine.Decision.Kind.SERVE ? decision.bundle().chain() : List.of();
    }

    /** The SAN DNS names and the CN of the leaf presented for (address, SNI); empty when none is presented. */
    public Set<String> expectedNames(InetAddress address, String sniOrNull) {
        List<X509Certificate> chain = chainFor(address, sniOrNull);
        return chain.isEmpty() ? Set.of() : Set.copyOf(LabEngine.namesOf(chain.get(0)));
    }

    /**
     * The domains the host's HTTP content names (CSP sources, redirect target, JavaScript), as written
     * there (a CSP wildcard such as {@code *.static.example.com} stays a wildcard); empty without
     * {@code http-*} profiles.
     */
    public Set<String> expectedHttpNames(InetAddress address) {
        return Set.copyOf(engine.site(address).mentionedNames());
    }

    /** The lab's root CA, the trust anchor of every chain it presents (except self-signed ones). */
    public X509Certificate caCertificate() {
        return certificates.root();
    }

    /** The root CA as PEM, for {@code openssl -CAfile} or a trust store. */
    public String caCertificatePem() {
        return LabCertificates.pem(certificates.root());
    }

    /** A PKCS#12 trust store holding the lab's root CA (alias {@code tls-lab-root}). */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("tls-lab-root", certificates.root());
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a trust store with the lab CA: " + e.getMessage(), e);
        }
    }

    /** Intermediate CA 1 (issued by the root) and 2 (issued by 1). */
    public List<X509Certificate> intermediateCertificates() {
        return certificates.intermediates();
    }

    /** Connections accepted since start, on any address (including refused ones outside the range). */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** True when the server runs on the native epoll transport (else NIO). */
    public boolean usesEpoll() {
        return epoll;
    }

    /** The TLS implementation serving handshakes: OPENSSL (BoringSSL via netty-tcnative) or JDK. */
    public SslProvider tlsProvider() {
        return engine.provider();
    }

    /** Where {@code GET /} on the host redirects to ({@code Location}), or null without {@code http-redirect}. */
    public String redirectLocation(InetAddress address) {
        HostBehaviour b = engine.behaviour(address);
        return b.has(Profile.HTTP_REDIRECT) ? new HttpSite(hostName(address), b).redirectLocation() : null;
    }

    /** Stops listening, closes every connection (tarpits included) and frees the TLS contexts. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        engine.close();
        LOG.info("TLS lab on port {} closed after {} connections", port(), accepted.get());
    }
}
