package io.tlsxtractor.worker.internal;

import io.tlsxtractor.probe.SniStrategy;
import io.tlsxtractor.schemas.avro.AddressRange;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetBlock;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a target block into the endpoints to probe: every address of its range (inclusive) or each
 * of its explicit targets, times the block's ports (a target with its own port keeps it), each with
 * the server names to try as its SNI strategy says. Pure: no DNS, no I/O.
 */
public final class BlockExpander {

    /** Far above what ingest puts in a block (a few hundred), low enough to keep one block in memory. */
    public static final int MAX_ENDPOINTS = 65_536;

    /** One way to call the SNI planner for an endpoint. */
    public record SniCall(SniStrategy strategy, String sni, List<String> names) {
        public SniCall {
            Objects.requireNonNull(strategy, "strategy");
            names = List.copyOf(names);
        }

        static SniCall none() {
            return new SniCall(SniStrategy.NONE, null, List.of());
        }
    }

    /**
     * One endpoint of a block.
     *
     * @param hostname the input host name the address came from, or {@code null}
     * @param url the input URL, or {@code null}
     * @param sniCalls the planner calls that together make the endpoint's probes (at least one)
     */
    public record Endpoint(InetAddress ip, int port, String hostname, String url, List<SniCall> sniCalls) {
        public Endpoint {
            Objects.requireNonNull(ip, "ip");
            sniCalls = List.copyOf(sniCalls);
        }

        /** {@code ip:port}, the key of its results. */
        public String key() {
            return Addresses.endpoint(ip, port);
        }
    }

    private BlockExpander() {
    }

    /**
     * The endpoints of a block, address by address, ports in block order.
     *
     * @throws IllegalArgumentException when the block cannot be probed as written (a bad address, a
     *     range across families or backwards, a port out of range, no ports, too many endpoints): a
     *     bad record, which the caller sends to the dead-letter topic
     */
    public static List<Endpoint> expand(TargetBlock block) {
        List<Integer> ports = block.getPorts() == null ? List.of() : block.getPorts();
        for (Integer p : ports) {
            if (p == null || p < 1 || p > 65535) {
                throw new IllegalArgumentException("block " + block.getBlockId() + ": port " + p + " is out of range 1..65535");
            }
        }
        List<Integer> distinctPorts = List.copyOf(new LinkedHashSet<>(ports));
        ProbeOptions options = block.getOptions() == null ? ProbeOptions.newBuilder().build() : block.getOptions();
        List<String> hints = block.getSniHints() == null ? List.of() : block.getSniHints();
        List<Endpoint> out = new ArrayList<>();
        AddressRange range = block.getRange();
        if (range != null) {
            if (distinctPorts.isEmpty()) {
                throw new IllegalArgumentException("block " + block.getBlockId() + " has a range but no ports");
            }
            InetAddress first = parse(block, range.getFirst(), "range first");
            InetAddress last = parse(block, range.getLast(), "range last");
            if ((first instanceof Inet4Address) != (last instanceof Inet4Address)) {
                throw new IllegalArgumentException("block " + block.getBlockId() + ": range " + range.getFirst() + " - "
                        + range.getLast() + " mixes IPv4 and IPv6");
            }
            BigInteger from = Addresses.toNumber(first);
            BigInteger to = Addresses.toNumber(last);
            if (from.compareTo(to) > 0) {
                throw new IllegalArgumentException("block " + block.getBlockId() + ": range " + range.getFirst() + " - "
                        + range.getLast() + " ends before it starts");
            }
            BigInteger count = to.subtract(from).add(BigInteger.ONE);
            checkSize(block, count.multiply(BigInteger.valueOf(distinctPorts.size())));
            int bytes = first.getAddress().length;
            for (BigInteger n = from; n.compareTo(to) <= 0; n = n.add(BigInteger.ONE)) {
                InetAddress ip = Addresses.fromNumber(n, bytes);
                for (int port : distinctPorts) {
                    out.add(new Endpoint(ip, port, null, null, sniCalls(options, null, hints)));
                }
            }
            return out;
        }
        List<BlockTarget> targets = block.getTargets() == null ? List.of() : block.getTargets();
        long total = 0;
        for (BlockTarget t : targets) {
            total += t.getPort() != null ? 1 : distinctPorts.size();
        }
        checkSize(block, BigInteger.valueOf(total));
        for (BlockTarget t : targets) {
            InetAddress ip = parse(block, t.getAddress(), "target address");
            String hostname = t.getHostname() == null || t.getHostname().isBlank() ? null : t.getHostname().strip();
            List<SniCall> calls = sniCalls(options, hostname, hints);
            if (t.getPort() != null) {
                if (t.getPort() < 1 || t.getPort() > 65535) {
                    throw new IllegalArgumentException("block " + block.getBlockId() + ": target " + t.getAddress()
                            + " has port " + t.getPort() + " out of range 1..65535");
                }
                out.add(new Endpoint(ip, t.getPort(), hostname, t.getUrl(), calls));
            } else {
                if (distinctPorts.isEmpty()) {
                    throw new IllegalArgumentException("block " + block.getBlockId() + ": target " + t.getAddress()
                            + " has no port and the block lists none");
                }
                for (int port : distinctPorts) {
                    out.add(new Endpoint(ip, port, hostname, t.getUrl(), calls));
                }
            }
        }
        return out;
    }

    /**
     * The planner calls for one endpoint. {@code DEFAULT} is the 1.x behaviour (the input host name
     * when there is one, else no SNI); {@code HINTS} adds one handshake per hint to it;
     * {@code CERT_NAMES} starts like {@code DEFAULT} and follows the names of the first certificate.
     */
    public static List<SniCall> sniCalls(ProbeOptions options, String hostname, List<String> hints) {
        io.tlsxtractor.schemas.avro.SniStrategy strategy = options.getSniStrategy() == null
                ? io.tlsxtractor.schemas.avro.SniStrategy.DEFAULT : options.getSniStrategy();
        SniCall byDefault = hostname != null ? new SniCall(SniStrategy.HOSTNAME, hostname, List.of()) : SniCall.none();
        switch (strategy) {
            case NONE:
                return List.of(SniCall.none());
            case HINTS: {
                Set<String> names = new LinkedHashSet<>();
                for (String h : hints) {
                    if (h != null && !h.isBlank() && !h.strip().equalsIgnoreCase(hostname)) {
                        names.add(h.strip());
                    }
                }
                if (names.isEmpty()) {
                    return List.of(byDefault);
                }
                return List.of(byDefault, new SniCall(SniStrategy.NAMES, null, List.copyOf(names)));
            }
            case CERT_NAMES:
                return List.of(new SniCall(SniStrategy.LEARNED, hostname, List.of()));
            case REVERSE_DNS:
                return List.of(new SniCall(SniStrategy.REVERSE_DNS, null, List.of()));
            case DEFAULT:
            default:
                return List.of(byDefault);
        }
    }

    private static void checkSize(TargetBlock block, BigInteger endpoints) {
        if (endpoints.compareTo(BigInteger.valueOf(MAX_ENDPOINTS)) > 0) {
            throw new IllegalArgumentException("block " + block.getBlockId() + " has " + endpoints
                    + " endpoints, more than the " + MAX_ENDPOINTS + " a worker takes in one block");
        }
    }

    private static InetAddress parse(TargetBlock block, String text, String what) {
        try {
            return Addresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("block " + block.getBlockId() + ": " + what + " " + e.getMessage(), e);
        }
    }
}
