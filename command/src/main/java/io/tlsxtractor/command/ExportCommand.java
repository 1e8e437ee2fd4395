package io.tlsxtractor.command;

import io.tlsxtractor.results.ResultsDocuments;
import io.tlsxtractor.results.ResultsFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlsxtractor export --format v2 FILE}: a 1.x {@code results.json} as the v2 record stream. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Convert a 1.x results.json into the v2 record stream: one ProbeResult per line (Avro JSON "
                + "encoding), on standard output or into --output.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "v2", description = "Only v2 (default).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Option(names = "--scan-id", paramLabel = "ID", description = "Scan id of the records (default: the file's name).")
    String scanId;

    @Parameters(paramLabel = "FILE", description = "The 1.x results.json.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!"v2".equals(format)) {
            throw new ParameterException(spec.commandLine(), "--format: must be v2; got \"" + format + "\"");
        }
        String text = ImportCommand.read(spec, file);
        String id = scanId != null ? scanId : ImportCommand.defaultScanId(file);
        String lines;
        try {
            lines = ResultsDocuments.toV2(text, id);
        } catch (ResultsFormatException e) {
            throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage(), e, null, file.toString());
        }
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(lines);
            out.flush();
        } else {
            Files.writeString(output, lines, StandardCharsets.UTF_8);
        }
        return ExitCodes.OK;
    }
}
