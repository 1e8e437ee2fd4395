package io.tlsxtractor.config;

import java.util.Locale;

/** The format of the results file ({@code output.format}); 1.x knew only {@link #JSON}. */
public enum OutputFormat {
    /** The 1.x JSON document, written atomically at the end. */
    JSON,
    /** One result per line, streamed as results arrive. */
    JSONL,
    /** One row per result. */
    CSV;

    /** The spelling used in configuration files, e.g. {@code jsonl}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
