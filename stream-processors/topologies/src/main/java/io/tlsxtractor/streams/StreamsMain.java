package io.tlsxtractor.streams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the streams application until SIGTERM/SIGINT. Wiring only: settings from a properties file given as the only
 * argument ({@code streams.*} keys, see {@link StreamsSettings#fromProperties}), overridden by system properties of
 * the same names; the enrichment comes from the settings too (see {@link StreamsApp#fromSettings}).
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
        StreamsApp app = StreamsApp.fromSettings(StreamsSettings.fromProperties(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(Duration.ofSeconds(30));
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
