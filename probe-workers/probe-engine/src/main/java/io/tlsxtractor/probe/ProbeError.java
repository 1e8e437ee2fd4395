package io.tlsxtractor.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why a probe failed: the code (whose category and retriability are fixed by the taxonomy), a
 * human-readable message and machine-readable details ({@code alert}, {@code phase},
 * {@code exception}...).
 */
public record ProbeError(ErrorCode code, String message, Map<String, String> details) {
    /**
     * {@code "true"} when the failure is transient and every attempt allowed by the retry setting
     * was used (with no retries configured, the one attempt); see {@link ErrorCode}.
     */
    public static final String DETAIL_MAX_RETRIES_EXHAUSTED = "max_retries_exhausted";

    public ProbeError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }

    /** The same error with more details (replacing those of the same key). */
    public ProbeError withDetails(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.putAll(more);
        return new ProbeError(code, message, all);
    }

    public ErrorCategory category() {
        return code.category();
    }

    public boolean retriable() {
        return code.retriable();
    }
}
