package io.tlsxtractor.sinks.connect.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsxtractor.sinks.connect.ConnectorStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The few calls of Connect's REST API the project makes. */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    public ConnectRestClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** True when {@code GET /connectors} answers 200. */
    public boolean answers() {
        try {
            return send(HttpRequest.newBuilder(uri("connectors")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code PUT /connectors/{name}/config}: creates or replaces the connector. */
    public void putConnectorConfig(String name, Map<String, String> config) {
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (IOException e) {
            throw new IllegalArgumentException("Connector " + name + ": config cannot be written as JSON", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("connectors/" + encode(name) + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = call(request, "create connector " + name);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw failure("create connector " + name, response);
        }
    }

    /** {@code DELETE /connectors/{name}}. */
    public void deleteConnector(String name) {
        HttpResponse<String> response = call(HttpRequest.newBuilder(uri("connectors/" + encode(name))).DELETE(),
                "delete connector " + name);
        if (response.statusCode() != 204 && response.statusCode() != 200) {
            throw failure("delete connector " + name, response);
        }
    }

    /** {@code GET /connectors/{name}/status}; an unknown connector is an {@link IllegalArgumentException}. */
    public ConnectorStatus status(String name) {
        HttpResponse<String> response = call(HttpRequest.newBuilder(uri("connectors/" + encode(name) + "/status")).GET(),
                "read the status of connector " + name);
        if (response.statusCode() == 404) {
            throw new IllegalArgumentException("The Connect worker at " + base + " has no connector " + name);
        }
        if (response.statusCode() != 200) {
            throw failure("read the status of connector " + name, response);
        }
        try {
            JsonNode root = JSON.readTree(response.body());
            JsonNode connector = root.path("connector");
            List<ConnectorStatus.TaskStatus> tasks = new ArrayList<>();
            for (JsonNode task : root.path("tasks")) {
                tasks.add(new ConnectorStatus.TaskStatus(task.path("id").asInt(), task.path("state").asText(),
                        textOrNull(task.get("trace"))));
            }
            return new ConnectorStatus(name, connector.path("state").asText(), textOrNull(connector.get("trace")), tasks);
        } catch (IOException e) {
            throw new IllegalStateException("Connect worker at " + base + ": unreadable status of connector " + name
                    + ": " + response.body(), e);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private HttpResponse<String> call(HttpRequest.Builder request, String what) {
        try {
            return send(request);
        } catch (IOException e) {
            throw new IllegalStateException("Connect worker at " + base + ": cannot " + what + ": " + e, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private IllegalStateException failure(String what, HttpResponse<String> response) {
        return new IllegalStateException("Connect worker at " + base + ": cannot " + what + ": HTTP "
                + response.statusCode() + " " + response.body());
    }

    private URI uri(String path) {
        return base.resolve(path);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
