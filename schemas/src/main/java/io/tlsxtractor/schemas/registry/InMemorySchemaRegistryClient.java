package io.tlsxtractor.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry held in this process, for the embedded single-process mode and for tests. It behaves like a
 * Confluent registry: global ids (the same schema gets the same id under every subject), versions per subject, and
 * compatibility levels checked with Avro's {@link SchemaCompatibility}; the global default is BACKWARD. The bytes
 * a serializer writes with it are exactly those it writes with a real registry (only the ids may differ).
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Set<String> LEVELS = Set.of(NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD,
            FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE);

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new HashMap<>();

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String globalCompatibility = BACKWARD;
    private int nextId = 1;

    /**
     * The shared registry named {@code scope}, created on first use. Serdes configured with
     * {@code schema.registry.url=mock://<scope>} use it, so that every serde of one process (Kafka Streams builds
     * its own from the config) sees the same schemas.
     */
    public static InMemorySchemaRegistryClient scoped(String scope) {
        synchronized (SCOPES) {
            return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
        }
    }

    /** Forgets the shared registry named {@code scope} (tests, or an embedded run that ends). */
    public static void dropScope(String scope) {
        synchronized (SCOPES) {
            SCOPES.remove(scope);
        }
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Integer existing = idsBySchemaText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        List<String> problems = incompatibilities(subject, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.INCOMPATIBLE, 409, 409,
                    "Cannot register schema under subject '" + subject + "': it is incompatible with the registered "
                            + "versions under compatibility " + getCompatibility(subject) + ": "
                            + String.join("; ", problems));
        }
        int id = existing != null ? existing : nextId++;
        idsBySchemaText.put(schema.toString(), id);
        schemasById.put(id, schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND, 404, 40403,
                    "Cannot get schema id " + id + ": no such schema in the in-memory registry");
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        requireSubject(subject);
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new RegisteredSchema(subject, id, versions.size(), schemasById.get(id)));
    }

    @Override
    public synchronized int lookupId(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND, 404, 40401,
                    "Cannot look up schema " + schema.getFullName() + ": subject '" + subject + "' not found");
        }
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.NOT_FOUND, 404, 40403,
                    "Cannot look up schema " + schema.getFullName() + ": it is not registered under subject '"
                            + subject + "'");
        }
        return id;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        return incompatibilities(subject, Objects.requireNonNull(schema, "schema")).isEmpty();
    }

    @Override
    public synchronized void setCompatibility(String subjectOrNullForGlobal, String level) {
        String normalized = Objects.requireNonNull(level, "level").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalized)) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.INVALID, 422, 42203,
                    "Cannot set compatibility on " + (subjectOrNullForGlobal == null ? "the global configuration"
                            : "subject '" + subjectOrNullForGlobal + "'") + ": unknown level '" + level
                            + "' (one of " + LEVELS + ")");
        }
        if (subjectOrNullForGlobal == null) {
            globalCompatibility = normalized;
        } else {
            compatibilityBySubject.put(subjectOrNullForGlobal, normalized);
        }
    }

    @Override
    public synchronized String getCompatibility(String subjectOrNullForGlobal) {
        if (subjectOrNullForGlobal == null) {
            return globalCompatibility;
        }
        return compatibilityBySubject.getOrDefault(subjectOrNullForGlobal, globalCompatibility);
    }

    /** The reasons {@code candidate} may not join {@code subject}; empty when it may. */
    private List<String> incompatibilities(String subject, Schema candidate) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return List.of();
        }
        String level = getCompatibility(subject);
        if (NONE.equals(level)) {
            return List.of();
        }
        List<Integer> against = level.endsWith("_TRANSITIVE") ? versions : versions.subList(versions.size() - 1, versions.size());
        boolean backward = level.startsWith(BACKWARD) || level.startsWith(FULL);
        boolean forward = level.startsWith(FORWARD) || level.startsWith(FULL);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < against.size(); i++) {
            Schema existing = schemasById.get(against.get(i));
            int version = versions.indexOf(against.get(i)) + 1;
            if (backward) {
                // BACKWARD: consumers on the new schema must read data written with the old one.
                check(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing), "new schema reading version " + version, problems);
            }
            if (forward) {
                check(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate), "version " + version + " reading the new schema", problems);
            }
        }
        return problems;
    }

    private static void check(SchemaCompatibility.SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(direction + ": "
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + " ("
                    + incompatibility.getMessage() + ")"));
        }
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
    }
}
