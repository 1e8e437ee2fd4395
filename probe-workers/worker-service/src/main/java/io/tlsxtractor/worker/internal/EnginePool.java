package io.tlsxtractor.worker.internal;

import io.tlsxtractor.plugin.api.DomainExtractor;
import io.tlsxtractor.plugins.core.js.JsExtractor;
import io.tlsxtractor.probe.FollowUpFetcher;
import io.tlsxtractor.plugins.core.CorePlugins;
import io.tlsxtractor.probe.ProbeEngine;
import io.tlsxtractor.probe.ProbeSettings;
import io.tlsxtractor.probe.RedirectPolicy;
import io.tlsxtractor.probe.SniPlanner;
import io.tlsxtractor.probe.extractors.CertificateNameExtractor;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe engine (with its SNI planner) per distinct set of block options the engine fixes at
 * construction (timeout, retries, rate, redirects, extractors). Scans usually share one set, so
 * there is usually one engine; idle engines beyond {@link #MAX_IDLE_ENGINES} are closed.
 *
 * <p>Not thread-safe: used by the consumer thread only.
 */
public final class EnginePool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);
    static final int MAX_IDLE_ENGINES = 4;
    private static final Duration REVERSE_DNS_TIMEOUT = Duration.ofSeconds(2);

    /** What distinguishes one engine from another. */
    public record Profile(ProbeSettings settings, List<String> extractors) {
        public Profile {
            extractors = List.copyOf(extractors);
        }
    }

    /** An engine in use; {@link #release()} once per {@link EnginePool#acquire}. */
    public static final class Entry {
        private final ProbeEngine engine;
        private final SniPlanner planner;
        private int users;

        Entry(ProbeEngine engine, SniPlanner planner) {
            this.engine = engine;
            this.planner = planner;
        }

        public SniPlanner planner() {
            return planner;
        }

        public ProbeEngine engine() {
            return engine;
        }

        public void release() {
            users--;
        }

        void close() {
            planner.close();
            engine.close();
        }
    }

    private final ProbeSettings base;
    private final Map<String, DomainExtractor> extractors;
    private final int maxSniNames;
    private final Map<Profile, Entry> entries = new LinkedHashMap<>(8, 0.75f, true);
    private final Set<String> warnedMissing = new HashSet<>();
    /** Engines started so far; read by other threads for the worker's stats. */
    private volatile int started;

    /**
     * @param base the worker's engine settings; {@code maxInFlight} is the worker's budget
     * @param extractors the started extractors by name
     */
    public EnginePool(ProbeSettings base, Map<String, DomainExtractor> extractors, int maxSniNames) {
        this.base = base;
        this.extractors = Map.copyOf(extractors);
        this.maxSniNames = maxSniNames;
    }

    /**
     * The engine profile of a block's options.
     *
     * @throws IllegalArgumentException when the options are out of range (a bad record)
     */
    public Profile profile(ProbeOptions options) {
        ProbeSettings.Builder b = base.toBuilder();
        if (options.getConnectTimeoutMs() > 0) {
            long ms = options.getConnectTimeoutMs();
            if (options.getDeadlineMs() != null && options.getDeadlineMs() > 0) {
                // The engine's deadline is per attempt; a block deadline shorter than the timeout caps it.
                ms = Math.min(ms, options.getDeadlineMs());
            }
            b.timeout(Duration.ofMillis(ms));
        }
        b.retries(options.getRetries());
        double rate = options.getRateLimitPerSecond();
        if (rate > 0) {
            b.rateLimit(base.rateLimit() > 0 ? Math.min(base.rateLimit(), rate) : rate);
        } else if (rate < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond must be >= 0, got " + rate);
        }
        RedirectPolicy redirects = options.getFollowRedirects() ? RedirectPolicy.ALL
                : options.getFollowHostRedirects() ? RedirectPolicy.SAME_HOST : RedirectPolicy.NONE;
        b.redirects(redirects, options.getMaxRedirects());
        return new Profile(b.build(), extractorNames(options));
    }

    /**
     * The extractors a block runs: the certificate extractor (or the block's own list when it has
     * one), plus the CSP extractor when the block fetches CSP; only those this worker enabled.
     */
    List<String> extractorNames(ProbeOptions options) {
        Set<String> wanted = new LinkedHashSet<>();
        if (options.getExtractors() == null || options.getExtractors().isEmpty()) {
            wanted.add(CertificateNameExtractor.NAME);
        } else {
            wanted.addAll(options.getExtractors());
        }
        if (options.getFetchCsp()) {
            wanted.add(CorePlugins.CSP_EXTRACTOR);
        }
        List<String> out = new ArrayList<>();
        for (String name : wanted) {
            if (extractors.containsKey(name)) {
                out.add(name);
            } else if (warnedMissing.add(name)) {
                LOG.warn("A target block asks for extractor '{}', which this worker has not enabled (enabled: {});"
                        + " probing without it", name, extractors.keySet());
            }
        }
        return out;
    }

    /** The engine of a profile, started on first use. */
    public Entry acquire(Profile profile) {
        Entry e = entries.get(profile);
        if (e == null) {
            evictIdle();
            List<DomainExtractor> chosen = new ArrayList<>();
            profile.extractors().forEach(n -> chosen.add(extractors.get(n)));
            ProbeEngine engine = new ProbeEngine(profile.settings(), chosen, followUps(chosen));
            e = new Entry(engine, new SniPlanner(engine, maxSniNames, REVERSE_DNS_TIMEOUT));
            entries.put(profile, e);
            started++;
            LOG.info("Probe engine {} for timeout {} ms, {} retries, rate {}/s, redirects {}, extractors {}",
                    entries.size(), profile.settings().timeout().toMillis(), profile.settings().retries(),
                    profile.settings().rateLimit(), profile.settings().redirects(), profile.extractors());
        }
        e.users++;
        return e;
    }

    /**
     * The JavaScript extractor reads scripts the page references, which the engine fetches on the target's own origin
     * inside its deadline; the engine knows no plugin, so the extractor's two steps are adapted here.
     */
    static List<FollowUpFetcher> followUps(List<DomainExtractor> chosen) {
        List<FollowUpFetcher> fetchers = new ArrayList<>();
        for (DomainExtractor extractor : chosen) {
            if (extractor instanceof JsExtractor js) {
                fetchers.add(FollowUpFetcher.of(js.name(), js.maxScripts(), js.maxScriptBytes(), js::scriptUrls,
                        (url, script) -> js.extractFromScript(script)));
            }
        }
        return fetchers;
    }

    /** Engines running now. */
    public int size() {
        return entries.size();
    }

    /** Engines started since the pool was made (one per distinct profile, again after an idle one was closed). */
    public int started() {
        return started;
    }

    private void evictIdle() {
        Iterator<Map.Entry<Profile, Entry>> it = entries.entrySet().iterator();
        while (entries.size() >= MAX_IDLE_ENGINES && it.hasNext()) {
            Entry e = it.next().getValue();
            if (e.users == 0) {
                it.remove();
                e.close();
            }
        }
    }

    /** Every engine starts no more probes; those already started go on ({@link SniPlanner#stopStarting()}). */
    public void stopStarting() {
        entries.values().forEach(e -> e.planner.stopStarting());
    }

    /** Closes every engine: probes still running end as cancelled. */
    @Override
    public void close() {
        entries.values().forEach(Entry::close);
        entries.clear();
    }
}
