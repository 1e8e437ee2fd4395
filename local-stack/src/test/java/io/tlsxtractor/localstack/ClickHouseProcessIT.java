package io.tlsxtractor.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.localstack.internal.Ports;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ClickHouse 26.7 engine (npm package + launcher) started, queried, restarted and stopped by PID. */
class ClickHouseProcessIT {

    @TempDir
    Path dataDir;

    @Test
    void startsOnLoopbackAnswersPingAndQueriesAndKeepsDataAcrossARestart() throws Exception {
        long firstPid;
        int httpPort;
        try (ClickHouseProcess server = ClickHouseProcess.start(new ClickHouseSettings(dataDir))) {
            firstPid = server.pid();
            httpPort = server.httpPort();
            HttpResponse<String> ping = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/ping")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body().strip()).isEqualTo("Ok.");
            assertThat(server.query("SELECT version()").strip()).startsWith("26.7.");
            // The project's database must be Atomic: the engine's default (Overlay) cannot hold MergeTree tables.
            assertThat(server.query("SELECT engine FROM system.databases WHERE name = 'tlsxtractor'").strip())
                    .isEqualTo("Atomic");
            assertThat(ListeningSockets.of(server.pid()))
                    .contains("127.0.0.1:" + server.httpPort(), "127.0.0.1:" + server.tcpPort())
                    .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
            server.query("CREATE TABLE kept (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
            server.query("INSERT INTO kept VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            assertThat(server.query("SELECT sum(id), groupArray(name) FROM (SELECT * FROM kept ORDER BY id)").strip())
                    .isEqualTo("6\t['a','b','c']");
        }
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Ports.isFree(httpPort)).isTrue();

        try (ClickHouseProcess again = ClickHouseProcess.start(new ClickHouseSettings(dataDir))) {
            assertThat(again.pid()).isNotEqualTo(firstPid);
            assertThat(again.httpPort()).as("the port recorded at the first start is reused").isEqualTo(httpPort);
            assertThat(again.query("SELECT count(), sum(id) FROM kept").strip()).isEqualTo("3\t6");
        }
    }

    @Test
    void refusesABusyPortNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.loopback())) {
            int busy = taken.getLocalPort();
            assertThatThrownBy(() -> ClickHouseProcess.start(new ClickHouseSettings(dataDir).withPorts(busy, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + busy)
                    .hasMessageContaining("ClickHouse HTTP");
        }
    }

    @Test
    void reportsAServerThatDiedWithTheTailOfItsLog() {
        try (ClickHouseProcess first = ClickHouseProcess.start(new ClickHouseSettings(dataDir))) {
            // A second server on the same data directory cannot lock it: it exits, and the error must say why.
            assertThatThrownBy(() -> ClickHouseProcess.start(new ClickHouseSettings(dataDir).withPorts(0, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited before GET /ping answered")
                    .hasMessageContaining("Another server instance in same directory is already running");
            assertThat(first.isAlive()).isTrue();
        }
    }

    @Test
    void installIsIdempotentAndLeavesALauncherBesideTheEngine() {
        Path launcher = ClickHouseProcess.install();
        assertThat(ClickHouseProcess.install()).isEqualTo(launcher);
        assertThat(launcher).isExecutable().hasParent(ClickHouseProcess.installDir());
        assertThat(ClickHouseProcess.installDir().resolve("node_modules/@chdb/lib-linux-x64-gnu/libchdb.so")).isRegularFile();
        assertThat(Files.isRegularFile(ClickHouseProcess.installDir().resolve(".complete"))).isTrue();
    }
}
