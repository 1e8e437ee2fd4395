package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Neo4j server as a child process: password, queries, data kept across a restart, nothing left running. */
class Neo4jProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NETTY_JAR = Pattern.compile("netty-(?!tcnative)[a-z0-9-]+?-(4\\.\\d+)\\.\\d+\\.Final(-.*)?\\.jar");

    @TempDir
    Path dataDir;

    @Test
    void startsWithThePasswordAnswersQueriesKeepsDataAcrossARestartAndStopsCompletely() throws Exception {
        Neo4jSettings settings = Neo4jSettings.defaults(dataDir).withPassword("it-secret-pw");
        long firstPid;
        int boltPort;
        try (Neo4jProcess neo4j = Neo4jProcess.start(settings)) {
            firstPid = neo4j.pid();
            boltPort = neo4j.boltPort();
            assertThat(neo4j.boltUri()).isEqualTo("bolt://127.0.0.1:" + boltPort);
            assertThat(ListeningSockets.of(neo4j.pid()))
                    .contains("127.0.0.1:" + boltPort, "127.0.0.1:" + neo4j.httpPort())
                    .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
            // The server's jars are a child's business: none of them is on this JVM's class path.
            assertThat(System.getProperty("java.class.path")).doesNotContain("neo4j-kernel");
            // One Netty line in lib/: mixed 4.1/4.2 jars let the handshake through but kill every Bolt session.
            try (Stream<Path> jars = Files.list(Neo4jProcess.install().resolve("lib"))) {
                Set<String> nettyLines = jars.map(jar -> NETTY_JAR.matcher(jar.getFileName().toString()))
                        .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
                assertThat(nettyLines).containsExactly("4.1");
            }

            assertThat(cypher(neo4j, "wrong-password", "RETURN 1").statusCode()).isEqualTo(401);
            HttpResponse<String> created = cypher(neo4j, "it-secret-pw",
                    "CREATE (:Domain {name: 'www.example.com'})-[:SUBDOMAIN_OF]->(:Domain {name: 'example.com'})");
            assertThat(created.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(created.body()).path("errors")).as(created.body()).isEmpty();
        }
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Neo4jProcess.boltHandshake(boltPort)).isFalse();

        long secondPid;
        try (Neo4jProcess neo4j = Neo4jProcess.start(settings)) {
            secondPid = neo4j.pid();
            assertThat(neo4j.boltPort()).as("the recorded port is reused").isEqualTo(boltPort);
            HttpResponse<String> read = cypher(neo4j, "it-secret-pw",
                    "MATCH (s:Domain)-[:SUBDOMAIN_OF]->(p:Domain) RETURN s.name, p.name");
            JsonNode rows = JSON.readTree(read.body()).path("results").path(0).path("data");
            assertThat(rows).hasSize(1);
            assertThat(rows.path(0).path("row").path(0).asText()).isEqualTo("www.example.com");
            assertThat(rows.path(0).path("row").path(1).asText()).isEqualTo("example.com");
        }
        assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Neo4jProcess.boltHandshake(boltPort)).isFalse();
        assertThat(Files.readString(dataDir.resolve("logs").resolve("debug.log"))).doesNotContain("NoClassDefFoundError");
        assertThat(Files.readString(dataDir.resolve("conf").resolve("neo4j.conf")))
                .contains("server.bolt.listen_address=127.0.0.1:" + boltPort)
                .contains("server.memory.pagecache.size=256m");
    }

    private static HttpResponse<String> cypher(Neo4jProcess neo4j, String password, String statement) throws Exception {
        String body = JSON.createObjectNode().set("statements",
                JSON.createArrayNode().add(JSON.createObjectNode().put("statement", statement))).toString();
        String auth = Base64.getEncoder().encodeToString((neo4j.user() + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(neo4j.httpUrl() + "/db/neo4j/tx/commit"))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
