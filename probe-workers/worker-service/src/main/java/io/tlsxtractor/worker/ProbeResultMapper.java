package io.tlsxtractor.worker;

import io.tlsxtractor.probe.ParsedCertificate;
import io.tlsxtractor.probe.ProbeError;
import io.tlsxtractor.probe.ProbeOutcome;
import io.tlsxtractor.probe.Timings;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.schemas.avro.ProbeTimings;
import io.tlsxtractor.worker.internal.Addresses;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one mapping from an engine {@link ProbeOutcome} to the {@link ProbeResult} written on the probe
 * results topic, and its key. A failed probe is a normal result with its 1.x error code, category,
 * message and details.
 */
public final class ProbeResultMapper {

    /** Key of {@link ProbeResult#getErrorDetails()} for the HTTP fetch error after a good handshake. */
    public static final String HTTP_ERROR_CODE = "http_error_code";
    public static final String HTTP_ERROR = "http_error";
    /** Key of {@link ProbeResult#getErrorDetails()} listing extractors that failed on this probe. */
    public static final String EXTRACTOR_PROBLEMS = "extractor_problems";

    /**
     * Where a probe came from: the scan and block, and the input host name / URL of the target.
     *
     * @param scanId the scan (required)
     * @param blockId the target block, or {@code null}
     * @param hostname the input host name, or {@code null}
     * @param url the input URL, or {@code null}
     */
    public record Origin(String scanId, String blockId, String hostname, String url) {
        public Origin {
            Objects.requireNonNull(scanId, "scanId");
        }
    }

    private ProbeResultMapper() {
    }

    /** {@code ip:port}, the IPv6 address in brackets and RFC 5952 form ({@code [2001:db8::1]:443}). */
    public static String key(ProbeOutcome outcome) {
        return Addresses.endpoint(outcome.target().ip(), outcome.target().port());
    }

    /**
     * The result of one outcome.
     *
     * @param workerId the worker that probed
     * @param probedAt when the probe finished
     */
    public static ProbeResult toResult(ProbeOutcome outcome, Origin origin, String workerId, Instant probedAt) {
        ProbeError error = outcome.error();
        ProbeResult.Builder b = ProbeResult.newBuilder()
                .setScanId(origin.scanId())
                .setBlockId(origin.blockId())
                .setIp(Addresses.canonical(outcome.target().ip()))
                .setPort(outcome.target().port())
                .setHostname(origin.hostname())
                .setUrl(origin.url())
                .setSni(outcome.sni())
                .setStatus(outcome.succeeded() ? ProbeStatus.SUCCESS : ProbeStatus.FAILED)
                .setError(error == null ? null : error.message())
                .setErrorCode(error == null ? null : errorCode(error.code()))
                .setErrorCategory(error == null ? null : errorCategory(error.category()))
                .setErrorDetails(details(outcome))
                .setRetryCount(outcome.retryCount())
                .setSuccessfulAttempt(outcome.successfulAttempt())
                .setAttempts(outcome.attempts())
                .setTlsVersion(outcome.tlsVersion())
                .setCipherSuite(outcome.cipherSuite())
                .setAlpn(outcome.alpn())
                .setChain(chain(outcome))
                .setLeaf(outcome.leaf() == null ? null : certificateFields(outcome.leaf()))
                .setNames(names(outcome))
                .setHttpStatus(outcome.http() == null ? null : outcome.http().status())
                .setTimings(timings(outcome.timings()))
                .setWorkerId(workerId)
                .setProbedAt(probedAt);
        return b.build();
    }

    /** The Avro code of the same name; every engine code has one (a test checks it). */
    public static ErrorCode errorCode(io.tlsxtractor.probe.ErrorCode code) {
        try {
            return ErrorCode.valueOf(code.name());
        } catch (IllegalArgumentException e) {
            return ErrorCode.UNKNOWN_ERROR;
        }
    }

    public static ErrorCategory errorCategory(io.tlsxtractor.probe.ErrorCategory category) {
        try {
            return ErrorCategory.valueOf(category.name());
        } catch (IllegalArgumentException e) {
            return ErrorCategory.UNKNOWN;
        }
    }

