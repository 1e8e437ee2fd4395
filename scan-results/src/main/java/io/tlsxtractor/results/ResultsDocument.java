package io.tlsxtractor.results;

import io.tlsxtractor.plugin.api.FilterContext;
import io.tlsxtractor.plugins.core.names.DomainNames;
import io.tlsxtractor.results.internal.RegistrableDomains;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Accumulates probe results into the 1.x {@code results.json} document (V1-COMPAT.md).
 * Thread-safe; memory grows with the number of distinct targets, not with replays.
 *
 * <p><b>Replays.</b> Upstream delivery is at least once, so a target can be reported twice, in any
 * order. Results are keyed by {@code ip:port} and SNI; for a key already held, a successful result
 * replaces a failed one and is never replaced by one, and otherwise the result probed later
 * ({@code probedAt}; on a tie, the one that arrived later) wins. A result keeps the position of its
 * key's first arrival, so the document lists targets in first-completion order, as 1.x did.
 *
 * <p><b>Grouping.</b> A result with a {@code url} (or, failing that, a {@code hostname}) belongs to
 * that URL's entry in {@code url_scan} and {@code mixed_scan}; the others are the IP results.
 * URL entries registered with {@link #addUrl} come first, in registration order, with their DNS
 * facts; a URL seen only in results gets {@code dns_status} {@code success} and the addresses of
 * its connections as {@code resolved_ips}.
 *
 * <p><b>Statistics.</b> Counted over the de-duplicated results: {@code scanned} results,
 * {@code successful} ones (status {@code success}), {@code failed} (the rest),
 * {@code unique_domains} (distinct lower-case names of successful results); {@code error_breakdown}
 * counts failed results by {@code error_category} and {@code error_code}, and successful ones by
 * {@code successful_attempt} ({@code retry_success_distribution}, keys are attempt numbers as
 * strings). {@code elapsed_seconds} and {@code scan_rate} (results per second) are rounded to two
 * decimals.
 *
 * <p><b>Discovered hosts.</b> Every name of the results (SNI, domains, certificate SANs and subject
 * CN) and the host name of every URL entry, trimmed of white space and dots and lower-cased, then:
 * dropped and counted in {@code filtered_count} if a filter drops it; a name containing {@code *}
 * goes to {@code wildcards} and the eTLD+1 of its base to {@code tlds}; a name failing the 1.x
 * validity rule, or an IP address, is left out (it stays in its result); a registrable domain
 * (eTLD+1 by the ICANN section of the Public Suffix List) goes to {@code tlds}; any other name to
 * {@code hostnames}, and its eTLD+1 to {@code tlds}. {@code new_hostnames} are hostnames not in the
 * input, {@code new_tlds} registrable domains that are neither an input name nor the registrable
 * domain of one. {@code source_breakdown} counts distinct names per source ({@code san},
 * {@code cn}, {@code csp} always, then {@code js} and plugin names when they found any).
 */
public final class ResultsDocument {
    /** The value of {@code metadata.version}: the 1.x document format. */
    public static final String FORMAT_VERSION = "1.0";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ScanMetadata metadata;
    private final HostFilters filters;
    private final Map<String, Held> results = new LinkedHashMap<>();
    private final Map<String, UrlTarget> urls = new LinkedHashMap<>();
    private long arrivals;
    private long replays;

    private record Held(ProbeResult result, long arrival) {
    }

    private ResultsDocument(ScanMetadata metadata, HostFilters filters) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.filters = Objects.requireNonNull(filters, "filters");
    }

    /** An empty document for the scan described by {@code metadata}, filtering discovered hosts with {@code filters}. */
    public static ResultsDocument create(ScanMetadata metadata, HostFilters filters) {
        return new ResultsDocument(metadata, filters);
    }

    public ScanMetadata metadata() {
        return metadata;
    }

    /**
     * Adds a result, or replaces the one held for the same {@code ip:port} and SNI (see the class
     * comment).
     *
     * @return whether the document changed (false for a replay that lost)
     */
    public synchronized boolean add(ProbeResult result) {
        Objects.requireNonNull(result, "result");
        long arrival = arrivals++;
        String key = key(result);
        Held current = results.get(key);
        if (current == null) {
            results.put(key, new Held(result, arrival));
            return true;
        }
        replays++;
        if (!replaces(result, current.result())) {
            return false;
        }
        results.put(key, new Held(result, arrival));
        return true;
    }

    /** Registers a URL of the input with its DNS facts; a URL registered again is replaced in place. */
    public synchronized void addUrl(UrlTarget url) {
        urls.put(url.url(), Objects.requireNonNull(url, "url"));
    }

    /** The number of distinct targets held. */
    public synchronized int size() {
        return results.size();
    }

    /** How many results arrived for a key already held (replays and repeated probes). */
    public synchronized long replays() {
        return replays;
    }

    /** The de-duplicated results, in first-arrival order. */
    public synchronized List<ProbeResult> results() {
        return results.values().stream().map(Held::result).toList();
    }

    static String key(ProbeResult r) {
        return r.getIp() + ":" + r.getPort() + "|" + (r.getSni() == null ? "" : r.getSni());
    }

    private static boolean replaces(ProbeResult candidate, ProbeResult current) {
        boolean newOk = candidate.getStatus() == ProbeStatus.SUCCESS;
        boolean oldOk = current.getStatus() == ProbeStatus.SUCCESS;
        if (newOk != oldOk) {
            return newOk;
        }
        return !candidate.getProbedAt().isBefore(current.getProbedAt());
    }

    /**
     * The finished document, {@code elapsed_seconds} and {@code scan_rate} computed from
     * {@code elapsed} (two decimals). The accumulator stays usable.
     */
    public synchronized V1Document finish(Duration elapsed) {
        double seconds = elapsed.toNanos() / 1e9;
        double rate = seconds > 0 ? results.size() / seconds : 0.0;
        return finish(round2(seconds), round2(rate));
    }

    /** The finished document with {@code elapsed_seconds} and {@code scan_rate} as given (an imported 1.x document's). */
    public synchronized V1Document finish(double elapsedSeconds, double scanRate) {
        List<ProbeResult> held = results();
        Map<String, Object> doc = new LinkedHashMap<>();
        Grouped grouped = group(held);
        DiscoveredHosts hosts = discover(held, grouped.urlEntries());

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("version", FORMAT_VERSION);
        meta.put("scan_timestamp", timestamp(metadata.scanTimestamp()));
        meta.put("mode", metadata.mode().label());
        meta.put("parameters", new LinkedHashMap<>(metadata.parameters()));
        meta.put("statistics", statistics(held, grouped, hosts, elapsedSeconds, scanRate));
        doc.put("metadata", meta);

        switch (metadata.mode()) {
            case IP_SCAN -> doc.put("results", grouped.all());
            case URL_SCAN -> doc.put("results", grouped.urlEntries());
            case MIXED_SCAN -> {
                Map<String, Object> mixed = new LinkedHashMap<>();
                mixed.put("ips", grouped.ipResults());
                mixed.put("urls", grouped.urlEntries());
                doc.put("results", mixed);
            }
            default -> throw new IllegalStateException("mode " + metadata.mode());
        }
        doc.put("discovered_hosts", hosts.toMap(filters.applied()));
        return new V1Document(metadata.mode(), doc);
    }

    /** Python's {@code datetime.isoformat()} of a UTC time, with {@code Z}: microseconds unless they are zero. */
    static String timestamp(Instant t) {
        int micros = t.getNano() / 1000;
        String base = SECONDS.format(t);
        return micros == 0 ? base + "Z" : base + String.format(Locale.ROOT, ".%06dZ", micros);
    }

    static double round2(double d) {
        return Math.round(d * 100.0) / 100.0;
    }

    private record Grouped(List<Object> all, List<Object> ipResults, List<Object> urlEntries,
            List<ProbeResult> ipProbeResults) {
    }

    private Grouped group(List<ProbeResult> held) {
        List<Object> all = new ArrayList<>();
        List<Object> ips = new ArrayList<>();
        List<ProbeResult> ipProbe = new ArrayList<>();
        Map<String, List<ProbeResult>> byUrl = new LinkedHashMap<>();
        urls.keySet().forEach(u -> byUrl.put(u, new ArrayList<>()));
        for (ProbeResult r : held) {
            all.add(V1Results.toResult(r));
            String url = urlKey(r);
            if (url == null && metadata.mode() == ScanMode.URL_SCAN) {
                // A URL scan has no IP part: an ungrouped result is filed under the name it was probed with.
                url = r.getSni() != null ? r.getSni() : r.getIp();
            }
            if (url == null) {
                ips.add(V1Results.toResult(r));
                ipProbe.add(r);
            } else {
                byUrl.computeIfAbsent(url, k -> new ArrayList<>()).add(r);
            }
        }
        List<Object> entries = new ArrayList<>();
        for (Map.Entry<String, List<ProbeResult>> e : byUrl.entrySet()) {
            entries.add(urlEntry(e.getKey(), e.getValue()));
        }
        return new Grouped(all, ips, entries, ipProbe);
    }

    static String urlKey(ProbeResult r) {
        return r.getUrl() != null ? r.getUrl() : r.getHostname();
    }

    private Map<String, Object> urlEntry(String url, List<ProbeResult> connections) {
        UrlTarget t = urls.get(url);
        if (t == null) {
            ProbeResult first = connections.get(0);
            String hostname = first.getHostname() != null ? first.getHostname()
                    : first.getSni() != null ? first.getSni() : url;
            Set<String> ips = new LinkedHashSet<>();
            connections.forEach(c -> ips.add(c.getIp()));
            t = UrlTarget.resolved(url, hostname, first.getPort(), new ArrayList<>(ips));
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("url", t.url());
        e.put("hostname", t.hostname());
        e.put("port", t.port());
        e.put("dns_status", t.dnsStatus());
        e.put("resolved_ips", new ArrayList<>(t.resolvedIps()));
        List<Object> conns = new ArrayList<>();
        connections.forEach(c -> conns.add(V1Results.toResult(c)));
        e.put("connections", conns);
        if (t.dnsError() != null) {
            e.put("dns_error", t.dnsError());
        }
        return e;
    }

    private Map<String, Object> statistics(List<ProbeResult> held, Grouped grouped, DiscoveredHosts hosts,
            double elapsedSeconds, double scanRate) {
        int successful = 0;
        Set<String> unique = new LinkedHashSet<>();
        Map<String, Integer> byCategory = new TreeMap<>();
        Map<String, Integer> byCode = new TreeMap<>();
        Map<Integer, Integer> byAttempt = new TreeMap<>();
        for (ProbeResult r : held) {
            if (r.getStatus() == ProbeStatus.SUCCESS) {
                successful++;
                r.getNames().forEach(n -> unique.add(DomainNames.normalize(n.getName())));
                if (r.getSuccessfulAttempt() != null) {
                    byAttempt.merge(r.getSuccessfulAttempt(), 1, Integer::sum);
                }
            } else {
                if (r.getErrorCategory() != null) {
                    byCategory.merge(r.getErrorCategory().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
                if (r.getErrorCode() != null) {
                    byCode.merge(r.getErrorCode().name(), 1, Integer::sum);
                }
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total_targets", metadata.totalTargets() != null ? number(metadata.totalTargets()) : held.size());
        s.put("scanned", held.size());
        s.put("successful", successful);
        s.put("failed", held.size() - successful);
        s.put("unique_domains", unique.size());
        s.put("elapsed_seconds", elapsedSeconds);
        s.put("scan_rate", scanRate);
        Map<String, Object> breakdown = new LinkedHashMap<>();
        breakdown.put("by_category", new LinkedHashMap<>(byCategory));
        breakdown.put("by_code", new LinkedHashMap<>(byCode));
        Map<String, Object> attempts = new LinkedHashMap<>();
        byAttempt.forEach((k, v) -> attempts.put(Integer.toString(k), v));
        breakdown.put("retry_success_distribution", attempts);
        s.put("error_breakdown", breakdown);
        if (filters.applied()) {
            s.put("domains_filtered", hosts.filteredCount);
        }
        if (metadata.mode() == ScanMode.MIXED_SCAN) {
            s.put("total_ips", metadata.totalIps() != null ? metadata.totalIps() : grouped.ipProbeResults().size());
            s.put("total_urls", metadata.totalUrls() != null ? metadata.totalUrls() : grouped.urlEntries().size());
        } else if (metadata.mode() == ScanMode.URL_SCAN) {
            s.put("total_urls", metadata.totalUrls() != null ? metadata.totalUrls() : grouped.urlEntries().size());
            s.put("total_ips_scanned", held.size());
        }
        return s;
    }

    private static Object number(long n) {
        return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) n;
    }

    // ---- discovered_hosts ----

    private static final class DiscoveredHosts {
        final TreeSet<String> hostnames = new TreeSet<>();
        final TreeSet<String> tlds = new TreeSet<>();
        final TreeSet<String> wildcards = new TreeSet<>();
        final Map<String, Set<String>> bySource = new LinkedHashMap<>();
        Set<String> inputNames = Set.of();
        int filteredCount;

        Map<String, Object> toMap(boolean filterApplied) {
            Set<String> inputTlds = new TreeSet<>();
            for (String in : inputNames) {
                RegistrableDomains.of(in).ifPresent(inputTlds::add);
            }
            List<String> newHostnames = hostnames.stream().filter(h -> !inputNames.contains(h)).toList();
            List<String> newTlds = tlds.stream().filter(t -> !inputTlds.contains(t) && !inputNames.contains(t)).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostnames", new ArrayList<>(hostnames));
            m.put("tlds", new ArrayList<>(tlds));
            m.put("wildcards", new ArrayList<>(wildcards));
            m.put("total_hostnames", hostnames.size());
            m.put("total_tlds", tlds.size());
            m.put("new_hostnames", new ArrayList<>(newHostnames));
            m.put("new_tlds", new ArrayList<>(newTlds));
            m.put("total_new_hostnames", newHostnames.size());
            m.put("total_new_tlds", newTlds.size());
            Map<String, Object> sources = new LinkedHashMap<>();
            bySource.forEach((k, v) -> sources.put(k, v.size()));
            m.put("source_breakdown", sources);
            if (filterApplied) {
                m.put("filtered_count", filteredCount);
            }
            return m;
        }
    }

    private DiscoveredHosts discover(List<ProbeResult> held, List<Object> urlEntries) {
        DiscoveredHosts d = new DiscoveredHosts();
        d.inputNames = metadata.inputHostnames();
        d.bySource.put("san", new LinkedHashSet<>());
        d.bySource.put("cn", new LinkedHashSet<>());
        d.bySource.put("csp", new LinkedHashSet<>());
        Map<String, FilterContext> seen = new LinkedHashMap<>();
        Optional<String> scanId = Optional.empty();
        for (ProbeResult r : held) {
            scanId = Optional.of(r.getScanId());
            Optional<String> sni = Optional.ofNullable(r.getSni());
            if (r.getSni() != null) {
                observe(seen, r.getSni(), new FilterContext("sni", r.getIp(), r.getPort(), sni, scanId));
            }
            for (ExtractedName n : r.getNames()) {
                String source = V1Results.sourceKey(n);
                String label = source == null ? "unknown" : source;
                observe(seen, n.getName(), new FilterContext(label, r.getIp(), r.getPort(), sni, scanId));
                if (source != null && !"sni".equals(source)) {
                    d.bySource.computeIfAbsent(source, k -> new LinkedHashSet<>())
                            .add(n.getName().toLowerCase(Locale.ROOT));
                }
            }
            if (r.getLeaf() != null) {
                for (String san : r.getLeaf().getSans()) {
                    observe(seen, san, new FilterContext("san", r.getIp(), r.getPort(), sni, scanId));
                }
                String cn = r.getLeaf().getSubject().get("commonName");
                if (cn != null) {
                    observe(seen, cn, new FilterContext("cn", r.getIp(), r.getPort(), sni, scanId));
                }
            }
        }
        for (Object o : urlEntries) {
            Map<?, ?> e = (Map<?, ?>) o;
            observe(seen, (String) e.get("hostname"), new FilterContext("input", "", (Integer) e.get("port"),
                    Optional.empty(), scanId));
        }
        for (Map.Entry<String, FilterContext> e : seen.entrySet()) {
            classify(d, e.getKey(), e.getValue());
        }
        return d;
    }

    /** 1.x trimmed white space and dots from both ends, then compared names in lower case. */
    private static void observe(Map<String, FilterContext> seen, String raw, FilterContext context) {
        if (raw == null) {
            return;
        }
        String name = trimDots(raw.strip()).toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
            seen.putIfAbsent(name, context);
        }
    }

    private static String trimDots(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '.') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(start, end);
    }

    private void classify(DiscoveredHosts d, String name, FilterContext context) {
        if (filters.applied() && filters.dropReason(name, context).isPresent()) {
            d.filteredCount++;
            return;
        }
        if (name.indexOf('*') >= 0) {
            d.wildcards.add(name);
            RegistrableDomains.of(DomainNames.withoutWildcard(name)).ifPresent(d.tlds::add);
            return;
        }
        if (!DomainNames.isValidHostname(name) || DomainNames.isIpLiteral(name)) {
            return;
        }
        Optional<String> registrable = RegistrableDomains.of(name);
        if (registrable.isPresent() && registrable.get().equals(name)) {
            d.tlds.add(name);
        } else {
            d.hostnames.add(name);
            registrable.ifPresent(d.tlds::add);
        }
    }
}
