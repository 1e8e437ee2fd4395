package io.tlsxtractor.command;

import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.localstack.LocalStack;
import io.tlsxtractor.localstack.LocalStackSettings;
import io.tlsxtractor.localstack.Neo4jSettings;
import io.tlsxtractor.localstack.ServiceStatus;
import io.tlsxtractor.localstack.StackStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tlsxtractor dev up|down|status}: the real local services (Kafka broker, schema registry, ClickHouse, Neo4j) for a developer, as
 * processes that outlive the command and are stopped by their PID.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Start, stop or inspect the local development stack (Kafka broker, schema registry, ClickHouse, Neo4j).",
        subcommands = {DevCommand.Up.class, DevCommand.Down.class, DevCommand.Status.class})
final class DevCommand implements Callable<Integer> {

    /** The configuration file and overrides; the stack's settings are the {@code local.*} keys. */
    static final class Source {
        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML or TOML).")
        Path file;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the stack keeps its data (local.data_dir).")
        Path dataDir;

        TlsxConfig.Local local(CommandSpec spec) {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (dataDir != null) {
                overrides.put("local.data_dir", dataDir.toString());
            }
            return Configs.load(spec.commandLine(), file, overrides).local();
        }

        Path home(CommandSpec spec) {
            return local(spec).dataDir().resolve("dev");
        }

        LocalStackSettings settings(CommandSpec spec, boolean databases) {
            TlsxConfig.Local local = local(spec);
            // Neo4j alone can take minutes to open Bolt on a loaded 2-core machine.
            return new LocalStackSettings(local.dataDir().resolve("dev"), local.brokerPort(), local.registryPort(),
                    local.brokerHeap(), Duration.ofMinutes(5), databases);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Start the broker, the registry, ClickHouse and Neo4j (or report the ones already running) and print "
                    + "endpoints. Neo4j's user is neo4j, its password " + Neo4jSettings.DEFAULT_PASSWORD + " (loopback only).")
    static final class Up implements Callable<Integer> {
        @Mixin
        Source source;

        @Option(names = "--without-databases",
                description = "Start only the broker and the registry, not ClickHouse and Neo4j (what the sinks load).")
        boolean withoutDatabases;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StackStatus status = LocalStack.up(source.settings(spec, !withoutDatabases));
            print(spec.commandLine().getOut(), status);
            return status.services().stream().allMatch(ServiceStatus::running) ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Stop every process the stack started (by PID) and forget them.")
    static final class Down implements Callable<Integer> {
        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StackStatus status = LocalStack.down(source.home(spec));
            PrintWriter out = spec.commandLine().getOut();
            if (status.services().isEmpty()) {
                out.println("no local stack was running");
            }
            for (ServiceStatus s : status.services()) {
                out.printf("stopped %-16s pid %d%n", s.name(), s.pid());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Show each service of the stack: pid, endpoint, version, running or not. Exit 1 if any is down.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            StackStatus status = LocalStack.status(source.home(spec));
            if (status.services().isEmpty()) {
                spec.commandLine().getOut().println("no local stack is running (start one with: tlsxtractor dev up)");
                spec.commandLine().getOut().flush();
                return ExitCodes.ERROR;
            }
            print(spec.commandLine().getOut(), status);
            return status.services().stream().allMatch(ServiceStatus::running) ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    static void print(PrintWriter out, StackStatus status) {
        for (ServiceStatus s : status.services()) {
            out.printf("%-16s %-8s pid %-8d %-45s %s%n", s.name(), s.running() ? "running" : "DOWN", s.pid(),
                    s.endpoint(), s.version());
        }
        out.flush();
    }

    @Spec
    CommandSpec spec;

    /** {@code dev} alone is a usage error: it names what to type instead. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "dev needs a subcommand: up, down or status");
    }
}
