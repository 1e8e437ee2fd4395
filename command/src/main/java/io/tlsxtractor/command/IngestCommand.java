package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.ingest.HostResolver;
import io.tlsxtractor.ingest.IngestService;
import io.tlsxtractor.ingest.IngestSettings;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor ingest}: the ingest service on its own against a cluster (scan requests → target blocks), until
 * SIGTERM or Ctrl-C, which stop it at a checkpoint it resumes from.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the ingest service against a Kafka cluster until stopped (SIGTERM/Ctrl-C): it expands the "
                + "scan requests of tlsx.scan-requests.v1 into target blocks for the workers.")
final class IngestCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--group", paramLabel = "ID", defaultValue = IngestSettings.DEFAULT_GROUP_ID,
            description = "Consumer group shared by the ingest processes (default: ${DEFAULT-VALUE}).")
    String group;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        TlsxConfig config = cluster.config(spec);
        ClusterConnection connection = ClusterOptions.connection(spec, config);
        IngestSettings settings = IngestSettings.defaults(connection.bootstrapServers()).withGroupId(group)
                .withClientProperties(connection.clientProperties());
        HostResolver resolver = settings.newDefaultResolver();
        IngestService ingest = new IngestService(settings, connection.registry(), resolver, Clock.systemUTC());
        Thread thread = ingest.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ingest.close();
            try {
                resolver.close();
            } catch (Exception e) {
                // Stopping anyway.
            }
        }, "tlsx-ingest-shutdown"));
        PrintWriter err = spec.commandLine().getErr();
        err.println("ingest running against " + connection.bootstrapServers() + " as group " + group
                + "; stop it with Ctrl-C or SIGTERM");
        err.flush();
        thread.join();
        return ExitCodes.OK;
    }
}
