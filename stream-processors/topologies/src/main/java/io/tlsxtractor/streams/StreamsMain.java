package io.tlsxtractor.streams;

import io.tlsxtractor.enrichment.CertificateAnalyzer;
import io.tlsxtractor.enrichment.DnsEnricher;
import io.tlsxtractor.enrichment.DnsSettings;
import io.tlsxtractor.enrichment.TrustSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the streams application until SIGTERM/SIGINT. Wiring only: settings from a properties file given as the only
 * argument ({@code streams.*} keys, see {@link StreamsSettings#fromProperties}), overridden by system properties of
 * the same names; {@code streams.dns.resolvers} (comma-separated {@code host[:port]}) feeds the DNS enricher.
 */
public final class StreamsMain {

    private StreamsMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> config = new LinkedHashMap<>();
        if (args.length > 0) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                file.load(in);
            }
            file.stringPropertyNames().forEach(k -> config.put(k, file.getProperty(k)));
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("streams."))
                .forEach(k -> config.put(k, System.getProperty(k)));
        StreamsSettings settings = StreamsSettings.fromProperties(config);
        DnsEnricher dns = settings.dnsEnabled() ? new DnsEnricher(DnsSettings.defaults(
                List.of(config.getOrDefault("streams.dns.resolvers", "127.0.0.1").split(",")))) : null;
        StreamsApp app = StreamsApp.create(settings, dns == null ? null : Enrichment.dns(dns),
                Enrichment.inspector(CertificateAnalyzer.create(TrustSettings.jdkDefault())));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(Duration.ofSeconds(30));
            if (dns != null) {
                dns.close();
            }
            stopped.countDown();
        }, "streams-shutdown"));
        // A fatal error stops the stream threads; the process must then end, not wait for a signal.
        app.streams().setStateListener((next, previous) -> {
            if (next == org.apache.kafka.streams.KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        app.start();
        stopped.await();
        if (app.state() == org.apache.kafka.streams.KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }
}
