package io.tlsxtractor.plugins.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The names of the core plugins, as written in configuration, and which 1.x option enables each:
 *
 * <table>
 *   <caption>Core plugins and the options that enable them</caption>
 *   <tr><th>plugin</th><th>kind</th><th>enabled</th></tr>
 *   <tr><td>{@value #CSP_EXTRACTOR}</td><td>extractor</td><td>with {@code --fetch-csp}
 *       ({@code scanning.fetch_csp})</td></tr>
 *   <tr><td>{@value #JS_EXTRACTOR}</td><td>extractor</td><td>off unless configured (a v2
 *       addition)</td></tr>
 *   <tr><td>{@value #DEFAULT_EXCLUSIONS}</td><td>filter</td><td>on unless
 *       {@code --no-default-exclusions} ({@code scanning.default_exclusions=false})</td></tr>
 *   <tr><td>{@value #DOMAIN_LIST_FILTER}</td><td>filter</td><td>with {@code --include-domains}
 *       or {@code --exclude-domains}, passed as its {@code include}/{@code exclude} setting</td></tr>
 * </table>
 */
public final class CorePlugins {
    public static final String CSP_EXTRACTOR = "csp-extractor";
    public static final String JS_EXTRACTOR = "js-extractor";
    public static final String DEFAULT_EXCLUSIONS = "default-exclusions";
    public static final String DOMAIN_LIST_FILTER = "domain-list-filter";

    /** The version of every core plugin: the version of this module. */
    public static final String VERSION = readVersion();

    private CorePlugins() {
    }

    private static String readVersion() {
        String resource = "core-plugins.properties";
        try (InputStream in = CorePlugins.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the core plugins jar");
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
