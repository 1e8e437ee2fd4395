package io.tlsxtractor.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor}: with one input flag it is the 1.x scan command; its subcommands run the v2 roles and tools.
 */
@Command(
        name = "tlsxtractor",
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Finds the domain names behind IP addresses from the certificates and headers their TLS servers present.",
            "",
            "Give exactly one input (--cidr, --file or --url) to scan; or run a subcommand."
        },
        subcommands = {DevCommand.class, ConfigCommand.class, TopicsCommand.class, LabCommand.class})
public final class TlsxtractorCommand implements Callable<Integer> {

    @Mixin
    ScanOptions options;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.input() == null) {
            throw new ParameterException(spec.commandLine(),
                    "one of the arguments --cidr --file/-f --url/-u is required");
        }
        // Validates every flag against the one configuration model, so a bad value is reported with its flag name
        // before anything starts.
        Configs.load(spec.commandLine(), options.configFile(), options.overrides());
        throw new ParameterException(spec.commandLine(),
                "scanning needs the probe workers and the ingest pipeline, which this build does not contain yet;"
                        + " see the README's status section");
    }
}
