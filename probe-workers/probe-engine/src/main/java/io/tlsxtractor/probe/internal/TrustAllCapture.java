package io.tlsxtractor.probe.internal;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every server chain: the engine records what is presented and judges it later, it
 * does not validate. It extends {@link X509ExtendedTrustManager} on purpose: the JDK wraps a plain
 * X509TrustManager in a checker that rejects chains with weak algorithms (MD5, small RSA keys),
 * which are exactly the certificates a reconnaissance tool must still see.
 */
public final class TrustAllCapture extends X509ExtendedTrustManager {
    public static final TrustAllCapture INSTANCE = new TrustAllCapture();

    private static final X509Certificate[] NONE = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
