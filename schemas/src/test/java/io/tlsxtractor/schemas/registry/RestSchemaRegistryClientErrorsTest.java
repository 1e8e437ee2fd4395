package io.tlsxtractor.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the REST client reports a registry that answers 422, 500 or something that is not the registry's JSON: each error
 * names the operation's subject, the HTTP status and the registry's own message. The server here is a plain HTTP server
 * on loopback that answers the way a registry does in those cases (a real registry cannot be made to fail on demand).
 */
class RestSchemaRegistryClientErrorsTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Probe").namespace("io.tlsxtractor.test")
            .fields().requiredString("ip").endRecord();

    private HttpServer server;

    private RestSchemaRegistryClient clientAnswering(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new RestSchemaRegistryClient(SchemaRegistrySettings.of(url)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anInvalidSchemaAnswer422IsReportedAsInvalidWithTheRegistrysMessage() throws Exception {
        RestSchemaRegistryClient client = clientAnswering(422, "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":42201,\"message\":\"Either the input schema or one its references is invalid\"}");
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("tlsx.probe-results.v1-value", SCHEMA));
        assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INVALID);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.errorCode()).isEqualTo(42201);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("tlsx.probe-results.v1-value", "422", "input schema or one its references is invalid");
    }

    @Test
    void aServerError500IsRetriableAndNamesTheSubject() throws Exception {
        RestSchemaRegistryClient client = clientAnswering(500, "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("tlsx.events.v1-value", SCHEMA));
        assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.SERVER_ERROR);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("tlsx.events.v1-value", "500", "backend data store");
    }

    @Test
    void aLookupByIdThatFailsNamesTheId() throws Exception {
        RestSchemaRegistryClient client = clientAnswering(500, "text/html", "<html>proxy error</html>");
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class, () -> client.getById(4711));
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.getMessage()).contains("4711", "500");
    }
}
