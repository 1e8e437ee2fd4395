package io.tlsxtractor.probe;

import java.util.Map;
import java.util.Objects;

/**
 * Why a probe failed: the code (whose category and retriability are fixed by the taxonomy), a
 * human-readable message and machine-readable details ({@code alert}, {@code phase},
 * {@code exception}...).
 */
public record ProbeError(ErrorCode code, String message, Map<String, String> details) {

    public ProbeError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        details = Map.copyOf(details);
    }

    public ErrorCategory category() {
        return code.category();
    }

    public boolean retriable() {
        return code.retriable();
    }
}
