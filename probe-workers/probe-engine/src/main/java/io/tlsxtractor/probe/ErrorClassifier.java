package io.tlsxtractor.probe;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import io.tlsxtractor.probe.internal.DeadlineExceededException;
import java.io.FileNotFoundException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one place where an exception becomes an {@link ErrorCode}. Both TLS providers (BoringSSL
 * and the JDK) and both transports (epoll, NIO) report the same failure with different classes
 * and texts; this mapper knows them all, so that a result never depends on the provider.
 */
public final class ErrorClassifier {
    /** BoringSSL names a received alert {@code SSLV3_ALERT_X} or {@code TLSV1_ALERT_X}. */
    private static final Pattern OPENSSL_ALERT = Pattern.compile("(?:SSLV3|TLSV1)_ALERT_([A-Z0-9_]+)|TLSV1_(UNRECOGNIZED_NAME)");
    private static final Pattern JDK_ALERT = Pattern.compile("Received fatal alert: ([a-z0-9_]+)");
    private static final Pattern NOT_SSL_HEX = Pattern.compile("not an SSL/TLS record: ([0-9a-fA-F]+)");

    private ErrorClassifier() {
    }

    /** Classifies a failure whose phase is unknown. */
    public static ProbeError classify(Throwable error) {
        return classify(error, null);
    }

    /**
     * Classifies a failure.
     *
     * @param error what went wrong (wrappers such as {@link CompletionException} are looked through)
     * @param phase what the probe was doing, or {@code null}; a channel closed during the
     *     handshake is a TLS EOF, while the same during HTTP is a closed socket
     */
    public static ProbeError classify(Throwable error, ProbePhase phase) {
        Throwable t = unwrap(error);
        Map<String, String> details = new LinkedHashMap<>();
        if (phase != null) {
            details.put("phase", phase.wireName());
        }
        details.put("exception", t.getClass().getName());
        String message = messageChain(t);
        ErrorCode code = codeFor(t, phase, message, details);
        return new ProbeError(code, message, details);
    }

