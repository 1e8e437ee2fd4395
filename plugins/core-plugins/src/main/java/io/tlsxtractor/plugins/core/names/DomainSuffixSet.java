package io.tlsxtractor.plugins.core.names;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of domain rules that a name is matched against label by label, in time proportional to
 * the number of labels of the name, whatever the size of the set. Immutable and thread-safe.
 *
 * <p>Two kinds of rule:
 * <ul>
 *   <li>{@code example.com}: {@code example.com} and every subdomain of it;</li>
 *   <li>{@code *.example.com}: the subdomains of {@code example.com}, not {@code example.com}
 *       itself.</li>
 * </ul>
 * Rules and names are compared case-insensitively with a trailing dot ignored. A wildcard name
 * ({@code *.cdn.example.com}) stands for subdomains of its base and matches the rules that those
 * subdomains would match.
 */
public final class DomainSuffixSet {
    private static final DomainSuffixSet EMPTY = new DomainSuffixSet(Map.of(), Map.of());

    /** Normalised base → the rule as written, for domain-and-subdomains rules. */
    private final Map<String, Rule> withSubdomains;
    /** Normalised base → the rule as written, for subdomains-only rules. */
    private final Map<String, Rule> subdomainsOnly;

    /**
     * One rule of the set.
     *
     * @param pattern the rule, normalised ({@code example.com} or {@code *.example.com})
     * @param origin where the rule came from ({@code exclude.txt:12}, {@code built-in list}), for
     *     messages; may be empty
     */
    public record Rule(String pattern, String origin) {
        public Rule {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(origin, "origin");
        }

        /** The pattern, followed by its origin in parentheses when there is one. */
        public String describe() {
            return origin.isEmpty() ? pattern : pattern + " (" + origin + ")";
        }
    }

    private DomainSuffixSet(Map<String, Rule> withSubdomains, Map<String, Rule> subdomainsOnly) {
        this.withSubdomains = withSubdomains;
        this.subdomainsOnly = subdomainsOnly;
    }

    public static DomainSuffixSet empty() {
        return EMPTY;
    }

    /**
     * A set of the given rules, with no origin.
     *
     * @throws IllegalArgumentException naming the first rule that is not a valid domain or
     *     {@code *.}domain
     */
    public static DomainSuffixSet of(Collection<String> rules) {
        Builder b = builder();
        rules.forEach(r -> b.add(r, ""));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first rule, from the most specific, that covers {@code name}; empty if none does. */
    public Optional<Rule> match(String name) {
        String n = DomainNames.normalize(name);
        if (DomainNames.isWildcard(n)) {
            // *.a.b names subdomains of a.b: both "a.b" and "*.a.b" cover them, and so does any parent rule.
            String base = DomainNames.withoutWildcard(n);
            Rule rule = lookup(withSubdomains, base);
            if (rule == null) {
                rule = lookup(subdomainsOnly, base);
            }
            return rule != null ? Optional.of(rule) : matchParents(base);
        }
        Rule exact = lookup(withSubdomains, n);
        return exact != null ? Optional.of(exact) : matchParents(n);
    }

    /** Whether a rule covers {@code name}. */
    public boolean matches(String name) {
        return match(name).isPresent();
    }

    public int size() {
        return withSubdomains.size() + subdomainsOnly.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    private Optional<Rule> matchParents(String name) {
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            String parent = name.substring(dot + 1);
            Rule rule = lookup(withSubdomains, parent);
            if (rule == null) {
                rule = lookup(subdomainsOnly, parent);
            }
            if (rule != null) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static Rule lookup(Map<String, Rule> rules, String key) {
        return key.isEmpty() ? null : rules.get(key);
    }

    @Override
    public String toString() {
        return "DomainSuffixSet[" + size() + " rules]";
    }

    /** Collects rules; not thread-safe. */
    public static final class Builder {
        private final Map<String, Rule> withSubdomains = new HashMap<>();
        private final Map<String, Rule> subdomainsOnly = new HashMap<>();

        private Builder() {
        }

        /**
         * Adds a rule; a repeated rule keeps its first origin.
         *
         * @param rule {@code example.com} or {@code *.example.com}, any case, trailing dot allowed
         * @param origin where it came from, for messages ({@code ""} for none)
         * @throws IllegalArgumentException if the rule is not a valid domain or wildcard by the 1.x
         *     rule; the message quotes it and its origin
         */
        public Builder add(String rule, String origin) {
            String n = DomainNames.normalize(rule);
            DomainNames.Kind kind = DomainNames.classify(n);
            if (!kind.valid()) {
                throw new IllegalArgumentException("\"" + rule + "\"" + (origin.isEmpty() ? "" : " (" + origin + ")")
                        + " is not a domain name or *.domain: expected labels of letters, digits and '-'"
                        + " separated by dots, such as example.com or *.example.com");
            }
            Rule r = new Rule(n, origin);
            if (kind == DomainNames.Kind.WILDCARD) {
                subdomainsOnly.putIfAbsent(DomainNames.withoutWildcard(n), r);
            } else {
                withSubdomains.putIfAbsent(n, r);
            }
            return this;
        }

        public DomainSuffixSet build() {
            return new DomainSuffixSet(Map.copyOf(withSubdomains), Map.copyOf(subdomainsOnly));
        }
    }
}
