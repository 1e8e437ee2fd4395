package io.tlsxtractor.probe;

import io.tlsxtractor.plugin.api.ExtractedName;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands one endpoint into its probes according to an {@link SniStrategy} and runs them on a
 * {@link ProbeEngine}. Every outcome carries the SNI that produced it, so each name found is
 * tagged with the server name that revealed it.
 *
 * <p>Follow-up probes are submitted from the planner's own threads, never from the engine's event
 * loop, because {@link ProbeEngine#probe} may wait for capacity. PTR look-ups (blocking in the
 * JDK) run on a small dedicated pool and are abandoned after a bound.
 */
public final class SniPlanner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SniPlanner.class);
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)+");
    /** A PTR answer may be a single label ({@code localhost} from /etc/hosts): still a server name. */
    private static final Pattern PTR_NAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final ProbeEngine engine;
    private final int maxNames;
    private final Duration reverseDnsTimeout;
    private final ExecutorService submitter;
    private final ExecutorService dns;
    private volatile boolean stopping;

    /**
     * @param maxNames most SNI values probed per endpoint beyond the first handshake (LEARNED, NAMES)
     * @param reverseDnsTimeout bound of one PTR look-up
     */
    public SniPlanner(ProbeEngine engine, int maxNames, Duration reverseDnsTimeout) {
        if (maxNames < 0 || maxNames > 10_000) {
            throw new IllegalArgumentException("maxNames must be in 0..10000, got " + maxNames);
        }
        if (reverseDnsTimeout.isNegative() || reverseDnsTimeout.isZero()) {
            throw new IllegalArgumentException("reverseDnsTimeout must be positive, got " + reverseDnsTimeout);
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.maxNames = maxNames;
        this.reverseDnsTimeout = reverseDnsTimeout;
        // Its queue holds one small task per endpoint in progress, which the caller bounds.
        this.submitter = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("sni-planner"));
        this.dns = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                daemon("sni-ptr"), new ThreadPoolExecutor.AbortPolicy());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Probes an endpoint with the SNI values the strategy calls for.
     *
     * @param target the endpoint; its {@code sni} is the first handshake's SNI for LEARNED
     * @param strategy how to choose the names
     * @param hostname the input host name (HOSTNAME), may be {@code null} otherwise
     * @param names the names to try (NAMES), may be empty otherwise
     * @return all outcomes, first handshake first
     */
    public CompletableFuture<List<ProbeOutcome>> probe(ProbeTarget target, SniStrategy strategy, String hostname,
                                                       List<String> names) {
        switch (strategy) {
            case NONE:
                return submitAll(List.of(target.withSni(null)));
            case HOSTNAME:
                return submitAll(List.of(target.withSni(hostname)));
            case NAMES: {
                List<ProbeTarget> probes = new ArrayList<>();
                for (String n : distinct(names)) {
                    if (probes.size() >= Math.max(1, maxNames)) {
                        break;
                    }
                    probes.add(target.withSni(n));
                }
                return submitAll(probes.isEmpty() ? List.of(target.withSni(null)) : probes);
            }
            case LEARNED:
                return submitAll(List.of(target)).thenComposeAsync(first -> learned(target, first.get(0)), submitter);
            case REVERSE_DNS:
                return reverseName(target.ip()).thenComposeAsync(ptr -> {
                    List<ProbeTarget> probes = new ArrayList<>();
                    probes.add(target.withSni(null));
                    ptr.ifPresent(p -> probes.add(target.withSni(p)));
                    return submitAll(probes);
                }, submitter);
            default:
                throw new IllegalArgumentException("unknown SNI strategy " + strategy);
        }
    }

    /** The names worth a handshake of their own, from an outcome: SAN and CN, no wildcards, no IPs. */
    public static List<String> learnableNames(ProbeOutcome outcome) {
        Set<String> out = new LinkedHashSet<>();
        for (ExtractedName n : outcome.names()) {
            if (!n.source().equals(ExtractedName.SOURCE_SAN) && !n.source().equals(ExtractedName.SOURCE_CN)) {
                continue;
            }
            String name = normalise(n.name());
            if (name != null) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static String normalise(String raw) {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.contains("*") || IP_LITERAL.matcher(name).matches() || !HOSTNAME.matcher(name).matches()) {
            return null;
        }
        return name;
    }

    private static String normalisePtr(String raw) {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        // Without a PTR record the JDK answers with the address itself.
        if (IP_LITERAL.matcher(name).matches() || !PTR_NAME.matcher(name).matches()) {
            return null;
        }
        return name;
    }

    private CompletableFuture<List<ProbeOutcome>> learned(ProbeTarget target, ProbeOutcome first) {
        Set<String> tried = new LinkedHashSet<>();
        if (target.sni() != null) {
            tried.add(target.sni().toLowerCase(Locale.ROOT));
        }
        List<ProbeTarget> more = new ArrayList<>();
        for (String name : learnableNames(first)) {
            if (more.size() >= maxNames) {
                LOG.debug("SNI planner: {} has more names than the limit of {}", target, maxNames);
                break;
            }
            if (tried.add(name)) {
                more.add(target.withSni(name));
            }
        }
        return submitAll(more).thenApply(rest -> {
            List<ProbeOutcome> all = new ArrayList<>(rest.size() + 1);
            all.add(first);
            all.addAll(rest);
            return all;
        });
    }

    private CompletableFuture<java.util.Optional<String>> reverseName(InetAddress ip) {
        CompletableFuture<java.util.Optional<String>> lookup;
        try {
            lookup = CompletableFuture.supplyAsync(() -> {
                try {
                    // A fresh address object: one built from a name would answer with that name.
                    String name = InetAddress.getByAddress(ip.getAddress()).getCanonicalHostName();
                    return java.util.Optional.ofNullable(normalisePtr(name));
                } catch (java.net.UnknownHostException e) {
                    return java.util.Optional.<String>empty();
                }
            }, dns);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(java.util.Optional.empty());
        }
        return lookup.completeOnTimeout(java.util.Optional.empty(), reverseDnsTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> java.util.Optional.empty());
    }

    private CompletableFuture<List<ProbeOutcome>> submitAll(List<ProbeTarget> targets) {
        if (targets.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<ProbeOutcome>> futures = new ArrayList<>();
            for (ProbeTarget t : targets) {
                if (stopping) {
                    throw new CancellationException("not started: the planner is stopping");
                }
                try {
                    futures.add(engine.probe(t));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }
            return futures;
        }, submitter).thenCompose(futures -> CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList()));
    }

    private static List<String> distinct(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                out.add(n.strip());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Starts no more probes: endpoints still waiting for their turn (the rate limit, a free in-flight slot) end at once
     * with a {@link CancellationException}, and only the probes already started go on. For a worker that stops: a probe
     * started while it is stopping would reach the server and then be dropped, and be probed again by whoever redoes
     * the work.
     */
    public void stopStarting() {
        stopping = true;
        // Waiting tasks run here and fail at once (so that their futures complete); running ones are interrupted out
        // of their wait for a permit.
        for (Runnable waiting : submitter.shutdownNow()) {
            waiting.run();
        }
    }

    @Override
    public void close() {
        submitter.shutdownNow();
        dns.shutdownNow();
    }
}
