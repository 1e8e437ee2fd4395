package io.tlsxtractor.command;

import io.tlsxtractor.config.LogLevel;
import io.tlsxtractor.config.TlsxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The 1.x {@code --log-level} and {@code --log-file} flags. The console (stderr) also carries the progress line and the
 * domains found, so at {@code info} it shows only warnings and errors of the project's loggers, and everything at the
 * level asked goes to the log file; {@code debug} shows debug on the console too, as 1.x did.
 */
final class CommandLogging {

    static final String PROJECT_LOGGER = "io.tlsxtractor";

    private CommandLogging() {
    }

    /** Applies the logging section to the running log4j configuration; call it before the scan starts. */
    static void apply(TlsxConfig.Logging logging) {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return; // another logging backend was put on the class path: it is configured its own way
        }
        awaitStarted(context);
        Configuration configuration = context.getConfiguration();
        LoggerConfig project = configuration.getLoggerConfig(PROJECT_LOGGER);
        if (!project.getName().equals(PROJECT_LOGGER)) {
            project = new LoggerConfig(PROJECT_LOGGER, Level.WARN, true);
            configuration.addLogger(PROJECT_LOGGER, project);
        }
        Level asked = level(logging.level());
        Level console = asked.isMoreSpecificThan(Level.WARN) || asked == Level.DEBUG ? asked : Level.WARN;
        project.setLevel(logging.file().isPresent() && asked.isLessSpecificThan(console) ? asked : console);
        if (logging.file().isPresent()) {
            Path file = logging.file().get().toAbsolutePath();
            FileAppender appender = FileAppender.newBuilder()
                    .setName("tlsx-log-file")
                    .withFileName(file.toString())
                    .withAppend(true)
                    .setLayout(PatternLayout.newBuilder().withConfiguration(configuration)
                            .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n").build())
                    .setConfiguration(configuration)
                    .build();
            if (appender == null) {
                throw new IllegalArgumentException("--log-file: cannot open " + file + " for writing");
            }
            appender.start();
            configuration.addAppender(appender);
            project.addAppender(appender, asked, null);
            // Events that reach the file must not all flood the console: the console keeps its own threshold.
            LoggerConfig root = configuration.getRootLogger();
            for (String name : List.copyOf(root.getAppenders().keySet())) {
                Appender consoleAppender = root.getAppenders().get(name);
                root.removeAppender(name);
                root.addAppender(consoleAppender, console, null);
            }
        }
        context.updateLoggers();
    }

    /**
     * Waits until log4j has read its configuration. Logging may be starting on another thread (the broker launched at
     * the command's start logs from its own), and log4j then hands this thread a context still on its default
     * configuration: changes made to that one would be replaced, the log file's appender with them.
     */
    private static void awaitStarted(LoggerContext context) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!context.isStarted() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Level level(LogLevel level) {
        return switch (level) {
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
    }
}
