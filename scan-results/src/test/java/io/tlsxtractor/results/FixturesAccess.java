package io.tlsxtractor.results;

import io.tlsxtractor.schemas.avro.ProbeResult;

/** The fixtures, for the tests of the output package. */
public final class FixturesAccess {
    private FixturesAccess() {
    }

    public static V1Document ip() {
        return Fixtures.ipDocument();
    }

    public static V1Document url() {
        return Fixtures.urlDocument();
    }

    public static V1Document mixed() {
        return Fixtures.mixedDocument();
    }

    public static ProbeResult ipProbeResult() {
        return Fixtures.ipResults().get(0);
    }
}
