package io.tlsxtractor.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declaring settings, validating them, and reading them typed. */
class ConfigSchemaTest {
    private static final ConfigSchema SCHEMA = ConfigSchema.of(
            ConfigOption.optional("max_names", OptionType.INT, "100", "most names per certificate"),
            ConfigOption.optional("max_bytes", OptionType.LONG, "5000000000", "most bytes read"),
            ConfigOption.optional("include_cn", OptionType.BOOLEAN, "true", "also report the CN"),
            ConfigOption.optional("ratio", OptionType.DOUBLE, "0.5", "a ratio"),
            ConfigOption.optional("sources", OptionType.LIST, "san, cn", "sources to read"),
            ConfigOption.optional("timeout", OptionType.DURATION, "5s", "lookup deadline"),
            ConfigOption.optional("label", OptionType.STRING, null, "an optional label"),
            ConfigOption.required("token", OptionType.STRING, "service token").asSecret());

    @Test
    void problemsNameThePluginAndTheKey() {
        assertThat(SCHEMA.validate("cert-extractor", Map.of("max_names", "x", "token", "t")))
                .extracting(ConfigProblem::toString)
                .containsExactly("plugin cert-extractor: max_names: expected an integer, got \"x\"");
    }

    @Test
    void reportsEveryProblemAtOnceIncludingUnknownAndMissingKeys() {
        List<ConfigProblem> problems = SCHEMA.validate("cert-extractor", Map.of(
                "max_names", "12.5",
                "max_bytes", "lots",
                "include_cn", "yes",
                "ratio", "NaN",
                "timeout", "10",
                "maxnames", "3"));
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "plugin cert-extractor: include_cn: expected true or false, got \"yes\"",
                "plugin cert-extractor: max_bytes: expected an integer, got \"lots\"",
                "plugin cert-extractor: max_names: expected an integer, got \"12.5\"",
                "plugin cert-extractor: maxnames: unknown setting; known settings: include_cn, label, max_bytes,"
                        + " max_names, ratio, sources, timeout, token",
                "plugin cert-extractor: ratio: expected a number, got \"NaN\"",
                "plugin cert-extractor: timeout: expected a duration such as 500ms, 30s, 5m, 1h or PT30S, got \"10\"",
                "plugin cert-extractor: token: required setting is missing (a string: service token)");
        assertThat(problems.get(0).plugin()).isEqualTo("cert-extractor");
        assertThat(problems.get(0).key()).isEqualTo("include_cn");
    }

    @Test
    void anEmptySchemaReportsAnyKeyAsUnknown() {
        assertThat(ConfigSchema.empty().validate("json", Map.of("indent", "2")))
                .extracting(ConfigProblem::toString)
                .containsExactly("plugin json: indent: unknown setting; this plugin takes no settings");
    }

    @Test
    void settingsApplyDefaultsAndReadTypedValues() {
        Map<String, String> configured = Map.of("max_names", " 7 ", "timeout", "PT1M", "token", "abc",
                "sources", "san,, csp ,js");
        assertThat(SCHEMA.validate("p", configured)).isEmpty();
        PluginSettings s = PluginSettings.of("p", SCHEMA, configured);

        assertThat(s.getInt("max_names")).isEqualTo(7);
        assertThat(s.getLong("max_bytes")).isEqualTo(5_000_000_000L);
        assertThat(s.getBoolean("include_cn")).isTrue();
        assertThat(s.getDouble("ratio")).isEqualTo(0.5);
        assertThat(s.getList("sources")).containsExactly("san", "csp", "js");
        assertThat(s.getDuration("timeout")).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.getString("token")).isEqualTo("abc");
        assertThat(s.has("label")).isFalse();
        assertThat(s.get("label")).isEmpty();
        assertThatThrownBy(() -> s.getString("label"))
                .isInstanceOf(PluginException.class)
                .hasMessage("plugin p: label: no value and no default");
        assertThatThrownBy(() -> s.getInt("nope"))
                .hasMessage("plugin p: nope: no value and no default (not declared in the plugin's schema)");
    }

    @Test
    void secretsAreNeverPrinted() {
        PluginSettings s = PluginSettings.of("p", SCHEMA, Map.of("token", "hunter2"));
        assertThat(s.toString()).contains("token=***").doesNotContain("hunter2");
        ConfigSchema secretInt = ConfigSchema.of(ConfigOption.required("pin", OptionType.INT, "pin").asSecret());
        assertThat(secretInt.validate("p", Map.of("pin", "hunter2"))).extracting(ConfigProblem::toString)
                .containsExactly("plugin p: pin: expected an integer");
    }

    @Test
    void durationsAcceptUnitsAndIso8601() {
        assertThat(OptionType.DURATION.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionType.DURATION.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(OptionType.DURATION.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(OptionType.DURATION.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(OptionType.DURATION.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(OptionType.DURATION.parse("pt0.25s")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> OptionType.DURATION.parse("-PT1S")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionType.DURATION.parse("PT-1S")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void declarationMistakesFailWhenThePluginIsWritten() {
        assertThatThrownBy(() -> ConfigOption.optional("n", OptionType.INT, "ten", "d"))
                .hasMessage("setting n: default \"ten\" is invalid: expected an integer");
        assertThatThrownBy(() -> new ConfigOption("n", OptionType.INT, "1", true, "d", false))
                .hasMessage("setting n is required and so cannot have a default");
        assertThatThrownBy(() -> ConfigOption.optional("Max Names", OptionType.INT, null, "d"))
                .hasMessageContaining("must be lower case");
        assertThatThrownBy(() -> ConfigSchema.of(
                ConfigOption.optional("a", OptionType.INT, null, "d"),
                ConfigOption.optional("a", OptionType.LONG, null, "d")))
                .hasMessage("setting a is declared twice");
    }
}
