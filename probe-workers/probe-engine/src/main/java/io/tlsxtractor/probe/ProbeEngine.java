package io.tlsxtractor.probe;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.ExtractionInput;
import io.tlsxtractor.plugin.api.HttpResponse;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.probe.internal.AttemptResult;
import io.tlsxtractor.probe.internal.Connector;
import io.tlsxtractor.probe.internal.HttpRequestSpec;
import io.tlsxtractor.probe.internal.ProbeAttempt;
import io.tlsxtractor.probe.internal.ResizableSemaphore;
import io.tlsxtractor.probe.internal.TlsContexts;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import java.util.concurrent.atomic.AtomicReferenceArray;
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
 * back-off, and at least {@link ProbeSettings#connectedTimeoutRetries()} for a target that accepted
 * the TCP connection but timed out in the handshake: under a burst of handshakes on a saturated
 * machine a live host's handshake can end after the deadline, and a scan must not report it
 * silent. Each retry is an attempt of its own, counted in the outcome's attempts.
 *
 * <p>The deadline starts when the attempt's connect is issued on its event loop, not when the
 * target is submitted: a loop that runs behind (a burst of submissions, a starved machine) then
 * costs throughput, never a wrong timeout. The wait for the loop is bounded on its own by
 * {@link ProbeSettings#queueTimeout()}. Submitting only takes a slot and queues the work on an
 * event loop (round robin); the channel is made there, and its TLS engine only once the TCP
 * connection is up.
 *
 * <p>Within an attempt's deadline, besides the connection itself: with {@link TlsProvider#AUTO} on
 * BoringSSL, one more handshake on the JDK provider when the first failed in a way that may mean
 * that no signature algorithm was shared (Ed25519-only servers; see
 * {@link ErrorClassifier#mayLackSharedSignatureAlgorithm}); it is part of the same attempt, not a
 * retry, and the outcome's {@link ProbeOutcome#DETAIL_TLS_PROVIDER} detail says which provider
 * produced it. And the {@link FollowUpFetcher} fetches after the page, at most
 * {@link #FOLLOW_UP_LANES} connections at a time per target. Neither is counted by the rate
 * limits, which meter targets' attempts; both are bounded by the deadline and by count.
 *
 * <p>Thread-safety: every method may be called from any thread, except that {@link #probe} must
 * not be called from the engine's own event loop (it may wait); use {@link #tryProbe} there.
 */
public final class ProbeEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeEngine.class);

    /** Connections open at once for one target's follow-up fetches: what a browser allows, and less. */
    public static final int FOLLOW_UP_LANES = 4;

    private final ProbeSettings settings;
    private final List<DomainExtractor> extractors;
    private final List<FollowUpFetcher> followUps;
    private final boolean extractorsNeedHttp;
    private final TlsContexts tls;
    /** The JDK provider, tried once when BoringSSL may lack the server's signature algorithm; null unless AUTO. */
    private final TlsContexts fallbackTls;
    private final EventLoopGroup group;
    private final Connector connector;
    private final ExecutorService resolver;
    private final ResizableSemaphore slots;
    private final RateLimiter globalRate;
    private final PrefixRateLimiter prefixRate;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong extractorFailures = new AtomicLong();
    private final AtomicLong providerFallbacks = new AtomicLong();
    /** Retries granted by {@link ProbeSettings#connectedTimeoutRetries()} beyond {@link ProbeSettings#retries()}. */
    private final AtomicLong connectedTimeoutRetries = new AtomicLong();
    private final AtomicLong followUpFetches = new AtomicLong();
    private final AtomicLong followUpFailures = new AtomicLong();
    private final String transport;
    private volatile boolean closed;

    /**
     * An engine without follow-up fetches.
     *
     * @param settings validated settings
     * @param extractors started extractors to run on each successful handshake, in order
     * @throws IllegalStateException when the chosen TLS provider cannot be set up here
     */
    public ProbeEngine(ProbeSettings settings, List<DomainExtractor> extractors) {
        this(settings, extractors, List.of());
    }

    /**
     * @param settings validated settings
     * @param extractors started extractors to run on each successful handshake, in order
     * @param followUps fetches after the page, for extractors that read more than the page (see
     *     {@link FollowUpFetcher}); when any is given the page is fetched as for an extractor that
     *     {@linkplain DomainExtractor#needsHttp() needs HTTP}
     * @throws IllegalStateException when the chosen TLS provider cannot be set up here
     */
    public ProbeEngine(ProbeSettings settings, List<DomainExtractor> extractors, List<FollowUpFetcher> followUps) {
        this.settings = settings;
        this.extractors = List.copyOf(extractors);
        this.followUps = List.copyOf(followUps);
        this.extractorsNeedHttp = this.extractors.stream().anyMatch(DomainExtractor::needsHttp);
        try {
            this.tls = new TlsContexts(settings.tlsProvider(), settings.legacyTls());
            this.fallbackTls = settings.tlsProvider() == TlsProvider.AUTO && tls.provider() == SslProvider.OPENSSL
                    ? new TlsContexts(TlsProvider.JDK, settings.legacyTls())
                    : null;
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
        this.connector = new Connector(group, epoll);
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
        LOG.info("Probe engine started: {} TLS{}, {} transport, {} I/O threads, {} in flight, timeout {} ms, {} retries,"
                        + " {} follow-up fetcher(s)",
                tls.provider(), fallbackTls != null ? " (JDK when a server needs a signature algorithm it lacks)" : "",
                transport, threads, settings.maxInFlight(), settings.timeout().toMillis(), settings.retries(),
                this.followUps.size());
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

    /**
     * Counters for metrics: started, completed, extractor failures (fetchers' included), in flight,
     * handshakes retried on the fallback provider, follow-up responses fetched and follow-ups failed,
     * and retries granted to targets that timed out after accepting the connection beyond the
     * configured retries ({@link ProbeSettings#connectedTimeoutRetries()}).
     */
    public Map<String, Long> counters() {
        return Map.of("started", started.get(), "completed", completed.get(), "extractor_failures", extractorFailures.get(),
                "in_flight", (long) running.size(), "tls_provider_fallbacks", providerFallbacks.get(),
                "follow_ups_fetched", followUpFetches.get(), "follow_ups_failed", followUpFailures.get(),
                "connected_timeout_retries", connectedTimeoutRetries.get());
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
        /** Every connection of the run is made on this loop (round robin over the runs). */
        final EventLoop loop = group.next();
        /** Follow-up fetches in progress, closed when the run ends whatever ends it. */
        final Set<ProbeAttempt> followUpAttempts = ConcurrentHashMap.newKeySet();
        volatile ProbeAttempt current;
        volatile int attempts;
        /** The hard deadline of the current attempt; a provider fallback and follow-ups share it. */
        volatile long deadlineNanos;
        /** The first provider's error when the handshake was retried on the fallback provider. */
        volatile ProbeError fallbackFrom;

        Run(ProbeTarget target) {
            this.target = target;
        }

        /** The host name of the page request and of follow-ups: the SNI, else the address. */
        String httpHost() {
            return target.sni() != null ? target.sni() : target.ip().getHostAddress();
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
            // Follow-ups still running when the run ended (engine closed, caller cancelled) are moot.
            run.followUpAttempts.forEach(ProbeAttempt::cancel);
        });
        if (closed) {
            run.future.complete(cancelled(run));
            return run.future;
        }
        schedule(run, 1, delayNanos);
        return run.future;
    }

    /**
     * Hands the attempt to the run's event loop, which creates the channel and connects: the
     * caller's thread only queues it. The queueing bound counts from when the attempt is due.
     */
    private void schedule(Run run, int attempt, long delayNanos) {
        long queueDeadline = System.nanoTime() + Math.max(0, delayNanos) + settings.queueTimeout().toNanos();
        try {
            if (delayNanos <= 0) {
                run.loop.execute(() -> attempt(run, attempt, queueDeadline));
            } else {
                run.loop.schedule(() -> attempt(run, attempt, queueDeadline), delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            // Rejected because the engine is shutting down.
            run.future.complete(cancelled(run));
        }
    }

    private void attempt(Run run, int attempt, long queueDeadlineNanos) {
        if (run.future.isDone()) {
            return;
        }
        if (closed) {
            run.future.complete(cancelled(run));
            return;
        }
        run.attempts = attempt;
        run.deadlineNanos = queueDeadlineNanos;
        connect(run, attempt, tls, true);
    }

    /**
     * One connection of an attempt, on the given provider. The attempt's first connection starts
     * the deadline when it issues its connect; a provider fallback runs under the same deadline.
     */
    private void connect(Run run, int attempt, TlsContexts contexts, boolean first) {
        ProbeTarget t = run.target;
        boolean wantHttp = (settings.fetchHttp() || extractorsNeedHttp || !followUps.isEmpty())
                && (t.sni() != null || settings.httpWithoutSni());
        HttpRequestSpec http = wantHttp
                ? new HttpRequestSpec(run.httpHost(), settings.httpPath(), settings.userAgent(), settings.maxBodyBytes(),
                        settings.redirects(), settings.maxRedirects())
                : null;
        SslContext ssl = wantHttp ? contexts.http11() : contexts.recorded();
        InetSocketAddress remote = new InetSocketAddress(t.ip(), t.port());
        ProbeAttempt a = first
                ? ProbeAttempt.fromConnect(connector, run.loop, ssl, remote, t.sni(), run.deadlineNanos,
                        settings.timeout().toMillis(), http, resolver)
                : new ProbeAttempt(connector, run.loop, ssl, remote, t.sni(), run.deadlineNanos,
                        settings.timeout().toMillis(), http, resolver);
        run.current = a;
        a.start().whenComplete((r, e) -> {
            // The deadline the connect started: the fallback and the follow-ups share it.
            run.deadlineNanos = a.deadlineNanos();
            try {
                onAttempt(run, attempt, contexts, r);
            } catch (RuntimeException | Error bug) {
                LOG.error("Probe engine bug while finishing {}", t, bug);
                run.future.complete(failed(run, ErrorClassifier.classify(bug), null, contexts));
            }
        });
    }

    private void onAttempt(Run run, int attempt, TlsContexts contexts, AttemptResult r) {
        if (run.future.isDone()) {
            return;
        }
        if (r.error() == null) {
            onHandshake(run, attempt, contexts, r);
            return;
        }
        ProbeError error = r.error();
        if (contexts == tls && fallbackTls != null && run.fallbackFrom == null && !closed
                && ErrorClassifier.mayLackSharedSignatureAlgorithm(error) && System.nanoTime() - run.deadlineNanos < 0) {
            run.fallbackFrom = error;
            providerFallbacks.incrementAndGet();
            LOG.debug("Probe {}: {} handshake failed with {} {}, trying {} within the same deadline", run.target,
                    tls.provider(), error.code(), error.details().getOrDefault("alert", ""), fallbackTls.provider());
            connect(run, attempt, fallbackTls, false);
            return;
        }
        TlsContexts reported = contexts;
        if (contexts == fallbackTls && run.fallbackFrom != null) {
            // Neither stack got through: the first one's error is the one comparable with other
            // targets' results; the fallback's is kept beside it.
            error = run.fallbackFrom.withDetails(Map.of("tls_fallback_provider", fallbackTls.provider().name(),
                    "tls_fallback_error", error.code().name()));
            reported = tls;
        }
        // The TCP connection of this attempt was up (the fallback handshake's counts as well).
        boolean connected = r.connectNanos() >= 0 || run.fallbackFrom != null && contexts == fallbackTls;
        if (!closed && settings.retryAfter(attempt, error, connected)) {
            long wait = settings.backoffBefore(attempt + 1).toNanos();
            wait = Math.max(wait, globalRate.reserve());
            if (attempt > settings.retries()) {
                connectedTimeoutRetries.incrementAndGet();
            }
            LOG.debug("Probe {} attempt {} failed with {}{}, retrying in {} ms", run.target, attempt, error.code(),
                    connected ? " after the connection was accepted" : "", TimeUnit.NANOSECONDS.toMillis(wait));
            schedule(run, attempt + 1, wait);
            return;
        }
        if (error.retriable() && !closed) {
            error = error.withDetails(Map.of(ProbeError.DETAIL_MAX_RETRIES_EXHAUSTED, "true"));
        }
        LOG.debug("Probe {} failed: {} after {} attempt(s)", run.target, error.code(), attempt);
        run.future.complete(failed(run, error, r, reported));
    }

    /** The handshake succeeded: run the extractors, then the follow-up fetches if any, then complete. */
    private void onHandshake(Run run, int attempt, TlsContexts contexts, AttemptResult r) {
        ProbeTarget t = run.target;
        List<ExtractedName> names = new ArrayList<>();
        if (t.sni() != null) {
            names.add(ExtractedName.of(t.sni(), ExtractedName.SOURCE_SNI));
        }
        List<String> problems = new ArrayList<>();
        // Parsed once: for the outcome and for the engine's own certificate extractor.
        ParsedCertificate leaf = r.chain().isEmpty() ? null : CertificateParser.parse(r.chain().get(0));
        if (!extractors.isEmpty()) {
            ExtractionInput input = null;
            for (DomainExtractor x : extractors) {
                try {
                    if (x instanceof CertificateNameExtractor certificateNames) {
                        if (leaf != null) {
                            names.addAll(certificateNames.names(leaf));
                        }
                        continue;
                    }
                    if (input == null) {
                        ExtractionInput.Builder in = ExtractionInput.builder(t.ip().getHostAddress(), t.port())
                                .sni(t.sni()).chain(r.chain());
                        if (r.http() != null) {
                            in.http(r.http());
                        }
                        input = in.build();
                    }
                    names.addAll(x.extract(input));
                } catch (RuntimeException e) {
                    extractorFailures.incrementAndGet();
                    problems.add(x.name() + ": " + e);
                    LOG.warn("Extractor {} failed on {}: {}", x.name(), t, e.toString());
                }
            }
        }
        List<FollowUp> plan = r.http() == null || followUps.isEmpty() ? List.of() : planFollowUps(run, r.http(), problems);
        if (plan.isEmpty()) {
            run.future.complete(success(run, attempt, contexts, r, leaf, names, problems, Map.of()));
            return;
        }
        new FollowUpBatch(run, attempt, contexts, r, leaf, names, problems, plan).start();
    }

    /** One URL a fetcher asked for, checked to be on the target's origin. */
    private record FollowUp(FollowUpFetcher fetcher, URI url, String path) {
    }

    /**
     * The fetchers' URLs that are on the target's own origin, each fetcher's first
     * {@link FollowUpFetcher#maxFetches()} of them, without repeats.
     */
    private List<FollowUp> planFollowUps(Run run, HttpResponse page, List<String> problems) {
        List<FollowUp> plan = new ArrayList<>();
        for (FollowUpFetcher f : followUps) {
            int max = f.maxFetches();
            if (max <= 0) {
                continue;
            }
            List<URI> urls;
            try {
                urls = f.urls(page);
            } catch (RuntimeException e) {
                extractorFailures.incrementAndGet();
                problems.add(f.name() + ": " + e);
                LOG.warn("Follow-up fetcher {} failed on the page of {}: {}", f.name(), run.target, e.toString());
                continue;
            }
            Set<String> paths = new HashSet<>();
            for (URI u : urls == null ? List.<URI>of() : urls) {
                if (paths.size() >= max) {
                    break;
                }
                String path = sameOriginPath(u, run.httpHost(), run.target.port());
                if (path == null) {
                    LOG.debug("Follow-up {} of {} is not on the target's origin: not fetched", u, run.target);
                } else if (paths.add(path)) {
                    plan.add(new FollowUp(f, u, path));
                }
            }
        }
        return plan;
    }

    /**
     * The request target ({@code /path?query}) of a URL on origin {@code https://host:port}, or
     * {@code null} when the URL is elsewhere: another scheme, host or port, or user information.
     */
    static String sameOriginPath(URI url, String host, int port) {
        if (url == null || url.getScheme() == null || !url.getScheme().equalsIgnoreCase("https")
                || url.getRawUserInfo() != null || url.getHost() == null) {
            return null;
        }
        String h = url.getHost();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.equalsIgnoreCase(host) || (url.getPort() < 0 ? 443 : url.getPort()) != port) {
            return null;
        }
        // Non-ASCII characters are legal in a java.net.URI but not on a request line.
        URI ascii = URI.create(url.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        if (!path.startsWith("/")) {
            return null;
        }
        return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
    }

    /**
     * The follow-up fetches of one run: at most {@link #FOLLOW_UP_LANES} connections at a time,
     * each a new connection to the target's address with its SNI, all under the run's deadline.
     * The run completes when the last one ends; names keep the order of the plan.
     */
    private final class FollowUpBatch {
        private final Run run;
        private final int attempt;
        private final TlsContexts contexts;
        private final AttemptResult page;
        private final ParsedCertificate leaf;
        private final List<ExtractedName> names;
        private final List<String> problems;
        private final List<FollowUp> plan;
        private final AtomicReferenceArray<List<ExtractedName>> found;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicInteger fetched = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        FollowUpBatch(Run run, int attempt, TlsContexts contexts, AttemptResult page, ParsedCertificate leaf,
                      List<ExtractedName> names, List<String> problems, List<FollowUp> plan) {
            this.run = run;
            this.attempt = attempt;
            this.contexts = contexts;
            this.page = page;
            this.leaf = leaf;
            this.names = names;
            this.problems = Collections.synchronizedList(problems);
            this.plan = plan;
            this.found = new AtomicReferenceArray<>(plan.size());
        }

        void start() {
            for (int lane = 0; lane < Math.min(FOLLOW_UP_LANES, plan.size()); lane++) {
                startNext();
            }
        }

        private void startNext() {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= plan.size() || run.future.isDone()) {
                    return;
                }
                FollowUp job = plan.get(i);
                if (System.nanoTime() - run.deadlineNanos >= 0) {
                    // Past the deadline: the rest is skipped without opening connections.
                    record(i, job, null);
                    if (ended.incrementAndGet() == plan.size()) {
                        finish();
                        return;
                    }
                    continue;
                }
                fetch(i, job);
                return;
            }
        }

        private void fetch(int i, FollowUp job) {
            ProbeTarget t = run.target;
            HttpRequestSpec spec = new HttpRequestSpec(run.httpHost(), job.path(), settings.userAgent(),
                    job.fetcher().maxBytes(), RedirectPolicy.NONE, 0);
            ProbeAttempt a = new ProbeAttempt(connector, run.loop, contexts.http11(), new InetSocketAddress(t.ip(), t.port()), t.sni(),
                    run.deadlineNanos, settings.timeout().toMillis(), spec, resolver);
            run.followUpAttempts.add(a);
            if (run.future.isDone()) {
                a.cancel();
            }
            a.start().whenComplete((r, e) -> {
                run.followUpAttempts.remove(a);
                try {
                    record(i, job, r);
                    if (ended.incrementAndGet() == plan.size()) {
                        finish();
                        return;
                    }
                    // Through the event loop: an attempt that ends at once would otherwise recurse.
                    run.loop.execute(this::startNext);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    run.future.complete(cancelled(run));
                } catch (RuntimeException | Error bug) {
                    LOG.error("Probe engine bug while fetching {} for {}", job.url(), t, bug);
                    run.future.complete(failed(run, ErrorClassifier.classify(bug), null, contexts));
                }
            });
        }

        private void record(int i, FollowUp job, AttemptResult r) {
            HttpResponse response = r == null ? null : r.http();
            if (response == null || response.status() < 200 || response.status() > 299) {
                failed.incrementAndGet();
                followUpFailures.incrementAndGet();
                LOG.debug("Follow-up {} of {} not loaded: {}", job.url(), run.target,
                        response != null ? "HTTP " + response.status()
                                : r == null ? "no result" : r.error() != null ? r.error().code() : r.httpError());
                return;
            }
            fetched.incrementAndGet();
            followUpFetches.incrementAndGet();
            try {
                List<ExtractedName> more = job.fetcher().extract(job.url(), response);
                found.set(i, more == null ? List.of() : List.copyOf(more));
            } catch (RuntimeException e) {
                extractorFailures.incrementAndGet();
                problems.add(job.fetcher().name() + ": " + e);
                LOG.warn("Follow-up fetcher {} failed on {} of {}: {}", job.fetcher().name(), job.url(), run.target,
                        e.toString());
            }
        }

        private void finish() {
            List<ExtractedName> all = new ArrayList<>(names);
            for (int i = 0; i < plan.size(); i++) {
                List<ExtractedName> more = found.get(i);
                if (more != null) {
                    all.addAll(more);
                }
            }
            List<String> allProblems;
            synchronized (problems) {
                allProblems = List.copyOf(problems);
            }
            run.future.complete(success(run, attempt, contexts, page, leaf, all, allProblems, Map.of(
                    ProbeOutcome.DETAIL_FOLLOW_UPS_FETCHED, Integer.toString(fetched.get()),
                    ProbeOutcome.DETAIL_FOLLOW_UPS_FAILED, Integer.toString(failed.get()))));
        }
    }

    private ProbeOutcome success(Run run, int attempt, TlsContexts contexts, AttemptResult r, ParsedCertificate leaf,
                                 List<ExtractedName> names, List<String> problems, Map<String, String> moreDetails) {
        ProbeTarget t = run.target;
        List<byte[]> chain = r.chain();
        List<String> hashes = new ArrayList<>(chain.size());
        chain.forEach(der -> hashes.add(CertificateParser.sha256Hex(der)));
        Map<String, String> details = new LinkedHashMap<>();
        details.put(ProbeOutcome.DETAIL_TLS_PROVIDER, contexts.provider().name());
        ProbeError from = run.fallbackFrom;
        if (from != null && contexts == fallbackTls) {
            details.put(ProbeOutcome.DETAIL_TLS_FALLBACK_FROM, tls.provider().name());
            String alert = from.details().get("alert");
            details.put(ProbeOutcome.DETAIL_TLS_FALLBACK_REASON, from.code().name() + (alert != null ? " " + alert : ""));
        }
        details.putAll(moreDetails);
        return new ProbeOutcome(t, t.sni(), ProbeStatus.SUCCESS, null, r.tlsVersion(), r.cipherSuite(), r.alpn(),
                chain, hashes, leaf, names, timings(run, r), attempt, attempt, r.http(), r.httpError(), problems, details);
    }

    private ProbeOutcome failed(Run run, ProbeError error, AttemptResult r, TlsContexts contexts) {
        ProbeTarget t = run.target;
        Timings timings = r == null ? new Timings(-1, -1, -1, ms(System.nanoTime() - run.startNanos)) : timings(run, r);
        Map<String, String> details = contexts == null ? Map.of()
                : Map.of(ProbeOutcome.DETAIL_TLS_PROVIDER, contexts.provider().name());
        return new ProbeOutcome(t, t.sni(), ProbeStatus.FAILED, error, null, null, null, List.of(), List.of(), null,
                List.of(), timings, Math.max(1, run.attempts), null, null, null, List.of(), details);
    }

    private ProbeOutcome cancelled(Run run) {
        return failed(run, ErrorClassifier.classify(new CancellationException("probe engine closed")), null, null);
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
