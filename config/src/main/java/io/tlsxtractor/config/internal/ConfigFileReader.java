package io.tlsxtractor.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tlsxtractor.config.ConfigProblem;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a YAML or TOML configuration file into a tree, turning syntax errors into located problems. */
public final class ConfigFileReader {

    /** The supported file formats. */
    public enum Format { YAML, TOML }

    /** The tree of a file ({@code null} when unreadable) and what was wrong with it. */
    public record Parsed(ObjectNode root, List<ConfigProblem> problems) {
    }

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper TOML = TomlMapper.builder().build();

    /** A TOML table header or {@code key = value} line; YAML has neither at the start of a line. */
    private static final Pattern TOML_LINE = Pattern.compile("^\\s*(\\[\\[?[^\\]]+\\]\\]?|[A-Za-z0-9_.\"'-]+\\s*=.*)\\s*$");
    /** Jackson appends the source location to its messages; the problem carries it already. */
    private static final Pattern LOCATION_SUFFIX = Pattern.compile("(?s)\\s*at \\[Source: .*$");
    private static final Pattern YAML_MARK = Pattern.compile("^\\s*in '[^']*', line (\\d+), column (\\d+):?\\s*$",
            Pattern.MULTILINE);

    private ConfigFileReader() {
    }

    /** The format by extension ({@code .yaml}, {@code .yml}, {@code .toml}), else by looking at the content. */
    public static Format detect(Path file, String content) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Format.YAML;
        }
        if (name.endsWith(".toml")) {
            return Format.TOML;
        }
        for (String line : content.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            return TOML_LINE.matcher(trimmed).matches() ? Format.TOML : Format.YAML;
        }
        return Format.YAML;
    }

    /** Reads and parses {@code file}. */
    public static Parsed read(Path file) {
        String name = file.toString();
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return failed(name, "configuration file not found");
        } catch (CharacterCodingException e) {
            return failed(name, "not valid UTF-8 text");
        } catch (IOException e) {
            return failed(name, "cannot read the configuration file: " + e);
        }
        return parse(name, detect(file, content), content);
    }

    /** Parses {@code content} of the file called {@code name} (used in messages) as {@code format}. */
    public static Parsed parse(String name, Format format, String content) {
        JsonNode root;
        try {
            root = (format == Format.TOML ? TOML : YAML).readTree(content);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of(new ConfigProblem(locate(name, e), syntaxMessage(format, e), null)));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Parsed(YAML.createObjectNode(), List.of());
        }
        if (!root.isObject()) {
            return failed(name, "expected a mapping of sections (scanning:, kafka:, ...) at the top level, got "
                    + Texts.describe(root));
        }
        return new Parsed((ObjectNode) root, List.of());
    }

    private static Parsed failed(String name, String message) {
        return new Parsed(null, List.of(new ConfigProblem(name, message, null)));
    }

    private static String locate(String name, JsonProcessingException e) {
        // SnakeYAML's first mark points at the construct that failed (the unclosed '[', the tab),
        // which is more useful than where the parser stopped.
        Matcher mark = YAML_MARK.matcher(String.valueOf(e.getOriginalMessage()));
        if (mark.find()) {
            return name + " line " + mark.group(1) + ", column " + mark.group(2);
        }
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return name;
        }
        return location.getColumnNr() < 1
                ? name + " line " + location.getLineNr()
                : name + " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * The parser's message without the location parts: SnakeYAML follows each sentence with
     * " in 'reader', line L, column C:", the source line and a caret line.
     */
    private static String syntaxMessage(Format format, JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        message = LOCATION_SUFFIX.matcher(message).replaceAll("");
        List<String> sentences = new ArrayList<>();
        List<String> lines = message.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (YAML_MARK.matcher(line).find()) {
                i += 2;
            } else if (!line.isBlank()) {
                sentences.add(line.trim());
            }
        }
        return "invalid " + format.name() + ": " + String.join("; ", sentences);
    }
}
