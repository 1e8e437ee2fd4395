package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ScanPlan;
import io.tlsxtractor.command.scan.ScanRunner;
import io.tlsxtractor.config.TlsxConfig;
import java.time.Instant;
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
            "Give exactly one input (--cidr, --file or --url) to scan; or run a subcommand.",
            "Without --bootstrap-servers the scan runs on an embedded pipeline (a Kafka broker started as a child "
                    + "process, ingest and a worker in this process) and needs no setup."
        },
        subcommands = {DevCommand.class, ConfigCommand.class, TopicsCommand.class, LabCommand.class,
            IngestCommand.class, WorkerCommand.class, StreamsCommand.class, ExportCommand.class, ImportCommand.class})
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
        ScanOptions.Input input = options.input();
        if (input == null) {
            throw new ParameterException(spec.commandLine(),
                    "one of the arguments --cidr --file/-f --url/-u is required");
        }
        // Validates every flag against the one configuration model, so a bad value is reported with its flag name
        // before anything starts.
        TlsxConfig config = Configs.load(spec.commandLine(), options.configFile(), options.overrides());
        CommandLogging.apply(config.logging());
        ScanPlan.InputKind kind = input.cidr != null ? ScanPlan.InputKind.CIDR
                : input.file != null ? ScanPlan.InputKind.FILE : ScanPlan.InputKind.URL;
        String value = input.cidr != null ? input.cidr : input.file != null ? input.file : input.url;
        if (options.lab() && !config.kafka().embedded()) {
            throw new ParameterException(spec.commandLine(),
                    "--lab: the lab runs in this process, so it needs the embedded pipeline; drop --bootstrap-servers");
        }
        ScanPlan plan;
        try {
            plan = ScanPlan.of(config, kind, value, !config.kafka().embedded(), Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, value);
        }
        String labRange = options.lab() ? (kind == ScanPlan.InputKind.CIDR ? value : "") : null;
        ScanRunner.Report report = ScanRunner.run(new ScanRunner.Request(config, plan, labRange,
                config.scanning().port(), spec.commandLine().getErr(), System.console() != null,
                config.logging().quiet()));
        return report.exitCode();
    }
}
