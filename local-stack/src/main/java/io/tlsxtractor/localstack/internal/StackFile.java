package io.tlsxtractor.localstack.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code stack.json}: what {@code dev up} started, so that {@code status} and {@code down} find it again. */
public final class StackFile {

    public static final String FILE_NAME = "stack.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One started service.
     *
     * @param processStartMillis the process's start time as the OS reports it: a recycled PID has another
     * @param commandMarkers strings its command line contains
     * @param startedAt when it was started, ISO-8601
     */
    public record ServiceRecord(String name, long pid, long processStartMillis, List<String> commandMarkers,
            String endpoint, int port, String version, String startedAt) {
        public ServiceRecord {
            commandMarkers = List.copyOf(commandMarkers);
        }
    }

    /** The whole stack. */
    public record StackRecord(List<ServiceRecord> services) {
        public StackRecord {
            services = List.copyOf(services);
        }

        public Optional<ServiceRecord> service(String name) {
            return services.stream().filter(s -> s.name().equals(name)).findFirst();
        }

        /** This stack with {@code service} added, or replacing the one of the same name. */
        public StackRecord with(ServiceRecord service) {
            List<ServiceRecord> updated = new ArrayList<>();
            for (ServiceRecord s : services) {
                if (!s.name().equals(service.name())) {
                    updated.add(s);
                }
            }
            updated.add(service);
            return new StackRecord(updated);
        }
    }

    private StackFile() {
    }

    public static Optional<StackRecord> read(Path homeDir) {
        Path file = homeDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the stack record " + file + ": " + e.getMessage()
                    + " (stop the services by hand if they still run, then delete the file)", e);
        }
    }

    /** Writes through a temporary file so that a reader never sees half a record. */
    public static void write(Path homeDir, StackRecord stack) {
        Path file = homeDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(homeDir);
            Path temporary = Files.createTempFile(homeDir, FILE_NAME, ".tmp");
            JSON.writeValue(temporary.toFile(), stack);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the stack record " + file + ": " + e.getMessage(), e);
        }
    }

    public static void delete(Path homeDir) {
        try {
            Files.deleteIfExists(homeDir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + homeDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }
}
