package io.tlsxtractor.schemas.registry;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach a schema registry. Immutable and checked at construction: every problem is listed in one
 * {@link IllegalArgumentException}.
 *
 * @param url base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081} or
 *     {@code http://127.0.0.1:8080/apis/ccompat/v7}
 * @param basicAuthUser user for HTTP basic authentication, or null for none
 * @param basicAuthPassword password for HTTP basic authentication (required with a user)
 * @param truststorePath trust store for an https URL, or null for the JVM default trust
 * @param truststorePassword password of the trust store, or null
 * @param truststoreType trust store type (PKCS12, JKS); null means PKCS12
 * @param caCertificatePem PEM file of CA certificates to trust instead of a trust store, or null
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of one whole request
 * @param autoRegister whether serializers register schemas they do not find
 * @param cacheCapacity entries kept in each id/schema cache of a client
 */
public record SchemaRegistrySettings(
        String url,
        String basicAuthUser,
        String basicAuthPassword,
        Path truststorePath,
        String truststorePassword,
        String truststoreType,
        Path caCertificatePem,
        Duration connectTimeout,
        Duration requestTimeout,
        boolean autoRegister,
        int cacheCapacity) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_CACHE_CAPACITY = 1000;

    public SchemaRegistrySettings {
        List<String> problems = new ArrayList<>();
        if (url == null || url.isBlank()) {
            problems.add("url is required (e.g. http://127.0.0.1:8081)");
        } else {
            url = url.strip();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            try {
                URI uri = URI.create(url);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    problems.add("url '" + url + "' must start with http:// or https://");
                } else if (uri.getHost() == null) {
                    problems.add("url '" + url + "' has no host");
                }
            } catch (IllegalArgumentException e) {
                problems.add("url '" + url + "' is not a valid URI: " + e.getMessage());
            }
        }
        if ((basicAuthUser == null) != (basicAuthPassword == null)) {
            problems.add("basic auth needs both a user and a password");
        }
        if (truststorePath != null && caCertificatePem != null) {
            problems.add("give either a trust store or a PEM CA certificate, not both");
        }
        if (truststorePath != null && !Files.isReadable(truststorePath)) {
            problems.add("trust store " + truststorePath + " is not a readable file");
        }
        if (caCertificatePem != null && !Files.isReadable(caCertificatePem)) {
            problems.add("CA certificate " + caCertificatePem + " is not a readable file");
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            problems.add("connect timeout must be positive, got " + connectTimeout);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            problems.add("request timeout must be positive, got " + requestTimeout);
        }
        if (cacheCapacity < 1) {
            problems.add("cache capacity must be at least 1, got " + cacheCapacity);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid schema registry settings: " + String.join("; ", problems));
        }
        if (truststoreType == null || truststoreType.isBlank()) {
            truststoreType = "PKCS12";
        }
    }

    /** Settings for {@code url} with default timeouts, no auth, default trust and auto-registration on. */
    public static SchemaRegistrySettings of(String url) {
        return new SchemaRegistrySettings(url, null, null, null, null, null, null,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, true, DEFAULT_CACHE_CAPACITY);
    }

    public SchemaRegistrySettings withBasicAuth(String user, String password) {
        return new SchemaRegistrySettings(url, user, password, truststorePath, truststorePassword, truststoreType,
                caCertificatePem, connectTimeout, requestTimeout, autoRegister, cacheCapacity);
    }

    public SchemaRegistrySettings withTruststore(Path path, String password, String type) {
        return new SchemaRegistrySettings(url, basicAuthUser, basicAuthPassword, path, password, type,
                caCertificatePem, connectTimeout, requestTimeout, autoRegister, cacheCapacity);
    }

    public SchemaRegistrySettings withCaCertificatePem(Path pem) {
        return new SchemaRegistrySettings(url, basicAuthUser, basicAuthPassword, truststorePath, truststorePassword,
                truststoreType, pem, connectTimeout, requestTimeout, autoRegister, cacheCapacity);
    }

    public SchemaRegistrySettings withTimeouts(Duration connect, Duration request) {
        return new SchemaRegistrySettings(url, basicAuthUser, basicAuthPassword, truststorePath, truststorePassword,
                truststoreType, caCertificatePem, connect, request, autoRegister, cacheCapacity);
    }

    public SchemaRegistrySettings withAutoRegister(boolean on) {
        return new SchemaRegistrySettings(url, basicAuthUser, basicAuthPassword, truststorePath, truststorePassword,
                truststoreType, caCertificatePem, connectTimeout, requestTimeout, on, cacheCapacity);
    }

    public SchemaRegistrySettings withCacheCapacity(int capacity) {
        return new SchemaRegistrySettings(url, basicAuthUser, basicAuthPassword, truststorePath, truststorePassword,
                truststoreType, caCertificatePem, connectTimeout, requestTimeout, autoRegister, capacity);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "SchemaRegistrySettings[url=" + url + ", basicAuthUser=" + basicAuthUser
                + ", truststore=" + truststorePath + ", caCertificatePem=" + caCertificatePem
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", autoRegister=" + autoRegister + ", cacheCapacity=" + cacheCapacity + "]";
    }
}
