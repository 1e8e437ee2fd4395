package io.tlsxtractor.sinks.clickhouse;

import io.tlsxtractor.localstack.ClickHouseProcess;
import io.tlsxtractor.localstack.ClickHouseSettings;
import io.tlsxtractor.localstack.EmbeddedKafkaBroker;
import io.tlsxtractor.localstack.RegistrySettings;
import io.tlsxtractor.localstack.SchemaRegistryProcess;
import io.tlsxtractor.schemas.registry.RestSchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistryClient;
import io.tlsxtractor.schemas.registry.SchemaRegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real services the tests share within one JVM: a Kafka broker, the Apicurio registry and ClickHouse, each
 * started once (they take seconds each on this machine) and stopped by their shutdown hooks. Each test uses its
 * own database and topics, so tests do not see each other's data.
 */
final class LocalServices {

    private static LocalServices instance;

    final Path dataDir;
    final EmbeddedKafkaBroker broker;
    final SchemaRegistryProcess registry;
    final SchemaRegistryClient registryClient;
    ClickHouseProcess clickHouse;

    private LocalServices(Path dataDir) {
        this.dataDir = dataDir;
        broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
        registry = SchemaRegistryProcess.start(new RegistrySettings(dataDir.resolve("registry"), 0, Duration.ofMinutes(2)));
        registryClient = new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.url()));
        clickHouse = ClickHouseProcess.start(clickHouseSettings());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-test-broker"));
    }

    static synchronized LocalServices get() {
        if (instance == null) {
            try {
                instance = new LocalServices(Files.createTempDirectory("clickhouse-sink-it-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    ClickHouseSettings clickHouseSettings() {
        ClickHouseSettings settings = new ClickHouseSettings(dataDir.resolve("clickhouse"));
        // A restart must come back on the same ports: the connector's URL does not change.
        return clickHouse == null ? settings : settings.withPorts(clickHouse.httpPort(), clickHouse.tcpPort());
    }

    /** A fresh database (ENGINE = Atomic) for one test. */
    String newDatabase(String name) {
        clickHouse.queryIn("system", "DROP DATABASE IF EXISTS " + name + " SYNC");
        clickHouse.queryIn("system", "CREATE DATABASE " + name + " ENGINE = Atomic");
        return name;
    }

    /** The single-value answer of a query. */
    String scalar(String sql) {
        return clickHouse.query(sql).strip();
    }

    long count(String sql) {
        return Long.parseLong(scalar(sql));
    }
}