    private static ErrorCode codeFor(Throwable t, ProbePhase phase, String message, Map<String, String> details) {
        if (t instanceof CancellationException || t instanceof InterruptedException) {
            return ErrorCode.CANCELLED;
        }
        if (t instanceof DeadlineExceededException d) {
            details.put("phase", d.phase().wireName());
            return d.phase() == ProbePhase.CONNECT ? ErrorCode.CONN_TIMEOUT : ErrorCode.SOCKET_TIMEOUT;
        }
        if (t instanceof ConnectTimeoutException) {
            return ErrorCode.CONN_TIMEOUT;
        }
        if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
            return phase == null || phase == ProbePhase.CONNECT ? ErrorCode.CONN_TIMEOUT : ErrorCode.SOCKET_TIMEOUT;
        }
        if (t instanceof NotSslRecordException) {
            return notTls(message, details);
        }
        if (t instanceof UnknownHostException) {
            return ErrorCode.DNS_NAME_NOT_FOUND;
        }
        if (t instanceof FileNotFoundException) {
            return ErrorCode.FILE_NOT_FOUND;
        }
        ErrorCode byErrno = fromErrnoText(message);
        if (byErrno != null) {
            return byErrno;
        }
        if (t instanceof NoRouteToHostException) {
            return ErrorCode.NET_NO_ROUTE;
        }
        if (t instanceof BindException) {
            return ErrorCode.NET_ADDR_IN_USE;
        }
        if (t instanceof PortUnreachableException) {
            return ErrorCode.CONN_REFUSED;
        }
        if (t instanceof SSLException || t instanceof CertificateException) {
            return fromTlsText(t, phase, message, details);
        }
        if (t instanceof ClosedChannelException) {
            return phase == ProbePhase.HANDSHAKE ? ErrorCode.TLS_EOF : ErrorCode.SOCKET_CLOSED;
        }
        if (t instanceof ConnectException) {
            return ErrorCode.SOCKET_ERROR;
        }
        if (t instanceof SecurityException) {
            return ErrorCode.PERMISSION_DENIED;
        }
        if (t instanceof java.io.IOException) {
            return ErrorCode.SOCKET_ERROR;
        }
        return ErrorCode.UNKNOWN_ERROR;
    }

    private static ErrorCode notTls(String message, Map<String, String> details) {
        Matcher m = NOT_SSL_HEX.matcher(message);
        String hex = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
        if (!hex.isEmpty()) {
            details.put("first_bytes", hex.length() > 32 ? hex.substring(0, 32) : hex);
        }
        // "HTTP" in ASCII: the server answered our ClientHello with a plain HTTP error page.
        if (hex.startsWith("48545450")) {
            return ErrorCode.PLAIN_HTTP_NO_TLS;
        }
        // An SSLv2-style or unknown record header: something speaks, but not TLS.
        return ErrorCode.TLS_PROTOCOL_ERROR;
    }

    private static ErrorCode fromErrnoText(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("connection refused")) {
            return ErrorCode.CONN_REFUSED;
        }
        if (m.contains("connection reset")) {
            return ErrorCode.CONN_RESET;
        }
        if (m.contains("connection timed out")) {
            return ErrorCode.CONN_TIMEOUT;
        }
        if (m.contains("broken pipe")) {
            return ErrorCode.CONN_BROKEN_PIPE;
        }
        if (m.contains("connection abort")) {
            return ErrorCode.CONN_ABORTED;
        }
        if (m.contains("network is unreachable")) {
            return ErrorCode.NET_UNREACHABLE;
        }
        if (m.contains("host is down")) {
            return ErrorCode.NET_HOST_DOWN;
        }
        if (m.contains("host is unreachable") || m.contains("host unreachable")) {
            return ErrorCode.NET_HOST_UNREACHABLE;
        }
        if (m.contains("no route to host")) {
            return ErrorCode.NET_NO_ROUTE;
        }
        if (m.contains("address already in use")) {
            return ErrorCode.NET_ADDR_IN_USE;
        }
        if (m.contains("cannot assign requested address")) {
            return ErrorCode.NET_ADDR_NOT_AVAILABLE;
        }
        if (m.contains("permission denied") || m.contains("operation not permitted")) {
            return ErrorCode.PERMISSION_DENIED;
        }
        return null;
    }

    private static ErrorCode fromTlsText(Throwable t, ProbePhase phase, String message, Map<String, String> details) {
        String alert = alertOf(message);
        if (alert != null) {
            details.put("alert", alert);
            if (alert.equals("protocol_version")) {
                return ErrorCode.TLS_VERSION_MISMATCH;
            }
            return ErrorCode.TLS_ALERT_RECEIVED;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("wrong_version_number") || m.contains("wrong version number")) {
            return ErrorCode.TLS_WRONG_VERSION;
        }
        if (m.contains("unsupported_protocol") || m.contains("no appropriate protocol")
                || m.contains("not accepted by client preferences") || m.contains("no_supported_versions")
                || m.contains("unsupported protocol") || m.contains("protocol_version")) {
            return ErrorCode.TLS_VERSION_MISMATCH;
        }
        if (m.contains("no_shared_cipher") || m.contains("no cipher suites in common") || m.contains("no_cipher")
                || m.contains("cipher suite") && m.contains("not supported")) {
            return ErrorCode.TLS_CIPHER_MISMATCH;
        }
        if (m.contains("certificate_verify_failed")) {
            return ErrorCode.CERT_VERIFICATION_FAILED;
        }
        if (t instanceof CertificateException || m.contains("cannot_parse_leaf_cert") || m.contains("bad_ecc_cert")
                || m.contains("x509") || m.contains("certificate") && (m.contains("pars") || m.contains("invalid")
                || m.contains("extension") || m.contains("encoding"))) {
            return ErrorCode.CERT_INVALID;
        }
        if (m.contains("connection closed while ssl/tls handshake") || m.contains("remote host terminated")
                || m.contains("sslengine closed already") || m.contains("engine is closed")
                || m.contains("closed_channel") || m.contains("unexpected eof")
                || phase == ProbePhase.HANDSHAKE && unwrapCause(t) instanceof ClosedChannelException) {
            return ErrorCode.TLS_EOF;
        }
        if (m.contains("syscall")) {
            return ErrorCode.TLS_SYSCALL_ERROR;
        }
        if (m.contains("decode_error") || m.contains("bad_packet_length") || m.contains("unexpected_message")
                || m.contains("unexpected_record") || m.contains("record_overflow") || m.contains("decryption_failed")
                || m.contains("bad_record_mac") || m.contains("unexpected handshake message")
                || m.contains("insufficient buffer") || m.contains("unexpected_extension")) {
            return ErrorCode.TLS_PROTOCOL_ERROR;
        }
        if (t instanceof SSLHandshakeException) {
            return ErrorCode.TLS_HANDSHAKE_FAILED;
        }
        return phase == ProbePhase.HANDSHAKE ? ErrorCode.TLS_HANDSHAKE_FAILED : ErrorCode.TLS_PROTOCOL_ERROR;
    }

    /**
     * Whether a handshake failure may mean that the client offered no signature algorithm the
     * server's certificate can sign with: the case of Ed25519-only servers and BoringSSL as
     * netty-tcnative sets it up, which does not offer Ed25519. A server in that case answers the
     * ClientHello with a {@code handshake_failure} alert (OpenSSL, the JDK); a server that signs
     * anyway, or sends an Ed25519 certificate in TLS 1.0, makes BoringSSL fail with a local error
     * ({@code WRONG_SIGNATURE_TYPE}, {@code PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE}...). Other
     * refusals send the same alert (some servers answer a missing or unknown SNI with it), so this
     * is a hint that another TLS stack is worth one try, not a diagnosis.
     */
    public static boolean mayLackSharedSignatureAlgorithm(ProbeError error) {
        if (error == null || !"handshake".equals(error.details().get("phase"))) {
            return false;
        }
        if ("handshake_failure".equals(error.details().get("alert"))) {
            return true;
        }
        String m = error.message().toUpperCase(Locale.ROOT);
        return m.contains("WRONG_SIGNATURE_TYPE") || m.contains("NO_COMMON_SIGNATURE_ALGORITHMS")
                || m.contains("UNKNOWN_CERTIFICATE_TYPE") || m.contains("UNSUPPORTED_CERTIFICATE_TYPE")
                || m.contains("UNSUPPORTED_ALGORITHM");
    }

    /** The alert description as the RFC names it ({@code handshake_failure}), or null. */
    static String alertOf(String message) {
        Matcher jdk = JDK_ALERT.matcher(message);
        if (jdk.find()) {
            return jdk.group(1);
        }
        Matcher ossl = OPENSSL_ALERT.matcher(message);
        if (ossl.find()) {
            String name = ossl.group(1) != null ? ossl.group(1) : ossl.group(2);
            return name.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // Netty wraps the OpenSSL/JDK failure in a DecoderException; the cause is what happened.
        while (t instanceof io.netty.handler.codec.DecoderException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Throwable unwrapCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /** The messages of the exception and its causes, so that a root errno text is not lost. */
    private static String messageChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 5; depth++, c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.length() > 0 ? sb.toString() : t.getClass().getSimpleName();
    }
}
