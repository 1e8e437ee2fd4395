package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":[{\"name\":\"ip\",\"type\":\"string\"}]}";

    @TempDir
    Path dataDir;

    @Test
    void apicurio3OnJava21RegistersAndReadsBackSchemasWithBackwardCompatibility() throws Exception {
        long pid;
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start(new RegistrySettings(dataDir, 0, Duration.ofSeconds(120)))) {
            pid = registry.pid();
            assertThat(registry.version()).startsWith("3.");
            assertRegistryWorks(registry);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void legacyApicurio26OnJava17StartsAndAnswersWhenJava21IsUnavailable() throws Exception {
        long pid;
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start(
                new RegistrySettings(dataDir, 0, Duration.ofSeconds(120)).withLegacyJava17())) {
            pid = registry.pid();
            assertThat(registry.version()).startsWith("2.6.");
            assertRegistryWorks(registry);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static void assertRegistryWorks(SchemaRegistryProcess registry) throws Exception {
        assertThat(registry.url()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
        // HTTP and the management interface both on loopback: nothing on port 9000 of every interface.
        assertThat(ListeningSockets.of(registry.pid()))
                .isNotEmpty()
                .contains("127.0.0.1:" + registry.port())
                .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/config")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        String body = JSON.createObjectNode().put("schema", SCHEMA).toString();
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/it-probe-value/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        long id = JSON.readTree(registered.body()).path("id").asLong(-1);
        assertThat(id).isNotNegative();

        HttpResponse<String> byId = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        JsonNode readBack = JSON.readTree(JSON.readTree(byId.body()).path("schema").asText());
        assertThat(readBack).isEqualTo(JSON.readTree(SCHEMA));

        // BACKWARD must be enforced, not just reported: a new required field without default is refused.
        String incompatible = JSON.createObjectNode().put("schema",
                "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"it\",\"fields\":[{\"name\":\"ip\",\"type\":\"string\"},"
                        + "{\"name\":\"port\",\"type\":\"int\"}]}").toString();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/it-probe-value/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(incompatible)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    }
}
