package io.tlsxtractor.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    @Test
    void propertiesAreExactlyOnceWithTheDeadLetterHandlers() {
        Properties p = StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "127.0.0.1:9092",
                "streams.registry-url", "http://127.0.0.1:8081", "streams.exclude-domains", "a.com, b.org",
                "streams.client.security.protocol", "PLAINTEXT")).streamsProperties();
        assertThat(p).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "tlsx-streams")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetterDeserializationHandler.class.getName())
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetterProcessingHandler.class.getName())
                .containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(64L << 20));
    }

    @Test
    void aUsersClientSettingsWinOverTheApplicationsDefaults() {
        Properties p = StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "127.0.0.1:9092",
                "streams.registry-url", "http://127.0.0.1:8081", "streams.client.max.task.idle.ms", "0",
                "streams.client.statestore.cache.max.bytes", "0")).streamsProperties();
        assertThat(p).containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> StreamsSettings.fromProperties(Map.of("streams.threads", "0",
                "streams.application-server", "no-port", "streams.client.processing.guarantee", "at_least_once")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streams.bootstrap-servers is required")
                .hasMessageContaining("streams.registry-url is required")
                .hasMessageContaining("streams.threads must be at least 1")
                .hasMessageContaining("streams.application-server must be host:port")
                .hasMessageContaining("'processing.guarantee' is set by the application");
    }

    @Test
    void includeAndExcludeTogetherAreRefused() {
        assertThatThrownBy(() -> StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x", "streams.include-domains", "a.com",
                "streams.exclude-domains", "b.com")))
                .hasMessageContaining("cannot be used together");
    }

    @Test
    void enrichmentSettingsAreReadAndCheckedWithTheRest() {
        StreamsSettings s = StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x", "streams.dns.enabled", "true",
                "streams.dns.resolvers", "127.0.0.1:5353, [::1]:53"));
        assertThat(s.dnsEnabled()).isTrue();
        assertThat(s.dnsResolvers()).containsExactly("127.0.0.1:5353", "[::1]:53");
        assertThat(s.trustBundle()).isNull();

        assertThatThrownBy(() -> StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x", "streams.dns.enabled", "true",
                "streams.dns.resolvers", "dns.example.com", "streams.trust-bundle", "/nonexistent/ca.pem")))
                .hasMessageContaining("streams.dns.resolvers: 'dns.example.com' is not an IP address")
                .hasMessageContaining("streams.trust-bundle: /nonexistent/ca.pem is not a readable file");
        assertThatThrownBy(() -> StreamsSettings.builder("h:1", "mock://x").dnsEnabled(true)
                .dnsResolvers(java.util.List.of()).build())
                .hasMessageContaining("streams.dns.resolvers is required when streams.dns.enabled is true");
    }

    @Test
    void inventoryCapsAreReadFromTheirKeysDefaultToAThousandAndMustBePositive() {
        assertThat(StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x")).limits()).isEqualTo(new InventoryLimits(1000, 1000));
        assertThat(StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x", "streams.inventory.max-ips-per-domain", "50",
                "streams.inventory.max-certificates-per-domain", " 7 ")).limits())
                .isEqualTo(new InventoryLimits(50, 7));
        assertThatThrownBy(() -> StreamsSettings.fromProperties(Map.of("streams.bootstrap-servers", "h:1",
                "streams.registry-url", "mock://x", "streams.inventory.max-ips-per-domain", "0")))
                .hasMessageContaining("streams.inventory: max IPs per domain must be at least 1, got 0");
    }
}
