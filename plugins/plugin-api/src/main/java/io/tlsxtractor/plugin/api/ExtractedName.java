package io.tlsxtractor.plugin.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A name an extractor found. Names are passed on as found; the pipeline normalises them (case,
 * trailing dot, IDN) and checks their validity afterwards.
 *
 * @param name the name as found ({@code www.example.com}, {@code *.example.com})
 * @param source where it came from: one of the {@code SOURCE_} constants or the plugin's name;
 *     this is what {@code domain_sources} in the output is keyed by
 * @param detail what in the source gave it, if useful ({@code script-src}, a script URL, ...)
 */
public record ExtractedName(String name, String source, Optional<String> detail) {
    /** Sent as Server Name Indication. */
    public static final String SOURCE_SNI = "sni";
    /** A subjectAltName dNSName of the leaf certificate. */
    public static final String SOURCE_SAN = "san";
    /** The subject common name of the leaf certificate. */
    public static final String SOURCE_CN = "cn";
    /** A Content-Security-Policy (or -Report-Only) header. */
    public static final String SOURCE_CSP = "csp";
    /** JavaScript referenced or served by the target. */
    public static final String SOURCE_JS = "js";

    public ExtractedName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
        if (name.isBlank()) {
            throw new IllegalArgumentException("extracted name is blank (source " + source + ")");
        }
        if (source.isBlank()) {
            throw new IllegalArgumentException("extracted name " + name + " has a blank source");
        }
    }

    public static ExtractedName of(String name, String source) {
        return new ExtractedName(name, source, Optional.empty());
    }

    public static ExtractedName of(String name, String source, String detail) {
        return new ExtractedName(name, source, Optional.of(detail));
    }
}
