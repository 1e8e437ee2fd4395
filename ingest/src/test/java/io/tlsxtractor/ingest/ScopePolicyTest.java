package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopePolicyTest {

    private static final ScopePolicy DEFAULT = ScopePolicy.create(ScopePolicy.Settings.defaults());

    private static IpRange range(String text) throws InvalidTargetException {
        return ((ParsedTarget.Addresses) TargetParser.parse(text)).range();
    }

    @Test
    void aPrivateNetworkIsRefusedAndReportedOnceForTheWholeRange() throws Exception {
        ScopeReport report = new ScopeReport();

        List<IpRange> allowed = DEFAULT.allowed(range("10.0.0.0/16"), report);

        assertThat(allowed).isEmpty();
        assertThat(report.refusals()).singleElement().satisfies(r -> {
            assertThat(r.toString()).isEqualTo("skipped 10.0.0.0/8 (private) — 65,534 addresses");
            assertThat(r.inputs()).isEqualTo(1);
        });
    }

    @Test
    void aMillionPrivateAddressesGiveOneLine() throws Exception {
        ScopeReport report = new ScopeReport();
        for (long i = 0; i < 1_000_000; i++) {
            IpRange single = IpRange.single(4, BigInteger.valueOf(0xC0A80000L + (i % 65536)));
            assertThat(DEFAULT.allowed(single, report)).isEmpty();
        }
        assertThat(report.refusals()).singleElement().satisfies(r -> {
            assertThat(r.what()).isEqualTo("192.168.0.0/16");
            assertThat(r.count()).isEqualTo(1_000_000);
            assertThat(r.inputs()).isEqualTo(1_000_000);
        });
    }

    @Test
    void aRangeAcrossAPrivateBlockKeepsItsPublicParts() throws Exception {
        ScopeReport report = new ScopeReport();

        List<IpRange> allowed = DEFAULT.allowed(range("9.255.255.250-11.0.0.5"), report);

        assertThat(allowed).extracting(IpRange::toString).containsExactly("9.255.255.250-9.255.255.255", "11.0.0.0-11.0.0.5");
        assertThat(report.refusals()).extracting(Object::toString).containsExactly("skipped 10.0.0.0/8 (private) — 16,777,216 addresses");
    }

    @Test
    void specialPurposeRangesOfBothFamiliesAreRefused() throws Exception {
        for (String special : List.of("127.0.0.1", "169.254.1.1", "100.64.0.1", "172.16.5.5", "192.0.2.1", "198.51.100.1",
                "203.0.113.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "0.0.0.1", "198.18.0.1",
                "::1", "::", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "2001:db8::1", "::ffff:8.8.8.8", "3fff::1", "100::1")) {
            ScopeReport report = new ScopeReport();
            assertThat(DEFAULT.allowed(range(special), report)).as(special).isEmpty();
            assertThat(report.refusals()).as(special).hasSize(1);
        }
        for (String global : List.of("8.8.8.8", "1.1.1.1", "11.0.0.1", "2606:4700::1111", "2a00:1450::1")) {
            assertThat(DEFAULT.allowed(range(global), new ScopeReport())).as(global).hasSize(1);
        }
        ScopeReport report = new ScopeReport();
        DEFAULT.allowed(range("fe80::1"), report);
        assertThat(report.refusals().get(0).toString()).isEqualTo("skipped fe80::/10 (link-local) — 1 address");
    }

    @Test
    void allowPrivateLetsSpecialRangesThroughButNeverTheExclusions() throws Exception {
        ScopePolicy policy = ScopePolicy.create(ScopePolicy.Settings.defaults().withAllowPrivate(true)
                .withExclusions(List.of("127.0.0.128/25", "2001:db8::5", "internal.example")));
        ScopeReport report = new ScopeReport();

        assertThat(policy.allowed(range("127.0.0.0/24"), report)).extracting(IpRange::toString).containsExactly("127.0.0.1-127.0.0.127");
        assertThat(policy.allowed(range("2001:db8::1-9"), report)).extracting(IpRange::toString)
                .containsExactly("2001:db8::1-2001:db8::4", "2001:db8::6-2001:db8::9");
        assertThat(policy.allowsHost("internal.example", report)).isFalse();
        assertThat(policy.allowsHost("db.internal.example", report)).isFalse();
        assertThat(policy.allowsHost("notinternal.example", report)).isTrue();
        assertThat(report.refusals()).extracting(Object::toString).containsExactly(
                "skipped 127.0.0.128/25 (excluded) — 127 addresses",
                "skipped 2001:db8::5 (excluded) — 1 address",
                "skipped internal.example (excluded domain) — 2 hostnames");
    }

    @Test
    void exclusionsWinOverTheSpecialRangeLabels() throws Exception {
        ScopePolicy policy = ScopePolicy.create(ScopePolicy.Settings.defaults().withExclusions(List.of("10.1.0.0/16")));
        ScopeReport report = new ScopeReport();
        policy.allowed(range("10.1.2.3"), report);
        assertThat(report.refusals()).extracting(ScopeReport.Refusal::reason).containsExactly("excluded");
    }

    @Test
    void exclusionsComeFromAFileAndBadOnesAreAllListed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exclude.txt");
        Files.writeString(file, "\uFEFF# do not scan\n8.8.8.0/24\n\nexample.org # partner\n");
        ScopePolicy policy = ScopePolicy.create(ScopePolicy.Settings.defaults().withExclusions(ScopePolicy.readExclusions(file)));
        assertThat(policy.allowed(range("8.8.8.8"), new ScopeReport())).isEmpty();
        assertThat(policy.allowsHost("www.example.org", new ScopeReport())).isFalse();

        assertThatThrownBy(() -> ScopePolicy.create(ScopePolicy.Settings.defaults()
                .withExclusions(List.of("10.0.0.0/33", "https://x.example/", "ok.example"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.0.0.0/33'").hasMessageContaining("'https://x.example/'")
                .hasMessageNotContaining("ok.example'");
    }

    @Test
    void inputsAboveTheSizeLimitNeedTheOverride() throws Exception {
        assertThat(DEFAULT.sizeProblem(range("11.0.0.0/8"))).isNull();
        assertThat(DEFAULT.sizeProblem(range("0.0.0.0/0"))).isEqualTo("0.0.0.1-255.255.255.254 holds 4,294,967,294 addresses,"
                + " more than the limit of 16,777,216 per input; split it, or allow large ranges explicitly");
        assertThat(DEFAULT.sizeProblem(range("12.0.0.0/7"))).isNotNull();
        assertThat(DEFAULT.sizeProblem(range("2001:db8::/104"))).as("the same count as a v4 /8").isNull();
        assertThat(DEFAULT.sizeProblem(range("2001:db8::/103"))).isNotNull();

        ScopePolicy large = ScopePolicy.create(ScopePolicy.Settings.defaults().withAllowLargeRanges(true));
        assertThat(large.sizeProblem(range("0.0.0.0/0"))).isNull();
        assertThat(large.sizeProblem(range("2001:db8::/64"))).contains("more than any scan may hold per input");

        ScopePolicy small = ScopePolicy.create(ScopePolicy.Settings.defaults().withMaxAddresses(256));
        assertThat(small.sizeProblem(range("11.0.0.0/24"))).isNull();
        assertThat(small.sizeProblem(range("11.0.0.0/23"))).isNotNull();
    }
}
