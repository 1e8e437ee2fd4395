/**
 * Kafka serializers and deserializers for Avro values (and keys) in the Confluent wire format: magic byte 0, the
 * 4-byte big-endian schema id, then the Avro binary encoding. Subjects follow the topic-name strategy. They read and
 * write generated (specific) classes and generic records, and are configured either through Kafka's
 * {@code configure(Map, isKey)} with the usual Confluent property names or through constructors taking a
 * {@link io.tlsxtractor.schemas.registry.SchemaRegistryClient}.
 */
package io.tlsxtractor.schemas.serde;
