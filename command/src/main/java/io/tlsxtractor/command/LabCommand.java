package io.tlsxtractor.command;

import io.tlsxtractor.tlslab.LabSpec;
import io.tlsxtractor.tlslab.TlsLab;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor lab}: the project's own internet to scan, for a person — a TLS server on loopback that answers for
 * every address of a 127.x range with deterministic certificates and the behaviours described by a spec file.
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Run the TLS lab on loopback until Ctrl-C: every address of the range answers TLS on the port, "
                + "with certificates named h-a-b-c-d.lab.test and the behaviours of the spec file.",
            "Spec lines: <ip-or-cidr> <profile>[,<profile>[:arg]]... (see tls-lab/README.md for the profiles)."})
final class LabCommand implements Callable<Integer> {

    @Option(names = "--range", paramLabel = "CIDR", defaultValue = "127.77.0.0/22",
            description = "Addresses the lab answers for, inside 127.0.0.0/8 (default: ${DEFAULT-VALUE}).")
    String range;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--spec", paramLabel = "FILE", description = "Which addresses behave how; default: all 'default'.")
    Path spec;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws Exception {
        LabSpec labSpec = (spec == null ? LabSpec.builder().build() : LabSpec.parse(spec)).withRange(range);
        TlsLab lab = TlsLab.start(labSpec, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "tls-lab-shutdown"));
        PrintWriter out = command.commandLine().getOut();
        out.printf("TLS lab on port %d (%s TLS), answering for %s%n", lab.port(), lab.tlsProvider(), range);
        labSpec.summary().forEach(out::println);
        out.println("Lab root CA (trust it to verify the lab's chains):");
        out.print(lab.caCertificatePem());
        out.printf("Try: openssl s_client -connect %s:%d -servername www.example.com </dev/null%n",
                firstAddress(range), lab.port());
        out.println("Running until Ctrl-C.");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static String firstAddress(String cidr) {
        String base = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
        String[] octets = base.split("\\.");
        if (octets.length == 4 && octets[3].equals("0")) {
            octets[3] = "1";
        }
        return String.join(".", octets);
    }
}
