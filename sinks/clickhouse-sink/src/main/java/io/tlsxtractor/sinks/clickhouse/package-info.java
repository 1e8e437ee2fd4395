/**
 * The ClickHouse sink: a Kafka Connect connector that loads the pipeline's topics (probe results, domain
 * observations, the domain inventory, certificates, scan status, events) into ClickHouse tables for analytics and
 * dashboards, and the versioned migrations that create those tables ({@link io.tlsxtractor.sinks.clickhouse.ClickHouseMigrations}).
 */
package io.tlsxtractor.sinks.clickhouse;
