package io.tlsxtractor.sinks.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ClickHouseErrorsTest {

    @Test
    void classifiesByServerCodeAndByTransportFailure() {
        assertThat(ClickHouseErrors.classify(new ServerException(252, "Too many parts", 500, "q")))
                .isEqualTo(ClickHouseErrors.Kind.TRANSIENT);
        assertThat(ClickHouseErrors.classify(new ServerException(81, "Database x does not exist", 404, "q")))
                .isEqualTo(ClickHouseErrors.Kind.CONFIGURATION);
        assertThat(ClickHouseErrors.classify(new ServerException(516, "Authentication failed", 401, "q")))
                .isEqualTo(ClickHouseErrors.Kind.CONFIGURATION);
        assertThat(ClickHouseErrors.classify(new ServerException(27, "Cannot parse input", 400, "q")))
                .isEqualTo(ClickHouseErrors.Kind.BAD_DATA);
        assertThat(ClickHouseErrors.classify(new ExecutionException(new ConnectionInitiationException("refused",
                new ConnectException("Connection refused"))))).isEqualTo(ClickHouseErrors.Kind.TRANSIENT);
        assertThat(ClickHouseErrors.classify(new RuntimeException(new java.net.SocketTimeoutException("Read timed out"))))
                .isEqualTo(ClickHouseErrors.Kind.TRANSIENT);
    }

    @Test
    void describesWithTheServersMessageAndAHint() {
        IllegalStateException e = ClickHouseErrors.describe("doing x",
                new RuntimeException("wrapper", new ServerException(81, "Database nope does not exist", 404, "q")));
        assertThat(e.getMessage()).contains("doing x").contains("Database nope does not exist")
                .contains("check clickhouse.url");
    }
}
