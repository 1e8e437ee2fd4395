/**
 * Clients of a Confluent-compatible schema registry: {@link io.tlsxtractor.schemas.registry.RestSchemaRegistryClient}
 * speaks the public REST API (a Confluent Schema Registry, or Apicurio under {@code /apis/ccompat/v7}),
 * {@link io.tlsxtractor.schemas.registry.InMemorySchemaRegistryClient} keeps schemas in the process for the embedded
 * single-process mode. Both assign ids the same way, so the bytes on a topic do not depend on which one wrote them.
 */
package io.tlsxtractor.schemas.registry;
