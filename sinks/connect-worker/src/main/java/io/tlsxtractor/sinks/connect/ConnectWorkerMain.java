package io.tlsxtractor.sinks.connect;

import io.tlsxtractor.sinks.connect.internal.ChildJvm;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the worker's child JVM ({@link ConnectWorkerProcess}):
 * {@code ConnectWorkerMain <worker.properties> <ready-file> [connector.json|properties ...]}. Once the worker serves
 * its REST API with every connector created, it writes the REST URL to the ready file. SIGTERM stops it cleanly.
 */
public final class ConnectWorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorkerMain.class);

    private ConnectWorkerMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            LOG.error("Usage: ConnectWorkerMain <worker.properties> <ready-file> [connector files ...]");
            System.exit(64);
        }
        try {
            Map<String, String> workerProperties = load(Path.of(args[0]));
            List<ConnectorDefinition> connectors = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                connectors.add(ConnectorDefinition.load(Path.of(args[i])));
            }
            ConnectWorker worker = ConnectWorker.start(workerProperties, connectors);
            ChildJvm.writeAtomically(Path.of(args[1]), worker.restUrl().toString());
            worker.awaitStop();
        } catch (RuntimeException | IOException e) {
            LOG.error("The Connect worker stops: {}", e.getMessage(), e);
            System.exit(2);
        }
    }

    static Map<String, String> load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            map.put(key, props.getProperty(key));
        }
        return map;
    }
}
