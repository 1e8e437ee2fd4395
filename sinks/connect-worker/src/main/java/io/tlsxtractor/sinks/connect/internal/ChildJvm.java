package io.tlsxtractor.sinks.connect.internal;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting a child JVM with its output in a log file, and stopping it by its PID. */
public final class ChildJvm {

    private static final int TAIL_BYTES = 8192;

    private ChildJvm() {
    }

    /** The {@code java} of the running JVM, so that the child runs the same Java. */
    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Absolute class path entries, so that a child started in another working directory finds the same classes. */
    public static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Starts {@code command} with {@code CLASSPATH} in its environment and its output appended to {@code logFile}: a
     * pipe would fill up and stall the child once nobody reads it.
     */
    public static Process start(List<String> command, String classPath, Path workDir, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // Through the environment: as an argument the class path can exceed the OS limit for one argument.
        builder.environment().put("CLASSPATH", classPath);
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL. Returns true once the process is gone. */
    public static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return true;
        }
        return kill(process);
    }

    /** SIGKILL and wait for the exit. */
    public static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, Duration.ofSeconds(10));
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The last lines of a log file (at most 8 KiB), for error messages. */
    public static String tail(Path logFile, int maxLines) {
        if (!Files.isRegularFile(logFile)) {
            return "(no log at " + logFile + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            int first = Math.max(0, lines.length - maxLines);
            return String.join(System.lineSeparator(), Arrays.asList(lines).subList(first, lines.length));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Keeps the previous run's log as {@code <name>.1}, so each start begins a fresh log. */
    public static void rotate(Path logFile) throws IOException {
        if (Files.exists(logFile)) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes a file through a temporary sibling and a rename, so a reader never sees half of it. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
