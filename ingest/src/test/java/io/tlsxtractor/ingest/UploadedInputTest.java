package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UploadedInputTest {

    @Test
    void theTargetValueRoundTripsAndKeepsSlashesOfTheFileName() {
        UploadedInput upload = new UploadedInput("tlsx.scan-inputs.v1", 2, 1500, 1512, "0f1e-77", "lists/hosts.txt");
        assertThat(upload.specValue()).isEqualTo("tlsx.scan-inputs.v1/2/1500-1512/0f1e-77/lists/hosts.txt");
        assertThat(UploadedInput.parse(upload.specValue())).isEqualTo(upload);
        assertThat(UploadedInput.parse(" " + upload.specValue() + "\n")).isEqualTo(upload);
        assertThat(UploadedInput.parse("tlsx.scan-inputs.v1/0/7-7/id/")).satisfies(u -> {
            assertThat(u.fileName()).isEmpty();
            assertThat(u.sourceName()).isEqualTo("uploaded file (uploaded to tlsx.scan-inputs.v1-0@7)");
        });
    }

    @Test
    void aMalformedValueSaysWhatIsWrongWithIt() {
        assertThatThrownBy(() -> UploadedInput.parse("tlsx.scan-inputs.v1/0/7/id/f.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no '-' between the offsets")
                .hasMessageContaining("<topic>/<partition>/<first offset>-<last offset>/<upload id>/<file name>");
        assertThatThrownBy(() -> UploadedInput.parse("tlsx.scan-inputs.v1/x/1-2/id/f.txt"))
                .hasMessageContaining("is not an uploaded input");
        assertThatThrownBy(() -> UploadedInput.parse("hosts.txt")).hasMessageContaining("is not an uploaded input");
        assertThatThrownBy(() -> UploadedInput.parse(null)).hasMessageContaining("is not an uploaded input");
        assertThatThrownBy(() -> UploadedInput.parse("tlsx.scan-inputs.v1/0/9-3/id/f.txt"))
                .hasMessageContaining("do not name a run of records");
        assertThatThrownBy(() -> UploadedInput.parse("tlsx.scan-inputs.v1/-1/1-3/id/f.txt"))
                .hasMessageContaining("do not name a run of records");
    }
}
