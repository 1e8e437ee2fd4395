package io.tlsxtractor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Writing small configuration files and collecting the problems a load reports. */
final class ConfigTestFiles {

    private ConfigTestFiles() {
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems, as text, of loading {@code loader}, which must fail. */
    static List<String> problems(ConfigLoader loader) {
        assertThatThrownBy(loader::load).isInstanceOf(ConfigException.class);
        ConfigException e = catchThrowableOfType(ConfigException.class, loader::load);
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    static ConfigLoader loader(Path file, Map<String, String> env) {
        return ConfigLoader.create().environment(env).file(file);
    }
}
