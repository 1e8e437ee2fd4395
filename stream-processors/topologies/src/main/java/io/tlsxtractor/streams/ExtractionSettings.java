package io.tlsxtractor.streams;

import java.util.List;
import java.util.Objects;

/**
 * Which names extraction keeps, as in 1.x: the built-in exclusion list of CDN/analytics domains (on unless
 * {@code --no-default-exclusions}) and an include or an exclude list (domains and/or list files; not both).
 *
 * @param defaultExclusions apply the built-in exclusion list
 * @param includeDomains keep only names under these domains (empty = no include list)
 * @param excludeDomains drop names under these domains (empty = no exclude list)
 */
public record ExtractionSettings(boolean defaultExclusions, List<String> includeDomains, List<String> excludeDomains) {

    public ExtractionSettings {
        includeDomains = List.copyOf(Objects.requireNonNull(includeDomains, "includeDomains"));
        excludeDomains = List.copyOf(Objects.requireNonNull(excludeDomains, "excludeDomains"));
        if (!includeDomains.isEmpty() && !excludeDomains.isEmpty()) {
            throw new IllegalArgumentException("extraction: include-domains and exclude-domains cannot be used"
                    + " together (include=" + includeDomains + ", exclude=" + excludeDomains + ")");
        }
    }

    /** The 1.x defaults: built-in exclusions on, no lists. */
    public static ExtractionSettings defaults() {
        return new ExtractionSettings(true, List.of(), List.of());
    }

    /** Every name kept: no exclusions, no lists. */
    public static ExtractionSettings keepAll() {
        return new ExtractionSettings(false, List.of(), List.of());
    }
}
