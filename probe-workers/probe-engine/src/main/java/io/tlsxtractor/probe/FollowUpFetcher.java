package io.tlsxtractor.probe;

import io.tlsxtractor.plugin.api.ExtractedName;
import io.tlsxtractor.plugin.api.HttpResponse;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A request for more HTTP fetches after a target's page, on the target's own origin, and the step
 * that reads names out of each fetched response. It lets an extractor that needs more than the
 * first page (the JavaScript extractor needs the scripts the page loads) get them without doing
 * I/O itself and without the engine knowing the extractor: the code that wires the engine adapts
 * the extractor to this interface, for example
 * {@code FollowUpFetcher.of(js.name(), js.maxScripts(), js.maxScriptBytes(), js::scriptUrls,
 * (url, response) -> js.extractFromScript(response))}.
 *
 * <p>What the engine guarantees (see {@link ProbeEngine}): the page is fetched whenever a fetcher
 * is given; {@link #urls} is called on it; only URLs on the target's origin are fetched (scheme
 * {@code https}, the host the page was asked from, the target's port), each at most once, at most
 * {@link #maxFetches()} of them, over new connections to the same address with the same SNI,
 * following no redirect; at most {@link #maxBytes()} bytes of each body are read (the rest is
 * not); everything ends by the target's deadline, and a fetch still running then is abandoned. Only
 * 2xx responses reach {@link #extract}; a URL that fails to load is skipped and counted in the
 * outcome's {@link ProbeOutcome#DETAIL_FOLLOW_UPS_FAILED} detail.
 *
 * <p>Both methods are called on the engine's I/O threads, concurrently for different targets: they
 * must not block. An exception is handled like an extractor's: logged, counted, recorded in
 * {@link ProbeOutcome#extractorProblems()}, and the probe goes on.
 */
public interface FollowUpFetcher {

    /** Name in logs, problems and counters: the extractor's plugin name. */
    String name();

    /** Most URLs fetched per target; 0 fetches none. */
    int maxFetches();

    /** Most body bytes read of one response; a longer body is truncated. */
    int maxBytes();

    /**
     * The URLs wanted after the target's page, in order of preference; URLs on other origins are
     * dropped by the engine, and only the first {@link #maxFetches()} kept are fetched.
     */
    List<URI> urls(HttpResponse page);

    /**
     * The names in one fetched response; the fetcher chooses their source and detail (the
     * JavaScript extractor reports source {@code js} with the script URL as detail).
     *
     * @param url the URL as returned by {@link #urls}
     * @param response what the server answered (status 2xx), body possibly truncated
     */
    List<ExtractedName> extract(URI url, HttpResponse response);

    /**
     * A fetcher from functions; the bounds are read once here.
     *
     * @throws IllegalArgumentException when a bound is negative or {@code maxBytes} exceeds 64 MiB
     */
    static FollowUpFetcher of(String name, int maxFetches, int maxBytes, Function<HttpResponse, List<URI>> urls,
                              BiFunction<URI, HttpResponse, List<ExtractedName>> extract) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(extract, "extract");
        if (maxFetches < 0) {
            throw new IllegalArgumentException("follow-up fetcher " + name + ": maxFetches must be >= 0, got " + maxFetches);
        }
        if (maxBytes < 0 || maxBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("follow-up fetcher " + name + ": maxBytes must be in 0..67108864, got "
                    + maxBytes);
        }
        return new FollowUpFetcher() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int maxFetches() {
                return maxFetches;
            }

            @Override
            public int maxBytes() {
                return maxBytes;
            }

            @Override
            public List<URI> urls(HttpResponse page) {
                return urls.apply(page);
            }

            @Override
            public List<ExtractedName> extract(URI url, HttpResponse response) {
                return extract.apply(url, response);
            }

            @Override
            public String toString() {
                return "FollowUpFetcher[" + name + ", " + maxFetches + " fetches, " + maxBytes + " bytes]";
            }
        };
    }
}
