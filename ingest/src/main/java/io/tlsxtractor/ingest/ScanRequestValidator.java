package io.tlsxtractor.ingest;

import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.ProbeOptions;
import io.tlsxtractor.schemas.avro.ScanRequest;
import io.tlsxtractor.schemas.avro.TargetSpec;
import io.tlsxtractor.schemas.avro.TargetType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a {@link ScanRequest} can be expanded, listing every problem at once, and turns a valid one into
 * an {@link ExpansionJob}. Targets typed in the request must all be valid (the user wrote each one); lines of a file
 * are checked while it is expanded, and a bad line is skipped, not fatal.
 */
public final class ScanRequestValidator {

    /**
     * Request tag that lifts the per-input size limit (up to {@link ScopePolicy#HARD_MAX_ADDRESSES}): the explicit
     * override a /0 or anything above the limit needs. The request schema has no field for it; a tag keeps the
     * schema unchanged.
     */
    public static final String ALLOW_LARGE_RANGES_TAG = "tlsx.allow-large-ranges";

    /** Bytes of a target file read up front to tell text from binary. */
    private static final int SNIFF_BYTES = 8192;

    /** A validated request: the job, or why there is none. */
    public record Result(ExpansionJob job, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return job != null;
        }

        /** The problems as one message. */
        public String message() {
            return String.join("; ", problems);
        }
    }

    private final ScopePolicy.Settings scope;

    /** @param scope the operator's policy (exclusions, size limit); each request sets allow-private and the override */
    public ScanRequestValidator(ScopePolicy.Settings scope) {
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public Result validate(ScanRequest request) {
        List<String> problems = new ArrayList<>();
        if (request.getScanId() == null || request.getScanId().isBlank()) {
            problems.add("the scan id is empty");
        }
        if (request.getTargets().isEmpty()) {
            problems.add("the scan has no targets");
        }
        if (request.getPorts().isEmpty()) {
            problems.add("the scan has no ports");
        }
        for (Integer port : request.getPorts()) {
            if (port == null || port < 1 || port > 65535) {
                problems.add("port " + port + " is not 1-65535");
            }
        }
        checkOptions(request, problems);
        Map<String, String> tags = request.getTags();
        boolean allowLarge = "true".equalsIgnoreCase(tags.get(ALLOW_LARGE_RANGES_TAG));
        ScopePolicy policy;
        try {
            policy = ScopePolicy.create(scope.withAllowPrivate(request.getAllowPrivate()).withAllowLargeRanges(allowLarge));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return new Result(null, problems);
        }
        List<TargetInput> inputs = new ArrayList<>();
        List<TargetSpec> targets = request.getTargets();
        for (int i = 0; i < targets.size(); i++) {
            TargetSpec spec = targets.get(i);
            TargetInput input = TargetInput.of(spec);
            String where = "target " + (i + 1) + " '" + spec.getValue() + "'";
            if (input.kind() == TargetInput.Kind.STDIN) {
                problems.add(where + ": standard input cannot be read by the ingest service; send the targets instead");
                continue;
            }
            if (input.kind() == TargetInput.Kind.UPLOAD) {
                try {
                    UploadedInput upload = UploadedInput.parse(input.value());
                    if (!Topics.SCAN_INPUTS.name().equals(upload.topic())) {
                        problems.add(where + ": uploaded files are read from " + Topics.SCAN_INPUTS.name() + " only");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage());
                }
                inputs.add(input);
                continue;
            }
            if (input.kind() == TargetInput.Kind.FILE) {
                String fileProblem = checkFile(Path.of(input.value()));
                if (fileProblem != null) {
                    problems.add(where + ": " + fileProblem);
                }
                inputs.add(input);
                continue;
            }
            try {
                ParsedTarget parsed = TargetParser.parse(input.value(), spec.getType());
                if (parsed instanceof ParsedTarget.Addresses addresses) {
                    String tooLarge = policy.sizeProblem(addresses.range());
                    if (tooLarge != null) {
                        problems.add(where + ": " + tooLarge + (allowLarge ? "" : " (tag " + ALLOW_LARGE_RANGES_TAG + "=true)"));
                    }
                }
            } catch (InvalidTargetException e) {
                problems.add(where + ": " + e.getMessage() + (spec.getType() == TargetType.UNKNOWN ? "" : " (as " + spec.getType() + ")"));
            }
            inputs.add(input);
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        ExpansionJob job = new ExpansionJob(request.getScanId(), inputs, request.getPorts(), request.getSniHints(),
                request.getOptions(), request.getIpv6(), policy);
        if (job.totalKnownUpFront() && job.addressTargetsUpFront() == 0) {
            ScopeReport report = new ScopeReport();
            for (TargetInput input : inputs) {
                try {
                    if (TargetParser.parse(input.value(), input.type()) instanceof ParsedTarget.Addresses addresses) {
                        policy.allowed(addresses.range(), report);
                    }
                } catch (InvalidTargetException e) {
                    // Cannot happen: every input parsed above.
                }
            }
            problems.add("every target is out of scope: " + String.join(", ", report.refusals().stream().map(Object::toString).toList())
                    + (request.getAllowPrivate() ? "" : " (private and reserved ranges need allow-private)"));
            return new Result(null, problems);
        }
        return new Result(job, List.of());
    }

    private static void checkOptions(ScanRequest request, List<String> problems) {
        ProbeOptions options = request.getOptions();
        if (options.getConnectTimeoutMs() < 1) {
            problems.add("connect timeout " + options.getConnectTimeoutMs() + " ms is not positive");
        }
        if (options.getDeadlineMs() != null && options.getDeadlineMs() < 1) {
            problems.add("deadline " + options.getDeadlineMs() + " ms is not positive");
        }
        if (options.getRetries() < 0) {
            problems.add("retries " + options.getRetries() + " is negative");
        }
        if (options.getRateLimitPerSecond() < 0 || Double.isNaN(options.getRateLimitPerSecond())) {
            problems.add("rate limit " + options.getRateLimitPerSecond() + " is negative");
        }
        if (options.getMaxRedirects() < 0) {
            problems.add("max redirects " + options.getMaxRedirects() + " is negative");
        }
        if (request.getConcurrency() != null && request.getConcurrency() < 1) {
            problems.add("concurrency " + request.getConcurrency() + " is not at least 1");
        }
    }

    /** Why {@code path} is not a readable text file of targets, or null. Binary files are told by their first bytes. */
    static String checkFile(Path path) {
        if (!Files.exists(path)) {
            return "no such file " + path + " (a FILE target names a file the ingest service can read)";
        }
        if (Files.isDirectory(path)) {
            return path + " is a directory, not a file of targets";
        }
        if (!Files.isReadable(path)) {
            return "cannot read " + path + ": permission denied";
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            return "cannot read " + path + ": " + e.getMessage();
        }
        for (byte b : head) {
            if (b == 0) {
                return path + " is a binary file (it holds NUL bytes), not a list of targets";
            }
        }
        int length = head.length;
        // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes of it.
        for (int cut = 0; cut <= Math.min(3, length); cut++) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, length - cut));
                return null;
            } catch (CharacterCodingException e) {
                if (length < SNIFF_BYTES) {
                    break;
                }
            }
        }
        return path + " is not UTF-8 text (is it a binary file?)";
    }
}
