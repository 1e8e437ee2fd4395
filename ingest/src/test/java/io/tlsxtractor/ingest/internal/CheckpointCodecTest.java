package io.tlsxtractor.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.ingest.Checkpoint;
import io.tlsxtractor.ingest.Cursor;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    @Test
    void aCheckpointRoundTripsForItsOwnScanOnly() {
        Checkpoint checkpoint = new Checkpoint(42, new Cursor(2, 1000, 77), 10_752, 3);
        String metadata = CheckpointCodec.encode("scan|with|bars", checkpoint);

        assertThat(CheckpointCodec.decode(metadata, "scan|with|bars")).contains(checkpoint);
        assertThat(CheckpointCodec.decode(metadata, "other-scan")).isEmpty();
        assertThat(CheckpointCodec.decode("", "scan|with|bars")).isEmpty();
        assertThat(CheckpointCodec.decode(null, "scan|with|bars")).isEmpty();
    }

    @Test
    void aLongScanIdIsHashedToFitTheBrokersMetadataLimit() {
        String id = "x".repeat(5000);
        String metadata = CheckpointCodec.encode(id, Checkpoint.START);
        assertThat(metadata.length()).isLessThan(200);
        assertThat(CheckpointCodec.decode(metadata, id)).contains(Checkpoint.START);
    }
}
