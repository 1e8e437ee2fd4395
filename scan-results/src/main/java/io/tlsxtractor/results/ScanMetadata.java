package io.tlsxtractor.results;

import io.tlsxtractor.plugins.core.names.DomainNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the document says about the scan besides its results: the mode, the {@code parameters} as
 * 1.x wrote them, the scan time, the input's host names (for {@code new_hostnames} and
 * {@code new_tlds}) and the totals only the submitter knows (targets planned, IPs and URLs in the
 * input). Immutable; see {@link #builder(ScanMode)}.
 *
 * @param mode the scan mode
 * @param parameters {@code metadata.parameters}, in order
 * @param scanTimestamp {@code metadata.scan_timestamp}, kept to the microsecond
 * @param inputHostnames the host names of the input, lower case; empty for an IP scan
 * @param totalTargets {@code total_targets}, or {@code null} to count the results
 * @param totalIps mixed mode {@code total_ips}, or {@code null} to count the IP results
 * @param totalUrls {@code total_urls} (mixed and URL modes), or {@code null} to count the URL entries
 */
public record ScanMetadata(ScanMode mode, Map<String, Object> parameters, Instant scanTimestamp,
        Set<String> inputHostnames, Long totalTargets, Integer totalIps, Integer totalUrls) {

    public ScanMetadata {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scanTimestamp, "scanTimestamp");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        inputHostnames = Collections.unmodifiableSet(new LinkedHashSet<>(inputHostnames));
    }

    public static Builder builder(ScanMode mode) {
        return new Builder(mode);
    }

    /** Collects the metadata; not thread-safe. */
    public static final class Builder {
        private final ScanMode mode;
        private final Map<String, Object> parameters = new LinkedHashMap<>();
        private Instant scanTimestamp = Instant.now();
        private final Set<String> inputHostnames = new LinkedHashSet<>();
        private Long totalTargets;
        private Integer totalIps;
        private Integer totalUrls;

        private Builder(ScanMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /**
         * The parameters 1.x wrote for every mode, in its order: {@code input} (the CIDR, file or
         * URL as typed), {@code port}, {@code timeout}, {@code threads}, {@code retry}.
         */
        public Builder v1Parameters(String input, int port, int timeout, int threads, int retry) {
            parameters.put("input", input);
            parameters.put("port", port);
            parameters.put("timeout", timeout);
            parameters.put("threads", threads);
            parameters.put("retry", retry);
            return this;
        }

        /**
         * One more parameter, after those already set (a v2 addition such as {@code sni_strategy}).
         * The value must be plain data: String, Boolean, Integer, Long, Double, null, List or Map.
         */
        public Builder parameter(String key, Object value) {
            parameters.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        /** When the scan ran; by default, when the builder was made. Kept to the microsecond. */
        public Builder scanTimestamp(Instant timestamp) {
            this.scanTimestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MICROS);
            return this;
        }

        /** Host names of the input (URL hosts and host names); normalised (lower case, no trailing dot). */
        public Builder inputHostnames(Collection<String> names) {
            names.forEach(n -> inputHostnames.add(DomainNames.normalize(n)));
            return this;
        }

        public Builder totalTargets(long total) {
            this.totalTargets = total;
            return this;
        }

        public Builder totalIps(int total) {
            this.totalIps = total;
            return this;
        }

        public Builder totalUrls(int total) {
            this.totalUrls = total;
            return this;
        }

        public ScanMetadata build() {
            return new ScanMetadata(mode, parameters, scanTimestamp.truncatedTo(ChronoUnit.MICROS), inputHostnames,
                    totalTargets, totalIps, totalUrls);
        }
    }
}
