package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.avro.ProbeOptions;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to expand: a scan's inputs and everything its blocks carry.
 *
 * @param scanId the scan; block ids are {@code scanId:sequence}
 * @param inputs the inputs, in order
 * @param ports ports for targets without their own (1.x {@code --port})
 * @param sniHints names every block carries for the HINTS SNI strategy
 * @param options how to probe, copied into every block
 * @param ipv6 resolve AAAA records too (1.x {@code --ipv6})
 * @param policy the scope policy
 */
public record ExpansionJob(String scanId, List<TargetInput> inputs, List<Integer> ports, List<String> sniHints,
        ProbeOptions options, boolean ipv6, ScopePolicy policy) {

    public ExpansionJob {
        Objects.requireNonNull(scanId, "scanId");
        inputs = List.copyOf(inputs);
        ports = List.copyOf(ports);
        sniHints = List.copyOf(sniHints);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(policy, "policy");
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("scan " + scanId + " has no ports");
        }
    }

    /** Whether every input is an address, network or range given directly, so that the total is known up front. */
    public boolean totalKnownUpFront() {
        for (TargetInput input : inputs) {
            if (input.kind() != TargetInput.Kind.TARGET) {
                return false;
            }
            try {
                if (!(TargetParser.parse(input.value(), input.type()) instanceof ParsedTarget.Addresses)) {
                    return false;
                }
            } catch (InvalidTargetException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The targets (address and port pairs) of the inputs given directly as addresses, networks or ranges, after the
     * scope policy: the exact total when {@link #totalKnownUpFront()}, else a lower bound that grows as files and
     * hostnames are expanded. Computed without touching any address: a /8 costs as little as one address.
     */
    public long addressTargetsUpFront() {
        ScopeReport scratch = new ScopeReport();
        BigInteger total = BigInteger.ZERO;
        for (TargetInput input : inputs) {
            if (input.kind() != TargetInput.Kind.TARGET) {
                continue;
            }
            try {
                if (TargetParser.parse(input.value(), input.type()) instanceof ParsedTarget.Addresses addresses
                        && policy.sizeProblem(addresses.range()) == null) {
                    int perAddress = addresses.port() != null ? 1 : ports.size();
                    for (IpRange allowed : policy.allowed(addresses.range(), scratch)) {
                        total = total.add(allowed.count().multiply(BigInteger.valueOf(perAddress)));
                    }
                }
            } catch (InvalidTargetException e) {
                // Reported by the expansion itself, where its line number is known.
            }
        }
        return total.bitLength() < 63 ? total.longValue() : Long.MAX_VALUE;
    }

    /** {@link #addressTargetsUpFront()} when the total is known up front. */
    public OptionalLong totalTargets() {
        return totalKnownUpFront() ? OptionalLong.of(addressTargetsUpFront()) : OptionalLong.empty();
    }
}