    /** The source of a name: the five 1.x sources by their wire name, any other source is a plugin's name. */
    public static ExtractedName name(io.tlsxtractor.plugin.api.ExtractedName name) {
        NameSource source = switch (name.source().toLowerCase(Locale.ROOT)) {
            case io.tlsxtractor.plugin.api.ExtractedName.SOURCE_SNI -> NameSource.SNI;
            case io.tlsxtractor.plugin.api.ExtractedName.SOURCE_SAN -> NameSource.SAN;
            case io.tlsxtractor.plugin.api.ExtractedName.SOURCE_CN -> NameSource.CN;
            case io.tlsxtractor.plugin.api.ExtractedName.SOURCE_CSP -> NameSource.CSP;
            case io.tlsxtractor.plugin.api.ExtractedName.SOURCE_JS -> NameSource.JS;
            default -> NameSource.PLUGIN;
        };
        return ExtractedName.newBuilder()
                .setName(name.name())
                .setSource(source)
                .setPlugin(source == NameSource.PLUGIN ? name.source() : null)
                .build();
    }

    private static Map<String, String> details(ProbeOutcome outcome) {
        Map<String, String> out = new LinkedHashMap<>();
        if (outcome.error() != null) {
            out.putAll(outcome.error().details());
        }
        if (outcome.httpError() != null) {
            out.put(HTTP_ERROR_CODE, outcome.httpError().code().name());
            out.put(HTTP_ERROR, outcome.httpError().message());
        }
        if (!outcome.extractorProblems().isEmpty()) {
            out.put(EXTRACTOR_PROBLEMS, String.join("; ", outcome.extractorProblems()));
        }
        return out;
    }

    private static List<ChainCertificate> chain(ProbeOutcome outcome) {
        List<byte[]> ders = outcome.chain();
        List<String> hashes = outcome.chainSha256();
        List<ChainCertificate> out = new ArrayList<>(ders.size());
        for (int i = 0; i < ders.size(); i++) {
            out.add(ChainCertificate.newBuilder().setDer(ByteBuffer.wrap(ders.get(i))).setSha256(hashes.get(i)).build());
        }
        return out;
    }

    private static List<ExtractedName> names(ProbeOutcome outcome) {
        List<ExtractedName> out = new ArrayList<>(outcome.names().size());
        outcome.names().forEach(n -> out.add(name(n)));
        return out;
    }

    /**
     * A parsed certificate as the topics carry it. Public because the stream processors describe the certificates they
     * keep with the same fields, and the two must never differ for the same certificate.
     */
    public static CertificateFields certificateFields(ParsedCertificate c) {
        return CertificateFields.newBuilder()
                .setSubject(flatten(c.subject()))
                .setIssuer(flatten(c.issuer()))
                .setSubjectDn(c.subjectDn())
                .setIssuerDn(c.issuerDn())
                .setSans(c.sanDns())
                .setIpSans(c.sanIp())
                .setNotBefore(c.notBefore())
                .setNotAfter(c.notAfter())
                .setSerialNumber(c.serialHex())
                .setSha256(c.sha256())
                .setKeyType(c.keyType())
                .setKeySize(c.keyBits() > 0 ? c.keyBits() : null)
                .setSignatureAlgorithm(c.signatureAlgorithm())
                .setVersion(c.version() > 0 ? c.version() : null)
                .setIsCa(c.ca())
                .build();
    }

    /** An attribute that occurs several times (two OUs) keeps every value, joined as 1.x printed them. */
    private static Map<String, String> flatten(Map<String, List<String>> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, String.join(", ", v)));
        return out;
    }

    private static ProbeTimings timings(Timings t) {
        return ProbeTimings.newBuilder()
                .setConnectMs(t.connectMs() < 0 ? null : t.connectMs())
                .setHandshakeMs(t.handshakeMs() < 0 ? null : t.handshakeMs())
                .setHttpMs(t.httpMs() < 0 ? null : t.httpMs())
                .setTotalMs(t.totalMs() < 0 ? null : t.totalMs())
                .build();
    }
}
