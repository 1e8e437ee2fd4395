package io.tlsxtractor.ingest;

import io.tlsxtractor.ingest.internal.IpAddresses;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which addresses and hostnames a scan may touch.
 *
 * <ul>
 *   <li>Special-purpose ranges (IANA's IPv4 and IPv6 special-purpose registries: private, CGNAT, loopback,
 *   link-local, multicast, documentation, benchmarking, reserved, and for IPv6 everything outside global unicast
 *   {@code 2000::/3}) are refused unless private scanning is allowed (1.x {@code --allow-private}).</li>
 *   <li>The exclusion list (networks, ranges, addresses and domains with their subdomains) is refused always, private
 *   scanning or not, for ranges, single addresses, hostnames and the addresses hostnames resolve to.</li>
 *   <li>An input larger than {@link Settings#maxAddresses()} (default 2^24: an IPv4 /8, or an IPv6 /104, the same
 *   count, because what is refused is the number of probes, not a prefix) is refused unless large ranges are
 *   allowed explicitly; even then no input may exceed {@link #HARD_MAX_ADDRESSES} (the whole IPv4 space).</li>
 * </ul>
 *
 * Refusals are counted in a {@link ScopeReport} once per refusing range, not per address. Immutable, thread-safe.
 */
public final class ScopePolicy {

    /** Default largest input: 2^24 addresses, an IPv4 /8. */
    public static final long DEFAULT_MAX_ADDRESSES = 1L << 24;
    /** No input may be larger, override or not: 2^32, every IPv4 address. */
    public static final long HARD_MAX_ADDRESSES = 1L << 32;

    /** Special-purpose ranges: (network, reason). More specific entries win where they nest. */
    private static final String[][] SPECIAL = {
        {"0.0.0.0/8", "reserved: this network"},
        {"10.0.0.0/8", "private"},
        {"100.64.0.0/10", "CGNAT shared address space"},
        {"127.0.0.0/8", "loopback"},
        {"169.254.0.0/16", "link-local"},
        {"172.16.0.0/12", "private"},
        {"192.0.0.0/24", "reserved: IETF protocol assignments"},
        {"192.0.2.0/24", "documentation"},
        {"192.88.99.0/24", "reserved: 6to4 relay anycast"},
        {"192.168.0.0/16", "private"},
        {"198.18.0.0/15", "benchmarking"},
        {"198.51.100.0/24", "documentation"},
        {"203.0.113.0/24", "documentation"},
        {"224.0.0.0/4", "multicast"},
        {"240.0.0.0/4", "reserved"},
        {"255.255.255.255/32", "broadcast"},
        {"::/128", "unspecified"},
        {"::1/128", "loopback"},
        {"::ffff:0:0/96", "IPv4-mapped"},
        {"64:ff9b:1::/48", "private: local-use NAT64"},
        {"100::/64", "reserved: discard-only"},
        {"2001::/23", "reserved: IETF protocol assignments"},
        {"2001:db8::/32", "documentation"},
        {"3fff::/20", "documentation"},
        {"fc00::/7", "private: unique local"},
        {"fe80::/10", "link-local"},
        {"fec0::/10", "reserved: site-local"},
        {"ff00::/8", "multicast"},
        {"::/3", "reserved: outside global unicast"},
        {"4000::/2", "reserved: outside global unicast"},
        {"8000::/1", "reserved: outside global unicast"},
    };

    /**
     * Settings of a policy.
     *
     * @param allowPrivate scan special-purpose ranges too
     * @param exclusions networks ({@code 10.1.0.0/16}), ranges, addresses and domains never to scan
     * @param maxAddresses largest input without the override
     * @param allowLargeRanges lift {@code maxAddresses} up to {@link #HARD_MAX_ADDRESSES}
     */
    public record Settings(boolean allowPrivate, List<String> exclusions, long maxAddresses, boolean allowLargeRanges) {
        public Settings {
            exclusions = List.copyOf(exclusions);
            if (maxAddresses < 1 || maxAddresses > HARD_MAX_ADDRESSES) {
                throw new IllegalArgumentException("max addresses per input must be 1-" + HARD_MAX_ADDRESSES + ", not " + maxAddresses);
            }
        }

        /** 1.x defaults: special ranges refused, no exclusions, inputs up to an IPv4 /8. */
        public static Settings defaults() {
            return new Settings(false, List.of(), DEFAULT_MAX_ADDRESSES, false);
        }

        public Settings withAllowPrivate(boolean allow) {
            return new Settings(allow, exclusions, maxAddresses, allowLargeRanges);
        }

        public Settings withExclusions(List<String> list) {
            return new Settings(allowPrivate, list, maxAddresses, allowLargeRanges);
        }

        public Settings withMaxAddresses(long max) {
            return new Settings(allowPrivate, exclusions, max, allowLargeRanges);
        }

        public Settings withAllowLargeRanges(boolean allow) {
            return new Settings(allowPrivate, exclusions, maxAddresses, allow);
        }
    }

    private record Span(BigInteger first, BigInteger last, String what, String reason) {
    }

    private final Settings settings;
    private final NavigableMap<BigInteger, Span> v4 = new TreeMap<>();
    private final NavigableMap<BigInteger, Span> v6 = new TreeMap<>();
    private final List<String> excludedDomains = new ArrayList<>();

    private ScopePolicy(Settings settings) {
        this.settings = settings;
    }

    /**
     * The policy of {@code settings}.
     *
     * @throws IllegalArgumentException listing every exclusion that is neither an address, network, range nor domain
     */
    public static ScopePolicy create(Settings settings) {
        ScopePolicy policy = new ScopePolicy(Objects.requireNonNull(settings, "settings"));
        List<String> problems = new ArrayList<>();
        List<Object[]> entries = new ArrayList<>();
        for (String raw : settings.exclusions()) {
            String text = raw.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                ParsedTarget target = TargetParser.parse(text);
                if (target instanceof ParsedTarget.Addresses addresses && addresses.port() == null) {
                    IpRange range = addresses.type() == io.tlsxtractor.schemas.avro.TargetType.CIDR
                            ? cidrNetwork(text) : addresses.range();
                    entries.add(new Object[] {range, "excluded"});
                } else if (target instanceof ParsedTarget.Host host && host.port() == null && host.url() == null) {
                    policy.excludedDomains.add(host.hostname());
                } else {
                    problems.add("'" + text + "' (an exclusion is an address, network, range or domain, without port or URL)");
                }
            } catch (InvalidTargetException e) {
                problems.add("'" + text + "' (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid scope exclusions: " + String.join("; ", problems));
        }
        if (!settings.allowPrivate()) {
            for (String[] special : SPECIAL) {
                entries.add(new Object[] {cidrNetwork(special[0]), special[1]});
            }
        }
        // Exclusions first (they hold whatever the reserved label), then the most specific range wins.
        List<Object[]> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.<Object[]>comparingInt(e -> e[1].equals("excluded") ? 0 : 1)
                .thenComparing(e -> ((IpRange) e[0]).count()));
        for (Object[] entry : ordered) {
            IpRange range = (IpRange) entry[0];
            policy.insert(range.version() == 4 ? policy.v4 : policy.v6, range, (String) entry[1]);
        }
        return policy;
    }

    /** Exclusions from a file: one address, network, range or domain per line; {@code #} comments. */
    public static List<String> readExclusions(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(line -> line.replace("\uFEFF", ""))
                    .map(line -> line.contains("#") ? line.substring(0, line.indexOf('#')) : line)
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the scope exclusion file " + file + ": " + e, e);
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Adds the parts of {@code range} not yet covered, labelled {@code reason}. */
    private void insert(NavigableMap<BigInteger, Span> table, IpRange range, String reason) {
        String what = range.toString();
        BigInteger cursor = range.first();
        for (Span covered : overlapping(table, range.first(), range.last())) {
            if (covered.first().compareTo(cursor) > 0) {
                table.put(cursor, new Span(cursor, covered.first().subtract(BigInteger.ONE), what, reason));
            }
            cursor = covered.last().add(BigInteger.ONE);
        }
        if (cursor.compareTo(range.last()) <= 0) {
            table.put(cursor, new Span(cursor, range.last(), what, reason));
        }
    }

    private static List<Span> overlapping(NavigableMap<BigInteger, Span> table, BigInteger first, BigInteger last) {
        List<Span> out = new ArrayList<>(2);
        Map.Entry<BigInteger, Span> floor = table.floorEntry(first);
        if (floor != null && floor.getValue().last().compareTo(first) >= 0) {
            out.add(floor.getValue());
        }
        for (Span span : table.subMap(first, false, last, true).values()) {
            out.add(span);
        }
        return out;
    }

    private static IpRange cidrNetwork(String cidr) {
        int slash = cidr.indexOf('/');
        IpAddresses.Literal address = IpAddresses.parse(slash < 0 ? cidr : cidr.substring(0, slash));
        int prefix = slash < 0 ? IpAddresses.bits(address.version()) : Integer.parseInt(cidr.substring(slash + 1));
        return IpRange.network(address.version(), address.value(), prefix);
    }

    /** Why {@code range} may not be scanned at all because of its size, or null when its size is fine. */
    public String sizeProblem(IpRange range) {
        BigInteger count = range.count();
        long limit = settings.allowLargeRanges() ? HARD_MAX_ADDRESSES : settings.maxAddresses();
        if (count.compareTo(BigInteger.valueOf(limit)) <= 0) {
            return null;
        }
        NumberFormat format = NumberFormat.getIntegerInstance(Locale.ROOT);
        String countText = count.bitLength() < 63 ? format.format(count.longValue()) : "2^" + (count.bitLength() - 1) + "+";
        if (settings.allowLargeRanges()) {
            return range + " holds " + countText + " addresses, more than any scan may hold per input ("
                    + format.format(HARD_MAX_ADDRESSES) + ")";
        }
        return range + " holds " + countText + " addresses, more than the limit of " + format.format(limit)
                + " per input; split it, or allow large ranges explicitly";
    }

    /**
     * The parts of {@code range} that may be scanned, in order; what is refused is counted in {@code report}. Size is
     * not checked here (see {@link #sizeProblem}).
     */
    public List<IpRange> allowed(IpRange range, ScopeReport report) {
        NavigableMap<BigInteger, Span> table = range.version() == 4 ? v4 : v6;
        List<Span> refused = overlapping(table, range.first(), range.last());
        if (refused.isEmpty()) {
            return List.of(range);
        }
        List<IpRange> allowed = new ArrayList<>(refused.size() + 1);
        BigInteger cursor = range.first();
        for (Span span : refused) {
            if (span.first().compareTo(cursor) > 0) {
                allowed.add(new IpRange(range.version(), cursor, span.first().subtract(BigInteger.ONE)));
            }
            BigInteger from = span.first().max(range.first());
            BigInteger to = span.last().min(range.last());
            report.refuse(span.what(), span.reason(), to.subtract(from).add(BigInteger.ONE), "addresses");
            cursor = span.last().add(BigInteger.ONE);
        }
        if (cursor.compareTo(range.last()) <= 0) {
            allowed.add(new IpRange(range.version(), cursor, range.last()));
        }
        return allowed;
    }

    /** Whether {@code hostname} may be scanned: not an excluded domain nor below one; a refusal is counted. */
    public boolean allowsHost(String hostname, ScopeReport report) {
        for (String domain : excludedDomains) {
            if (hostname.equals(domain) || (hostname.endsWith(domain) && hostname.charAt(hostname.length() - domain.length() - 1) == '.')) {
                report.refuse(domain, "excluded domain", BigInteger.ONE, "hostnames");
                return false;
            }
        }
        return true;
    }
}
