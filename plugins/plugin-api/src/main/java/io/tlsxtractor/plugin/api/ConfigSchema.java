package io.tlsxtractor.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** The settings a plugin accepts, in the order it declares them. Immutable. */
public final class ConfigSchema {
    private static final ConfigSchema EMPTY = new ConfigSchema(Map.of());

    private final Map<String, ConfigOption> options;

    private ConfigSchema(Map<String, ConfigOption> options) {
        this.options = options;
    }

    /** A plugin that takes no settings. */
    public static ConfigSchema empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException if two options share a name */
    public static ConfigSchema of(ConfigOption... options) {
        return of(List.of(options));
    }

    /** @throws IllegalArgumentException if two options share a name */
    public static ConfigSchema of(List<ConfigOption> options) {
        Map<String, ConfigOption> byName = new LinkedHashMap<>();
        for (ConfigOption option : options) {
            if (byName.putIfAbsent(option.name(), option) != null) {
                throw new IllegalArgumentException("setting " + option.name() + " is declared twice");
            }
        }
        return new ConfigSchema(Collections.unmodifiableMap(byName));
    }

    public List<ConfigOption> options() {
        return List.copyOf(options.values());
    }

    public Optional<ConfigOption> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public boolean isEmpty() {
        return options.isEmpty();
    }

    /**
     * Every problem with the given settings, not just the first: unknown keys, missing required
     * settings, values that are not of the declared type. Secret values are never echoed.
     *
     * @param plugin the plugin's name, so that each problem can say whose setting it is
     * @param settings the settings as written in configuration
     * @return the problems, empty if the settings are valid
     */
    public List<ConfigProblem> validate(String plugin, Map<String, String> settings) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            ConfigOption option = options.get(e.getKey());
            if (option == null) {
                problems.add(new ConfigProblem(plugin, e.getKey(), unknownKeyMessage()));
            } else if (e.getValue() == null) {
                problems.add(new ConfigProblem(plugin, e.getKey(), "no value given"));
            } else {
                try {
                    option.type().parse(e.getValue());
                } catch (IllegalArgumentException ex) {
                    String got = option.secret() ? "" : ", got \"" + e.getValue() + "\"";
                    problems.add(new ConfigProblem(plugin, e.getKey(), ex.getMessage() + got));
                }
            }
        }
        for (ConfigOption option : options.values()) {
            if (option.required() && !settings.containsKey(option.name())) {
                problems.add(new ConfigProblem(plugin, option.name(),
                        "required setting is missing (" + option.type().expected() + ": " + option.doc() + ")"));
            }
        }
        return List.copyOf(problems);
    }

    private String unknownKeyMessage() {
        if (options.isEmpty()) {
            return "unknown setting; this plugin takes no settings";
        }
        return "unknown setting; known settings: " + String.join(", ", new TreeSet<>(options.keySet()));
    }

    @Override
    public String toString() {
        return "ConfigSchema" + options.values();
    }
}
