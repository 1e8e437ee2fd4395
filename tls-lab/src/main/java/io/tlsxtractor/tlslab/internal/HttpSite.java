package io.tlsxtractor.tlslab.internal;

import io.tlsxtractor.tlslab.HostBehaviour;
import io.tlsxtractor.tlslab.Profile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP/1.1 content a lab host serves after its handshake: a page at {@code /} (and {@code /home}),
 * optional CSP headers, redirects and JavaScript files. Every domain it mentions is under the host's
 * own name or under example.com, and {@link #mentionedNames()} lists them for assertions.
 */
public final class HttpSite {

    private final String host;
    private final HostBehaviour behaviour;

    public HttpSite(String hostName, HostBehaviour behaviour) {
        this.host = hostName;
        this.behaviour = behaviour;
    }

    /** A complete response: status line, headers, body. */
    public static final class Response {
        private final int status;
        private final String reason;
        private final Map<String, String> headers;
        private final byte[] body;

        Response(int status, String reason, Map<String, String> headers, String body) {
            this.status = status;
            this.reason = reason;
            this.headers = headers;
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        public int status() {
            return status;
        }

        /** The bytes on the wire; {@code head} leaves the body out (but keeps its Content-Length). */
        public byte[] encode(boolean head) {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            sb.append("Content-Length: ").append(body.length).append("\r\n");
            sb.append("Connection: close\r\n\r\n");
            byte[] head0 = sb.toString().getBytes(StandardCharsets.UTF_8);
            if (head) {
                return head0;
            }
            byte[] all = new byte[head0.length + body.length];
            System.arraycopy(head0, 0, all, 0, head0.length);
            System.arraycopy(body, 0, all, head0.length, body.length);
            return all;
        }
    }

    /** The answer to one request line. */
    public Response respond(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return plain(405, "Method Not Allowed", "method " + method + " is not allowed here\n");
        }
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        switch (p) {
            case "/":
                if (behaviour.has(Profile.HTTP_REDIRECT)) {
                    Map<String, String> headers = baseHeaders("text/html; charset=utf-8");
                    String location = redirectLocation();
                    headers.put("Location", location);
                    return new Response(301, "Moved Permanently", headers,
                            "<html><body><a href=\"" + location + "\">moved</a></body></html>\n");
                }
                return page();
            case "/home":
                return page();
            case "/static/app.js":
                if (behaviour.has(Profile.HTTP_JS)) {
                    return new Response(200, "OK", baseHeaders("application/javascript"), appJs());
                }
                break;
            case "/static/vendor.js":
                if (behaviour.has(Profile.HTTP_JS)) {
                    return new Response(200, "OK", baseHeaders("application/javascript"), vendorJs());
                }
                break;
            default:
                break;
        }
        return plain(404, "Not Found", "no such page: " + p + "\n");
    }

    /** The domains this host's HTTP content names (CSP sources, redirect targets, JS), as written there. */
    public Set<String> mentionedNames() {
        Set<String> names = new LinkedHashSet<>();
        if (behaviour.has(Profile.HTTP_CSP)) {
            names.add("cdn." + host);
            names.add("*.static.example.com");
            names.add("api." + host);
            names.add("ws." + host);
            names.add("img." + host);
            names.add("csp." + host);
            names.add("beta-cdn." + host);
            names.add("analytics.example.com");
        }
        if (behaviour.has(Profile.HTTP_REDIRECT) && behaviour.argument(Profile.HTTP_REDIRECT).equals("host")) {
            names.add("login." + host);
        }
        if (behaviour.has(Profile.HTTP_JS)) {
            names.add("cdn." + host);
            names.add("api." + host);
            names.add("ws." + host);
            names.add("metrics.static.example.com");
            names.add("graphql." + host);
        }
        return names;
    }

    public String redirectLocation() {
        return behaviour.argument(Profile.HTTP_REDIRECT).equals("host") ? "https://login." + host + "/start" : "/home";
    }

    /** The CSP nonce: derived from the host name so that it is the same on every run. */
    public String nonce() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(host.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public String contentSecurityPolicy() {
        return "default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-" + nonce() + "' https://cdn." + host
                + " *.static.example.com; connect-src 'self' https://api." + host + " wss://ws." + host
                + "; img-src 'self' data: https://img." + host + "; report-uri https://csp." + host + "/report";
    }

    public String contentSecurityPolicyReportOnly() {
        return "default-src 'self'; script-src 'self' https://beta-cdn." + host
                + " https://analytics.example.com; report-uri https://csp." + host + "/report-only";
    }

    private Response page() {
        Map<String, String> headers = baseHeaders("text/html; charset=utf-8");
        StringBuilder body = new StringBuilder("<!DOCTYPE html>\n<html><head><title>").append(host)
                .append("</title>\n");
        if (behaviour.has(Profile.HTTP_JS)) {
            body.append("<script src=\"/static/app.js\"></script>\n");
            body.append("<script src=\"/static/vendor.js\"></script>\n");
            body.append("<script nonce=\"").append(nonce()).append("\">window.labHost = \"").append(host)
                    .append("\";</script>\n");
        }
        body.append("</head><body><h1>TLSXtractor lab host ").append(host).append("</h1></body></html>\n");
        return new Response(200, "OK", headers, body.toString());
    }

    private String appJs() {
        return "// lab application code\n"
                + "fetch(\"https://api." + host + "/x\").then(r => r.json());\n"
                + "const socket = new WebSocket(\"wss://ws." + host + "/live\");\n"
                + "const gql = 'https://graphql." + host + "/query';\n";
    }

    private String vendorJs() {
        return "// lab vendor bundle\n"
                + "var CDN = \"https://cdn." + host + "/lib/v1.js\";\n"
                + "navigator.sendBeacon(\"https://metrics.static.example.com/collect\", \"{}\");\n";
    }

    private Map<String, String> baseHeaders(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Server", "tlsxtractor-lab");
        headers.put("Content-Type", contentType);
        if (behaviour.has(Profile.HTTP_CSP)) {
            headers.put("Content-Security-Policy", contentSecurityPolicy());
            headers.put("Content-Security-Policy-Report-Only", contentSecurityPolicyReportOnly());
        }
        return headers;
    }

    private Response plain(int status, String reason, String body) {
        return new Response(status, reason, baseHeaders("text/plain; charset=utf-8"), body);
    }

    /** What a plain HTTP server answers to bytes that are not HTTP (here: a TLS ClientHello). */
    public static byte[] badRequest() {
        String body = "<html><head><title>400 Bad Request</title></head><body><h1>400 Bad Request</h1>"
                + "<p>This server speaks plain HTTP.</p></body></html>\n";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Server", "tlsxtractor-lab");
        headers.put("Content-Type", "text/html");
        return new Response(400, "Bad Request", headers, body).encode(false);
    }
}
