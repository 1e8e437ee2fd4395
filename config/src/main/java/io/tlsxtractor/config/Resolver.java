package io.tlsxtractor.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tlsxtractor.config.internal.ConfigFileReader;
import io.tlsxtractor.config.internal.Interpolator;
import io.tlsxtractor.config.internal.InvalidValueException;
import io.tlsxtractor.config.internal.Suggestions;
import io.tlsxtractor.config.internal.Texts;
import io.tlsxtractor.config.internal.ValueConverter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One resolution of the configuration: collects the raw values of every source into one map keyed by
 * dotted path (later sources replace earlier ones, map entries one by one), then converts and checks
 * the winning value of each key, collecting every problem on the way.
 */
final class Resolver {

    /** A raw value and where it came from; {@code entry} names the entry of a map key. */
    private record Setting(ConfigKey key, List<String> entry, JsonNode value, ConfigOrigin origin, boolean fromFile) {
    }

    /** What a dotted path refers to. */
    private record Target(ConfigKey key, List<String> entry, boolean section) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    Resolver(Map<String, String> environment) {
        this.environment = environment;
    }

    LoadedConfig resolve(Path file, Map<String, String> overrides) {
        if (file != null) {
            readFile(file);
        }
        readEnvironment();
        readOverrides(overrides);

        Map<String, Object> values = new HashMap<>();
        Map<String, ConfigOrigin> origins = new HashMap<>();
        for (ConfigKey key : ConfigKeys.all()) {
            if (key.type().isMap()) {
                bindMap(key, values, origins);
            } else {
                bindValue(key, values, origins);
            }
        }
        crossCheck(values, origins);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LoadedConfig(ConfigKeys.bind(values), origins);
    }

    // ---- sources

    private void readFile(Path file) {
        ConfigFileReader.Parsed parsed = ConfigFileReader.read(file);
        problems.addAll(parsed.problems());
        if (parsed.root() != null) {
            walk(parsed.root(), "", ConfigOrigin.file(file.toString()));
        }
    }

    private void walk(ObjectNode node, String prefix, ConfigOrigin origin) {
        node.properties().forEach(field -> {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            Optional<Target> target = locate(path);
            if (target.isEmpty()) {
                problems.add(new ConfigProblem(path, unknownKey(path), origin));
            } else if (target.get().section()) {
                if (value.isObject()) {
                    walk((ObjectNode) value, path, origin);
                } else if (!value.isNull()) {
                    problems.add(new ConfigProblem(path, "is a section: expected a mapping of its keys, got "
                            + Texts.describe(value), origin));
                }
            } else if (target.get().key().type().isMap()) {
                putEntries(target.get().key(), target.get().entry(), value, origin, true);
            } else {
                put(new Setting(target.get().key(), List.of(), value, origin, true));
            }
        });
    }

    private void putEntries(ConfigKey key, List<String> entry, JsonNode value, ConfigOrigin origin, boolean fromFile) {
        String path = entryPath(key, entry);
        if (value.isObject()) {
            value.properties().forEach(field -> {
                List<String> child = new ArrayList<>(entry);
                child.add(field.getKey());
                putEntries(key, child, field.getValue(), origin, fromFile);
            });
        } else if (entry.isEmpty()) {
            if (!value.isNull()) {
                problems.add(new ConfigProblem(path, "expected a mapping of names to values, got "
                        + Texts.describe(value), origin));
            }
        } else if (key.type() == KeyType.NESTED_STRING_MAP && entry.size() < 2) {
            problems.add(new ConfigProblem(path, "expected a mapping of the settings of " + entry.get(0) + ", got "
                    + Texts.describe(value), origin));
        } else if (value.isArray()) {
            problems.add(new ConfigProblem(path, "expected a single value, got a list (write it comma-separated)", origin));
        } else {
            put(new Setting(key, List.copyOf(entry), value, origin, fromFile));
        }
    }

