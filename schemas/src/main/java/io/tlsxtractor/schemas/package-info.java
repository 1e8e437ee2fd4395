/**
 * The contract between the pipeline's processes: the topic catalog ({@link io.tlsxtractor.schemas.Topics}, one
 * {@link io.tlsxtractor.schemas.TopicSpec} per topic with its serdes and settings), topic provisioning
 * ({@link io.tlsxtractor.schemas.TopicProvisioner}), dead-letter headers ({@link io.tlsxtractor.schemas.DlqHeaders})
 * and event type names. The Avro records themselves are generated into {@code io.tlsxtractor.schemas.avro} from
 * {@code src/main/avro}.
 */
package io.tlsxtractor.schemas;
