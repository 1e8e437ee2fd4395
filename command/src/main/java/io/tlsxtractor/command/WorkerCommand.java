package io.tlsxtractor.command;

import io.tlsxtractor.command.scan.ClusterConnection;
import io.tlsxtractor.command.scan.EmbeddedPipeline;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.worker.WorkerService;
import io.tlsxtractor.worker.WorkerSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor worker}: one probe worker on its own against a cluster (target blocks → probe results), until
 * SIGTERM or Ctrl-C, which let the probes in flight finish and commit before it leaves the group.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a probe worker against a Kafka cluster until stopped (SIGTERM/Ctrl-C): it probes the "
                + "target blocks of tlsx.targets.v1 and writes tlsx.probe-results.v1. Start as many as the "
                + "partitions allow.")
final class WorkerCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "Endpoints probed at once (default: scanning.max_in_flight).")
    Integer maxInFlight;

    @Option(names = "--worker-id", paramLabel = "ID", description = "Id in results and events (default: <host>-<pid>).")
    String workerId;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Prometheus endpoint on 127.0.0.1, 0 = none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        TlsxConfig config = cluster.config(spec);
        ClusterConnection connection = ClusterOptions.connection(spec, config);
        int budget = maxInFlight != null ? maxInFlight : config.scanning().maxInFlight();
        WorkerSettings settings = EmbeddedPipeline.workerSettings(connection, budget, config.scanning())
                .workerId(workerId)
                .metricsPort(metricsPort)
                .drainTimeout(Duration.ofSeconds(30))
                .build();
        WorkerService worker = new WorkerService(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "tlsx-worker-shutdown"));
        worker.start();
        PrintWriter err = spec.commandLine().getErr();
        err.println("worker " + worker.workerId() + " running against " + connection.bootstrapServers()
                + " (in flight up to " + budget + "); stop it with Ctrl-C or SIGTERM");
        err.flush();
        while (!worker.awaitStopped(Duration.ofMinutes(1))) {
            // Keeps the command alive while the worker runs; the shutdown hook stops it.
        }
        if (worker.failure() != null) {
            err.println("Error: the worker stopped: " + worker.failure().getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
        return ExitCodes.OK;
    }
}
