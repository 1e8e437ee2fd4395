package io.tlsxtractor.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link ProbeEngine}. Immutable; validated at construction, where every problem is
 * reported at once. {@link #maxInFlight()} and the rates are only the starting values: the engine
 * can change them at run time.
 *
 * @param timeout the hard deadline of one attempt: connect + handshake (+ HTTP), 1.x {@code --timeout};
 *     it starts when the attempt's connect is issued on the engine's event loop (the wait for the
 *     loop is bounded by {@link #queueTimeout()} instead)
 * @param retries further attempts after a transient failure, 1.x {@code --retry}
 * @param connectedTimeoutRetries further attempts that a target gets at least, whatever {@code retries}
 *     says, when an attempt timed out after the target had accepted the TCP connection (0 = none
 *     beyond {@code retries}). Such a host is alive: its handshake ran out of time because it or
 *     this machine was busy (a burst of handshakes on a saturated CPU), not because nobody is there,
 *     and one more attempt after the back-off usually finds it. Silent hosts are not retried for it.
 *     Default 0, so that 1.x {@code --retry 0} keeps meaning one attempt; a scan with retries &gt; 0
 *     already retries these timeouts.
 * @param backoff wait before the first retry; doubled for each further one
 * @param maxBackoff upper bound of the wait between attempts
 * @param maxInFlight targets probed at the same time; {@link ProbeEngine#probe} waits beyond it
 * @param rateLimit connection starts per second over the whole engine, 0 = unlimited
 * @param prefixRateLimit connection starts per second per /24 (IPv4) or /64 (IPv6), 0 = unlimited
 * @param tlsProvider which TLS implementation to use
 * @param legacyTls offer TLS 1.0 and 1.1 as well, so that old servers still answer
 * @param ioThreads event-loop threads, 0 = one per core
 * @param fetchHttp fetch a page over TLS after the handshake (also done when an extractor needs it)
 * @param httpWithoutSni fetch also when no SNI is sent, with the IP as Host (1.x fetched only with a name)
 * @param httpPath path requested
 * @param redirects which redirects to follow
 * @param maxRedirects redirect limit, 1.x {@code --max-redirects}
 * @param maxBodyBytes bytes of body kept; the rest is not read
 * @param userAgent User-Agent header sent
 */
public record ProbeSettings(
        Duration timeout,
        int retries,
        int connectedTimeoutRetries,
        Duration backoff,
        Duration maxBackoff,
        int maxInFlight,
        double rateLimit,
        double prefixRateLimit,
        TlsProvider tlsProvider,
        boolean legacyTls,
        int ioThreads,
        boolean fetchHttp,
        boolean httpWithoutSni,
        String httpPath,
        RedirectPolicy redirects,
        int maxRedirects,
        int maxBodyBytes,
        String userAgent) {

    /** Largest accepted {@link #maxInFlight()}: far above what one process's file descriptors allow. */
    public static final int MAX_IN_FLIGHT_LIMIT = 1_000_000;

    public ProbeSettings {
        List<String> problems = new ArrayList<>();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("timeout must be positive, got " + timeout);
        }
        if (retries < 0 || retries > 100) {
            problems.add("retries must be in 0..100, got " + retries);
        }
        if (connectedTimeoutRetries < 0 || connectedTimeoutRetries > 10) {
            problems.add("connectedTimeoutRetries must be in 0..10, got " + connectedTimeoutRetries);
        }
        if (backoff == null || backoff.isNegative()) {
            problems.add("backoff must be >= 0, got " + backoff);
        }
        if (maxBackoff == null || maxBackoff.isNegative() || backoff != null && maxBackoff.compareTo(backoff) < 0) {
            problems.add("maxBackoff must be >= backoff, got " + maxBackoff);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
            problems.add("maxInFlight must be in 1.." + MAX_IN_FLIGHT_LIMIT + ", got " + maxInFlight);
        }
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
            problems.add("rateLimit must be >= 0 (0 = unlimited), got " + rateLimit);
        }
        if (!(prefixRateLimit >= 0) || Double.isInfinite(prefixRateLimit)) {
            problems.add("prefixRateLimit must be >= 0 (0 = unlimited), got " + prefixRateLimit);
        }
        if (tlsProvider == null) {
            problems.add("tlsProvider is missing");
        }
        if (ioThreads < 0 || ioThreads > 1024) {
            problems.add("ioThreads must be in 0..1024 (0 = one per core), got " + ioThreads);
        }
        if (httpPath == null || !httpPath.startsWith("/")) {
            problems.add("httpPath must start with '/', got " + httpPath);
        }
        if (redirects == null) {
            problems.add("redirects is missing");
        }
        if (maxRedirects < 0 || maxRedirects > 100) {
            problems.add("maxRedirects must be in 0..100, got " + maxRedirects);
        }
        if (maxBodyBytes < 0 || maxBodyBytes > 64 * 1024 * 1024) {
            problems.add("maxBodyBytes must be in 0..67108864, got " + maxBodyBytes);
        }
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            problems.add("userAgent must be printable ASCII, got " + userAgent);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid probe settings: " + String.join("; ", problems));
        }
    }

    /**
     * How long an attempt may wait, once due (after the rate limits' wait or the back-off), for
     * the engine's event loop to issue its connect: twice the {@link #timeout()}, at least 10 s.
     * Beyond it the attempt fails as a connect timeout (exception detail
     * {@code QueueWaitExceededException}). It only comes into play when the engine is given far
     * more than its I/O threads get through; it is separate from the timeout so that such a wait
     * is never taken out of a host's time, and it keeps a slot from being held for ever: a target
     * holds its slot at most its rate wait + back-offs + attempts × (this bound + timeout).
     */
    public Duration queueTimeout() {
        Duration twice = timeout.multipliedBy(2);
        Duration floor = Duration.ofSeconds(10);
        return twice.compareTo(floor) < 0 ? floor : twice;
    }

    /**
     * Whether a target whose attempt {@code attempt} (1 = the first) just failed with {@code error}
     * gets another attempt: a retriable failure within {@link #retries()}, or a timeout after the
     * TCP connection was up within {@link #connectedTimeoutRetries()}.
     *
     * @param connected whether the failed attempt's TCP connection had been established
     */
    public boolean retryAfter(int attempt, ProbeError error, boolean connected) {
        if (!error.retriable()) {
            return false;
        }
        if (attempt <= retries) {
            return true;
        }
        return connected && error.code() == ErrorCode.SOCKET_TIMEOUT && attempt <= connectedTimeoutRetries;
    }

    /** The 1.x defaults: 5 s timeout, 3 retries (1 at least after a timeout on an accepted connection), 50 in flight, no rate limit, no HTTP. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeout = timeout;
        b.retries = retries;
        b.connectedTimeoutRetries = connectedTimeoutRetries;
        b.backoff = backoff;
        b.maxBackoff = maxBackoff;
        b.maxInFlight = maxInFlight;
        b.rateLimit = rateLimit;
        b.prefixRateLimit = prefixRateLimit;
        b.tlsProvider = tlsProvider;
        b.legacyTls = legacyTls;
        b.ioThreads = ioThreads;
        b.fetchHttp = fetchHttp;
        b.httpWithoutSni = httpWithoutSni;
        b.httpPath = httpPath;
        b.redirects = redirects;
        b.maxRedirects = maxRedirects;
        b.maxBodyBytes = maxBodyBytes;
        b.userAgent = userAgent;
        return b;
    }

    /** The wait before attempt {@code attempt} (2 = first retry). */
    public Duration backoffBefore(int attempt) {
        long ms = backoff.toMillis();
        for (int i = 2; i < attempt && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }

    /** Builds {@link ProbeSettings}; unset values are the 1.x defaults. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(5);
        private int retries = 3;
        // Off by default: 1.x's --retry 0 means one attempt per target, and scripts rely on it.
        private int connectedTimeoutRetries = 0;
        private Duration backoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private int maxInFlight = 50;
        private double rateLimit;
        private double prefixRateLimit;
        private TlsProvider tlsProvider = TlsProvider.AUTO;
        private boolean legacyTls = true;
        private int ioThreads;
        private boolean fetchHttp;
        private boolean httpWithoutSni;
        private String httpPath = "/";
        private RedirectPolicy redirects = RedirectPolicy.NONE;
        private int maxRedirects = 10;
        private int maxBodyBytes = 256 * 1024;
        private String userAgent = "TLSXtractor/2.0";

        public Builder timeout(Duration v) {
            timeout = Objects.requireNonNull(v, "timeout");
            return this;
        }

        public Builder retries(int v) {
            retries = v;
            return this;
        }

        public Builder connectedTimeoutRetries(int v) {
            connectedTimeoutRetries = v;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            backoff = initial;
            maxBackoff = max;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder rateLimit(double v) {
            rateLimit = v;
            return this;
        }

        public Builder prefixRateLimit(double v) {
            prefixRateLimit = v;
            return this;
        }

        public Builder tlsProvider(TlsProvider v) {
            tlsProvider = v;
            return this;
        }

        public Builder legacyTls(boolean v) {
            legacyTls = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder fetchHttp(boolean v) {
            fetchHttp = v;
            return this;
        }

        public Builder httpWithoutSni(boolean v) {
            httpWithoutSni = v;
            return this;
        }

        public Builder httpPath(String v) {
            httpPath = v;
            return this;
        }

        public Builder redirects(RedirectPolicy policy, int max) {
            redirects = policy;
            maxRedirects = max;
            return this;
        }

        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder userAgent(String v) {
            userAgent = v;
            return this;
        }

        public ProbeSettings build() {
            return new ProbeSettings(timeout, retries, connectedTimeoutRetries, backoff, maxBackoff, maxInFlight, rateLimit, prefixRateLimit,
                    tlsProvider, legacyTls, ioThreads, fetchHttp, httpWithoutSni, httpPath, redirects, maxRedirects,
                    maxBodyBytes, userAgent);
        }
    }
}
