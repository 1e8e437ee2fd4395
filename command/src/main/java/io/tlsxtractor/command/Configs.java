package io.tlsxtractor.command;

import io.tlsxtractor.config.ConfigException;
import io.tlsxtractor.config.ConfigLoader;
import io.tlsxtractor.config.ConfigOrigin;
import io.tlsxtractor.config.ConfigProblem;
import io.tlsxtractor.config.LoadedConfig;
import io.tlsxtractor.config.TlsxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Loads the configuration for a command and reports its problems in the command line's own terms. */
final class Configs {

    private Configs() {
    }

    /** The effective configuration, or a bad-arguments error (exit 1) that lists every problem. */
    static TlsxConfig load(CommandLine cli, Path file, Map<String, String> overrides) {
        return loadWithOrigins(cli, file, overrides).config();
    }

    /** As {@link #load}, keeping where each value came from (for {@code config show --origins}). */
    static LoadedConfig loadWithOrigins(CommandLine cli, Path file, Map<String, String> overrides) {
        try {
            return ConfigLoader.create().file(file).overrides(overrides).loadWithOrigins();
        } catch (ConfigException e) {
            throw new ParameterException(cli, describe(e.problems()));
        }
    }

    /**
     * One problem reads as one 1.x-style line ({@code --timeout: must be >= 1, got 0}); several are listed one per line
     * so that a user fixes them all in one go. A value that came from a flag is named by that flag.
     */
    static String describe(List<ConfigProblem> problems) {
        List<String> lines = problems.stream().map(Configs::line).collect(Collectors.toList());
        if (lines.size() == 1) {
            return lines.get(0);
        }
        return "the configuration has " + lines.size() + " problems:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", lines);
    }

    private static String line(ConfigProblem p) {
        if (p.origin() != null && p.origin().kind() == ConfigOrigin.Kind.FLAG) {
            return ScanOptions.flagFor(p.where()) + ": " + ScanOptions.namingFlags(p.message());
        }
        return p.toString();
    }
}
