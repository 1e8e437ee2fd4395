package io.tlsxtractor.localstack;

/**
 * One service of the developer stack.
 *
 * @param name {@link LocalStack#KAFKA}, {@link LocalStack#SCHEMA_REGISTRY}, {@link LocalStack#CLICKHOUSE} or
 *     {@link LocalStack#NEO4J}
 * @param pid the recorded process id
 * @param endpoint how clients reach it: Kafka bootstrap servers, the registry's Confluent-compatible URL, ClickHouse's
 *     HTTP URL or Neo4j's Bolt URI
 * @param running whether that very process is alive and its endpoint answers
 * @param version the service's version
 */
public record ServiceStatus(String name, long pid, String endpoint, boolean running, String version) {
}
