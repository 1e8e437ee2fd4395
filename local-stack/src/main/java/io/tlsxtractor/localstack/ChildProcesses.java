package io.tlsxtractor.localstack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting, identifying and stopping the child processes the project runs (the local services, a Connect worker), always
 * by PID.
 */
public final class ChildProcesses {

    private static final int TAIL_BYTES = 8192;

    private ChildProcesses() {
    }

    /**
     * Starts {@code command} with its output appended to {@code logFile}, not to a pipe: a pipe would
     * fill up (and stall the child) once nobody reads it, and a detached child outlives its reader.
     */
    public static Process startLogged(List<String> command, Map<String, String> environment, Path workDir, Path logFile)
            throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        // The services never read stdin; closing it keeps the child from holding our pipe.
        process.getOutputStream().close();
        return process;
    }

    /** Stops a process: SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true once it is gone. */
    public static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (awaitExit(process, grace)) {
            return true;
        }
        Log.LOG.warn("Process {} did not stop within {} after SIGTERM: killing it", process.pid(), grace);
        return kill(process);
    }

    /** SIGKILL, then wait up to 10 s for the exit. Returns true once the process is gone. */
    public static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, Duration.ofSeconds(10));
    }

    /**
     * Absolute class path entries, so that a child started in another working directory (and outliving the caller)
     * finds the same classes.
     */
    public static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The start time of a live process, in epoch milliseconds, when the OS tells it. */
    public static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /**
     * The live process with {@code pid} if it is the one we started: same start time (when known) and
     * a command line containing every marker (when readable). A recycled PID fails both checks.
     */
    public static Optional<ProcessHandle> findOurs(long pid, long startedMillis, List<String> markers) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle.Info info = handle.get().info();
        Optional<Long> started = info.startInstant().map(Instant::toEpochMilli);
        // The OS reports start times in clock ticks; allow a little rounding between two reads.
        if (started.isPresent() && startedMillis > 0 && Math.abs(started.get() - startedMillis) > 1000) {
            return Optional.empty();
        }
        Optional<String> commandLine = commandLine(pid, info);
        if (commandLine.isPresent() && !markers.stream().allMatch(commandLine.get()::contains)) {
            return Optional.empty();
        }
        return handle;
    }

    /** The full command line: Linux's /proc first, as ProcessHandle.Info may cut long ones short. */
    static Optional<String> commandLine(long pid, ProcessHandle.Info info) {
        Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
        if (Files.isReadable(proc)) {
            try {
                return Optional.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').trim());
            } catch (IOException raced) {
                // The process ended or /proc is restricted: fall back to what the JDK reports.
            }
        }
        Optional<String[]> arguments = info.arguments();
        if (arguments.isPresent()) {
            return Optional.of(info.command().orElse("") + " " + String.join(" ", Arrays.asList(arguments.get())));
        }
        return info.commandLine();
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

    /** Keeps the previous run's log as {@code <name>.1} so that each start begins a fresh log. */
    public static void rotate(Path logFile) throws IOException {
        if (Files.exists(logFile)) {
            Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A JVM shutdown hook that stops {@code process}, so that a crashed caller leaves no service behind. */
    public static Thread stopOnExitHook(ProcessHandle process, String name) {
        Thread hook = new Thread(() -> stop(process, Duration.ofSeconds(20)), "stop-" + name + "-" + process.pid());
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook from {@link #stopOnExitHook}; harmless while the JVM is already shutting down. */
    public static void removeHook(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it stops the process itself.
        }
    }

    /** The logger, set up on first use: launching a broker must not wait for logging's set-up (see KafkaBrokerProcess). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ChildProcesses.class);
    }
}
