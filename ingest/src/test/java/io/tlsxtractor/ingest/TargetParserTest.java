package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.schemas.avro.TargetType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetParserTest {

    @TempDir
    Path dir;

    private static ParsedTarget.Addresses addresses(String text) throws InvalidTargetException {
        return (ParsedTarget.Addresses) TargetParser.parse(text);
    }

    private static ParsedTarget.Host host(String text) throws InvalidTargetException {
        return (ParsedTarget.Host) TargetParser.parse(text);
    }

    private static String reason(String text) {
        try {
            TargetParser.parse(text);
            return null;
        } catch (InvalidTargetException e) {
            return e.getMessage();
        }
    }

    @Test
    void ipv4NetworksStandForTheirHostsAsPythonsHostsDoes() throws Exception {
        // Checked against python3: list(ipaddress.ip_network(x, strict=False).hosts())
        assertThat(addresses("10.0.0.0/30").range().toString()).isEqualTo("10.0.0.1-10.0.0.2");
        assertThat(addresses("10.0.0.0/31").range().toString()).isEqualTo("10.0.0.0/31");
        assertThat(addresses("10.0.0.5/32").range().toString()).isEqualTo("10.0.0.5");
        assertThat(addresses("10.0.0.7/30").range().toString()).as("host bits allowed").isEqualTo("10.0.0.5-10.0.0.6");
        assertThat(addresses("10.0.0.0/8").range().count()).isEqualTo(BigInteger.valueOf((1L << 24) - 2));
        assertThat(addresses("0.0.0.0/0").range().count()).isEqualTo(BigInteger.valueOf((1L << 32) - 2));
        assertThat(addresses("10.0.0.0/24").type()).isEqualTo(TargetType.CIDR);
    }

    @Test
    void ipv6NetworksLeaveOutOnlyTheSubnetRouterAnycastAddress() throws Exception {
        assertThat(addresses("2001:db8::/126").range().toString()).isEqualTo("2001:db8::1-2001:db8::3");
        assertThat(addresses("2001:db8::/127").range().toString()).isEqualTo("2001:db8::/127");
        assertThat(addresses("2001:db8::1/128").range().toString()).isEqualTo("2001:db8::1");
        assertThat(addresses("2001:DB8::FF/120").range().toString()).isEqualTo("2001:db8::1-2001:db8::ff");
    }

    @Test
    void addressRangesInFullAndShortForm() throws Exception {
        assertThat(addresses("10.0.0.1-10.0.0.50").range().count()).isEqualTo(BigInteger.valueOf(50));
        assertThat(addresses("10.0.0.1-50").range().toString()).isEqualTo("10.0.0.1-10.0.0.50");
        assertThat(addresses("10.0.0.250-10.0.1.5").range().count()).isEqualTo(BigInteger.valueOf(12));
        assertThat(addresses("2001:db8::1-ff").range().toString()).isEqualTo("2001:db8::1-2001:db8::ff");
        assertThat(addresses("2001:db8::1-2001:db8::1:0").range().count()).isEqualTo(BigInteger.valueOf(65536));
        assertThat(addresses("10.0.0.1-50").type()).isEqualTo(TargetType.RANGE);
        assertThat(reason("10.0.0.50-10.0.0.1")).isEqualTo("range ends before it starts");
        assertThat(reason("10.0.0.1-256")).contains("neither an address nor a last octet");
        assertThat(reason("10.0.0.1-2001:db8::1")).isEqualTo("range mixes IPv4 and IPv6");
    }

    @Test
    void singleAddressesAndAddressesWithPorts() throws Exception {
        assertThat(addresses("192.0.2.7").type()).isEqualTo(TargetType.IP);
        assertThat(addresses("192.0.2.7").port()).isNull();
        ParsedTarget.Addresses withPort = addresses("192.0.2.7:8443");
        assertThat(withPort.type()).isEqualTo(TargetType.IP_PORT);
        assertThat(withPort.port()).isEqualTo(8443);
        ParsedTarget.Addresses v6Port = addresses("[2001:db8::1]:8443");
        assertThat(v6Port.type()).isEqualTo(TargetType.IP_PORT);
        assertThat(v6Port.range().firstText()).isEqualTo("2001:db8::1");
        assertThat(v6Port.port()).isEqualTo(8443);
        assertThat(addresses("[2001:db8::1]").type()).isEqualTo(TargetType.IP);
        ParsedTarget.Addresses bare = addresses("2001:0db8:0000:0000:0000:0000:0000:0001");
        assertThat(bare.type()).isEqualTo(TargetType.IP);
        assertThat(bare.range().firstText()).as("RFC 5952 form").isEqualTo("2001:db8::1");
        assertThat(addresses("::ffff:192.0.2.1").range().firstText()).isEqualTo("::ffff:c000:201");
        assertThat(addresses("::1").range().firstText()).isEqualTo("::1");
        assertThat(addresses("::").range().firstText()).isEqualTo("::");
    }

    @Test
    void hostnamesAndHostPort() throws Exception {
        ParsedTarget.Host name = host("WWW.Example.COM.");
        assertThat(name.type()).isEqualTo(TargetType.HOST);
        assertThat(name.hostname()).isEqualTo("www.example.com");
        assertThat(name.port()).isNull();
        ParsedTarget.Host withPort = host("example.com:8443");
        assertThat(withPort.type()).isEqualTo(TargetType.HOST_PORT);
        assertThat(withPort.port()).isEqualTo(8443);
        assertThat(host("localhost").hostname()).isEqualTo("localhost");
        assertThat(host("bücher.example").hostname()).isEqualTo("xn--bcher-kva.example");
        assertThat(host("my-host_1.example.org").hostname()).isEqualTo("my-host_1.example.org");
    }

    @Test
    void urlsKeepTheirPortElse443WhateverTheScheme() throws Exception {
        ParsedTarget.Host https = host("https://Example.com/path?q=1#frag");
        assertThat(https.type()).isEqualTo(TargetType.URL);
        assertThat(https.hostname()).isEqualTo("example.com");
        assertThat(https.port()).isEqualTo(443);
        assertThat(https.url()).isEqualTo("https://Example.com/path?q=1#frag");
        assertThat(host("https://example.com:8443/x").port()).isEqualTo(8443);
        assertThat(host("http://example.com/").port()).as("TLS is probed: 443, not 80").isEqualTo(443);
        assertThat(host("http://example.com:8080").port()).isEqualTo(8080);
        assertThat(host("https://user:pw@example.com/").hostname()).isEqualTo("example.com");
        ParsedTarget.Addresses ipUrl = addresses("https://192.0.2.1/");
        assertThat(ipUrl.type()).isEqualTo(TargetType.URL);
        assertThat(ipUrl.port()).isEqualTo(443);
        assertThat(ipUrl.url()).isEqualTo("https://192.0.2.1/");
        ParsedTarget.Addresses v6Url = addresses("https://[2001:db8::2]:9443/a");
        assertThat(v6Url.range().firstText()).isEqualTo("2001:db8::2");
        assertThat(v6Url.port()).isEqualTo(9443);
        assertThat(reason("ftp://example.com/")).contains("unsupported URL scheme 'ftp'");
        assertThat(reason("https:///path")).isEqualTo("URL has no host");
    }

    @Test
    void invalidTargetsSayWhy() {
        assertThat(reason("999.1.1.1")).isEqualTo("not a valid IPv4 address or hostname");
        assertThat(reason("010.0.0.1")).as("leading zeros are ambiguous").isEqualTo("not a valid IPv4 address or hostname");
        assertThat(reason("10.0.0.0/33")).contains("prefix length '33' is not 0-32");
        assertThat(reason("2001:db8::/129")).contains("is not 0-128");
        assertThat(reason("example.com/24")).contains("'example.com' is not an IP address");
        assertThat(reason("1.2.3.4:0")).isEqualTo("port '0' is not 1-65535");
        assertThat(reason("1.2.3.4:70000")).isEqualTo("port '70000' is not 1-65535");
        assertThat(reason("-bad-.com")).contains("starts or ends with '-'");
        assertThat(reason("a..b")).contains("empty label");
        assertThat(reason("2001:db8:::1")).isEqualTo("not a valid IPv6 address");
        assertThat(reason("1:2:3:4:5:6:7:8:9")).isEqualTo("not a valid IPv6 address");
        assertThat(reason("fe80::1%eth0")).isEqualTo("not a valid IPv6 address");
        assertThat(reason("has space.com")).contains("' ' is not allowed");
        assertThat(reason("[2001:db8::1]8443")).contains("expected ':port'");
    }

    @Test
    void declaredTypesMustMatch() throws Exception {
        assertThat(TargetParser.parse("10.0.0.1", TargetType.CIDR).type()).as("an address is a /32").isEqualTo(TargetType.IP);
        assertThat(TargetParser.parse("example.com", TargetType.URL).type()).isEqualTo(TargetType.HOST);
        assertThatThrownBy(() -> TargetParser.parse("example.com", TargetType.CIDR))
                .isInstanceOf(InvalidTargetException.class).hasMessage("declared as CIDR but reads as HOST");
    }

    @Test
    void addressFormattingFollowsRfc5952() {
        assertThat(IpAddresses.formatV6(IpAddresses.parseV6("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.formatV6(IpAddresses.parseV6("2001:db8:0:1:1:1:1:1"))).as("a single zero group is not compressed")
                .isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddresses.formatV6(IpAddresses.parseV6("fe80::"))).isEqualTo("fe80::");
    }

    private List<TargetStream.Item> readAll(List<TargetInput> inputs, List<ParseProblem> problems, InputStream stdin) {
        List<TargetStream.Item> items = new ArrayList<>();
        try (TargetStream stream = TargetParser.open(inputs, Cursor.START, stdin, problems::add)) {
            stream.forEachRemaining(items::add);
        }
        return items;
    }

    @Test
    void aFileMixingFormsWithCommentsBlankLinesCrlfAndBomIsReadLineByLine() throws IOException {
        Path file = dir.resolve("targets.txt");
        String content = "\uFEFF# targets\r\n10.0.0.0/30\r\n\r\n   \r\nexample.com # the web site\r\n"
                + "https://api.example.com:8443/v1#x\r\n192.0.2.5:8443\r\n[2001:db8::1]:443\r\n2001:db8::2\r\n"
                + "10.0.0.1-5\r\nnot a target\r\n999.1.2.3\r\nhost.example:99999\r\nlast.example";
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<ParseProblem> problems = new ArrayList<>();

        List<TargetStream.Item> items = readAll(List.of(TargetInput.file(file)), problems, null);

        assertThat(items).extracting(i -> i.target().type()).containsExactly(TargetType.CIDR, TargetType.HOST,
                TargetType.URL, TargetType.IP_PORT, TargetType.IP_PORT, TargetType.IP, TargetType.RANGE, TargetType.HOST);
        assertThat(items).extracting(TargetStream.Item::line).containsExactly(2L, 5L, 6L, 7L, 8L, 9L, 10L, 14L);
        assertThat(((ParsedTarget.Host) items.get(2).target()).url()).as("a # inside a URL is a fragment")
                .isEqualTo("https://api.example.com:8443/v1#x");
        assertThat(problems).extracting(ParseProblem::line).containsExactly(11L, 12L, 13L);
        assertThat(problems.get(0)).satisfies(p -> {
            assertThat(p.source()).isEqualTo(file.toString());
            assertThat(p.text()).isEqualTo("not a target");
            assertThat(p.reason()).contains("' ' is not allowed");
        });
        assertThat(problems.get(2).reason()).isEqualTo("port '99999' is not 1-65535");
    }

    @Test
    void standardInputAndSeveralInputsAtOnce() throws IOException {
        Path file = dir.resolve("more.txt");
        Files.writeString(file, "b.example\nc.example\n");
        InputStream stdin = new ByteArrayInputStream("192.0.2.1\n\ngarbage!\n".getBytes(StandardCharsets.UTF_8));
        List<ParseProblem> problems = new ArrayList<>();

        List<TargetStream.Item> items = readAll(List.of(TargetInput.typed(TargetType.CIDR, "10.0.0.0/24"),
                TargetInput.stdin(), TargetInput.file(file), TargetInput.target("a.example")), problems, stdin);

        assertThat(items).extracting(i -> i.target().text())
                .containsExactly("10.0.0.0/24", "192.0.2.1", "b.example", "c.example", "a.example");
        assertThat(items).extracting(TargetStream.Item::input).containsExactly(0, 1, 2, 2, 3);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("-");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void aBinaryFileIsAClearError() throws IOException {
        Path file = dir.resolve("image.png");
        Files.write(file, new byte[] {'1', '0', '.', '0', '.', '0', '.', '1', '\n', (byte) 0x89, 'P', 'N', 'G', 0, 0, 1});

        assertThatThrownBy(() -> readAll(List.of(TargetInput.file(file)), new ArrayList<>(), null))
                .isInstanceOf(TargetInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2")
                .hasMessageContaining("binary");
    }

    @Test
    void aMissingFileOrADirectoryIsAClearError() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> readAll(List.of(TargetInput.file(missing)), new ArrayList<>(), null))
                .isInstanceOf(TargetInputException.class).hasMessage("Cannot read targets from " + missing + ": no such file");
        assertThatThrownBy(() -> readAll(List.of(TargetInput.file(dir)), new ArrayList<>(), null))
                .isInstanceOf(TargetInputException.class).hasMessageContaining("is a directory");
    }

    @Test
    void anOverlongLineIsReportedAndSkipped() throws IOException {
        Path file = dir.resolve("long.txt");
        Files.writeString(file, "a".repeat(20_000) + "\nok.example\n");
        List<ParseProblem> problems = new ArrayList<>();

        List<TargetStream.Item> items = readAll(List.of(TargetInput.file(file)), problems, null);

        assertThat(items).extracting(i -> i.target().text()).containsExactly("ok.example");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.reason()).isEqualTo("line longer than 8192 characters");
            assertThat(p.text()).hasSizeLessThan(210);
        });
    }

    @Test
    void aStreamReadsOnlyWhatIsAskedFor() {
        // A million-line input generated on demand: the stream must not read ahead beyond its buffer.
        long[] served = new long[1];
        InputStream endless = new InputStream() {
            private byte[] line = new byte[0];
            private int position;
            private long lines;

            @Override
            public int read() {
                if (position == line.length) {
                    if (lines == 1_000_000) {
                        return -1;
                    }
                    line = (IpAddresses.formatV4(0x0B000000L + lines++) + "\n").getBytes(StandardCharsets.US_ASCII);
                    position = 0;
                }
                served[0]++;
                return line[position++];
            }
        };
        try (TargetStream stream = TargetParser.open(List.of(TargetInput.stdin()), Cursor.START, endless, p -> { })) {
            assertThat(stream.next().target().text()).isEqualTo("11.0.0.0");
            assertThat(served[0]).as("bytes read for the first target").isLessThan(64 * 1024);
            long count = 1;
            while (stream.hasNext()) {
                stream.next();
                count++;
            }
            assertThat(count).isEqualTo(1_000_000);
        }
    }
}
