/**
 * The Neo4j sink: a Kafka Connect connector that loads the pipeline's topics (probe results, domain observations, the
 * domain inventory, certificates) into the relationship graph of domains, IPs, certificates and organisations, and
 * the parameterised Cypher queries ({@link io.tlsxtractor.sinks.neo4j.NeoGraphQueries}) the API runs on that graph.
 */
package io.tlsxtractor.sinks.neo4j;
