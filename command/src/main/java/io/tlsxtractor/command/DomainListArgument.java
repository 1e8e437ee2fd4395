package io.tlsxtractor.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 1.x {@code FILE_OR_CSV} argument of {@code --include-domains}/{@code --exclude-domains}: a path to a file of
 * domains (one a line, {@code #} comments) when such a file exists, else a comma-separated list.
 */
final class DomainListArgument {

    private DomainListArgument() {
    }

    /** The domains as the comma-separated list the configuration takes, or {@code null} when the flag was not given. */
    static String toCsv(String flag, String value) {
        if (value == null) {
            return null;
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            return value;
        }
        List<String> domains = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String domain = line.strip();
                int hash = domain.indexOf('#');
                if (hash >= 0) {
                    domain = domain.substring(0, hash).strip();
                }
                if (!domain.isEmpty()) {
                    domains.add(domain);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        return String.join(",", domains);
    }
}
