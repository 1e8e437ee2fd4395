package io.tlsxtractor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsxtractor.ingest.internal.IpAddresses;
import io.tlsxtractor.schemas.avro.BlockTarget;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.TargetBlock;
import io.tlsxtractor.schemas.avro.TargetType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockExpanderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-03T10:00:00Z"), ZoneOffset.UTC);
    private static final ProbeOptions OPTIONS = ProbeOptions.newBuilder().build();

    @TempDir
    Path dir;

    private static ExpansionJob job(List<TargetInput> inputs, List<Integer> ports, ScopePolicy.Settings scope) {
        return new ExpansionJob("scan-1", inputs, ports, List.of("hint.example"), OPTIONS, false, ScopePolicy.create(scope));
    }

    private static ScopePolicy.Settings allowPrivate() {
        return ScopePolicy.Settings.defaults().withAllowPrivate(true);
    }

    private static List<Emission> expand(ExpansionJob job, Checkpoint from, BlockExpander.Settings settings,
            HostResolver resolver, ScopeReport report, List<ParseProblem> problems) {
        List<Emission> out = new ArrayList<>();
        try (BlockExpander expander = BlockExpander.open(job, from, settings, resolver, report, problems::add, null, CLOCK)) {
            expander.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<Emission> expand(ExpansionJob job, BlockExpander.Settings settings, HostResolver resolver) {
        return expand(job, Checkpoint.START, settings, resolver, new ScopeReport(), new ArrayList<>());
    }

    private static List<TargetBlock> blocks(List<Emission> emissions) {
        return emissions.stream().filter(e -> e instanceof Emission.Block).map(e -> ((Emission.Block) e).block()).toList();
    }

    /** Every address:port a list of blocks stands for, in order. */
    private static List<String> targets(List<TargetBlock> blocks) {
        List<String> out = new ArrayList<>();
        for (TargetBlock block : blocks) {
            if (block.getRange() != null) {
                IpAddresses.Literal first = IpAddresses.parse(block.getRange().getFirst());
                IpAddresses.Literal last = IpAddresses.parse(block.getRange().getLast());
                for (BigInteger a = first.value(); a.compareTo(last.value()) <= 0; a = a.add(BigInteger.ONE)) {
                    for (int port : block.getPorts()) {
                        out.add(IpAddresses.format(first.version(), a) + ":" + port);
                    }
                }
            } else {
                for (BlockTarget target : block.getTargets()) {
                    List<Integer> ports = target.getPort() != null ? List.of(target.getPort()) : block.getPorts();
                    for (int port : ports) {
                        out.add(target.getAddress() + ":" + port + (target.getHostname() == null ? "" : "@" + target.getHostname()));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aNetworkIsCutIntoContiguousRangeBlocksWithDeterministicIds() {
        ExpansionJob job = job(List.of(TargetInput.target("11.0.0.0/24")), List.of(443, 8443), ScopePolicy.Settings.defaults());

        List<Emission> emissions = expand(job, new BlockExpander.Settings(100, 256, true, 8), new StaticResolver(Map.of()));

        List<TargetBlock> blocks = blocks(emissions);
        assertThat(blocks).extracting(TargetBlock::getBlockId).containsExactly("scan-1:0", "scan-1:1", "scan-1:2");
        assertThat(blocks).extracting(TargetBlock::getSequence).containsExactly(0L, 1L, 2L);
        assertThat(blocks).extracting(b -> b.getRange().getFirst() + "-" + b.getRange().getLast() + "/" + b.getRange().getCount())
                .containsExactly("11.0.0.1-11.0.0.100/100", "11.0.0.101-11.0.0.200/100", "11.0.0.201-11.0.0.254/54");
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.getTargets()).isEmpty();
            assertThat(b.getPorts()).containsExactly(443, 8443);
            assertThat(b.getSniHints()).containsExactly("hint.example");
            assertThat(b.getScanId()).isEqualTo("scan-1");
        });
        assertThat(emissions).extracting(e -> ((Emission.Block) e).targets()).containsExactly(200L, 200L, 108L);
        assertThat(job.totalTargets()).hasValue(254 * 2);
    }

    @Test
    void singleTargetsBecomeListsAndARangeFlushesThePendingListFirst() {
        ExpansionJob job = job(List.of(TargetInput.target("11.0.0.1"), TargetInput.target("11.0.0.2:8443"),
                TargetInput.target("[2001:4860::1]:443"), TargetInput.target("11.0.1.0/30"), TargetInput.target("https://11.0.0.3/"),
                TargetInput.target("2001:4860::2")),
                List.of(443), ScopePolicy.Settings.defaults());

        List<TargetBlock> blocks = blocks(expand(job, new BlockExpander.Settings(256, 2, true, 8), new StaticResolver(Map.of())));

        assertThat(blocks).hasSize(4);
        assertThat(blocks.get(0).getTargets()).extracting(BlockTarget::getAddress, BlockTarget::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("11.0.0.1", null), org.assertj.core.groups.Tuple.tuple("11.0.0.2", 8443));
        assertThat(blocks.get(1).getTargets()).extracting(BlockTarget::getAddress).containsExactly("2001:4860::1");
        assertThat(blocks.get(2).getRange().getFirst()).isEqualTo("11.0.1.1");
        assertThat(blocks.get(3).getTargets()).extracting(BlockTarget::getAddress, BlockTarget::getUrl).containsExactly(
                org.assertj.core.groups.Tuple.tuple("11.0.0.3", "https://11.0.0.3/"), org.assertj.core.groups.Tuple.tuple("2001:4860::2", null));
        assertThat(targets(blocks)).containsExactly("11.0.0.1:443", "11.0.0.2:8443", "2001:4860::1:443", "11.0.1.1:443",
                "11.0.1.2:443", "11.0.0.3:443", "2001:4860::2:443");
    }

    @Test
    void hostnamesResolveToOneTargetPerAddressWithTheNameAsSniAndFailuresAreReported() {
        StaticResolver resolver = new StaticResolver(Map.of("www.example.com", List.of("93.184.216.34", "93.184.216.35", "2606:2800::1"),
                "inside.example.com", List.of("10.1.1.1", "93.184.216.36")));
        ExpansionJob job = job(List.of(TargetInput.target("www.example.com"), TargetInput.target("https://gone.example.com:8443/x"),
                TargetInput.target("inside.example.com:8443")), List.of(443), ScopePolicy.Settings.defaults());
        ScopeReport report = new ScopeReport();

        List<Emission> emissions = expand(job, Checkpoint.START, BlockExpander.Settings.defaults(), resolver, report, new ArrayList<>());

        assertThat(emissions).hasSize(2);
        Emission.Unresolved failure = (Emission.Unresolved) emissions.get(0);
        assertThat(failure.target().hostname()).isEqualTo("gone.example.com");
        assertThat(failure.port()).isEqualTo(8443);
        assertThat(failure.resolution().error()).isEqualTo(ErrorCode.DNS_NAME_NOT_FOUND);
        assertThat(targets(blocks(emissions))).as("IPv6 only with ipv6; the private address refused").containsExactly(
                "93.184.216.34:443@www.example.com", "93.184.216.35:443@www.example.com", "93.184.216.36:8443@inside.example.com");
        assertThat(report.refusals()).extracting(Object::toString).containsExactly("skipped 10.0.0.0/8 (private) — 1 address");
        assertThat(job.totalKnownUpFront()).isFalse();
    }

    @Test
    void withPipelineResolutionRunsAheadOfBlockProduction() {
        List<TargetInput> inputs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(TargetInput.target("h" + i + ".example"));
        }
        StaticResolver resolver = new StaticResolver(Map.of("h0.example", List.of("93.184.216.1")), true);
        ExpansionJob job = job(inputs, List.of(443), ScopePolicy.Settings.defaults());
        try (BlockExpander expander = BlockExpander.open(job, Checkpoint.START, new BlockExpander.Settings(256, 256, true, 8),
                resolver, new ScopeReport(), p -> { }, null, CLOCK)) {
            Thread releaser = new Thread(() -> {
                while (resolver.asked.size() < 8) {
                    Thread.onSpinWait();
                }
                resolver.releaseAll();
            });
            releaser.start();
            assertThat(expander.hasNext()).isTrue();
            assertThat(resolver.asked).as("8 lookups under way before the first result was used").hasSizeGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void excludedHostnamesAreNeverResolved() {
        StaticResolver resolver = new StaticResolver(Map.of("a.example", List.of("93.184.216.1")));
        ExpansionJob job = job(List.of(TargetInput.target("secret.corp.example"), TargetInput.target("a.example")), List.of(443),
                ScopePolicy.Settings.defaults().withExclusions(List.of("corp.example")));

        List<Emission> emissions = expand(job, BlockExpander.Settings.defaults(), resolver);

        assertThat(resolver.asked).containsExactly("a.example");
        assertThat(targets(blocks(emissions))).containsExactly("93.184.216.1:443@a.example");
    }

    @Test
    void oversizedLinesOfAFileAreReportedAndTheRestExpanded() throws Exception {
        Path file = dir.resolve("t.txt");
        Files.writeString(file, "11.0.0.0/7\n11.0.0.1\n");
        List<ParseProblem> problems = new ArrayList<>();

        List<Emission> emissions = expand(job(List.of(TargetInput.file(file)), List.of(443), ScopePolicy.Settings.defaults()),
                Checkpoint.START, BlockExpander.Settings.defaults(), new StaticResolver(Map.of()), new ScopeReport(), problems);

        assertThat(targets(blocks(emissions))).containsExactly("11.0.0.1:443");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.reason()).contains("more than the limit");
        });
    }

    @Test
    void resumingFromAnyCheckpointGivesExactlyTheBlocksThatFollowedIt() throws Exception {
        Path file = dir.resolve("mixed.txt");
        Files.writeString(file, "127.0.0.0/28\nlocal.test\n127.0.1.1\n127.0.1.2:8443\nnowhere.test\n127.0.2.0/29\n# end\n127.0.3.1-3\n");
        StaticResolver resolver = new StaticResolver(Map.of("local.test", List.of("127.0.0.53", "127.0.0.54", "127.0.0.55")));
        ExpansionJob job = job(List.of(TargetInput.target("127.1.0.0/29"), TargetInput.file(file), TargetInput.target("127.9.9.9")),
                List.of(443), allowPrivate());
        BlockExpander.Settings settings = new BlockExpander.Settings(4, 3, true, 4);

        List<Emission> full = expand(job, settings, resolver);
        List<String> all = targets(blocks(full));
        assertThat(all).doesNotHaveDuplicates().hasSize(6 + 14 + 3 + 2 + 6 + 3 + 1);
        assertThat(full).filteredOn(e -> e instanceof Emission.Unresolved).hasSize(1);

        for (int i = 0; i < full.size(); i++) {
            Checkpoint checkpoint = full.get(i).resumeFrom();
            List<Emission> resumed = expand(job, checkpoint, settings, resolver, new ScopeReport(), new ArrayList<>());
            List<TargetBlock> expectedTail = blocks(full).stream().filter(b -> b.getSequence() >= checkpoint.nextSequence()).toList();
            assertThat(blocks(resumed)).as("resumed from emission %d (%s)", i, checkpoint).isEqualTo(expectedTail);
            List<String> union = new ArrayList<>(targets(blocks(full).stream().filter(b -> b.getSequence() < checkpoint.nextSequence()).toList()));
            union.addAll(targets(blocks(resumed)));
            assertThat(union).as("nothing lost or doubled resuming at %s", checkpoint).isEqualTo(all);
        }
    }

    @Test
    void aSlashEightStreamsThroughWithoutBeingHeld() {
        ExpansionJob job = job(List.of(TargetInput.typed(TargetType.CIDR, "11.0.0.0/8")), List.of(443), ScopePolicy.Settings.defaults());
        long targets = 0;
        long blocks = 0;
        Set<String> firstAddresses = new HashSet<>();
        try (BlockExpander expander = BlockExpander.open(job, Checkpoint.START, BlockExpander.Settings.defaults(),
                new StaticResolver(Map.of()), new ScopeReport(), p -> { }, null, CLOCK)) {
            while (expander.hasNext()) {
                Emission.Block block = (Emission.Block) expander.next();
                targets += block.targets();
                blocks++;
                if (blocks <= 2) {
                    firstAddresses.add(block.block().getRange().getFirst());
                }
            }
        }
        assertThat(targets).isEqualTo((1L << 24) - 2).isEqualTo(job.totalTargets().getAsLong());
        assertThat(blocks).isEqualTo(65536);
        assertThat(firstAddresses).containsExactlyInAnyOrder("11.0.0.1", "11.0.1.1");
    }
}
