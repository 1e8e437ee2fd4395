package io.tlsxtractor.plugin.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A filter's answer for one name: keep it, or drop it with a reason (the reason is logged at
 * DEBUG and counted, as in 1.x {@code domains_filtered}).
 *
 * @param verdict keep or drop
 * @param reason why it was dropped ({@code excluded by cloudflare.com}); empty when kept
 */
public record FilterDecision(Verdict verdict, Optional<String> reason) {
    private static final FilterDecision KEEP = new FilterDecision(Verdict.KEEP, Optional.empty());

    /** Keep or drop. */
    public enum Verdict { KEEP, DROP }

    public FilterDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        if (verdict == Verdict.DROP && reason.map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException("a DROP decision needs a reason");
        }
        if (verdict == Verdict.KEEP && reason.isPresent()) {
            throw new IllegalArgumentException("a KEEP decision has no reason");
        }
    }

    public static FilterDecision keep() {
        return KEEP;
    }

    public static FilterDecision drop(String reason) {
        return new FilterDecision(Verdict.DROP, Optional.of(reason));
    }

    public boolean kept() {
        return verdict == Verdict.KEEP;
    }

    public boolean dropped() {
        return verdict == Verdict.DROP;
    }
}
