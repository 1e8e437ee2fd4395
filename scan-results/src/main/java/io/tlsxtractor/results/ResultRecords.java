package io.tlsxtractor.results;

import io.tlsxtractor.plugin.api.OutputRecord;

/**
 * The {@link OutputRecord} types the results writers understand. Besides the SPI's
 * {@link OutputRecord#RESULT}, {@link OutputRecord#METADATA} and
 * {@link OutputRecord#DISCOVERED_HOSTS}, a document in {@code url_scan} or {@code mixed_scan} mode
 * has {@link #URL} records: one URL entry with its {@code connections}.
 *
 * <p>How a writer is fed: either the records of a finished document
 * ({@link V1Document#records()}: metadata, results, URL entries, discovered hosts), or, for the
 * streaming formats, one {@code result} per probe result as it arrives
 * ({@link V1Results#toRecord}) followed by the metadata and discovered hosts at the end.
 */
public final class ResultRecords {
    /** One URL entry: {@code url}, {@code hostname}, {@code port}, {@code dns_status}, {@code resolved_ips}, {@code connections}. */
    public static final String URL = "url";

    private ResultRecords() {
    }
}
