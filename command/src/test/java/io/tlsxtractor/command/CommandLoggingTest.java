package io.tlsxtractor.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.config.LogLevel;
import io.tlsxtractor.config.TlsxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-level} and {@code --log-file}: the file gets the level asked, the console keeps warnings up. */
class CommandLoggingTest {

    @AfterEach
    void restoreTheConfiguration() {
        ((LoggerContext) LogManager.getContext(false)).reconfigure();
    }

    @Test
    void theShippedLoggingConfigurationIsWellFormed() throws Exception {
        // A malformed log4j2.xml does not fail the build: the command would run with no logging at all.
        try (var in = CommandLoggingTest.class.getResourceAsStream("/log4j2.xml")) {
            assertThat(in).as("log4j2.xml in the command's resources").isNotNull();
            var document = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            assertThat(document.getDocumentElement().getTagName()).isEqualTo("Configuration");
        }
    }

    @Test
    void theLogFileGetsInfoMessagesOfTheProjectsLoggers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scan.log");
        CommandLogging.apply(new TlsxConfig.Logging(LogLevel.INFO, Optional.of(file), false));
        Logger log = LogManager.getLogger("io.tlsxtractor.command.SomeScanPart");
        log.info("an info line for the file");
        log.debug("a debug line nobody asked for");
        assertThat(Files.readString(file)).contains("an info line for the file").doesNotContain("a debug line");
    }

    @Test
    void debugLevelLetsDebugMessagesThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("debug.log");
        CommandLogging.apply(new TlsxConfig.Logging(LogLevel.DEBUG, Optional.of(file), false));
        LogManager.getLogger("io.tlsxtractor.worker.X").debug("a debug line");
        assertThat(Files.readString(file)).contains("a debug line");
        assertThat(LogManager.getLogger(CommandLogging.PROJECT_LOGGER).isDebugEnabled()).isTrue();
    }

    @Test
    void errorLevelKeepsWarningsOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("error.log");
        CommandLogging.apply(new TlsxConfig.Logging(LogLevel.ERROR, Optional.of(file), false));
        Logger log = LogManager.getLogger("io.tlsxtractor.ingest.Y");
        log.warn("a warning");
        log.error("an error");
        assertThat(Files.readString(file)).contains("an error").doesNotContain("a warning");
    }
}
