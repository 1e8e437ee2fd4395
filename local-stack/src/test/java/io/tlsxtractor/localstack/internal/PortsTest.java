package io.tlsxtractor.localstack.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aFreePortCanBeBoundOnLoopbackAndIsReportedTakenWhileBound() throws Exception {
        int port = Ports.freeLoopbackPort();
        assertThat(port).isBetween(1, 65535);
        assertThat(Ports.isFree(port)).isTrue();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(Ports.loopback(), port));
            assertThat(Ports.isFree(port)).isFalse();
            assertThat(Ports.accepts(port, 1000)).isTrue();
            assertThatThrownBy(() -> Ports.requireFree(port, "test listener"))
                    .hasMessage("Port " + port + " on 127.0.0.1 (test listener) is already in use");
        }
        assertThat(Ports.accepts(port, 1000)).isFalse();
    }

    @Test
    void isFreeRefusesNumbersThatAreNotPorts() {
        assertThatThrownBy(() -> Ports.isFree(0)).hasMessageContaining("Not a TCP port: 0");
        assertThatThrownBy(() -> Ports.isFree(70000)).hasMessageContaining("70000");
    }
}
