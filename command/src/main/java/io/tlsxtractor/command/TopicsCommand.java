package io.tlsxtractor.command;

import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.localstack.LocalStack;
import io.tlsxtractor.localstack.ServiceStatus;
import io.tlsxtractor.schemas.TopicProvisioner;
import io.tlsxtractor.schemas.TopicProvisioner.Report;
import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlsxtractor topics}: the topic catalog, and its provisioning on a cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the topic catalog or create its topics on a Kafka cluster.",
        subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.Create.class})
final class TopicsCommand implements Callable<Integer> {

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print every topic of the catalog: name, key, value, cleanup policy, partitions.")
    static final class ListTopics implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-34s %-8s %-18s %-8s %s%n", "topic", "key", "value", "cleanup", "partitions");
            for (TopicSpec<?, ?> t : Topics.allWithDeadLetters()) {
                out.printf("%-34s %-8s %-18s %-8s %d%n", t.name(), t.keyClass().getSimpleName(),
                        t.valueClass().getSimpleName(), t.cleanupPolicy().configValue(), t.partitions());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Create the catalog's missing topics (and their dead-letter topics) and report existing "
                    + "topics whose settings differ from the catalog; existing topics are never changed.",
                "Exit 1 when there is drift."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML or TOML).")
        Path file;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
                description = "The cluster; default: kafka.bootstrap_servers, else the running dev stack's broker.")
        String bootstrapServers;

        @Option(names = "--partitions", paramLabel = "N", description = "Partitions of every new topic instead of the catalog's.")
        Integer partitions;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Deadline of each call to the cluster (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (bootstrapServers != null) {
                overrides.put("kafka.bootstrap_servers", bootstrapServers);
            }
            TlsxConfig config = Configs.load(spec.commandLine(), file, overrides);
            String servers = bootstrapServers(config);
            TopicProvisioner.Options options = TopicProvisioner.Options.defaults()
                    .withReplicationFactor((short) config.kafka().replicationFactor())
                    .withTimeout(Duration.ofSeconds(timeoutSeconds));
            if (partitions != null) {
                options = options.withPartitions(partitions);
            }
            Report report;
            try (Admin admin = TopicProvisioner.createAdmin(servers, Duration.ofSeconds(timeoutSeconds))) {
                report = new TopicProvisioner(admin, servers, options).provisionCatalog();
            }
            PrintWriter out = spec.commandLine().getOut();
            report.created().forEach(t -> out.println("created  " + t));
            report.existing().forEach(t -> out.println("exists   " + t));
            report.drift().forEach(d -> out.println("DRIFT    " + d));
            out.flush();
            return report.hasDrift() ? ExitCodes.ERROR : ExitCodes.OK;
        }

        private String bootstrapServers(TlsxConfig config) {
            if (!config.kafka().embedded()) {
                return config.kafka().bootstrapServers();
            }
            Path home = config.local().dataDir().resolve("dev");
            return LocalStack.status(home).services().stream()
                    .filter(s -> s.name().equals(LocalStack.KAFKA) && s.running())
                    .map(ServiceStatus::endpoint)
                    .findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "no Kafka cluster: give --bootstrap-servers, set kafka.bootstrap_servers, or start the "
                                    + "local stack with: tlsxtractor dev up"));
        }
    }

    @Spec
    CommandSpec spec;

    /** {@code topics} alone is a usage error: it names what to type instead. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "topics needs a subcommand: list or create");
    }
}
