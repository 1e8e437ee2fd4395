package io.tlsxtractor.localstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions of the services this module runs, taken from the parent pom at build time. */
public final class ServiceVersions {

    private static final Properties VERSIONS = load();

    private ServiceVersions() {
    }

    public static String apicurio() {
        return get("apicurio.version");
    }

    public static String apicurioLegacy() {
        return get("apicurio.legacy.version");
    }

    public static String kafka() {
        return get("kafka.version");
    }

    private static String get(String key) {
        String value = VERSIONS.getProperty(key);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException("services.properties has no resolved value for " + key
                    + ": the module was built without resource filtering");
        }
        return value;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = ServiceVersions.class.getResourceAsStream("/io/tlsxtractor/localstack/services.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/tlsxtractor/localstack/services.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
