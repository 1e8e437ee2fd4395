package io.tlsxtractor.localstack;

/**
 * One service of the developer stack.
 *
 * @param name {@link LocalStack#KAFKA} or {@link LocalStack#SCHEMA_REGISTRY}
 * @param pid the recorded process id
 * @param endpoint how clients reach it: Kafka bootstrap servers, or the registry's Confluent-compatible URL
 * @param running whether that very process is alive and its endpoint answers
 * @param version the service's version
 */
public record ServiceStatus(String name, long pid, String endpoint, boolean running, String version) {
}
