package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ScanPlan;
import io.tlsxtractor.command.scan.ScanRecords;
import io.tlsxtractor.command.scan.ScanRunner;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.ingest.TargetInput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
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
            "Give exactly one input (--cidr, --file or --url) to scan, or --resume an interrupted scan; or run a "
                    + "subcommand.",
            "Without --bootstrap-servers the scan runs on an embedded pipeline (a Kafka broker started as a child "
                    + "process, ingest and a worker in this process) and needs no setup."
        },
        subcommands = {DevCommand.class, ConfigCommand.class, TopicsCommand.class, LabCommand.class,
            IngestCommand.class, WorkerCommand.class, StreamsCommand.class, ExportCommand.class, ImportCommand.class,
            ConnectCommand.class, SinksCommand.class})
public final class TlsxtractorCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TlsxtractorCommand.class);

    @Mixin
    ScanOptions options;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    /** The scan this run continues (set when {@link #call()} runs a recorded command line again for --resume). */
    String resumeScanId;

    /** Where {@code -f -} kept the targets read from standard input; null for other inputs. */
    private Path stdinCopy;

    @Override
    public Integer call() {
        ScanOptions.Input input = options.input();
        if (options.resume() != null) {
            return resume(input);
        }
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
        if (kind == ScanPlan.InputKind.FILE && TargetInput.STDIN_NAME.equals(value)) {
            stdinCopy = saveStandardInput(config);
            value = stdinCopy.toString();
        }
        if (options.lab() && !config.kafka().embedded()) {
            throw new ParameterException(spec.commandLine(),
                    "--lab: the lab runs in this process, so it needs the embedded pipeline; drop --bootstrap-servers");
        }
        ScanPlan plan;
        try {
            plan = ScanPlan.of(config, kind, value, Instant.now(), resumeScanId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, value);
        }
        String labRange = options.lab() ? (kind == ScanPlan.InputKind.CIDR ? value : "") : null;
        if (resumeScanId == null) {
            record(config, plan);
        }
        String resumeCommand = "tlsxtractor --resume " + plan.scanId()
                + (options.configFile() != null ? " --config " + options.configFile().toAbsolutePath() : "");
        ScanRunner.Report report = ScanRunner.run(new ScanRunner.Request(config, plan, labRange,
                config.scanning().port(), spec.commandLine().getErr(), System.console() != null,
                config.logging().quiet(), resumeCommand));
        if (report.exitCode() == ExitCodes.INTERRUPTED) {
            spec.commandLine().getErr().println("Scan " + plan.scanId() + " interrupted; continue it with: " + resumeCommand);
            spec.commandLine().getErr().flush();
        }
        return report.exitCode();
    }

    /**
     * {@code -f -}: the targets on standard input are copied to a file of the data directory (mode 0600) and scanned
     * from there. Copied, not streamed: the ingest reads its input by name (in this process or another), and a resumed
     * scan needs the same targets again after standard input is gone.
     */
    private static Path saveStandardInput(TlsxConfig config) {
        Path dir = config.local().dataDir().resolve("scans");
        try {
            Files.createDirectories(dir);
            Path copy = Files.createTempFile(dir, "stdin-", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // Into the file just made (a copy that replaces it would lose its 0600 mode).
            try (OutputStream out = Files.newOutputStream(copy)) {
                System.in.transferTo(out);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("--file -: cannot keep the targets read from standard input in " + dir
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code args} with the value of {@code -f}/{@code --file} replaced by {@code file}. */
    static List<String> withFile(List<String> args, String file) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            if ((a.equals("-f") || a.equals("--file")) && i + 1 < out.size()) {
                out.set(i + 1, file);
            } else if (a.startsWith("--file=") || a.startsWith("-f=")) {
                out.set(i, a.substring(0, a.indexOf('=') + 1) + file);
            }
        }
        return out;
    }

    /** Keeps the command line of a new scan, so that --resume can run it again. */
    private void record(TlsxConfig config, ScanPlan plan) {
        List<String> args = ScanRecords.absolutize(spec.commandLine().getParseResult().originalArgs());
        if (stdinCopy != null) {
            args = withFile(args, stdinCopy.toString());
        }
        try {
            ScanRecords.save(config.local().dataDir(), plan.scanId(), args, plan.output(), Instant.now());
        } catch (UncheckedIOException e) {
            LOG.warn("Scan {} cannot be resumed after an interruption: {}", plan.scanId(), e.getMessage());
        }
    }

    /**
     * {@code --resume}: runs the recorded command line of the scan again under the same scan id, with the flags typed
     * now (other than --resume) after it, so that they win.
     */
    private int resume(ScanOptions.Input input) {
        CommandLine cli = spec.commandLine();
        if (input != null) {
            throw new ParameterException(cli, "--resume: the scan continues with the input it was started with; "
                    + "give no --cidr, --file or --url");
        }
        TlsxConfig config = Configs.load(cli, options.configFile(), options.overrides());
        ScanRecords.Entry entry;
        try {
            entry = ScanRecords.find(config.local().dataDir(), options.resume());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "--resume: " + e.getMessage(), e, null, options.resume());
        }
        List<String> args = new ArrayList<>(entry.args());
        List<String> typed = cli.getParseResult().originalArgs();
        for (int i = 0; i < typed.size(); i++) {
            String a = typed.get(i);
            if ("--resume".equals(a)) {
                i++;
            } else if (!a.startsWith("--resume=")) {
                args.add(a);
            }
        }
        cli.getErr().println("Resuming scan " + entry.scanId() + " (started " + entry.started() + "): "
                + String.join(" ", entry.args()));
        CommandLine again = Main.newCommandLine();
        again.setOut(cli.getOut());
        again.setErr(cli.getErr());
        again.setOverwrittenOptionsAllowed(true);
        ((TlsxtractorCommand) again.getCommand()).resumeScanId = entry.scanId();
        return again.execute(args.toArray(String[]::new));
    }
}
