package io.tlsxtractor.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tlsxtractor.config.internal.Texts;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shows a configuration: as a YAML file that loads back to the same configuration, with the origin
 * of every value ({@code tlsxtractor config show}), and as a reference of all keys.
 *
 * <p>Masking replaces every {@link Secret} that is set by {@value Secret#MASK} (an unset one stays
 * empty, so that "no password" remains visible), and likewise the entries of {@code kafka.properties}
 * and {@code plugins.settings} whose names suggest credentials (password, secret, token, jaas,
 * credential).
 */
public final class ConfigPrinter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_ENTRY = Pattern.compile("(?i).*(password|secret|token|jaas|credential).*");

    private ConfigPrinter() {
    }

    /** The configuration as YAML, every key present, sections in documentation order. */
    public static String toYaml(TlsxConfig config, boolean maskSecrets) {
        ObjectNode root = NODES.objectNode();
        for (ConfigKey key : ConfigKeys.all()) {
            String[] segments = key.path().split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < segments.length - 1; i++) {
                parent = parent.has(segments[i]) ? (ObjectNode) parent.get(segments[i]) : parent.putObject(segments[i]);
            }
            parent.set(segments[segments.length - 1], render(key.valueIn(config), maskSecrets));
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One line per key, {@code path = value  (origin)}, where origin is {@code default},
     * {@code file <name>}, {@code env <VARIABLE>} or {@code flag}; each entry of a map key has its own line.
     */
    public static String withOrigins(LoadedConfig loaded, boolean maskSecrets) {
        List<String[]> rows = new ArrayList<>();
        for (ConfigKey key : ConfigKeys.all()) {
            Object value = key.valueIn(loaded.config());
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                flatten(key.path(), render(value, maskSecrets), loaded, rows);
            } else {
                rows.add(new String[] {key.path(), json(render(value, maskSecrets)), loaded.origin(key.path()).toString()});
            }
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s = %s  (%s)%n", row[0], row[1], row[2]));
        }
        return out.toString();
    }

    /** A plain-text reference of every key: path, type, default, environment variable and meaning. */
    public static String reference() {
        StringBuilder out = new StringBuilder();
        String section = "";
        for (ConfigKey key : ConfigKeys.all()) {
            if (!key.section().equals(section)) {
                section = key.section();
                out.append(out.length() == 0 ? "" : "\n").append('[').append(section).append("]\n");
            }
            String type = key.type() == KeyType.ENUM
                    ? String.join("|", key.allowedValues())
                    : key.type().name().toLowerCase(Locale.ROOT);
            out.append(key.path()).append(" (").append(type).append(", default ")
                    .append(json(JSON.valueToTree(key.defaultValue()))).append(", env ").append(key.envVariable())
                    .append(")\n    ").append(key.doc()).append('\n');
        }
        return out.toString();
    }

    private static void flatten(String path, JsonNode node, LoadedConfig loaded, List<String[]> rows) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(path + "." + e.getKey(), e.getValue(), loaded, rows));
        } else {
            rows.add(new String[] {path, json(node), loaded.origin(path).toString()});
        }
    }

    private static JsonNode render(Object value, boolean mask) {
        if (value instanceof Secret secret) {
            return NODES.textNode(mask ? secret.toString() : secret.reveal());
        }
        if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode(d.longValue()) : NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Enum<?> e) {
            return NODES.textNode(e.name().toLowerCase(Locale.ROOT));
        }
        if (value instanceof Path p) {
            return NODES.textNode(p.toString());
        }
        if (value instanceof Optional<?> o) {
            return o.isPresent() ? render(o.get(), mask) : NODES.textNode("");
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(render(item, mask)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((name, item) -> {
                boolean secret = item instanceof String s && !s.isEmpty() && SECRET_ENTRY.matcher(name.toString()).matches();
                object.set(name.toString(), mask && secret ? NODES.textNode(Secret.MASK) : render(item, mask));
            });
            return object;
        }
        return NODES.textNode(String.valueOf(value));
    }

    private static String json(JsonNode node) {
        if (node.isTextual()) {
            return Texts.quote(node.asText());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
