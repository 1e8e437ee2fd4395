package io.tlsxtractor.command.scan;

import io.tlsxtractor.config.OutputFormat;
import io.tlsxtractor.config.TlsxConfig;
import io.tlsxtractor.ingest.IngestService;
import io.tlsxtractor.ingest.InvalidTargetException;
import io.tlsxtractor.ingest.ParsedTarget;
import io.tlsxtractor.ingest.TargetParser;
import io.tlsxtractor.results.HostFilters;
import io.tlsxtractor.results.ScanMetadata;
import io.tlsxtractor.results.ScanMode;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.SniStrategy;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One scan as the command runs it: the {@link ScanRequest} submitted to the pipeline, the 1.x document's metadata, the
 * host filters of {@code discovered_hosts}, and where the results go. Built from the effective configuration (flags
 * already merged in) and the one input flag.
 *
 * @param request the request for {@code tlsx.scan-requests.v1}
 * @param metadata the 1.x {@code metadata} besides the statistics (mode, parameters, time, input host names)
 * @param filters the 1.x domain filters of {@code discovered_hosts}
 * @param output the results file
 * @param format its format
 * @param inputDescription the input for messages ({@code --cidr 127.77.0.0/28})
 */
public record ScanPlan(ScanRequest request, ScanMetadata metadata, HostFilters filters, Path output, OutputFormat format,
        String inputDescription) {

    /** Tag naming the command that submitted a request, for operators reading the topic. */
    public static final String SUBMITTED_BY_TAG = "tlsx.submitted-by";

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The three 1.x inputs. */
    public enum InputKind {
        CIDR("--cidr", ScanMode.IP_SCAN, "cidr"),
        FILE("--file", ScanMode.MIXED_SCAN, "input"),
        URL("--url", ScanMode.URL_SCAN, "url");

        final String flag;
        final ScanMode mode;
        final String parameter;

        InputKind(String flag, ScanMode mode, String parameter) {
            this.flag = flag;
            this.mode = mode;
            this.parameter = parameter;
        }

        public String flag() {
            return flag;
        }
    }

    public ScanPlan {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(format, "format");
    }

    public String scanId() {
        return request.getScanId();
    }

    /** A new scan id: sortable by time, unique by a random suffix ({@code 20260103-100000-3fa2c1}). */
    public static String newScanId(Instant now) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return ID_TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
    }

    /**
     * The plan of a scan of {@code input}. A {@code --file} is named in the request by its absolute path, which an ingest
     * on this machine reads; for a cluster, {@link ScanRunner} uploads it first and names the upload instead.
     *
     * @throws IllegalArgumentException with a 1.x-style message ({@code --cidr: …}) when the input cannot be scanned
     */
    public static ScanPlan of(TlsxConfig config, InputKind kind, String input, Instant now) {
        return of(config, kind, input, now, null);
    }

    /**
     * As {@link #of(TlsxConfig, InputKind, String, Instant)}; with {@code resumeScanId} the plan continues
     * that interrupted scan: same id, and the request asks the ingest to leave out the targets that already have a
     * result ({@link IngestService#RESUME_TAG}).
     */
    public static ScanPlan of(TlsxConfig config, InputKind kind, String input, Instant now, String resumeScanId) {
        TlsxConfig.Scanning s = config.scanning();
        String scanId = resumeScanId != null ? resumeScanId : newScanId(now);
        List<TargetSpec> targets = new ArrayList<>();
        Set<String> inputHostnames = new LinkedHashSet<>();
        String recorded = input;
        switch (kind) {
            case CIDR -> {
                parseOrFail(kind, input, TargetType.CIDR);
                targets.add(spec(TargetType.CIDR, input.strip()));
            }
            case URL -> {
                ParsedTarget parsed = parseOrFail(kind, input, TargetType.URL);
                if (parsed instanceof ParsedTarget.Host host) {
                    inputHostnames.add(host.hostname());
                }
                targets.add(spec(TargetType.UNKNOWN, input.strip()));
            }
            case FILE -> {
                Path file = Path.of(input).toAbsolutePath().normalize();
                forEachTargetLine(file, line -> {
                    try {
                        if (TargetParser.parse(line) instanceof ParsedTarget.Host host) {
                            inputHostnames.add(host.hostname());
                        }
                    } catch (InvalidTargetException e) {
                        // The ingest reports it with its line number and skips it: a bad line is not fatal in 1.x.
                    }
                });
                targets.add(spec(TargetType.FILE, file.toString()));
            }
            default -> throw new IllegalStateException("input " + kind);
        }
        ProbeOptions options = ProbeOptions.newBuilder()
                .setConnectTimeoutMs(s.timeout() * 1000L)
                .setRetries(s.retry())
                .setRateLimitPerSecond(s.rateLimit())
                .setSniStrategy(sniStrategy(s.sniStrategy()))
                .setFetchCsp(s.fetchCsp())
                .setFollowRedirects(s.followRedirects())
                .setFollowHostRedirects(s.followHostRedirects())
                .setMaxRedirects(s.maxRedirects())
                .setExtractors(List.of())
                .build();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SUBMITTED_BY_TAG, "tlsxtractor-cli");
        if (resumeScanId != null) {
            tags.put(IngestService.RESUME_TAG, "true");
        }
        ScanRequest request = ScanRequest.newBuilder()
                .setScanId(scanId)
                .setTargets(targets)
                .setPorts(List.of(s.port()))
                .setSniHints(s.sniNames())
                .setOptions(options)
                .setConcurrency(s.threads())
                .setAllowPrivate(s.allowPrivate())
                .setIpv6(s.ipv6())
                .setIncludeDomains(s.includeDomains())
                .setExcludeDomains(s.excludeDomains())
                .setDefaultExclusions(s.defaultExclusions())
                .setTags(tags)
                .setSubmitter(System.getProperty("user.name", "unknown") + "@tlsxtractor")
                .setSubmittedAt(now)
                .build();
        ScanMetadata metadata = ScanMetadata.builder(kind.mode)
                .parameter(kind.parameter, recorded)
                .parameter("port", s.port())
                .parameter("timeout", s.timeout())
                .parameter("threads", s.threads())
                .parameter("retry", s.retry())
                // v2 addition: the id under which the scan's records are on the topics (for --resume and queries).
                .parameter("scan_id", scanId)
                .scanTimestamp(now)
                .inputHostnames(inputHostnames)
                .build();
        HostFilters filters = HostFilters.v1(s.defaultExclusions(), s.includeDomains(), s.excludeDomains());
        return new ScanPlan(request, metadata, filters, config.output().path(), config.output().format(),
                kind.flag + " " + input);
    }

    /** Whether this plan continues an interrupted scan (its earlier results count). */
    public boolean resumed() {
        return "true".equals(request.getTags().get(IngestService.RESUME_TAG));
    }

    /** The plan again with the final target count, which only the ingest knows. */
    public ScanPlan withTotalTargets(long total) {
        ScanMetadata m = metadata;
        ScanMetadata.Builder b = ScanMetadata.builder(m.mode()).scanTimestamp(m.scanTimestamp())
                .inputHostnames(m.inputHostnames()).totalTargets(total);
        m.parameters().forEach(b::parameter);
        return new ScanPlan(request, b.build(), filters, output, format, inputDescription);
    }

    private static TargetSpec spec(TargetType type, String value) {
        return TargetSpec.newBuilder().setType(type).setValue(value).build();
    }

    private static ParsedTarget parseOrFail(InputKind kind, String input, TargetType type) {
        try {
            return TargetParser.parse(input, type);
        } catch (InvalidTargetException e) {
            throw new IllegalArgumentException(kind.flag + ": '" + input + "' is not a valid "
                    + (kind == InputKind.CIDR ? "network" : "URL or hostname") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands each target line of a file to {@code action}: trimmed, without blank lines and {@code #} comments. Read
     * line by line: only the input hostnames are kept (the 1.x {@code new_*} fields need them), not a million lines.
     */
    static void forEachTargetLine(Path file, java.util.function.Consumer<String> action) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file: no such file: " + file);
        }
        try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean first = true;
            for (String raw = reader.readLine(); raw != null; raw = reader.readLine()) {
                // A byte-order mark (files saved by some Windows editors) is not part of the first target.
                String line = (first && raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip();
                first = false;
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash).strip();
                }
                if (!line.isEmpty()) {
                    action.accept(line);
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("--file: " + file + " is not UTF-8 text (is it a binary file?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("--file: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configuration's SNI strategy as the request's: {@code none} and {@code hostname} are both the 1.x behaviour
     * (no SNI for addresses, the input hostname for names), {@code names} tries the configured names as hints,
     * {@code learned} re-probes with the names of the first certificate.
     */
    static SniStrategy sniStrategy(io.tlsxtractor.config.SniStrategy strategy) {
        return switch (strategy) {
            case NONE, HOSTNAME -> SniStrategy.DEFAULT;
            case NAMES -> SniStrategy.HINTS;
            case LEARNED -> SniStrategy.CERT_NAMES;
            case REVERSE_DNS -> SniStrategy.REVERSE_DNS;
        };
    }
}
