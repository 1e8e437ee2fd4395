package io.tlsxtractor.sinks.clickhouse.internal;

import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.DataTransferException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.TransportException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides what a ClickHouse failure means for the connector: retry later (transient), reject
 * the rows (bad data), or stop with a message for the operator (configuration).
 */
public final class ClickHouseErrors {

    /** What to do about a failure. */
    public enum Kind {
        /** The server is down, overloaded or slow: retry with backoff, the data is fine. */
        TRANSIENT,
        /** The server refused the rows themselves: send them to the dead-letter topic. */
        BAD_DATA,
        /** Wrong database, table, user or password: retrying cannot help, the operator must act. */
        CONFIGURATION
    }

    /** TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES, NO_FREE_CONNECTION, SOCKET_TIMEOUT, NETWORK_ERROR, ABORTED,
     * MEMORY_LIMIT_EXCEEDED, TABLE_IS_READ_ONLY, TOO_MANY_PARTS, TOO_FEW_LIVE_REPLICAS, UNKNOWN_STATUS_OF_INSERT,
     * QUERY_WAS_CANCELLED, SYSTEM_ERROR, CANNOT_SCHEDULE_TASK, DEADLOCK_AVOIDED, KEEPER_EXCEPTION, POCO_EXCEPTION. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(159, 202, 203, 209, 210, 236, 241, 242, 252, 285, 319,
            394, 425, 439, 473, 999, 1000);
    /** NO_SUCH_COLUMN_IN_TABLE, UNKNOWN_IDENTIFIER, SYNTAX_ERROR (statements or columns that do not fit the server), UNKNOWN_TABLE, UNKNOWN_DATABASE, UNKNOWN_SETTING, READONLY,
     * UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, DATABASE_ACCESS_DENIED, ACCESS_DENIED, AUTHENTICATION_FAILED. */
    private static final Set<Integer> CONFIGURATION_CODES = Set.of(16, 47, 60, 62, 81, 115, 164, 192, 193, 194, 291, 497, 516);
    /** CANNOT_PARSE_TEXT, CANNOT_PARSE_QUOTED_STRING, CANNOT_PARSE_INPUT_ASSERTION_FAILED, CANNOT_READ_ALL_DATA,
     * CANNOT_PARSE_DATE, CANNOT_PARSE_DATETIME, TYPE_MISMATCH, ARGUMENT_OUT_OF_BOUND, CANNOT_CONVERT_TYPE,
     * CANNOT_PARSE_NUMBER, INCORRECT_DATA, TOO_LARGE_ARRAY_SIZE, TOO_LARGE_STRING_SIZE,
     * CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN. */
    private static final Set<Integer> BAD_DATA_CODES = Set.of(6, 26, 27, 33, 38, 41, 53, 69, 70, 72, 117, 128, 131, 349);

    private ClickHouseErrors() {
    }

    /**
     * Classifies a failure by the first ClickHouse or I/O exception in its cause chain. Unknown server errors and
     * 5xx answers count as transient: retries are bounded, so a persistent one still stops the task, with its text.
     */
    public static Kind classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ServerException server) {
                int code = server.getCode();
                if (CONFIGURATION_CODES.contains(code)) {
                    return Kind.CONFIGURATION;
                }
                if (BAD_DATA_CODES.contains(code)) {
                    return Kind.BAD_DATA;
                }
                if (server.getTransportProtocolCode() == 401 || server.getTransportProtocolCode() == 403) {
                    return Kind.CONFIGURATION;
                }
                return Kind.TRANSIENT;
            }
            if (t instanceof ClientMisconfigurationException) {
                return Kind.CONFIGURATION;
            }
            if (t instanceof ConnectionInitiationException || t instanceof TransportException
                    || t instanceof DataTransferException || t instanceof IOException || t instanceof TimeoutException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.TRANSIENT;
    }

    /** The server's error code, or -1 when the failure did not come from the server. */
    public static int serverCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ServerException server) {
                return server.getCode();
            }
        }
        return -1;
    }

    /** An exception saying what failed and why, in words an operator can act on. */
    public static IllegalStateException describe(String what, Throwable error) {
        Kind kind = classify(error);
        String hint = switch (kind) {
            case CONFIGURATION -> " (configuration: check clickhouse.url, clickhouse.user, clickhouse.password and "
                    + "clickhouse.database)";
            case TRANSIENT -> " (the server is unreachable or busy)";
            case BAD_DATA -> " (the server refused the data)";
        };
        return new IllegalStateException("ClickHouse failed " + what + ": " + rootMessage(error) + hint, error);
    }

    /** The most specific message in the cause chain. */
    public static String rootMessage(Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t instanceof ServerException) {
                break;
            }
        }
        return message.strip();
    }
}
