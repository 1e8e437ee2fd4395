package io.tlsxtractor.command;

import io.tlsxtractor.config.ConfigPrinter;
import io.tlsxtractor.config.LoadedConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlsxtractor config}: shows, checks and documents the effective configuration. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show, check or document the configuration (flags > TLSXTRACTOR_* environment > file > defaults).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Check.class, ConfigCommand.Keys.class})
final class ConfigCommand implements Callable<Integer> {

    /** Options every {@code config} subcommand takes: the file and extra {@code key=value} settings. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Configuration file (YAML or TOML); default: $TLSXTRACTOR_CONFIG, else none.")
        Path file;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Override one key as a flag would, e.g. --set scanning.threads=100 (repeatable).")
        Map<String, String> overrides = new LinkedHashMap<>();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the effective configuration with secrets masked.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source;

        @Option(names = "--origins", description = "One line per key with where its value came from.")
        boolean origins;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LoadedConfig loaded = Configs.loadWithOrigins(spec.commandLine(), source.file, source.overrides);
            spec.commandLine().getOut().print(origins
                    ? ConfigPrinter.withOrigins(loaded, true)
                    : ConfigPrinter.toYaml(loaded.config(), true));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Validate the configuration; list every problem and exit 1 if there is any.")
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Configs.load(spec.commandLine(), source.file, source.overrides);
            spec.commandLine().getOut().println("configuration is valid");
            return ExitCodes.OK;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List every configuration key with its type, default, environment variable and meaning.")
    static final class Keys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(ConfigPrinter.reference());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Spec
    CommandSpec spec;

    /** {@code config} alone is a usage error: it names what to type instead. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "config needs a subcommand: show, check or keys");
    }
}
