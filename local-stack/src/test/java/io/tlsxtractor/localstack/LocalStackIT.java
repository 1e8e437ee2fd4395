package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void leaveNoProcessBehind() {
        LocalStack.down(home);
    }

    @Test
    void upStartsEveryServiceDetachedStatusSeesThemAndDownStopsEveryPid() throws Exception {
        LocalStackSettings settings = new LocalStackSettings(home, 0, 0, "256m", Duration.ofMinutes(5), true);
        StackStatus up = LocalStack.up(settings);
        assertThat(up.allRunning()).as("%s", up).isTrue();
        assertThat(home.resolve("stack.json")).isRegularFile();
        ServiceStatus kafka = up.service(LocalStack.KAFKA).orElseThrow();
        ServiceStatus registry = up.service(LocalStack.SCHEMA_REGISTRY).orElseThrow();
        assertThat(kafka.version()).isEqualTo("4.4.0");
        assertThat(registry.version()).startsWith("3.");
        ServiceStatus clickHouse = up.service(LocalStack.CLICKHOUSE).orElseThrow();
        ServiceStatus neo4j = up.service(LocalStack.NEO4J).orElseThrow();
        assertThat(clickHouse.version()).isEqualTo(ClickHouseProcess.version());
        assertThat(neo4j.version()).startsWith("5.26");
        assertThat(neo4j.endpoint()).startsWith("bolt://127.0.0.1:");
        List<Long> pids = List.of(kafka.pid(), registry.pid(), clickHouse.pid(), neo4j.pid());
        // Detached: the processes are children of this JVM but no shutdown hook of ours will stop them.
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent());

        StackStatus status = LocalStack.status(home);
        assertThat(status.services()).containsExactlyInAnyOrderElementsOf(up.services());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.endpoint()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        HttpClient http = HttpClient.newHttpClient();
        long schemaId = register(http, registry.endpoint());
        clickHouse(http, clickHouse.endpoint(), "CREATE TABLE local_stack_it (a UInt32) ENGINE = MergeTree ORDER BY a");
        clickHouse(http, clickHouse.endpoint(), "INSERT INTO local_stack_it VALUES (7)");

        // A second up finds both alive and starts nothing.
        StackStatus again = LocalStack.up(settings);
        assertThat(again.services()).extracting(ServiceStatus::pid).containsExactlyInAnyOrderElementsOf(pids);

        StackStatus down = LocalStack.down(home);
        assertThat(down.services()).extracting(ServiceStatus::running).containsOnly(false);
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(home.resolve("stack.json")).doesNotExist();
        assertThat(LocalStack.status(home).services()).isEmpty();

        // The developer stack keeps its data: the schema registered before is still there after a restart.
        StackStatus restarted = LocalStack.up(settings);
        assertThat(restarted.allRunning()).isTrue();
        ServiceStatus registryAgain = restarted.service(LocalStack.SCHEMA_REGISTRY).orElseThrow();
        assertThat(restarted.service(LocalStack.KAFKA).orElseThrow().endpoint()).isEqualTo(kafka.endpoint());
        HttpResponse<String> byId = http.send(HttpRequest.newBuilder(
                URI.create(registryAgain.endpoint() + "/schemas/ids/" + schemaId)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(byId.body()).contains("LocalStackIt");
        String clickHouseAgain = restarted.service(LocalStack.CLICKHOUSE).orElseThrow().endpoint();
        assertThat(clickHouse(http, clickHouseAgain, "SELECT sum(a) FROM local_stack_it").strip()).isEqualTo("7");
    }

    @Test
    void statusReportsARecordedServiceWhoseProcessIsGoneAsNotRunning() throws Exception {
        StackStatus up = LocalStack.up(new LocalStackSettings(home, 0, 0, "256m", Duration.ofMinutes(2), false));
        assertThat(up.service(LocalStack.CLICKHOUSE)).as("left out on request").isEmpty();
        long brokerPid = up.service(LocalStack.KAFKA).orElseThrow().pid();
        ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
        broker.destroyForcibly();
        broker.onExit().get();

        StackStatus status = LocalStack.status(home);
        assertThat(status.service(LocalStack.KAFKA).orElseThrow().running()).isFalse();
        assertThat(status.service(LocalStack.SCHEMA_REGISTRY).orElseThrow().running()).isTrue();
        assertThat(status.allRunning()).isFalse();
    }

    /** One statement against the stack's ClickHouse over HTTP, in the project's database. */
    private static String clickHouse(HttpClient http, String url, String sql) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/?database="
                + ClickHouseSettings.DEFAULT_DATABASE)).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static long register(HttpClient http, String registryUrl) throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"LocalStackIt\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/local-stack-it-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("schema", schema).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("id").asLong();
    }
}
