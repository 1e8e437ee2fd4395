package io.tlsxtractor.schemas.registry;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that the serde and the tools need. Subjects follow the topic-name
 * strategy ({@code <topic>-key}, {@code <topic>-value}).
 */
public interface SchemaRegistryClient {

    /** Compatibility levels understood by Confluent-compatible registries. */
    String NONE = "NONE";
    String BACKWARD = "BACKWARD";
    String BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE";
    String FORWARD = "FORWARD";
    String FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE";
    String FULL = "FULL";
    String FULL_TRANSITIVE = "FULL_TRANSITIVE";

    /**
     * Registers {@code schema} under {@code subject} (or finds it if already registered) and returns its global id.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException.Kind#INCOMPATIBLE} when the subject's
     *     compatibility level refuses it
     */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema getById(int id);

    /** The newest version registered under {@code subject}, or empty when the subject does not exist. */
    Optional<RegisteredSchema> latest(String subject);

    /**
     * The id of {@code schema} under {@code subject} without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException.Kind#NOT_FOUND} when it is not registered
     */
    int lookupId(String subject, Schema schema);

    /** Whether {@code schema} could be registered under {@code subject}; true when the subject does not exist yet. */
    boolean isCompatible(String subject, Schema schema);

    /** Sets the compatibility level of {@code subject}, or the global level when {@code subject} is null. */
    void setCompatibility(String subjectOrNullForGlobal, String level);

    /** The compatibility level in force for {@code subject} (its own or the global one), or the global level. */
    String getCompatibility(String subjectOrNullForGlobal);
}
