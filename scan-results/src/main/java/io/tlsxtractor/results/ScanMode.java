package io.tlsxtractor.results;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The three 1.x scan modes, each with its own shape of {@code results}: a list of
 * {@code <result>} objects ({@code ip_scan}), a list of URL entries with their connections
 * ({@code url_scan}), or both under {@code ips} and {@code urls} ({@code mixed_scan}).
 */
public enum ScanMode {
    /** {@code --cidr}: every target is an address, sent without SNI. */
    IP_SCAN("ip_scan"),
    /** {@code --url}: one URL or hostname, resolved, each address probed with the hostname as SNI. */
    URL_SCAN("url_scan"),
    /** {@code --file}: addresses, URLs and hostnames mixed. */
    MIXED_SCAN("mixed_scan");

    private final String label;

    ScanMode(String label) {
        this.label = label;
    }

    /** The value of {@code metadata.mode}. */
    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ScanMode fromLabel(String label) {
        for (ScanMode m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown scan mode \"" + label + "\"; expected one of "
                + Arrays.stream(values()).map(ScanMode::label).collect(Collectors.joining(", ")));
    }
}
