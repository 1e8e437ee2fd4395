package io.tlsxtractor.probe.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.probe.ErrorClassifier;
import io.tlsxtractor.probe.ProbeError;
import io.tlsxtractor.probe.ProbePhase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One connection attempt: connect, TLS handshake, optionally one HTTP exchange (and the
 * redirects it leads to, each on a new connection), all under one deadline. Whatever happens,
 * the result future completes exactly once, no later than the deadline (plus the event loop's
 * scheduling delay), and the channel is closed.
 *
 * <p>Everything happens on one event loop: {@link #start} only hands the work over when called
 * from elsewhere. The deadline is either given (a fallback handshake, a follow-up or a redirect
 * shares the attempt's) or {@linkplain #fromConnect starts when the connect is issued}, the
 * time spent waiting for the loop being bounded separately. The TLS engine is created only once
 * the TCP connection is up: most targets of a scan never answer, and a silent host then costs a
 * socket and a timer, no TLS state.
 */
public final class ProbeAttempt {
    private final Connector connector;
    private final EventLoop loop;
    private final SslContext sslContext;
    private final InetSocketAddress remote;
    private final String sni;
    /** 0 when the deadline is fixed; else the timeout to start at the connect. */
    private final long timeoutFromConnectNanos;
    private final long timeoutMillis;
    private final HttpRequestSpec http;
    private final Executor resolver;
    private final CompletableFuture<AttemptResult> result = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();

    /** The hard deadline; until the connect is issued in from-connect mode, the queueing bound. */
    private volatile long deadlineNanos;
    private final long queuedSinceNanos;
    private volatile ProbePhase phase = ProbePhase.CONNECT;
    private volatile Channel channel;
    private volatile ScheduledFuture<?> timer;
    private long startNanos;
    private long connectedNanos;
    private long handshakeNanos;
    private String tlsVersion;
    private String cipherSuite;
    private String alpn;
    private List<byte[]> chain = List.of();
    private HttpCollector collector;
    private volatile byte[] firstBytes;

    /**
     * An attempt under a deadline that has already started.
     *
     * @param loop the event loop to run on, or {@code null} for the connector's next
     * @param deadlineNanos {@link System#nanoTime()} by which everything must be over
     * @param timeoutMillis the configured timeout, for messages
     * @param http what to fetch after the handshake, or {@code null}
     * @param resolver where blocking DNS look-ups of redirect targets may run
     */
    public ProbeAttempt(Connector connector, EventLoop loop, SslContext sslContext, InetSocketAddress remote, String sni,
                        long deadlineNanos, long timeoutMillis, HttpRequestSpec http, Executor resolver) {
        this(connector, loop, sslContext, remote, sni, deadlineNanos, 0, timeoutMillis, http, resolver);
    }

    private ProbeAttempt(Connector connector, EventLoop loop, SslContext sslContext, InetSocketAddress remote, String sni,
                         long deadlineNanos, long timeoutFromConnectNanos, long timeoutMillis, HttpRequestSpec http,
                         Executor resolver) {
        this.connector = connector;
        this.loop = loop != null ? loop : connector.next();
        this.sslContext = sslContext;
        this.remote = remote;
        this.sni = sni;
        this.deadlineNanos = deadlineNanos;
        this.timeoutFromConnectNanos = timeoutFromConnectNanos;
        this.timeoutMillis = timeoutMillis;
        this.http = http;
        this.resolver = resolver;
        this.queuedSinceNanos = System.nanoTime();
    }

    /**
     * An attempt whose deadline, {@code timeoutMillis}, starts when its connect is issued on the
     * event loop, so that a loop running behind cannot turn a slow start into a host's timeout.
     * If the loop has not issued the connect by {@code queueDeadlineNanos}, the attempt fails
     * with a {@link QueueWaitExceededException} instead.
     */
    public static ProbeAttempt fromConnect(Connector connector, EventLoop loop, SslContext sslContext,
                                           InetSocketAddress remote, String sni, long queueDeadlineNanos,
                                           long timeoutMillis, HttpRequestSpec http, Executor resolver) {
        return new ProbeAttempt(connector, loop, sslContext, remote, sni, queueDeadlineNanos,
                TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis)), timeoutMillis, http, resolver);
    }

    /**
     * The hard deadline ({@link System#nanoTime()}); for an attempt made {@link #fromConnect}, it
     * is known once the connect was issued (before that, the queueing bound). Final once the
     * result has completed.
     */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Starts the attempt on its event loop (right here when called there). */
    public CompletableFuture<AttemptResult> start() {
        if (loop.inEventLoop()) {
            begin();
        } else {
            try {
                loop.execute(this::begin);
            } catch (RejectedExecutionException e) {
                fail(new java.util.concurrent.CancellationException("probe engine closed"));
            }
        }
        return result;
    }

    private void begin() {
        if (finished.get()) {
            return;
        }
        long now = System.nanoTime();
        startNanos = now;
        if (now - deadlineNanos >= 0) {
            fail(timeoutFromConnectNanos == 0 ? new DeadlineExceededException(ProbePhase.CONNECT, timeoutMillis)
                    : new QueueWaitExceededException(TimeUnit.NANOSECONDS.toMillis(now - queuedSinceNanos),
                            TimeUnit.NANOSECONDS.toMillis(deadlineNanos - queuedSinceNanos)));
            return;
        }
        Channel ch;
        try {
            // The kernel's own connect timeout is a backstop only: the attempt's timer fires first.
            long remaining = timeoutFromConnectNanos != 0 ? timeoutFromConnectNanos : deadlineNanos - now;
            ch = connector.newChannel((int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining) + 1000));
            ch.pipeline().addLast("probe", new Events());
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        channel = ch;
        loop.register(ch).addListener(reg -> {
            if (!reg.isSuccess()) {
                ch.unsafe().closeForcibly();
                fail(reg.cause());
                return;
            }
            if (finished.get()) {
                ch.close();
                return;
            }
            connect(ch);
        });
    }

    /** Issues the connect now, on the loop, and arms the deadline timer. */
    private void connect(Channel ch) {
        long now = System.nanoTime();
        if (timeoutFromConnectNanos != 0) {
            deadlineNanos = now + timeoutFromConnectNanos;
        }
        startNanos = now;
        long remaining = deadlineNanos - now;
        if (remaining <= 0) {
            fail(new DeadlineExceededException(ProbePhase.CONNECT, timeoutMillis));
            return;
        }
        timer = loop.schedule(() -> fail(new DeadlineExceededException(phase, timeoutMillis)), remaining,
                TimeUnit.NANOSECONDS);
        ch.connect(remote).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            } else if (connectedNanos == 0) {
                connectedNanos = System.nanoTime();
                phase = ProbePhase.HANDSHAKE;
            }
        });
        // The attempt may have been cancelled meanwhile; its cleanup may have missed the timer.
        if (finished.get()) {
            cleanup();
        }
    }

    /** The TLS engine, made only now that the TCP connection is up; it starts the handshake when added. */
    private void addTls(ChannelHandlerContext ctx) {
        SslHandler ssl = sni == null
                ? sslContext.newHandler(ctx.alloc())
                : sslContext.newHandler(ctx.alloc(), sni, remote.getPort());
        if (sni != null) {
            sendSniEvenWithoutDot(ssl.engine(), sni);
        }
        // The attempt's own deadline covers the handshake; two timers would race.
        ssl.setHandshakeTimeoutMillis(0);
        ctx.pipeline().addBefore("probe", "sniff", new Sniff()).addBefore("probe", "ssl", ssl);
    }

    /**
     * Sets the SNI explicitly when Netty would leave it out. Both providers derive SNI from the
     * peer host only when it contains a dot, but a single-label name ({@code localhost}, an
     * intranet host, a PTR answer from /etc/hosts) is a valid server name and selects a virtual
     * host like any other; an outcome must not claim an SNI that was never sent.
     */
    static void sendSniEvenWithoutDot(SSLEngine engine, String sni) {
        if (sni.indexOf('.') >= 0 || sni.indexOf(':') >= 0) {
            return;
        }
        try {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            engine.setSSLParameters(parameters);
        } catch (IllegalArgumentException e) {
            // Not a host name at all (spaces, bad characters): it cannot be sent, as before.
        }
    }

    /**
     * Keeps the first bytes the server sent. BoringSSL reports a non-TLS answer without them, and
     * they tell a plain HTTP server from one that sends garbage.
     */
    private final class Sniff extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf buf && buf.isReadable()) {
                byte[] head = new byte[Math.min(16, buf.readableBytes())];
                buf.getBytes(buf.readerIndex(), head);
                firstBytes = head;
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Events extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (connectedNanos == 0) {
                connectedNanos = System.nanoTime();
                phase = ProbePhase.HANDSHAKE;
            }
            if (!finished.get()) {
                addTls(ctx);
            }
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    onHandshake(ctx);
                } else {
                    fail(e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (collector != null && collector.reportIfStarted()) {
                return;
            }
            fail(new ClosedChannelException());
        }
    }

    private void onHandshake(ChannelHandlerContext ctx) {
        handshakeNanos = System.nanoTime();
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl.engine().getSession();
        tlsVersion = session.getProtocol();
        cipherSuite = session.getCipherSuite();
        alpn = ssl.applicationProtocol();
        List<byte[]> der = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                der.add(c.getEncoded());
            }
        } catch (SSLPeerUnverifiedException e) {
            // An anonymous handshake presents no certificate; the outcome shows an empty chain.
        } catch (Exception e) {
            // A certificate the provider could not even re-encode: keep the ones before it.
        }
        chain = der;
        if (http == null) {
            succeed(null, null, 0);
            return;
        }
        phase = ProbePhase.HTTP;
        long httpStart = System.nanoTime();
        String url = "https://" + hostHeader() + http.path();
        collector = new HttpCollector(http.maxBodyBytes(), url, response -> onHttp(response, httpStart));
        ctx.pipeline().addBefore("probe", "http-codec", new HttpClientCodec(8192, 65536, 8192));
        ctx.pipeline().addBefore("probe", "http-collector", collector);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, http.path());
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader())
                .set(HttpHeaderNames.USER_AGENT, http.userAgent())
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.channel().writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                fail(f.cause());
            }
        });
    }

    private String hostHeader() {
        String host = http.host();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return remote.getPort() == 443 ? host : host + ":" + remote.getPort();
    }

    private void onHttp(HttpResponse response, long httpStart) {
        long httpNanos = System.nanoTime() - httpStart;
        String location = response.headers().first("Location").orElse(null);
        boolean redirect = response.status() >= 300 && response.status() < 400 && response.status() != 304
                && location != null && http.redirects() != io.tlsxtractor.probe.RedirectPolicy.NONE
                && http.redirectsLeft() > 0;
        if (!redirect) {
            succeed(response, null, httpNanos);
            return;
        }
        URI next;
        try {
            next = URI.create(response.url()).resolve(location.strip());
        } catch (IllegalArgumentException e) {
            succeed(response, null, httpNanos);
            return;
        }
        String host = next.getHost();
        boolean sameHost = host != null && host.equalsIgnoreCase(http.host());
        if (!"https".equalsIgnoreCase(next.getScheme()) || host == null
                || !sameHost && http.redirects() != io.tlsxtractor.probe.RedirectPolicy.ALL) {
            // Not followed: plain http has no TLS to look at, other hosts are out of policy.
            succeed(response, null, httpNanos);
            return;
        }
        int port = next.getPort() > 0 ? next.getPort() : 443;
        String path = (next.getRawPath() == null || next.getRawPath().isEmpty() ? "/" : next.getRawPath())
                + (next.getRawQuery() != null ? "?" + next.getRawQuery() : "");
        HttpRequestSpec nextSpec = http.next(host, path);
        CompletableFuture<InetAddress> address = sameHost
                ? CompletableFuture.completedFuture(remote.getAddress())
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return InetAddress.getByName(host);
                    } catch (java.net.UnknownHostException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }, resolver);
        phase = ProbePhase.HTTP;
        address.thenCompose(ip -> new ProbeAttempt(connector, loop, sslContext, new InetSocketAddress(ip, port), host,
                        deadlineNanos, timeoutMillis, nextSpec, resolver).start())
                .whenComplete((r, error) -> {
                    if (error != null) {
                        succeed(response, ErrorClassifier.classify(error, ProbePhase.HTTP), httpNanos);
                    } else if (r.http() != null) {
                        succeed(r.http(), r.httpError(), httpNanos + r.httpNanos());
                    } else {
                        // The redirect target failed; the page that redirected is what we have.
                        succeed(response, r.error() != null ? r.error() : r.httpError(), httpNanos);
                    }
                });
    }

    private void succeed(HttpResponse response, ProbeError httpError, long httpNanos) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        cleanup();
        result.complete(new AttemptResult(null, ProbePhase.DONE, tlsVersion, cipherSuite, alpn, chain, response,
                httpError, connectedNanos == 0 ? -1 : connectedNanos - startNanos,
                handshakeNanos - connectedNanos, http == null ? -1 : httpNanos));
    }

    /** Ends the attempt with the failure, unless it has ended already. */
    private void fail(Throwable cause) {
        ProbePhase at = phase;
        if (at == ProbePhase.HTTP && handshakeNanos != 0) {
            // The handshake succeeded: the TLS facts stand, only the page is missing.
            if (collector != null && collector.reportIfStarted()) {
                return;
            }
            succeed(null, ErrorClassifier.classify(cause, at), System.nanoTime() - handshakeNanos);
            return;
        }
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        cleanup();
        byte[] head = firstBytes;
        if (head != null && cause instanceof io.netty.handler.codec.DecoderException
                && cause.getCause() instanceof io.netty.handler.ssl.NotSslRecordException) {
            cause = cause.getCause();
        }
        if (head != null && cause instanceof io.netty.handler.ssl.NotSslRecordException
                && (cause.getMessage() == null || !cause.getMessage().contains(": "))) {
            cause = new io.netty.handler.ssl.NotSslRecordException("not an SSL/TLS record: "
                    + java.util.HexFormat.of().formatHex(head));
        }
        ProbeError error = ErrorClassifier.classify(cause, at);
        long now = System.nanoTime();
        result.complete(new AttemptResult(error, at, null, null, null, List.of(), null, null,
                connectedNanos == 0 ? -1 : connectedNanos - startNanos,
                connectedNanos == 0 ? -1 : now - connectedNanos, -1));
    }

    private void cleanup() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Ends the attempt as cancelled (engine shut down or caller gave up). */
    public void cancel() {
        fail(new java.util.concurrent.CancellationException("probe cancelled"));
    }

    @Override
    public String toString() {
        return "ProbeAttempt[" + remote + (sni != null ? " sni=" + sni : "") + ", " + phase.name().toLowerCase(Locale.ROOT) + "]";
    }
}
