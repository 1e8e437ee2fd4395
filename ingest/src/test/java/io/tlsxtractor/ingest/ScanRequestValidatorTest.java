package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanRequestValidatorTest {

    private final ScanRequestValidator validator = new ScanRequestValidator(ScopePolicy.Settings.defaults());

    static ScanRequest request(String scanId, List<TargetSpec> targets, List<Integer> ports) {
        return ScanRequest.newBuilder().setScanId(scanId).setTargets(targets).setPorts(ports)
                .setSubmittedAt(Instant.parse("2026-01-03T10:00:00Z")).build();
    }

    static TargetSpec spec(TargetType type, String value) {
        return TargetSpec.newBuilder().setType(type).setValue(value).build();
    }

    @Test
    void aValidRequestBecomesAJobWithItsTotalKnownUpFront() {
        ScanRequestValidator.Result result = validator.validate(request("s1",
                List.of(spec(TargetType.CIDR, "11.0.0.0/24"), spec(TargetType.RANGE, "11.0.1.1-10")), List.of(443, 8443)));

        assertThat(result.valid()).isTrue();
        assertThat(result.job().totalTargets()).hasValue((254 + 10) * 2);
    }

    @Test
    void everyProblemOfARequestIsListed() {
        ScanRequestValidator.Result result = validator.validate(request("s2",
                List.of(spec(TargetType.CIDR, "11.0.0.0/33"), spec(TargetType.CIDR, "0.0.0.0/0"), spec(TargetType.HOST, "bad host")),
                List.of(0, 443)));

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).containsExactly(
                "port 0 is not 1-65535",
                "target 1 '11.0.0.0/33': not a valid CIDR network: prefix length '33' is not 0-32 (as CIDR)",
                "target 2 '0.0.0.0/0': 0.0.0.1-255.255.255.254 holds 4,294,967,294 addresses, more than the limit of "
                        + "16,777,216 per input; split it, or allow large ranges explicitly (tag tlsx.allow-large-ranges=true)",
                "target 3 'bad host': ' ' is not allowed in a hostname (as HOST)");
    }

    @Test
    void anEmptyTargetListIsRefused() {
        assertThat(validator.validate(request("s3", List.of(), List.of(443))).problems()).containsExactly("the scan has no targets");
    }

    @Test
    void theLargeRangeOverrideIsATag() {
        ScanRequest request = request("s4", List.of(spec(TargetType.CIDR, "0.0.0.0/0")), List.of(443));
        request.setTags(Map.of(ScanRequestValidator.ALLOW_LARGE_RANGES_TAG, "true"));

        ScanRequestValidator.Result result = validator.validate(request);

        assertThat(result.valid()).isTrue();
        assertThat(result.job().totalTargets().getAsLong()).as("special ranges still left out").isLessThan(1L << 32).isGreaterThan(3_000_000_000L);
    }

    @Test
    void aRequestWithNothingInScopeIsRefusedWithTheReason() {
        ScanRequestValidator.Result result = validator.validate(request("s5", List.of(spec(TargetType.CIDR, "127.0.0.0/24")), List.of(443)));

        assertThat(result.message()).isEqualTo("every target is out of scope: skipped 127.0.0.0/8 (loopback) — 254 addresses"
                + " (private and reserved ranges need allow-private)");
        ScanRequest allowed = request("s6", List.of(spec(TargetType.CIDR, "127.0.0.0/24")), List.of(443));
        allowed.setAllowPrivate(true);
        assertThat(validator.validate(allowed).valid()).isTrue();
    }

    @Test
    void fileTargetsMustBeReadableText(@TempDir Path dir) throws Exception {
        Path binary = dir.resolve("a.bin");
        Files.write(binary, new byte[] {1, 2, 0, 3});
        Path text = dir.resolve("ok.txt");
        Files.writeString(text, "example.com\n");

        ScanRequestValidator.Result result = validator.validate(request("s7", List.of(spec(TargetType.FILE, binary.toString()),
                spec(TargetType.FILE, dir.resolve("missing.txt").toString()), spec(TargetType.FILE, text.toString()),
                spec(TargetType.FILE, "-")), List.of(443)));

        assertThat(result.problems()).hasSize(3);
        assertThat(result.problems().get(0)).contains("is a binary file");
        assertThat(result.problems().get(1)).contains("no such file");
        assertThat(result.problems().get(2)).contains("standard input cannot be read by the ingest service");
    }

    @Test
    void uploadedFilesMustBeNamedByTheirChunksOnTheInputsTopic() {
        String good = new UploadedInput("tlsx.scan-inputs.v1", 1, 10, 14, "u-1", "hosts.txt").specValue();
        ScanRequestValidator.Result result = validator.validate(request("s8", List.of(spec(TargetType.UPLOAD, good),
                spec(TargetType.UPLOAD, "tlsx.scan-inputs.v1/1/10/u-1/hosts.txt"),
                spec(TargetType.UPLOAD, "tlsx.scan-status.v1/0/0-3/u-2/x.txt")), List.of(443)));

        assertThat(result.problems()).hasSize(2);
        assertThat(result.problems().get(0)).startsWith("target 2 ").contains("is not an uploaded input");
        assertThat(result.problems().get(1)).startsWith("target 3 ").contains("read from tlsx.scan-inputs.v1 only");

        ScanRequestValidator.Result ok = validator.validate(request("s9", List.of(spec(TargetType.UPLOAD, good)), List.of(443)));
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.job().inputs()).singleElement().satisfies(input -> {
            assertThat(input.kind()).isEqualTo(TargetInput.Kind.UPLOAD);
            assertThat(input.sourceName()).isEqualTo("hosts.txt (uploaded to tlsx.scan-inputs.v1-1@10)");
        });
        assertThat(ok.job().totalKnownUpFront()).as("an upload's lines are counted as they are read").isFalse();
    }
}
