package io.tlsxtractor.probe;

/**
 * The closed set of 1.x error codes ({@code error_code} in results.json), each with its category
 * and whether a failure with this code is worth another attempt. Only network, timeout and
 * TLS-EOF-like failures are retried: a refused connection or a certificate fact will not change
 * on the next try.
 *
 * <p><b>Retries exhausted.</b> When every allowed attempt failed with a retriable code, the outcome
 * keeps the <em>last attempt's</em> code (a timeout, a reset...) rather than 1.x's
 * {@link #MAX_RETRIES}, because it says what went wrong, and adds
 * {@code "max_retries_exhausted": "true"} ({@link ProbeError#DETAIL_MAX_RETRIES_EXHAUSTED}) to the
 * error details, which says that more attempts might have helped. A reader that wants the 1.x view
 * maps a failure carrying that detail to {@code MAX_RETRIES}. The engine itself never produces
 * {@link #MAX_RETRIES}; it stays in the set for 1.x results read back.
 */
public enum ErrorCode {
    CONN_TIMEOUT(ErrorCategory.TIMEOUT, true),
    CONN_REFUSED(ErrorCategory.REFUSED, false),
    CONN_RESET(ErrorCategory.NETWORK, true),
    CONN_ABORTED(ErrorCategory.NETWORK, true),
    CONN_BROKEN_PIPE(ErrorCategory.NETWORK, true),
    NET_UNREACHABLE(ErrorCategory.NETWORK, true),
    NET_HOST_DOWN(ErrorCategory.NETWORK, true),
    NET_HOST_UNREACHABLE(ErrorCategory.NETWORK, true),
    NET_NO_ROUTE(ErrorCategory.NETWORK, true),
    // Local resource exhaustion (ephemeral ports): transient by nature.
    NET_ADDR_IN_USE(ErrorCategory.NETWORK, true),
    NET_ADDR_NOT_AVAILABLE(ErrorCategory.NETWORK, true),
    DNS_RESOLUTION_FAILED(ErrorCategory.DNS, false),
    DNS_NAME_NOT_FOUND(ErrorCategory.DNS, false),
    DNS_NO_DATA(ErrorCategory.DNS, false),
    DNS_TEMPORARY_FAILURE(ErrorCategory.DNS, true),
    SOCKET_ERROR(ErrorCategory.SOCKET, false),
    SOCKET_CLOSED(ErrorCategory.SOCKET, true),
    SOCKET_TIMEOUT(ErrorCategory.TIMEOUT, true),
    TLS_HANDSHAKE_FAILED(ErrorCategory.TLS, false),
    TLS_PROTOCOL_ERROR(ErrorCategory.TLS, false),
    TLS_VERSION_MISMATCH(ErrorCategory.TLS, false),
    TLS_CIPHER_MISMATCH(ErrorCategory.TLS, false),
    TLS_EOF(ErrorCategory.TLS, true),
    TLS_SYSCALL_ERROR(ErrorCategory.TLS, true),
    TLS_ALERT_RECEIVED(ErrorCategory.TLS, false),
    PLAIN_HTTP_NO_TLS(ErrorCategory.TLS, false),
    TLS_WRONG_VERSION(ErrorCategory.TLS, false),
    CERT_VERIFICATION_FAILED(ErrorCategory.CERTIFICATE, false),
    CERT_NOT_FOUND(ErrorCategory.CERTIFICATE, false),
    CERT_EXPIRED(ErrorCategory.CERTIFICATE, false),
    CERT_INVALID(ErrorCategory.CERTIFICATE, false),
    CERT_SELF_SIGNED(ErrorCategory.CERTIFICATE, false),
    CERT_HOSTNAME_MISMATCH(ErrorCategory.CERTIFICATE, false),
    UNKNOWN_ERROR(ErrorCategory.UNKNOWN, false),
    /** Never produced by the engine (see the class comment); kept for 1.x results. */
    MAX_RETRIES(ErrorCategory.UNKNOWN, false),
    CANCELLED(ErrorCategory.UNKNOWN, false),
    PERMISSION_DENIED(ErrorCategory.SOCKET, false),
    FILE_NOT_FOUND(ErrorCategory.UNKNOWN, false);

    private final ErrorCategory category;
    private final boolean retriable;

    ErrorCode(ErrorCategory category, boolean retriable) {
        this.category = category;
        this.retriable = retriable;
    }

    public ErrorCategory category() {
        return category;
    }

    /** Whether another attempt may succeed where this one failed. */
    public boolean retriable() {
        return retriable;
    }
}
