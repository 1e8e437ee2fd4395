package io.tlsxtractor.plugin.api;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One setting a plugin accepts.
 *
 * @param name key as written in configuration ({@code max_names})
 * @param type how the text value is read
 * @param defaultValue text of the default, or {@code null} for none
 * @param required whether the setting must be given (a required setting has no default)
 * @param doc one sentence for {@code --help} and documentation
 * @param secret whether the value must never be printed (messages and {@code toString} hide it)
 */
public record ConfigOption(
        String name, OptionType type, String defaultValue, boolean required, String doc, boolean secret) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    public ConfigOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        // These are mistakes of the plugin author: fail at class loading rather than at a user's door.
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "setting name \"" + name + "\" must be lower case letters, digits, '.', '_' or '-'");
        }
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("setting " + name + " is required and so cannot have a default");
        }
        if (defaultValue != null) {
            try {
                type.parse(defaultValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "setting " + name + ": default \"" + defaultValue + "\" is invalid: " + e.getMessage(), e);
            }
        }
    }

    /** A setting that may be omitted, with the given default (may be {@code null}). */
    public static ConfigOption optional(String name, OptionType type, String defaultValue, String doc) {
        return new ConfigOption(name, type, defaultValue, false, doc, false);
    }

    /** A setting that must be given. */
    public static ConfigOption required(String name, OptionType type, String doc) {
        return new ConfigOption(name, type, null, true, doc, false);
    }

    /** The same setting, marked secret (API keys, passwords). */
    public ConfigOption asSecret() {
        return new ConfigOption(name, type, defaultValue, required, doc, true);
    }

    /** The default as text, if there is one. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultValue);
    }

    @Override
    public String toString() {
        return name + " (" + type + (required ? ", required" : "")
                + (defaultValue != null ? ", default " + (secret ? "***" : defaultValue) : "")
                + (secret ? ", secret" : "") + "): " + doc;
    }
}
