package io.tlsxtractor.sinks.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One connector to create: its name and its configuration (which includes {@code connector.class}).
 *
 * @param name   the connector's name, unique in the worker
 * @param config the connector configuration; it always holds {@code name}, equal to {@link #name()}
 */
public record ConnectorDefinition(String name, Map<String, String> config) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ConnectorDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A connector needs a name");
        }
        String inConfig = config.get("name");
        if (inConfig != null && !inConfig.equals(name)) {
            throw new IllegalArgumentException("Connector " + name + ": its config says name=" + inConfig);
        }
        if (!config.containsKey("connector.class")) {
            throw new IllegalArgumentException("Connector " + name + ": connector.class is missing from its config");
        }
        // The herder, unlike the REST API, does not fill in the name: it must be in the config itself.
        Map<String, String> withName = new LinkedHashMap<>(config);
        withName.put("name", name);
        config = Map.copyOf(withName);
    }

    /**
     * Reads a connector file the way Connect's own tools write them: a {@code .properties} file with {@code name}
     * among the keys, or JSON, either the REST API's create request {@code {"name": ..., "config": {...}}} or a flat
     * object with {@code name} among the keys. Values that are JSON numbers or booleans become their text.
     */
    public static ConnectorDefinition load(Path file) {
        String fileName = file.getFileName().toString();
        try {
            Map<String, String> config;
            String name;
            if (fileName.endsWith(".json")) {
                JsonNode root = JSON.readTree(file.toFile());
                if (root == null || !root.isObject()) {
                    throw new IllegalArgumentException("Connector file " + file + " must hold a JSON object");
                }
                JsonNode nested = root.get("config");
                JsonNode body = nested != null && nested.isObject() ? nested : root;
                config = textMap(body, file);
                name = root.hasNonNull("name") ? root.get("name").asText() : config.get("name");
            } else {
                Properties props = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    props.load(reader);
                }
                config = new LinkedHashMap<>();
                for (String key : props.stringPropertyNames()) {
                    config.put(key, props.getProperty(key).trim());
                }
                name = config.get("name");
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Connector file " + file + " has no \"name\"");
            }
            config.putIfAbsent("name", name);
            try {
                return new ConnectorDefinition(name, config);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Connector file " + file + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read connector file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> textMap(JsonNode object, Path file) {
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new IllegalArgumentException("Connector file " + file + ": key " + field.getKey()
                        + " must be a string, number or boolean, not " + value.getNodeType());
            }
            if (!value.isNull()) {
                map.put(field.getKey(), value.asText());
            }
        }
        return map;
    }

    /** The REST API's create request body for this connector. */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
