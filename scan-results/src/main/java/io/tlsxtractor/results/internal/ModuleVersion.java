package io.tlsxtractor.results.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this module, filtered into a resource at build time: the version of its writer plugins. */
public final class ModuleVersion {
    public static final String VERSION = read();

    private ModuleVersion() {
    }

    private static String read() {
        String resource = "/io/tlsxtractor/results/scan-results.properties";
        try (InputStream in = ModuleVersion.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the scan-results jar");
            }
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "").strip();
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("resource " + resource + " has no filtered version: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }
}
