package io.tlsxtractor.command;

import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.localstack.LocalStack;
import io.tlsxtractor.localstack.ServiceStatus;
import io.tlsxtractor.sinks.clickhouse.ClickHouseMigrations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tlsxtractor sinks}: the stores the sink connectors load; today the ClickHouse tables' migrations. */
@Command(
        name = "sinks",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Manage the stores the sink connectors load.",
        subcommands = {SinksCommand.Migrate.class})
final class SinksCommand implements Callable<Integer> {

    @Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Create or upgrade the ClickHouse tables and dashboard views (versioned migrations, recorded in "
                    + "<database>.schema_migrations); migrations already applied are skipped, an edited one is refused.",
                "The connector runs the same migrations at start; this command runs them ahead of it, e.g. in a deploy."})
    static final class Migrate implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML or TOML): sinks.clickhouse.*.")
        Path file;

        @Option(names = "--clickhouse-url", paramLabel = "URL", description = "ClickHouse HTTP interface (sinks.clickhouse.url).")
        String url;

        @Option(names = "--database", paramLabel = "NAME", description = "The database, which must exist (sinks.clickhouse.database).")
        String database;

        @Option(names = "--dev-stack", description = "Migrate the ClickHouse of the running local stack (tlsxtractor dev up).")
        boolean devStack;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (url != null) {
                overrides.put("sinks.clickhouse.url", url);
            }
            if (database != null) {
                overrides.put("sinks.clickhouse.database", database);
            }
            TlsxConfig config = Configs.load(spec.commandLine(), file, overrides);
            TlsxConfig.ClickHouse clickHouse = config.sinks().clickhouse();
            String target = devStack ? devStackUrl(config) : clickHouse.url();
            ClickHouseMigrations.Result result;
            try {
                result = ClickHouseMigrations.migrate(target, clickHouse.username(), clickHouse.password().reveal(),
                        clickHouse.database(), clickHouse.ttlDays());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot migrate ClickHouse at " + target + " (database "
                        + clickHouse.database() + "): " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (result.applied().isEmpty()) {
                out.printf("ClickHouse %s database %s is up to date (schema version %d)%n", target, clickHouse.database(),
                        result.version());
            } else {
                out.printf("ClickHouse %s database %s: applied migrations %s, now at schema version %d%n", target,
                        clickHouse.database(), result.applied(), result.version());
            }
            out.flush();
            return ExitCodes.OK;
        }

        private String devStackUrl(TlsxConfig config) {
            Path home = config.local().dataDir().resolve("dev");
            return LocalStack.status(home).services().stream()
                    .filter(s -> s.name().equals(LocalStack.CLICKHOUSE) && s.running())
                    .map(ServiceStatus::endpoint)
                    .findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(),
                            "--dev-stack: the local stack in " + home + " has no running ClickHouse; start it with: "
                                    + "tlsxtractor dev up"));
        }
    }

    @Spec
    CommandSpec spec;

    /** {@code sinks} alone is a usage error: it names what to type instead. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "sinks needs a subcommand: migrate");
    }
}
