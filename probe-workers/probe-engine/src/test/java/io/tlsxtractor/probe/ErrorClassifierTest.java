package io.tlsxtractor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.tlsxtractor.probe.internal.DeadlineExceededException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

    @Test
    void theTaxonomyIsExactlyThe1xList() {
        List<String> v1 = List.of("CONN_TIMEOUT", "CONN_REFUSED", "CONN_RESET", "CONN_ABORTED", "CONN_BROKEN_PIPE",
                "NET_UNREACHABLE", "NET_HOST_DOWN", "NET_HOST_UNREACHABLE", "NET_NO_ROUTE", "NET_ADDR_IN_USE",
                "NET_ADDR_NOT_AVAILABLE", "DNS_RESOLUTION_FAILED", "DNS_NAME_NOT_FOUND", "DNS_NO_DATA",
                "DNS_TEMPORARY_FAILURE", "SOCKET_ERROR", "SOCKET_CLOSED", "SOCKET_TIMEOUT", "TLS_HANDSHAKE_FAILED",
                "TLS_PROTOCOL_ERROR", "TLS_VERSION_MISMATCH", "TLS_CIPHER_MISMATCH", "TLS_EOF", "TLS_SYSCALL_ERROR",
                "TLS_ALERT_RECEIVED", "PLAIN_HTTP_NO_TLS", "TLS_WRONG_VERSION", "CERT_VERIFICATION_FAILED",
                "CERT_NOT_FOUND", "CERT_EXPIRED", "CERT_INVALID", "CERT_SELF_SIGNED", "CERT_HOSTNAME_MISMATCH",
                "UNKNOWN_ERROR", "MAX_RETRIES", "CANCELLED", "PERMISSION_DENIED", "FILE_NOT_FOUND");
        assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name)).containsExactlyElementsOf(v1);
        assertThat(Arrays.stream(ErrorCategory.values()).map(ErrorCategory::wireName))
                .containsExactly("network", "tls", "timeout", "refused", "certificate", "dns", "socket", "unknown");
    }

    @Test
    void onlyTransientFailuresAreRetried() {
        assertThat(ErrorCode.CONN_TIMEOUT.retriable()).isTrue();
        assertThat(ErrorCode.SOCKET_TIMEOUT.retriable()).isTrue();
        assertThat(ErrorCode.CONN_RESET.retriable()).isTrue();
        assertThat(ErrorCode.TLS_EOF.retriable()).isTrue();
        assertThat(ErrorCode.CONN_REFUSED.retriable()).isFalse();
        assertThat(ErrorCode.PLAIN_HTTP_NO_TLS.retriable()).isFalse();
        assertThat(ErrorCode.TLS_ALERT_RECEIVED.retriable()).isFalse();
        for (ErrorCode c : ErrorCode.values()) {
            if (c.category() == ErrorCategory.CERTIFICATE || c.category() == ErrorCategory.REFUSED) {
                assertThat(c.retriable()).as(c.name()).isFalse();
            }
        }
    }

    @Test
    void connectionFailuresByErrnoText() {
        assertThat(code(new ConnectException("finishConnect(..) failed: Connection refused"))).isEqualTo(ErrorCode.CONN_REFUSED);
        assertThat(code(new IOException("recvAddress(..) failed: Connection reset by peer"))).isEqualTo(ErrorCode.CONN_RESET);
        assertThat(code(new IOException("writev(..) failed: Broken pipe"))).isEqualTo(ErrorCode.CONN_BROKEN_PIPE);
        assertThat(code(new ConnectException("Network is unreachable"))).isEqualTo(ErrorCode.NET_UNREACHABLE);
        assertThat(code(new NoRouteToHostException("No route to host"))).isEqualTo(ErrorCode.NET_NO_ROUTE);
        assertThat(code(new ConnectException("Cannot assign requested address"))).isEqualTo(ErrorCode.NET_ADDR_NOT_AVAILABLE);
        assertThat(code(new UnknownHostException("nope.invalid"))).isEqualTo(ErrorCode.DNS_NAME_NOT_FOUND);
        assertThat(code(new CancellationException())).isEqualTo(ErrorCode.CANCELLED);
    }

    @Test
    void timeoutsSayWhetherTheyHappenedBeforeOrAfterConnecting() {
        ProbeError connect = ErrorClassifier.classify(new DeadlineExceededException(ProbePhase.CONNECT, 5000));
        ProbeError handshake = ErrorClassifier.classify(new DeadlineExceededException(ProbePhase.HANDSHAKE, 5000));
        assertThat(connect.code()).isEqualTo(ErrorCode.CONN_TIMEOUT);
        assertThat(connect.category()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(handshake.code()).isEqualTo(ErrorCode.SOCKET_TIMEOUT);
        assertThat(handshake.details()).containsEntry("phase", "handshake");
        assertThat(code(new ConnectTimeoutException("connection timed out: /10.0.0.1:443"))).isEqualTo(ErrorCode.CONN_TIMEOUT);
    }

    @Test
    void tlsFailuresOfBothProviders() {
        // JDK provider wording.
        ProbeError jdkAlert = ErrorClassifier.classify(new SSLHandshakeException("Received fatal alert: unrecognized_name"));
        assertThat(jdkAlert.code()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
        assertThat(jdkAlert.details()).containsEntry("alert", "unrecognized_name");
        // BoringSSL wording.
        ProbeError sslAlert = ErrorClassifier.classify(new SSLHandshakeException(
                "error:10000458:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNRECOGNIZED_NAME"));
        assertThat(sslAlert.code()).isEqualTo(ErrorCode.TLS_ALERT_RECEIVED);
        assertThat(sslAlert.details()).containsEntry("alert", "unrecognized_name");
        assertThat(code(new SSLHandshakeException("error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION")))
                .isEqualTo(ErrorCode.TLS_VERSION_MISMATCH);
        assertThat(code(new SSLHandshakeException("No appropriate protocol (protocol is disabled or cipher suites are inappropriate)")))
                .isEqualTo(ErrorCode.TLS_VERSION_MISMATCH);
        assertThat(code(new SSLException("error:1000010b:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER")))
                .isEqualTo(ErrorCode.TLS_WRONG_VERSION);
        assertThat(code(new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress")))
                .isEqualTo(ErrorCode.TLS_EOF);
        assertThat(ErrorClassifier.classify(new ClosedChannelException(), ProbePhase.HANDSHAKE).code()).isEqualTo(ErrorCode.TLS_EOF);
        assertThat(ErrorClassifier.classify(new ClosedChannelException(), ProbePhase.HTTP).code()).isEqualTo(ErrorCode.SOCKET_CLOSED);
    }

    @Test
    void aHandshakeRefusalOrSignatureErrorMayMeanNoSharedSignatureAlgorithm() {
        ProbeError boringAlert = ErrorClassifier.classify(new SSLHandshakeException(
                "error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE"), ProbePhase.HANDSHAKE);
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(boringAlert)).isTrue();
        ProbeError wrongType = ErrorClassifier.classify(new SSLHandshakeException(
                "error:1000010c:SSL routines:OPENSSL_internal:WRONG_SIGNATURE_TYPE"), ProbePhase.HANDSHAKE);
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(wrongType)).isTrue();
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(ErrorClassifier.classify(new SSLHandshakeException(
                "error:100000c1:SSL routines:OPENSSL_internal:PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE"),
                ProbePhase.HANDSHAKE))).isTrue();
        // Other alerts, other phases and non-TLS failures say nothing about signature algorithms.
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(ErrorClassifier.classify(new SSLHandshakeException(
                "error:10000458:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNRECOGNIZED_NAME"), ProbePhase.HANDSHAKE))).isFalse();
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(ErrorClassifier.classify(new SSLHandshakeException(
                "Received fatal alert: handshake_failure"), ProbePhase.HTTP))).isFalse();
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(ErrorClassifier.classify(
                new DeadlineExceededException(ProbePhase.HANDSHAKE, 5000)))).isFalse();
        assertThat(ErrorClassifier.mayLackSharedSignatureAlgorithm(null)).isFalse();
    }

    @Test
    void plainHttpAndGarbageAreToldApart() {
        ProbeError http = ErrorClassifier.classify(new CompletionException(new DecoderException(
                new NotSslRecordException("not an SSL/TLS record: 485454502f312e3120343030"))));
        assertThat(http.code()).isEqualTo(ErrorCode.PLAIN_HTTP_NO_TLS);
        assertThat(http.details()).containsEntry("first_bytes", "485454502f312e3120343030");
        assertThat(code(new NotSslRecordException("not an SSL/TLS record: 9a0b1c2d3e4f"))).isEqualTo(ErrorCode.TLS_PROTOCOL_ERROR);
    }

    @Test
    void anythingElseIsUnknownNotAnException() {
        ProbeError e = ErrorClassifier.classify(new IllegalStateException("weird"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(e.message()).isEqualTo("weird");
        assertThat(e.details()).containsEntry("exception", "java.lang.IllegalStateException");
    }

    private static ErrorCode code(Throwable t) {
        return ErrorClassifier.classify(t).code();
    }
}
