package io.tlsxtractor.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the ingest service. Immutable; every problem is listed in one {@link IllegalArgumentException}.
 *
 * @param bootstrapServers Kafka to read requests from and write blocks to
 * @param groupId consumer group of the ingest processes (they share the request partitions)
 * @param scope the operator's scope policy: exclusions and the size limit (each request adds allow-private)
 * @param expansion how blocks are cut and hostnames resolved
 * @param maxInFlight blocks sent and not yet acknowledged, at most: the expansion waits beyond it
 * @param checkpointEveryBlocks commit the expansion checkpoint after this many blocks...
 * @param checkpointInterval ...or after this long, whichever comes first
 * @param pollTimeout how long one poll for requests waits
 * @param sendTimeout how long to wait for Kafka to acknowledge what was sent before giving up on this try
 * @param retryBackoff wait before a request whose expansion hit a Kafka or registry failure is tried again
 * @param autoRegisterSchemas register the value schemas on first use (off where schemas are deployed ahead)
 * @param resolverThreads concurrent DNS lookups of the default resolver
 * @param resolverTimeout deadline of one DNS lookup
 * @param clientProperties extra Kafka client properties for the consumer and producer (security...)
 */
public record IngestSettings(String bootstrapServers, String groupId, ScopePolicy.Settings scope,
        BlockExpander.Settings expansion, int maxInFlight, int checkpointEveryBlocks, Duration checkpointInterval,
        Duration pollTimeout, Duration sendTimeout, Duration retryBackoff, boolean autoRegisterSchemas,
        int resolverThreads, Duration resolverTimeout, Map<String, String> clientProperties) {

    /** The default consumer group. */
    public static final String DEFAULT_GROUP_ID = "tlsx-ingest";

    public IngestSettings {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("ingest.bootstrap-servers is empty");
        }
        if (groupId == null || groupId.isBlank()) {
            problems.add("ingest.group-id is empty");
        }
        if (scope == null) {
            problems.add("ingest.scope is missing");
        }
        if (expansion == null) {
            problems.add("ingest.expansion is missing");
        }
        if (maxInFlight < 1) {
            problems.add("ingest.max-in-flight must be at least 1, not " + maxInFlight);
        }
        if (checkpointEveryBlocks < 1) {
            problems.add("ingest.checkpoint-every-blocks must be at least 1, not " + checkpointEveryBlocks);
        }
        positive("ingest.checkpoint-interval", checkpointInterval, problems);
        positive("ingest.poll-timeout", pollTimeout, problems);
        positive("ingest.send-timeout", sendTimeout, problems);
        positive("ingest.retry-backoff", retryBackoff, problems);
        if (resolverThreads < 1) {
            problems.add("ingest.resolver-threads must be at least 1, not " + resolverThreads);
        }
        positive("ingest.resolver-timeout", resolverTimeout, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid ingest settings: " + String.join("; ", problems));
        }
        clientProperties = Map.copyOf(Objects.requireNonNullElse(clientProperties, Map.of()));
    }

    private static void positive(String key, Duration value, List<String> problems) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(key + " must be a positive duration, not " + value);
        }
    }

    /** Defaults for the Kafka at {@code bootstrapServers}. */
    public static IngestSettings defaults(String bootstrapServers) {
        return new IngestSettings(bootstrapServers, DEFAULT_GROUP_ID, ScopePolicy.Settings.defaults(),
                BlockExpander.Settings.defaults(), 1000, 500, Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofMinutes(2), Duration.ofSeconds(1), true, 16, Duration.ofSeconds(5), Map.of());
    }

    public IngestSettings withGroupId(String id) {
        return new IngestSettings(bootstrapServers, id, scope, expansion, maxInFlight, checkpointEveryBlocks,
                checkpointInterval, pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads,
                resolverTimeout, clientProperties);
    }

    public IngestSettings withScope(ScopePolicy.Settings value) {
        return new IngestSettings(bootstrapServers, groupId, value, expansion, maxInFlight, checkpointEveryBlocks,
                checkpointInterval, pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads,
                resolverTimeout, clientProperties);
    }

    public IngestSettings withExpansion(BlockExpander.Settings value) {
        return new IngestSettings(bootstrapServers, groupId, scope, value, maxInFlight, checkpointEveryBlocks,
                checkpointInterval, pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads,
                resolverTimeout, clientProperties);
    }

    public IngestSettings withCheckpoints(int everyBlocks, Duration interval) {
        return new IngestSettings(bootstrapServers, groupId, scope, expansion, maxInFlight, everyBlocks, interval,
                pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads, resolverTimeout,
                clientProperties);
    }

    public IngestSettings withMaxInFlight(int value) {
        return new IngestSettings(bootstrapServers, groupId, scope, expansion, value, checkpointEveryBlocks,
                checkpointInterval, pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads,
                resolverTimeout, clientProperties);
    }

    public IngestSettings withClientProperties(Map<String, String> value) {
        return new IngestSettings(bootstrapServers, groupId, scope, expansion, maxInFlight, checkpointEveryBlocks,
                checkpointInterval, pollTimeout, sendTimeout, retryBackoff, autoRegisterSchemas, resolverThreads,
                resolverTimeout, value);
    }

    /** The system resolver with these settings' threads and deadline. */
    public HostResolver newDefaultResolver() {
        return new JdkHostResolver(resolverThreads, resolverTimeout);
    }
}
