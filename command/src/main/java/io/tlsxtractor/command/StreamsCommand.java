package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.streams.ExtractionSettings;
import io.tlsxtractor.streams.StreamsApp;
import io.tlsxtractor.streams.StreamsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor streams}: the Kafka Streams application (probe results → domains, inventory, certificates, scan
 * status, events) against a cluster, until SIGTERM or Ctrl-C. Run as many as the partitions allow.
 */
@Command(name = "streams", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the stream processors against a Kafka cluster until stopped (SIGTERM/Ctrl-C): domain "
                + "extraction and inventory, certificates and their analysis, DNS enrichment (when dns.resolvers is "
                + "set), scan status and events, exactly once.")
final class StreamsCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the local state stores live (default: <local.data_dir>/streams).")
    Path stateDir;

    @Option(names = "--application-server", paramLabel = "HOST:PORT",
            description = "This instance's address for interactive queries across instances (default: none).")
    String applicationServer;

    @Option(names = "--trust-bundle", paramLabel = "PEM",
            description = "CA certificates that certificate analysis trusts instead of the JDK's trust store.")
    Path trustBundle;

    // One by default: on two cores beside a broker, a second thread did not raise the rate (stream-processors/README.md);
    // on a host of its own, threads up to the input topics' partition count each take a share of the tasks.
    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Stream threads in this instance; more than the input topics' partitions stay idle "
                    + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        TlsxConfig config = cluster.config(spec);
        ClusterConnection connection = ClusterOptions.connection(spec, config);
        StreamsSettings.Builder settings = StreamsSettings.builder(connection.bootstrapServers(), connection.registryUrl())
                .threads(threads)
                .stateDir(stateDir != null ? stateDir : config.local().dataDir().resolve("streams"))
                .clientProperties(connection.clientProperties())
                .extraction(new ExtractionSettings(config.scanning().defaultExclusions(),
                        config.scanning().includeDomains(), config.scanning().excludeDomains()))
                .progressInterval(Duration.ofMillis(config.events().progressIntervalMs()))
                // Without resolvers there is nobody to ask: enrichment by DNS is then off rather than failing.
                .dnsEnabled(!config.dns().resolvers().isEmpty())
                .dnsResolvers(config.dns().resolvers());
        if (applicationServer != null) {
            settings.applicationServer(applicationServer);
        }
        if (trustBundle != null) {
            settings.trustBundle(trustBundle);
        }
        StreamsApp app = StreamsApp.fromSettings(settings.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "tlsx-streams-shutdown"));
        // A fatal error stops the stream threads; the command must then end with an error, not wait for a signal.
        app.streams().setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        app.start();
        PrintWriter err = spec.commandLine().getErr();
        err.println("stream processors running against " + connection.bootstrapServers()
                + "; stop them with Ctrl-C or SIGTERM");
        err.flush();
        stopped.await();
        if (app.state() == KafkaStreams.State.ERROR) {
            err.println("Error: the stream processors stopped after a fatal error (see the log above)");
            err.flush();
            return ExitCodes.ERROR;
        }
        return ExitCodes.OK;
    }
}
