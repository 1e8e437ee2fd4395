package io.tlsxtractor.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.probe.internal.AttemptResult;
import io.tlsxtractor.probe.internal.HttpRequestSpec;
import io.tlsxtractor.probe.internal.ProbeAttempt;
import io.tlsxtractor.probe.internal.ResizableSemaphore;
import io.tlsxtractor.probe.internal.TlsContexts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous TLS probe engine. It owns the sockets (Netty, epoll where it loads, NIO
 * otherwise) and turns each {@link ProbeTarget} into one {@link ProbeOutcome}: a failed probe is a
 * normal outcome with an error code, never an exception.
 *
 * <p>Bounds, all enforced by the engine: at most {@link #maxInFlight()} targets in progress
 * ({@link #probe} waits for a free slot: that is the caller's backpressure, nothing is queued
 * inside); connection starts per second globally and per /24 or /64; one hard deadline per
 * attempt covering connect + handshake (+ HTTP), after which the channel is closed and the slot
 * freed; at most {@code retries} more attempts, only for transient failures, with exponential
 * back-off.
 *
 * <p>Thread-safety: every method may be called from any thread, except that {@link #probe} must
 * not be called from the engine's own event loop (it may wait); use {@link #tryProbe} there.
 */
public final class ProbeEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeEngine.class);

    private final ProbeSettings settings;
    private final List<DomainExtractor> extractors;
    private final boolean extractorsNeedHttp;
    private final TlsContexts tls;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ExecutorService resolver;
    private final ResizableSemaphore slots;
    private final RateLimiter globalRate;
    private final PrefixRateLimiter prefixRate;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong extractorFailures = new AtomicLong();
    private final String transport;
    private volatile boolean closed;

    /**
     * @param settings validated settings
     * @param extractors started extractors to run on each successful handshake, in order
     * @throws IllegalStateException when the chosen TLS provider cannot be set up here
     */
    public ProbeEngine(ProbeSettings settings, List<DomainExtractor> extractors) {
        this.settings = settings;
        this.extractors = List.copyOf(extractors);
        this.extractorsNeedHttp = this.extractors.stream().anyMatch(DomainExtractor::needsHttp);
        try {
            this.tls = new TlsContexts(settings.tlsProvider(), settings.legacyTls());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the TLS client (" + settings.tlsProvider() + "): " + e.getMessage(), e);
        }
        int threads = settings.ioThreads() == 0 ? Runtime.getRuntime().availableProcessors() : settings.ioThreads();
        boolean epoll = Epoll.isAvailable();
        this.transport = epoll ? "epoll" : "nio";
        this.group = new MultiThreadIoEventLoopGroup(threads, r -> {
            Thread t = new Thread(r, "probe-io-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, false);
        // Redirects to other hosts need a DNS look-up, which the JDK does blocking: a small pool
        // with a bounded queue keeps that off the event loop without growing without bound.
        this.resolver = new ThreadPoolExecutor(1, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "probe-resolver");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.slots = new ResizableSemaphore(settings.maxInFlight());
        this.globalRate = new RateLimiter(settings.rateLimit());
        this.prefixRate = new PrefixRateLimiter(settings.prefixRateLimit());
        LOG.info("Probe engine started: {} TLS, {} transport, {} I/O threads, {} in flight, timeout {} ms, {} retries",
                tls.provider(), transport, threads, settings.maxInFlight(), settings.timeout().toMillis(), settings.retries());
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * Prepares the JDK's TLS stack: TLS 1.0/1.1 re-enabled and room for very large certificates
     * (see {@link TlsContexts#prepareJdkTls(boolean)}).
     * The engine does this itself; a process that uses JDK TLS before building an engine calls it first.
     */
    public static void enableLegacyJdkTls() {
        TlsContexts.prepareJdkTls(true);
    }

    public ProbeSettings settings() {
        return settings;
    }

    /** The TLS implementation in use ({@code OPENSSL} = BoringSSL, or {@code JDK}). */
    public SslProvider tlsProvider() {
        return tls.provider();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /**
     * Probes a target, waiting first for the rate limits and for a free slot: a caller submitting
     * faster than the engine can go is slowed down here.
     *
     * @return completes with the outcome (never exceptionally, except when the caller cancels it)
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when the engine is closed, or when called from its event loop
     */
    public CompletableFuture<ProbeOutcome> probe(ProbeTarget target) throws InterruptedException {
        checkCanWait();
        prefixRate.acquire(target.ip());
        globalRate.acquire();
        slots.acquire();
        return startHoldingSlot(target, 0);
    }

    /**
     * Probes a target if a slot is free right now, without waiting; the connection starts when the
     * rate limits allow. Empty when the engine is at capacity.
     */
    public Optional<CompletableFuture<ProbeOutcome>> tryProbe(ProbeTarget target) {
        ensureOpen();
        if (!slots.tryAcquire()) {
            return Optional.empty();
        }
        long wait = Math.max(prefixRate.reserve(target.ip()), globalRate.reserve());
        return Optional.of(startHoldingSlot(target, wait));
    }

    /** Targets in progress now. */
    public int inFlight() {
        return running.size();
    }

    /** Free slots now (negative right after the limit was lowered below the load). */
    public int availableSlots() {
        return slots.availablePermits();
    }

    public int maxInFlight() {
        return slots.size();
    }

    /** Changes the concurrency limit without restart; running probes are not interrupted. */
    public void setMaxInFlight(int max) {
        if (max < 1 || max > ProbeSettings.MAX_IN_FLIGHT_LIMIT) {
            throw new IllegalArgumentException("maxInFlight must be in 1.." + ProbeSettings.MAX_IN_FLIGHT_LIMIT + ", got " + max);
        }
        slots.resize(max);
        LOG.info("Probe engine: max in flight set to {}", max);
    }

    /** Changes the global rate limit (connections per second, 0 = unlimited) without restart. */
    public void setRate(double perSecond) {
        globalRate.setRate(perSecond);
        LOG.info("Probe engine: rate limit set to {}/s", perSecond);
    }

    /** Changes the per-/24 and per-/64 rate limit without restart. */
    public void setPrefixRate(double perSecond) {
        prefixRate.setRate(perSecond);
        LOG.info("Probe engine: per-network rate limit set to {}/s", perSecond);
    }

    public double rate() {
        return globalRate.rate();
    }

    public double prefixRate() {
        return prefixRate.rate();
    }

    /** Counters for metrics: started, completed, extractor failures. */
    public Map<String, Long> counters() {
        return Map.of("started", started.get(), "completed", completed.get(), "extractor_failures", extractorFailures.get(),
                "in_flight", (long) running.size());
    }

    private void checkCanWait() {
        ensureOpen();
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                throw new IllegalStateException("probe() waits for capacity and must not run on the engine's event loop;"
                        + " use tryProbe() or hand the call to another thread");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the probe engine is closed");
        }
    }

    /** One target's progress through its attempts. Holds one slot from start to end. */
    private final class Run {
        final ProbeTarget target;
        final CompletableFuture<ProbeOutcome> future = new CompletableFuture<>();
        final long startNanos = System.nanoTime();
        volatile ProbeAttempt current;
        volatile int attempts;

        Run(ProbeTarget target) {
            this.target = target;
        }
    }

    private CompletableFuture<ProbeOutcome> startHoldingSlot(ProbeTarget target, long delayNanos) {
        Run run = new Run(target);
        running.add(run);
        started.incrementAndGet();
        run.future.whenComplete((o, e) -> {
            // Runs once whatever ends the run: its outcome, a cancel by the caller, engine close.
            if (running.remove(run)) {
                slots.release();
                completed.incrementAndGet();
            }
            ProbeAttempt a = run.current;
            if (e != null && a != null) {
                a.cancel();
            }
        });
        if (closed) {
            run.future.complete(cancelled(run));
            return run.future;
        }
        schedule(run, 1, delayNanos);
        return run.future;
    }

    private void schedule(Run run, int attempt, long delayNanos) {
        try {
            if (delayNanos <= 0) {
                attempt(run, attempt);
            } else {
                group.next().schedule(() -> attempt(run, attempt), delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            // Rejected because the engine is shutting down.
            run.future.complete(cancelled(run));
        }
    }

    private void attempt(Run run, int attempt) {
        if (run.future.isDone()) {
            return;
        }
        if (closed) {
            run.future.complete(cancelled(run));
            return;
        }
        run.attempts = attempt;
        ProbeTarget t = run.target;
        boolean wantHttp = (settings.fetchHttp() || extractorsNeedHttp) && (t.sni() != null || settings.httpWithoutSni());
        HttpRequestSpec http = wantHttp
                ? new HttpRequestSpec(t.sni() != null ? t.sni() : t.ip().getHostAddress(), settings.httpPath(),
                        settings.userAgent(), settings.maxBodyBytes(), settings.redirects(), settings.maxRedirects())
                : null;
        long timeoutNanos = settings.timeout().toNanos();
        ProbeAttempt a = new ProbeAttempt(bootstrap, wantHttp ? tls.http11() : tls.recorded(),
                new InetSocketAddress(t.ip(), t.port()), t.sni(), System.nanoTime() + timeoutNanos,
                settings.timeout().toMillis(), http, resolver);
        run.current = a;
        a.start().whenComplete((r, e) -> {
            try {
                onAttempt(run, attempt, r);
            } catch (RuntimeException | Error bug) {
                LOG.error("Probe engine bug while finishing {}", t, bug);
                run.future.complete(failed(run, ErrorClassifier.classify(bug), null));
            }
        });
    }

    private void onAttempt(Run run, int attempt, AttemptResult r) {
        if (run.future.isDone()) {
            return;
        }
        if (r.error() == null) {
            run.future.complete(success(run, attempt, r));
            return;
        }
        ProbeError error = r.error();
        if (error.retriable() && attempt <= settings.retries() && !closed) {
            long wait = settings.backoffBefore(attempt + 1).toNanos();
            wait = Math.max(wait, globalRate.reserve());
            LOG.debug("Probe {} attempt {} failed with {}, retrying in {} ms", run.target, attempt, error.code(),
                    TimeUnit.NANOSECONDS.toMillis(wait));
            schedule(run, attempt + 1, wait);
            return;
        }
        LOG.debug("Probe {} failed: {} after {} attempt(s)", run.target, error.code(), attempt);
        run.future.complete(failed(run, error, r));
    }

    private ProbeOutcome success(Run run, int attempt, AttemptResult r) {
        ProbeTarget t = run.target;
        List<byte[]> chain = r.chain();
        List<String> hashes = new ArrayList<>(chain.size());
        chain.forEach(der -> hashes.add(CertificateParser.sha256Hex(der)));
        ParsedCertificate leaf = chain.isEmpty() ? null : CertificateParser.parse(chain.get(0));
        List<ExtractedName> names = new ArrayList<>();
        if (t.sni() != null) {
            names.add(ExtractedName.of(t.sni(), ExtractedName.SOURCE_SNI));
        }
        List<String> problems = new ArrayList<>();
        if (!extractors.isEmpty()) {
            ExtractionInput.Builder in = ExtractionInput.builder(t.ip().getHostAddress(), t.port()).sni(t.sni()).chain(chain);
            if (r.http() != null) {
                in.http(r.http());
            }
            ExtractionInput input = in.build();
            for (DomainExtractor x : extractors) {
                try {
                    names.addAll(x.extract(input));
                } catch (RuntimeException e) {
                    extractorFailures.incrementAndGet();
                    problems.add(x.name() + ": " + e);
                    LOG.warn("Extractor {} failed on {}: {}", x.name(), t, e.toString());
                }
            }
        }
        return new ProbeOutcome(t, t.sni(), ProbeStatus.SUCCESS, null, r.tlsVersion(), r.cipherSuite(), r.alpn(),
                chain, hashes, leaf, names, timings(run, r), attempt, attempt, r.http(), r.httpError(), problems);
    }

    private ProbeOutcome failed(Run run, ProbeError error, AttemptResult r) {
        ProbeTarget t = run.target;
        Timings timings = r == null ? new Timings(-1, -1, -1, ms(System.nanoTime() - run.startNanos)) : timings(run, r);
        return new ProbeOutcome(t, t.sni(), ProbeStatus.FAILED, error, null, null, null, List.of(), List.of(), null,
                List.of(), timings, Math.max(1, run.attempts), null, null, null, List.of());
    }

    private ProbeOutcome cancelled(Run run) {
        return failed(run, ErrorClassifier.classify(new CancellationException("probe engine closed")), null);
    }

    private Timings timings(Run run, AttemptResult r) {
        return new Timings(ms(r.connectNanos()), ms(r.handshakeNanos()), ms(r.httpNanos()),
                ms(System.nanoTime() - run.startNanos));
    }

    private static long ms(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * Stops the engine: probes in progress end as {@link ErrorCode#CANCELLED}, sockets are closed,
     * threads stop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Run run : running) {
            run.future.complete(cancelled(run));
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        resolver.shutdownNow();
        LOG.info("Probe engine closed: {} probes started, {} completed", started.get(), completed.get());
    }
}
