package io.tlsxtractor.tlslab;

import io.tlsxtractor.tlslab.internal.Ipv4Range;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which lab address behaves how. Text form, one rule per line:
 *
 * <pre>
 * # comment
 * range 127.77.0.0/22              # optional: the addresses the lab answers (default 127.0.0.0/8)
 * 127.77.0.0/24  ecdsa:p384,http-csp
 * 127.77.0.10    tarpit            # later lines override earlier ones for the addresses they cover
 * </pre>
 *
 * A rule's profiles replace (not extend) those of earlier rules for the addresses it covers; addresses
 * in the range without a rule get {@code default}. Everything must lie in 127.0.0.0/8, unless
 * non-loopback ranges are explicitly allowed ({@link Builder#allowNonLoopback()}): that is for use
 * inside a network namespace only, where the namespace owns the range and nothing leaves the machine.
 */
public final class LabSpec {

    private static final Ipv4Range LOOPBACK = Ipv4Range.parse("127.0.0.0/8");
    private static final String HOST_SUFFIX = ".lab.test";

    private final Ipv4Range range;
    private final List<Rule> rules;
    private final boolean nonLoopbackAllowed;

    private LabSpec(Ipv4Range range, List<Rule> rules, boolean nonLoopbackAllowed) {
        this.range = range;
        this.rules = List.copyOf(rules);
        this.nonLoopbackAllowed = nonLoopbackAllowed;
    }

    /** One line of a spec: the addresses it covers and the behaviour it gives them. */
    public static final class Rule {
        private final int line;
        private final Ipv4Range target;
        private final HostBehaviour behaviour;

        Rule(int line, Ipv4Range target, HostBehaviour behaviour) {
            this.line = line;
            this.target = target;
            this.behaviour = behaviour;
        }

        /** 1-based line in the spec text (or the position of the builder call). */
        public int line() {
            return line;
        }

        /** The address or CIDR block, e.g. {@code 127.77.0.0/24}. */
        public String target() {
            return target.toString();
        }

        public long addressCount() {
            return target.size();
        }

        public HostBehaviour behaviour() {
            return behaviour;
        }

        boolean covers(long address) {
            return target.contains(address);
        }

        @Override
        public String toString() {
            return target + " " + behaviour;
        }
    }

    /**
     * Parses spec text.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static LabSpec parse(String text) {
        return parse(text, "lab spec", false);
    }

    /** Parses a spec file; errors name the file and line. */
    public static LabSpec parse(Path file) {
        return parse(file, false);
    }

    /**
     * Parses a spec file that may name non-loopback addresses when {@code allowNonLoopback} is set:
     * for use inside a network namespace only (see {@link Builder#allowNonLoopback()}).
     */
    public static LabSpec parse(Path file, boolean allowNonLoopback) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), "lab spec " + file, allowNonLoopback);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lab spec " + file + ": " + e.getMessage(), e);
        }
    }

    private static LabSpec parse(String text, String source, boolean allowNonLoopback) {
        Builder builder = builder();
        if (allowNonLoopback) {
            builder.allowNonLoopback();
        }
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int hash = raw.indexOf('#');
            String line = (hash < 0 ? raw : raw.substring(0, hash)).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            try {
                if (parts[0].equalsIgnoreCase("range")) {
                    if (parts.length < 2 || parts[1].trim().contains(" ")) {
                        throw new IllegalArgumentException("expected 'range <cidr>'");
                    }
                    builder.range(parts[1].trim());
                } else {
                    if (parts.length < 2) {
                        throw new IllegalArgumentException("expected '<ip-or-cidr> <profile>[,<profile>[:arg]]...'");
                    }
                    builder.rule(i + 1, parts[0], parts[1].replaceAll("\\s+", ""));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " ('" + raw.trim() + "'): "
                        + e.getMessage(), e);
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a spec in code; rules added later override earlier ones, as in the text form. */
    public static final class Builder {
        private Ipv4Range range = LOOPBACK;
        private final List<Rule> rules = new ArrayList<>();
        private boolean nonLoopbackAllowed;

        private Builder() {
        }

        /**
         * Lets the range and the rules lie outside 127.0.0.0/8. For use inside a network namespace
         * only: the lab listens on the wildcard address, so outside a namespace that owns the range it
         * would answer on the machine's real interfaces. Call before {@link #range} and {@link #rule}.
         */
        public Builder allowNonLoopback() {
            nonLoopbackAllowed = true;
            return this;
        }

        /** The addresses the lab answers (default: all of 127.0.0.0/8). */
        public Builder range(String cidr) {
            Ipv4Range parsed = Ipv4Range.parse(cidr);
            if (!nonLoopbackAllowed && !LOOPBACK.encloses(parsed)) {
                throw new IllegalArgumentException("range " + cidr + " is not inside 127.0.0.0/8; the lab only answers loopback"
                        + " unless non-loopback ranges are explicitly allowed (inside a network namespace only)");
            }
            this.range = parsed;
            return this;
        }

        /** Adds a rule, e.g. {@code rule("127.77.0.10", "tarpit")} or {@code rule("127.77.1.0/24", "rsa:4096,sha1")}. */
        public Builder rule(String addressOrCidr, String profiles) {
            try {
                return rule(rules.size() + 1, addressOrCidr, profiles);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("lab rule '" + addressOrCidr + " " + profiles + "': " + e.getMessage(), e);
            }
        }

        /** Adds the rules of another spec (after the ones already here, so they override them). */
        public Builder rules(LabSpec other) {
            rules.addAll(other.rules);
            return this;
        }

        private Builder rule(int line, String addressOrCidr, String profiles) {
            Ipv4Range target = Ipv4Range.parse(addressOrCidr);
            if (!nonLoopbackAllowed && !LOOPBACK.encloses(target)) {
                throw new IllegalArgumentException(addressOrCidr + " is not inside 127.0.0.0/8; the lab only answers loopback");
            }
            rules.add(new Rule(line, target, HostBehaviour.parse(profiles)));
            return this;
        }

        /** @throws IllegalArgumentException when a rule lies (partly) outside the range */
        public LabSpec build() {
            for (Rule rule : rules) {
                if (!range.encloses(rule.target)) {
                    throw new IllegalArgumentException("rule on line " + rule.line + " (" + rule + ") lies outside the lab range " + range);
                }
            }
            return new LabSpec(range, rules, nonLoopbackAllowed);
        }
    }

    /** The same rules with another range (LabMain's {@code --range}); non-loopback only if this spec allows it. */
    public LabSpec withRange(String cidr) {
        return withRange(cidr, nonLoopbackAllowed);
    }

    /**
     * The same rules with another range, which may lie outside 127.0.0.0/8 when
     * {@code allowNonLoopback} is set: for use inside a network namespace only.
     */
    public LabSpec withRange(String cidr, boolean allowNonLoopback) {
        Builder b = builder();
        if (allowNonLoopback) {
            b.allowNonLoopback();
        }
        return b.range(cidr).rules(this).build();
    }

    /** True when this spec was allowed to name addresses outside 127.0.0.0/8 (network namespaces only). */
    public boolean nonLoopbackAllowed() {
        return nonLoopbackAllowed;
    }

    /** The lab's range as CIDR, e.g. {@code 127.77.0.0/22}. */
    public String range() {
        return range.toString();
    }

    public long addressCount() {
        return range.size();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** True when the lab answers this address. */
    public boolean covers(InetAddress address) {
        return range.contains(address);
    }

    /**
     * The behaviour of one address: the last rule covering it, else {@code default}.
     *
     * @throws IllegalArgumentException when the address is outside the lab's range
     */
    public HostBehaviour behaviourFor(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (!covers(address)) {
            throw new IllegalArgumentException(address.getHostAddress() + " is outside the lab range " + range);
        }
        long value = Ipv4Range.toLong(address);
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (rules.get(i).covers(value)) {
                return rules.get(i).behaviour;
            }
        }
        return HostBehaviour.DEFAULT;
    }

    /** The lab's host name for an address: {@code 127.77.0.10} → {@code h-127-77-0-10.lab.test}. */
    public static String hostName(InetAddress address) {
        return "h-" + Ipv4Range.format(Ipv4Range.toLong(address)).replace('.', '-') + HOST_SUFFIX;
    }

    /** Human-readable address → profile lines, as LabMain prints them. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("range " + range + " (" + range.size() + " addresses, host name of a.b.c.d = h-a-b-c-d" + HOST_SUFFIX + ")");
        for (Rule rule : rules) {
            InetAddress first = Ipv4Range.toAddress(rule.target.first());
            String names = rule.target.size() == 1 ? hostName(first)
                    : hostName(first) + " .. " + hostName(Ipv4Range.toAddress(rule.target.last()));
            lines.add(String.format("%-18s -> %s   (%s)", rule.target, rule.behaviour, names));
        }
        lines.add(String.format("%-18s -> %s", "(all others)", HostBehaviour.DEFAULT));
        return lines;
    }

    @Override
    public String toString() {
        return String.join("\n", summary());
    }
}
