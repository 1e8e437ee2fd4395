package io.tlsxtractor.config;

import java.util.Locale;

/** The log levels of {@code logging.level}: the 1.x set (Python's names, hence {@link #WARNING}). */
public enum LogLevel {
    DEBUG,
    INFO,
    WARNING,
    ERROR;

    /** The spelling used in configuration files, e.g. {@code warning}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
