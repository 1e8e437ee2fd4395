package io.tlsxtractor.schemas.registry;

/**
 * A schema registry call failed. The message names the operation, the subject and/or schema id, the registry URL
 * where relevant, the HTTP status and the registry's own error code and message.
 */
public class SchemaRegistryException extends RuntimeException {

    /** What went wrong, independent of the HTTP details. */
    public enum Kind {
        /** 409: the schema breaks the subject's compatibility level. */
        INCOMPATIBLE,
        /** 422: the registry refused the schema or the request as invalid. */
        INVALID,
        /** 404: the subject, version or schema id does not exist. */
        NOT_FOUND,
        /** 401/403: credentials missing or refused. */
        UNAUTHORIZED,
        /** 5xx: the registry failed; the call may succeed later. */
        SERVER_ERROR,
        /** The registry could not be reached (connection refused, timeout, TLS failure). */
        UNREACHABLE,
        /** Anything else (unexpected status or answer). */
        OTHER
    }

    private final Kind kind;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(Kind kind, int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(Kind kind, int httpStatus, int errorCode, String message) {
        this(kind, httpStatus, errorCode, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or -1 when no answer was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40401 subject not found, 40403 schema not found), or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether retrying the same call later may succeed (server errors and unreachable registries). */
    public boolean retriable() {
        return kind == Kind.SERVER_ERROR || kind == Kind.UNREACHABLE;
    }

    /** Maps an HTTP status to a kind. */
    public static Kind kindOf(int httpStatus) {
        return switch (httpStatus) {
            case 409 -> Kind.INCOMPATIBLE;
            case 422 -> Kind.INVALID;
            case 404 -> Kind.NOT_FOUND;
            case 401, 403 -> Kind.UNAUTHORIZED;
            default -> httpStatus >= 500 ? Kind.SERVER_ERROR : Kind.OTHER;
        };
    }
}