    private void readEnvironment() {
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (!variable.startsWith(ConfigKey.ENV_PREFIX) || ConfigKeys.LAUNCHER_VARIABLES.contains(variable)) {
                continue;
            }
            ConfigOrigin origin = ConfigOrigin.env(variable);
            Optional<ConfigKey> key = ConfigKeys.forEnvVariable(variable);
            if (key.isPresent()) {
                putText(key.get(), environment.get(variable), origin, variable);
            } else {
                problems.add(new ConfigProblem(variable, unknownVariable(variable), null));
            }
        }
    }

    private void readOverrides(Map<String, String> overrides) {
        overrides.forEach((path, value) -> {
            Optional<Target> target = locate(path);
            if (target.isEmpty() || target.get().section()) {
                problems.add(new ConfigProblem(path, target.isEmpty() ? unknownKey(path)
                        : "is a section, not a key", ConfigOrigin.FLAG));
            } else if (target.get().entry().isEmpty()) {
                putText(target.get().key(), value, ConfigOrigin.FLAG, path);
            } else {
                putEntries(target.get().key(), target.get().entry(), TextNode.valueOf(value), ConfigOrigin.FLAG, false);
            }
        });
    }

    /** Text from the environment or a flag; maps come as {@code name=value,name=value}. */
    private void putText(ConfigKey key, String text, ConfigOrigin origin, String where) {
        if (!key.type().isMap()) {
            put(new Setting(key, List.of(), TextNode.valueOf(text), origin, false));
            return;
        }
        for (String item : splitEscaped(text)) {
            int eq = item.indexOf('=');
            String name = eq < 0 ? "" : item.substring(0, eq).trim();
            boolean nested = key.type() == KeyType.NESTED_STRING_MAP;
            int dot = name.indexOf('.');
            if (name.isEmpty() || nested && (dot <= 0 || dot == name.length() - 1)) {
                problems.add(new ConfigProblem(where, "expected " + (nested ? "plugin.name=value" : "name=value")
                        + " items separated by commas, got " + Texts.quote(item), origin));
                continue;
            }
            List<String> entry = nested ? List.of(name.substring(0, dot), name.substring(dot + 1)) : List.of(name);
            put(new Setting(key, entry, TextNode.valueOf(item.substring(eq + 1).trim()), origin, false));
        }
    }

    private void put(Setting setting) {
        settings.put(entryPath(setting.key(), setting.entry()), setting);
    }

    // ---- binding

    private void bindValue(ConfigKey key, Map<String, Object> values, Map<String, ConfigOrigin> origins) {
        Setting setting = settings.get(key.path());
        ConfigOrigin origin = setting == null ? ConfigOrigin.DEFAULT : setting.origin();
        JsonNode raw = setting == null ? JSON.valueToTree(key.defaultValue()) : setting.value();
        if (setting != null && setting.fromFile()) {
            raw = interpolate(key.path(), raw, origin);
            if (raw == null) {
                return;
            }
        }
        try {
            Object value = ValueConverter.convert(key, raw);
            Optional<String> problem = key.check(value);
            if (problem.isPresent()) {
                problems.add(new ConfigProblem(key.path(), problem.get(), origin(origin)));
                return;
            }
            values.put(key.path(), value);
            origins.put(key.path(), origin);
        } catch (InvalidValueException e) {
            problems.add(new ConfigProblem(key.path(), e.getMessage(), origin(origin)));
        }
    }

    private void bindMap(ConfigKey key, Map<String, Object> values, Map<String, ConfigOrigin> origins) {
        Map<String, String> flat = new TreeMap<>();
        Map<String, Map<String, String>> nested = new TreeMap<>();
        boolean failed = false;
        for (Map.Entry<String, Setting> e : settings.entrySet()) {
            Setting setting = e.getValue();
            if (setting.key() != key) {
                continue;
            }
            JsonNode raw = setting.fromFile() ? interpolate(e.getKey(), setting.value(), setting.origin()) : setting.value();
            if (raw == null) {
                failed = true;
                continue;
            }
            String text;
            try {
                text = ValueConverter.entryText(raw);
            } catch (InvalidValueException ex) {
                problems.add(new ConfigProblem(e.getKey(), ex.getMessage(), setting.origin()));
                failed = true;
                continue;
            }
            List<String> entry = setting.entry();
            if (key.type() == KeyType.NESTED_STRING_MAP) {
                String name = String.join(".", entry.subList(1, entry.size()));
                nested.computeIfAbsent(entry.get(0), p -> new TreeMap<>()).put(name, text);
            } else {
                flat.put(String.join(".", entry), text);
            }
            origins.put(e.getKey(), setting.origin());
        }
        if (!failed) {
            values.put(key.path(), key.type() == KeyType.NESTED_STRING_MAP ? nested : flat);
            origins.putIfAbsent(key.path(), ConfigOrigin.DEFAULT);
        }
    }

    /** {@code raw} with {@code ${VAR}} references replaced, or {@code null} after reporting problems. */
    private JsonNode interpolate(String path, JsonNode raw, ConfigOrigin origin) {
        if (raw.isTextual()) {
            Interpolator.Result result = Interpolator.interpolate(raw.asText(), environment);
            result.problems().forEach(p -> problems.add(new ConfigProblem(path, p, origin)));
            return result.ok() ? TextNode.valueOf(result.value()) : null;
        }
        if (raw.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            boolean ok = true;
            for (JsonNode item : raw) {
                JsonNode replaced = interpolate(path, item, origin);
                ok &= replaced != null;
                copy.add(replaced == null ? item : replaced);
            }
            return ok ? copy : null;
        }
        return raw;
    }

    /** Rules that span keys; each runs only when the keys it reads are valid on their own. */
    private void crossCheck(Map<String, Object> values, Map<String, ConfigOrigin> origins) {
        if (values.get("scanning.include_domains") instanceof List<?> include && !include.isEmpty()
                && values.get("scanning.exclude_domains") instanceof List<?> exclude && !exclude.isEmpty()) {
            problems.add(new ConfigProblem("scanning.include_domains",
                    "cannot be combined with scanning.exclude_domains (from " + origins.get("scanning.exclude_domains")
                            + "): use one or the other", origin(origins.get("scanning.include_domains"))));
        }
        if (values.get("scanning.sni_strategy") == SniStrategy.NAMES
                && values.get("scanning.sni_names") instanceof List<?> names && names.isEmpty()) {
            problems.add(new ConfigProblem("scanning.sni_names",
                    "must list at least one name when scanning.sni_strategy is names",
                    origin(origins.get("scanning.sni_strategy"))));
        }
        if (values.get("kafka.security_protocol") instanceof String protocol && protocol.startsWith("SASL_")
                && "".equals(values.get("kafka.sasl_mechanism"))) {
            problems.add(new ConfigProblem("kafka.sasl_mechanism",
                    "is required when kafka.security_protocol is " + protocol,
                    origin(origins.get("kafka.security_protocol"))));
        }
    }

    // ---- names

    private static Optional<Target> locate(String path) {
        Optional<ConfigKey> key = ConfigKeys.find(path);
        if (key.isPresent()) {
            return Optional.of(new Target(key.get(), List.of(), false));
        }
        if (ConfigKeys.sections().contains(path)) {
            return Optional.of(new Target(null, List.of(), true));
        }
        for (ConfigKey candidate : ConfigKeys.all()) {
            String prefix = candidate.path() + ".";
            if (candidate.type().isMap() && path.startsWith(prefix) && path.length() > prefix.length()) {
                String rest = path.substring(prefix.length());
                int dot = rest.indexOf('.');
                List<String> entry = candidate.type() == KeyType.NESTED_STRING_MAP && dot > 0
                        ? List.of(rest.substring(0, dot), rest.substring(dot + 1))
                        : List.of(rest);
                return Optional.of(new Target(candidate, entry, false));
            }
        }
        return Optional.empty();
    }

    private static String unknownKey(String path) {
        Set<String> known = new TreeSet<>(ConfigKeys.sections());
        ConfigKeys.all().forEach(k -> known.add(k.path()));
        return "unknown key" + Suggestions.closest(path, known, '.').map(s -> " (did you mean " + s + "?)").orElse("");
    }

    private static String unknownVariable(String variable) {
        for (ConfigKey key : ConfigKeys.all()) {
            if (key.type().isMap() && variable.startsWith(key.envVariable() + "_")) {
                return "unknown configuration variable: entries of " + key.path() + " are set all at once with "
                        + key.envVariable() + "=\"" + (key.type() == KeyType.NESTED_STRING_MAP ? "plugin." : "")
                        + "name=value,...\"";
            }
        }
        List<String> names = ConfigKeys.all().stream().map(ConfigKey::envVariable).toList();
        return "unknown configuration variable" + Suggestions.closest(variable, names, '.')
                .map(s -> " (did you mean " + s + "?)").orElse("");
    }

    private static String entryPath(ConfigKey key, List<String> entry) {
        return entry.isEmpty() ? key.path() : key.path() + "." + String.join(".", entry);
    }

    /** Problems about defaults name no origin: a default is never the user's doing. */
    private static ConfigOrigin origin(ConfigOrigin origin) {
        return origin == null || origin.kind() == ConfigOrigin.Kind.DEFAULT ? null : origin;
    }

    /** Splits on commas not preceded by a backslash; {@code \,} stands for a comma inside a value. */
    private static List<String> splitEscaped(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                items.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString());
        return items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
