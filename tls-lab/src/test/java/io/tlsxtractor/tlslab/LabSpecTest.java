package io.tlsxtractor.tlslab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.tlsxtractor.tlslab.LabClient.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and lookup of lab specs; no server involved. */
class LabSpecTest {

    @Test
    void laterRulesOverrideEarlierOnesAndUnruledAddressesGetDefault() {
        LabSpec spec = LabSpec.parse(String.join("\n",
                "# a lab",
                "range 127.77.0.0/22",
                "127.77.0.0/24   rsa:4096, sha1   # spaces after commas are fine",
                "127.77.0.10     tarpit",
                ""));
        assertThat(spec.range()).isEqualTo("127.77.0.0/22");
        assertThat(spec.addressCount()).isEqualTo(1024);
        assertThat(spec.behaviourFor(ip("127.77.0.10")).toString()).isEqualTo("tarpit");
        assertThat(spec.behaviourFor(ip("127.77.0.11")).toString()).isEqualTo("rsa:4096,sha1");
        assertThat(spec.behaviourFor(ip("127.77.1.1"))).isEqualTo(HostBehaviour.DEFAULT);
        assertThat(spec.covers(ip("127.77.4.0"))).isFalse();
        assertThatThrownBy(() -> spec.behaviourFor(ip("127.77.4.0"))).hasMessageContaining("outside the lab range");
    }

    @Test
    void argumentsGetTheirDefaults() {
        HostBehaviour b = HostBehaviour.parse("many-sans,chain,ecdsa,vhosts,http-redirect,slow");
        assertThat(b.argument(Profile.MANY_SANS)).isEqualTo("10000");
        assertThat(b.argument(Profile.CHAIN)).isEqualTo("2");
        assertThat(b.argument(Profile.ECDSA)).isEqualTo("p256");
        assertThat(b.argument(Profile.VHOSTS)).isEqualTo("3");
        assertThat(b.argument(Profile.HTTP_REDIRECT)).isEqualTo("path");
        assertThat(b.argument(Profile.SLOW)).isEqualTo("1000");
        assertThat(HostBehaviour.parse("default")).isEqualTo(HostBehaviour.DEFAULT);
    }

    @Test
    void unknownProfileIsReportedWithItsLine() {
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1 default\n127.0.0.2 tarpit,slowloris\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown profile 'slowloris'")
                .hasMessageContaining("127.0.0.2 tarpit,slowloris");
    }

    @Test
    void badArgumentsAndConflictsAreReported() {
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1 rsa:512")).hasMessageContaining("line 1")
                .hasMessageContaining("one of [1024, 2048, 4096]");
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1 chain:4")).hasMessageContaining("from 1 to 3");
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1 tarpit:5")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1 tls13,tls10")).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1")).hasMessageContaining("line 1");
    }

    @Test
    void onlyLoopbackIsAccepted() {
        assertThatThrownBy(() -> LabSpec.parse("\n10.0.0.1 default")).hasMessageContaining("line 2")
                .hasMessageContaining("not inside 127.0.0.0/8");
        assertThatThrownBy(() -> LabSpec.builder().range("192.168.0.0/16")).hasMessageContaining("not inside 127.0.0.0/8");
        assertThatThrownBy(() -> LabSpec.parse("127.0.0.1/24 default")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> LabSpec.parse("range 127.1.0.0/16\n127.2.0.1 tarpit")).hasMessageContaining("outside the lab range");
    }

    @Test
    void nonLoopbackRangesNeedAnExplicitAllowance(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> LabSpec.builder().build().withRange("198.18.0.0/16"))
                .hasMessageContaining("not inside 127.0.0.0/8");
        LabSpec allowed = LabSpec.builder().build().withRange("198.18.0.0/16", true);
        assertThat(allowed.nonLoopbackAllowed()).isTrue();
        assertThat(allowed.covers(ip("198.18.3.4"))).isTrue();
        assertThat(allowed.covers(ip("127.0.0.1"))).isFalse();

        Path file = dir.resolve("ns.spec");
        Files.writeString(file, "range 198.18.0.0/16\n198.18.0.7 tarpit\n");
        assertThatThrownBy(() -> LabSpec.parse(file)).hasMessageContaining("line 1").hasMessageContaining("not inside 127.0.0.0/8");
        LabSpec parsed = LabSpec.parse(file, true);
        assertThat(parsed.behaviourFor(ip("198.18.0.7")).toString()).isEqualTo("tarpit");
        assertThat(parsed.behaviourFor(ip("198.18.0.8"))).isEqualTo(HostBehaviour.DEFAULT);
        assertThat(LabSpec.builder().allowNonLoopback().range("198.18.0.0/15").build().addressCount()).isEqualTo(131072);
    }

    @Test
    void builderAndFileAndWithRangeAgree(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lab.spec");
        Files.writeString(file, "127.77.0.10 tarpit\n127.77.0.11 bogus\n");
        assertThatThrownBy(() -> LabSpec.parse(file)).hasMessageContaining(file.toString()).hasMessageContaining("line 2");

        Files.writeString(file, "127.77.0.10 tarpit\n");
        LabSpec fromFile = LabSpec.parse(file).withRange("127.77.0.0/22");
        LabSpec built = LabSpec.builder().range("127.77.0.0/22").rule("127.77.0.10", "tarpit").build();
        assertThat(fromFile.range()).isEqualTo(built.range());
        assertThat(fromFile.behaviourFor(ip("127.77.0.10"))).isEqualTo(built.behaviourFor(ip("127.77.0.10")));
        assertThat(built.summary()).anySatisfy(line -> assertThat(line).contains("127.77.0.10").contains("tarpit")
                .contains("h-127-77-0-10.lab.test"));
        assertThatThrownBy(() -> LabSpec.builder().rule("127.77.0.10", "nope"))
                .hasMessageContaining("unknown profile 'nope'");
    }

    @Test
    void hostNamesFollowTheAddress() {
        assertThat(LabSpec.hostName(ip("127.77.0.10"))).isEqualTo("h-127-77-0-10.lab.test");
    }
}
