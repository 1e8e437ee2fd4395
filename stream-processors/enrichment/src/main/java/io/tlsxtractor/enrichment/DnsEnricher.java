package io.tlsxtractor.enrichment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tlsxtractor.enrichment.internal.AnswerReader;
import io.tlsxtractor.enrichment.internal.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

import java.io.IOException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forward resolution of domains (A, AAAA, and the CNAME chain between) through dnsjava's asynchronous API,
 * for the enrichment step of the stream topologies.
 *
 * <p>Contract of {@link #resolve}: it never blocks the calling thread and never throws; the returned future
 * never completes exceptionally. Every outcome is a {@link DnsAnswerSet} with a {@link DnsStatus}:
 * <ul>
 *   <li>answers are cached (Caffeine, size-bounded) for the smallest record TTL capped by
 *       {@link DnsSettings#maxTtl()}; NXDOMAIN and NODATA for {@link DnsSettings#negativeTtl()}; failures
 *       (timeouts, SERVFAIL, garbage, ...) and partial answers are not cached;</li>
 *   <li>identical resolutions in flight share one set of queries;</li>
 *   <li>queries are paced by a token bucket ({@link DnsSettings#queriesPerSecond()});</li>
 *   <li>at most {@link DnsSettings#maxConcurrentQueries()} resolutions are in flight, those waiting for the
 *       rate limit included. Beyond that, {@code resolve} completes at once with
 *       {@link DnsStatus#OVERLOADED} and sends nothing: a slow resolver cannot build an unbounded backlog,
 *       and the caller learns to retry later.</li>
 * </ul>
 *
 * <p>The futures complete on the enricher's own threads (two daemon threads named {@code tlsx-dns-N}):
 * callers with real work to do on an answer should continue with the {@code *Async} variants.
 */
public final class DnsEnricher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DnsEnricher.class);
    private static final int THREADS = 2;

    private final DnsSettings settings;
    private final List<SimpleResolver> resolvers;
    private final List<String> resolverNames;
    private final Cache<String, DnsAnswerSet> cache;
    private final Map<String, CompletableFuture<DnsAnswerSet>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final TokenBucket bucket;
    private final ScheduledThreadPoolExecutor executor;
    private final LongAdder resolutions = new LongAdder();
    private final LongAdder queriesSent = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder joined = new LongAdder();
    private final Map<DnsStatus, LongAdder> byStatus = new EnumMap<>(DnsStatus.class);
    private volatile boolean closed;

    public DnsEnricher(DnsSettings settings) {
        this.settings = settings;
        List<SimpleResolver> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (InetSocketAddress address : settings.resolverAddresses()) {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(settings.queryTimeout());
            list.add(resolver);
            names.add(address.getAddress().getHostAddress() + ":" + address.getPort());
        }
        this.resolvers = List.copyOf(list);
        this.resolverNames = List.copyOf(names);
        for (DnsStatus status : DnsStatus.values()) {
            byStatus.put(status, new LongAdder());
        }
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfter(new AnswerExpiry())
                .build();
        this.bucket = new TokenBucket(settings.queriesPerSecond(), Math.max(1, settings.queriesPerSecond()),
                System::nanoTime);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "tlsx-dns-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = new ScheduledThreadPoolExecutor(THREADS, threads);
        this.executor.setRemoveOnCancelPolicy(true);
        LOG.info("DNS enricher using {} (timeout {}, {} retries, {} queries/s, {} in flight, cache {} entries)",
                resolverNames, settings.queryTimeout(), settings.retries(), settings.queriesPerSecond(),
                settings.maxConcurrentQueries(), settings.cacheMaxEntries());
    }

    public DnsSettings settings() {
        return settings;
    }

    /**
     * Resolves A and AAAA for the domain, following CNAMEs. Never throws, never blocks, never completes
     * exceptionally (see the class comment for the statuses and the overload rule).
     *
     * @param domain a DNS name, with or without trailing dot, in any case; Unicode names are converted to
     *               their ASCII form
     */
    public CompletableFuture<DnsAnswerSet> resolve(String domain) {
        long start = System.nanoTime();
        resolutions.increment();
        try {
            if (closed) {
                return done(DnsAnswerSet.failure(String.valueOf(domain), DnsStatus.CLOSED, Duration.ZERO,
                        "the DNS enricher is closed"));
            }
            String name = normalize(domain);
            Name qname;
            try {
                qname = name == null ? null : Name.fromString(name + ".");
            } catch (TextParseException e) {
                qname = null;
            }
            if (qname == null) {
                return done(DnsAnswerSet.failure(String.valueOf(domain), DnsStatus.INVALID_NAME, Duration.ZERO,
                        "not a DNS name: '" + domain + "'"));
            }
            DnsAnswerSet cached = cache.getIfPresent(name);
            if (cached != null) {
                cacheHits.increment();
                return done(cached.asCacheHit());
            }
            cacheMisses.increment();
            CompletableFuture<DnsAnswerSet> existing = pending.get(name);
            if (existing != null) {
                joined.increment();
                return existing.copy();
            }
            if (inFlight.incrementAndGet() > settings.maxConcurrentQueries()) {
                inFlight.decrementAndGet();
                return done(DnsAnswerSet.failure(name, DnsStatus.OVERLOADED, Duration.ZERO,
                        settings.maxConcurrentQueries() + " resolutions in flight (dns.max-concurrent-queries); "
                                + "nothing sent, retry later"));
            }
            CompletableFuture<DnsAnswerSet> shared = new CompletableFuture<>();
            CompletableFuture<DnsAnswerSet> raced = pending.putIfAbsent(name, shared);
            if (raced != null) {
                inFlight.decrementAndGet();
                joined.increment();
                return raced.copy();
            }
            shared.whenComplete((answer, error) -> {
                pending.remove(name, shared);
                inFlight.decrementAndGet();
            });
            final Name query = qname;
            lookup(name, query, start).whenComplete((answer, error) -> {
                DnsAnswerSet result = answer != null ? answer
                        : internalError(name, start, error);
                if (result.status().isCacheable() && result.cacheTtl().compareTo(Duration.ZERO) > 0) {
                    cache.put(name, result);
                }
                count(result);
                shared.complete(result);
            });
            return shared.copy();
        } catch (RuntimeException e) {
            return done(internalError(String.valueOf(domain), start, e));
        }
    }

    /** A snapshot of the counters. */
    public DnsMetrics metrics() {
        // Caffeine evicts in the background: settle pending evictions so the size reported is the bounded one.
        cache.cleanUp();
        Map<DnsStatus, Long> counts = new EnumMap<>(DnsStatus.class);
        byStatus.forEach((status, adder) -> {
            long n = adder.sum();
            if (n > 0) {
                counts.put(status, n);
            }
        });
        return new DnsMetrics(resolutions.sum(), queriesSent.sum(), cacheHits.sum(), cacheMisses.sum(), joined.sum(),
                counts, inFlight.get(), cache.estimatedSize());
    }

    /** Drops every cached answer. */
    public void invalidateCache() {
        cache.invalidateAll();
    }

    /**
     * Stops the enricher: resolutions in flight complete with {@link DnsStatus#CLOSED}, later calls too.
     * Queries already sent are abandoned (dnsjava's shared I/O thread times them out).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdownNow();
        for (Map.Entry<String, CompletableFuture<DnsAnswerSet>> e : pending.entrySet()) {
            e.getValue().complete(DnsAnswerSet.failure(e.getKey(), DnsStatus.CLOSED, Duration.ZERO,
                    "the DNS enricher was closed before the answer arrived"));
        }
        cache.invalidateAll();
        LOG.info("DNS enricher closed: {}", metrics());
    }

    // ---------------------------------------------------------------- resolution

    /** What one query type (A or AAAA) came to, after retries and CNAME follow-ups. */
    private record TypeAnswer(DnsStatus status, List<DnsRecord> records, List<String> chain, String resolver,
                              String detail) {
    }

    /** What one DNS message exchange came to. */
    private record Exchange(DnsStatus status, Message response, String resolver, String detail) {
    }

    private CompletableFuture<DnsAnswerSet> lookup(String name, Name qname, long start) {
        CompletableFuture<TypeAnswer> a = queryType(qname, Type.A, List.of(), List.of());
        CompletableFuture<TypeAnswer> aaaa = queryType(qname, Type.AAAA, List.of(), List.of());
        return a.thenCombine(aaaa, (v4, v6) -> combine(name, v4, v6, start));
    }

    private CompletableFuture<TypeAnswer> queryType(Name qname, int type, List<DnsRecord> recordsSoFar,
                                                    List<String> chainSoFar) {
        return exchange(qname, type, 0).thenCompose(x -> {
            if (x.status() != DnsStatus.OK && x.status() != DnsStatus.NXDOMAIN) {
                return CompletableFuture.completedFuture(
                        new TypeAnswer(x.status(), recordsSoFar, chainSoFar, x.resolver(), x.detail()));
            }
            AnswerReader.Read read = AnswerReader.read(x.response(), qname, type);
            List<DnsRecord> records = concat(recordsSoFar, read.records());
            List<String> chain = concat(chainSoFar, read.chain());
            if (read.loop() || chain.size() > AnswerReader.MAX_CHAIN) {
                return CompletableFuture.completedFuture(new TypeAnswer(DnsStatus.GARBAGE, records, chain,
                        x.resolver(), "CNAME chain loops or is longer than " + AnswerReader.MAX_CHAIN));
            }
            if (x.status() == DnsStatus.NXDOMAIN) {
                return CompletableFuture.completedFuture(
                        new TypeAnswer(DnsStatus.NXDOMAIN, records, chain, x.resolver(), x.detail()));
            }
            if (read.addresses() == 0 && !read.chain().isEmpty()) {
                // The server gave the chain but not the end's addresses (it is not authoritative for the
                // target and does not recurse): ask for the end name itself.
                return queryType(read.end(), type, records, chain);
            }
            DnsStatus status = read.addresses() > 0 ? DnsStatus.OK : DnsStatus.NODATA;
            return CompletableFuture.completedFuture(new TypeAnswer(status, records, chain, x.resolver(), ""));
        });
    }

    /** One query, retried on transient failures, each attempt to the next resolver. */
    private CompletableFuture<Exchange> exchange(Name qname, int type, int attempt) {
        return attempt(qname, type, attempt).thenCompose(x -> {
            if (attempt < settings.retries() && retryable(x.status()) && !closed) {
                LOG.debug("{} {} attempt {} via {}: {} ({}), retrying", qname, Type.string(type), attempt + 1,
                        x.resolver(), x.status(), x.detail());
                return exchange(qname, type, attempt + 1);
            }
            return CompletableFuture.completedFuture(x);
        });
    }

    private CompletableFuture<Exchange> attempt(Name qname, int type, int attempt) {
        int index = attempt % resolvers.size();
        SimpleResolver resolver = resolvers.get(index);
        String resolverName = resolverNames.get(index);
        CompletableFuture<Exchange> result = new CompletableFuture<>();
        Runnable send = () -> {
            try {
                queriesSent.increment();
                Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
                // dnsjava enforces the timeout on its I/O thread; the guard makes sure the future ends even
                // if that thread is stuck, a little after dnsjava's own deadline.
                resolver.sendAsync(query, executor).toCompletableFuture()
                        .orTimeout(settings.queryTimeout().toMillis() + 250, TimeUnit.MILLISECONDS)
                        .whenComplete((response, error) -> result.complete(error == null
                                ? classify(response, resolverName)
                                : failureOf(error, resolverName)));
            } catch (RuntimeException e) {
                LOG.warn("cannot send the {} query for {} to {}", Type.string(type), qname, resolverName, e);
                result.complete(new Exchange(DnsStatus.ERROR, null, resolverName, "cannot send the query: " + e));
            }
        };
        long delay = bucket.reserve();
        try {
            if (delay <= 0) {
                send.run();
            } else {
                executor.schedule(send, delay, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            result.complete(new Exchange(DnsStatus.CLOSED, null, resolverName, "the DNS enricher is closed"));
        }
        return result;
    }

    private static Exchange classify(Message response, String resolver) {
        int rcode = response.getRcode();
        return switch (rcode) {
            case Rcode.NOERROR -> new Exchange(DnsStatus.OK, response, resolver, "");
            case Rcode.NXDOMAIN -> new Exchange(DnsStatus.NXDOMAIN, response, resolver, "");
            case Rcode.SERVFAIL -> new Exchange(DnsStatus.SERVFAIL, response, resolver, "resolver answered SERVFAIL");
            case Rcode.REFUSED -> new Exchange(DnsStatus.REFUSED, response, resolver, "resolver answered REFUSED");
            case Rcode.FORMERR -> new Exchange(DnsStatus.FORMERR, response, resolver, "resolver answered FORMERR");
            default -> new Exchange(DnsStatus.OTHER_RCODE, response, resolver,
                    "resolver answered " + Rcode.string(rcode));
        };
    }

    /** The one place where an exception of a DNS exchange becomes a status. */
    private static Exchange failureOf(Throwable error, String resolver) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        DnsStatus status;
        if (e instanceof TimeoutException || e instanceof SocketTimeoutException) {
            status = DnsStatus.TIMEOUT;
            message = "no answer from " + resolver + " in time";
        } else if (e instanceof WireParseException) {
            status = DnsStatus.GARBAGE;
            message = "unreadable answer from " + resolver + ": " + e.getMessage();
        } else if (e instanceof IOException) {
            status = DnsStatus.NETWORK_ERROR;
            message = "cannot query " + resolver + ": " + message;
        } else if (e instanceof RejectedExecutionException) {
            status = DnsStatus.CLOSED;
            message = "the DNS enricher is closed";
        } else {
            // dnsjava signals some malformed answers with runtime exceptions (IllegalArgumentException, ...).
            status = DnsStatus.GARBAGE;
            message = "unreadable answer from " + resolver + ": " + message;
        }
        return new Exchange(status, null, resolver, message);
    }

    private static boolean retryable(DnsStatus status) {
        return switch (status) {
            case TIMEOUT, GARBAGE, NETWORK_ERROR, SERVFAIL, REFUSED -> true;
            default -> false;
        };
    }

    private DnsAnswerSet combine(String name, TypeAnswer v4, TypeAnswer v6, long start) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<DnsRecord> records = new ArrayList<>(new LinkedHashSet<>(concat(v4.records(), v6.records())));
        // CNAME records first, then A, then AAAA: the order the caller reads the chain in.
        records.sort(Comparator.comparingInt(r -> switch (r.type()) {
            case CNAME -> 0;
            case A -> 1;
            case AAAA -> 2;
        }));
        List<String> chain = v4.chain().size() >= v6.chain().size() ? v4.chain() : v6.chain();
        String resolver = v4.resolver().isEmpty() ? v6.resolver() : v4.resolver();
        DnsStatus status;
        String detail = "";
        boolean partial = false;
        if (v4.status() == DnsStatus.OK || v6.status() == DnsStatus.OK) {
            status = DnsStatus.OK;
            TypeAnswer other = v4.status() == DnsStatus.OK ? v6 : v4;
            if (other.status() != DnsStatus.OK && other.status() != DnsStatus.NODATA) {
                partial = true;
                detail = (other == v4 ? "A" : "AAAA") + " query: " + other.status()
                        + (other.detail().isEmpty() ? "" : " (" + other.detail() + ")");
            }
        } else if (v4.status() == DnsStatus.NXDOMAIN || v6.status() == DnsStatus.NXDOMAIN) {
            status = DnsStatus.NXDOMAIN;
        } else if (v4.status() == DnsStatus.NODATA && v6.status() == DnsStatus.NODATA) {
            status = DnsStatus.NODATA;
        } else {
            TypeAnswer failed = v4.status() != DnsStatus.NODATA ? v4 : v6;
            status = failed.status();
            detail = failed.detail();
        }
        Duration ttl = Duration.ZERO;
        if (status == DnsStatus.OK && !partial) {
            long min = records.stream().mapToLong(DnsRecord::ttlSeconds).min().orElse(0);
            ttl = min(Duration.ofSeconds(min), settings.maxTtl());
        } else if (status == DnsStatus.NXDOMAIN || status == DnsStatus.NODATA) {
            ttl = settings.negativeTtl();
        }
        if (status != DnsStatus.OK) {
            LOG.debug("{}: {} {}", name, status, detail);
        }
        return new DnsAnswerSet(name, status, records, chain, ttl, Instant.now(), elapsed, false, resolver, detail);
    }

    // ---------------------------------------------------------------- helpers

    private void count(DnsAnswerSet answer) {
        byStatus.get(answer.status()).increment();
    }

    private CompletableFuture<DnsAnswerSet> done(DnsAnswerSet answer) {
        count(answer);
        return CompletableFuture.completedFuture(answer);
    }

    private DnsAnswerSet internalError(String domain, long start, Throwable error) {
        LOG.warn("DNS resolution of {} failed inside the enricher", domain, error);
        return DnsAnswerSet.failure(domain, DnsStatus.ERROR, Duration.ofNanos(System.nanoTime() - start),
                "internal error: " + error);
    }

    /** Lower case, no trailing dot, ASCII form of Unicode names; null when it cannot be a DNS name. */
    static String normalize(String domain) {
        if (domain == null) {
            return null;
        }
        String s = domain.trim();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 253) {
            return null;
        }
        try {
            s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<T> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Each cached answer lives for its own TTL, fixed when it is written. */
    private static final class AnswerExpiry implements Expiry<String, DnsAnswerSet> {
        @Override
        public long expireAfterCreate(String key, DnsAnswerSet value, long currentTime) {
            return value.cacheTtl().toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, DnsAnswerSet value, long currentTime, long currentDuration) {
            return value.cacheTtl().toNanos();
        }

        @Override
        public long expireAfterRead(String key, DnsAnswerSet value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
