package io.tlsxtractor.results;

import io.tlsxtractor.plugin.api.OutputRecord;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ErrorCategory;
import io.tlsxtractor.schemas.avro.ErrorCode;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ProbeStatus;
import io.tlsxtractor.results.internal.PythonJson;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One probe result as the 1.x {@code <result>} object, and back.
 *
 * <p>The object's keys, in order: {@code ip}, {@code port}, {@code status} (the status in lower
 * case: {@code success}, {@code failed}, {@code timeout}, ...), {@code sni} (or null),
 * {@code domains}, {@code domain_sources}, {@code tls_version}, {@code certificate},
 * {@code error}, {@code error_code}, {@code error_category} (lower case), {@code error_details}
 * (null when there are none), {@code retry_count}, {@code successful_attempt}.
 *
 * <p>{@code domains} is every name of the result once, in the order the extractors found them
 * (the probe engine runs them as SNI, certificate SANs, subject CN, CSP, JavaScript, plugins, so
 * the SNI comes first). {@code domain_sources} always has {@code sni}, {@code san}, {@code cn} and
 * {@code csp} (possibly empty), then {@code js} and one key per plugin name when those found
 * names. A name of unknown source is listed in {@code domains} only.
 *
 * <p>{@code certificate} is null without a leaf certificate; otherwise {@code subject} and
 * {@code issuer} use the Python {@code getpeercert()} attribute names (countryName,
 * stateOrProvinceName, localityName, organizationName, organizationalUnitName, commonName,
 * emailAddress, then any other attribute in name order), {@code san} lists the DNS names, and
 * {@code validity} holds {@code not_before} and {@code not_after} as ISO-8601 UTC instants to the
 * second ({@code 2026-01-03T10:00:00Z}).
 */
public final class V1Results {
    /** Attribute order of a certificate name, as certificates usually carry them (C, ST, L, O, OU, CN). */
    private static final List<String> NAME_ORDER = List.of("countryName", "stateOrProvinceName", "localityName",
            "organizationName", "organizationalUnitName", "commonName", "emailAddress");
    private static final List<String> FIXED_SOURCES = List.of("sni", "san", "cn", "csp");

    private V1Results() {
    }

    /** The {@code <result>} object of {@code r}: plain data, keys in 1.x order. */
    public static Map<String, Object> toResult(ProbeResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ip", r.getIp());
        m.put("port", r.getPort());
        m.put("status", statusLabel(r.getStatus()));
        m.put("sni", r.getSni());
        Set<String> domains = new LinkedHashSet<>();
        Map<String, List<String>> sources = new LinkedHashMap<>();
        FIXED_SOURCES.forEach(s -> sources.put(s, new ArrayList<>()));
        for (ExtractedName n : r.getNames()) {
            domains.add(n.getName());
            String key = sourceKey(n);
            if (key != null) {
                List<String> list = sources.computeIfAbsent(key, k -> new ArrayList<>());
                if (!list.contains(n.getName())) {
                    list.add(n.getName());
                }
            }
        }
        m.put("domains", new ArrayList<>(domains));
        m.put("domain_sources", sources);
        m.put("tls_version", r.getTlsVersion());
        m.put("certificate", certificate(r.getLeaf()));
        m.put("error", r.getError());
        m.put("error_code", r.getErrorCode() == null ? null : r.getErrorCode().name());
        m.put("error_category", r.getErrorCategory() == null ? null : r.getErrorCategory().name().toLowerCase(Locale.ROOT));
        m.put("error_details", r.getErrorDetails().isEmpty() ? null : new LinkedHashMap<>(new TreeMap<>(r.getErrorDetails())));
        m.put("retry_count", r.getRetryCount());
        m.put("successful_attempt", r.getSuccessfulAttempt());
        return m;
    }

    /** The {@code <result>} of {@code r} as an output record of type {@link OutputRecord#RESULT}. */
    public static OutputRecord toRecord(ProbeResult r) {
        return OutputRecord.of(OutputRecord.RESULT, toResult(r));
    }

    /** 1.x {@code status}: the status symbol in lower case. */
    public static String statusLabel(ProbeStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** The {@code domain_sources} key of a name, or null for a name of unknown source. */
    static String sourceKey(ExtractedName n) {
        return switch (n.getSource()) {
            case SNI -> "sni";
            case SAN -> "san";
            case CN -> "cn";
            case CSP -> "csp";
            case JS -> "js";
            case PLUGIN -> n.getPlugin() == null || n.getPlugin().isBlank() ? "plugin" : n.getPlugin();
            case UNKNOWN -> null;
        };
    }

    private static Map<String, Object> certificate(CertificateFields leaf) {
        if (leaf == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("subject", orderedName(leaf.getSubject()));
        c.put("san", new ArrayList<>(leaf.getSans()));
        c.put("issuer", orderedName(leaf.getIssuer()));
        Map<String, Object> validity = new LinkedHashMap<>();
        validity.put("not_before", iso(leaf.getNotBefore()));
        validity.put("not_after", iso(leaf.getNotAfter()));
        c.put("validity", validity);
        return c;
    }

    private static Map<String, Object> orderedName(Map<String, String> attributes) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : NAME_ORDER) {
            if (attributes.containsKey(key)) {
                ordered.put(key, attributes.get(key));
            }
        }
        attributes.keySet().stream().filter(k -> !ordered.containsKey(k)).sorted(Comparator.naturalOrder())
                .forEach(k -> ordered.put(k, attributes.get(k)));
        return ordered;
    }

    static String iso(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    // ---- reading a 1.x <result> back ----

    /**
     * A probe result from a 1.x {@code <result>} object; the inverse of {@link #toResult} for the
     * fields the object holds. Timings, chain, cipher and worker are not in 1.x and stay unset.
     *
     * @param m the object
     * @param where its path in the document, for messages ({@code results.ips[3]})
     * @param scanId the scan id to give the record
     * @param probedAt the time to give the record (1.x has no per-result time: the scan timestamp)
     * @param hostname the URL entry's host name, or null for an IP result
     * @param url the URL entry's url, or null
     * @throws ResultsFormatException naming the path and what is wrong
     */
    public static ProbeResult fromResult(Map<String, Object> m, String where, String scanId, Instant probedAt,
            String hostname, String url) {
        Fields f = new Fields(m, where);
        ProbeResult.Builder b = ProbeResult.newBuilder()
                .setScanId(scanId)
                .setIp(f.string("ip", false))
                .setPort(f.integer("port", false))
                .setHostname(hostname)
                .setUrl(url)
                .setSni(f.string("sni", true))
                .setStatus(status(f.string("status", true)))
                .setTlsVersion(f.string("tls_version", true))
                .setError(f.string("error", true))
                .setRetryCount(f.has("retry_count") && f.get("retry_count") != null ? f.integer("retry_count", false) : 0)
                .setProbedAt(probedAt);
        String code = f.string("error_code", true);
        if (code != null) {
            b.setErrorCode(enumValue(ErrorCode.class, code, ErrorCode.UNKNOWN_ERROR));
        }
        String category = f.string("error_category", true);
        if (category != null) {
            b.setErrorCategory(enumValue(ErrorCategory.class, category, ErrorCategory.UNKNOWN));
        }
        Map<String, Object> details = f.map("error_details", true);
        Map<String, String> detailText = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((k, v) -> detailText.put(k, v instanceof String s ? s : v == null ? "" : PythonJson.compact(v)));
        }
        b.setErrorDetails(detailText);
        Integer attempt = f.has("successful_attempt") && f.get("successful_attempt") != null
                ? f.integer("successful_attempt", false) : null;
        b.setSuccessfulAttempt(attempt);
        b.setAttempts(b.getRetryCount() + 1);
        b.setNames(names(f));
        Map<String, Object> cert = f.map("certificate", true);
        if (cert != null) {
            b.setLeaf(leaf(new Fields(cert, where + ".certificate")));
        }
        return b.build();
    }

    /**
     * Names of a result: each name of {@code domains} in order, once per source listing it
     * (sources in {@code domain_sources} order), then names listed only in {@code domain_sources},
     * so that both lists come back unchanged when every source list follows {@code domains} order.
     */
    private static List<ExtractedName> names(Fields f) {
        List<Object> domains = f.list("domains", true);
        Map<String, Object> sources = f.map("domain_sources", true);
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        if (sources != null) {
            Fields s = new Fields(sources, f.where + ".domain_sources");
            for (String key : sources.keySet()) {
                List<String> names = new ArrayList<>();
                for (Object o : s.list(key, false)) {
                    names.add(asString(o, s.where + "." + key));
                }
                bySource.put(key, names);
            }
        }
        List<ExtractedName> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> ordered = new ArrayList<>();
        if (domains != null) {
            for (Object o : domains) {
                ordered.add(asString(o, f.where + ".domains"));
            }
        }
        bySource.values().forEach(ordered::addAll);
        for (String name : ordered) {
            if (!seen.add(name)) {
                continue;
            }
            boolean any = false;
            for (Map.Entry<String, List<String>> e : bySource.entrySet()) {
                if (e.getValue().contains(name)) {
                    out.add(extracted(name, e.getKey()));
                    any = true;
                }
            }
            if (!any) {
                out.add(new ExtractedName(name, NameSource.UNKNOWN, null));
            }
        }
        return out;
    }

    private static ExtractedName extracted(String name, String sourceKey) {
        return switch (sourceKey) {
            case "sni" -> new ExtractedName(name, NameSource.SNI, null);
            case "san" -> new ExtractedName(name, NameSource.SAN, null);
            case "cn" -> new ExtractedName(name, NameSource.CN, null);
            case "csp" -> new ExtractedName(name, NameSource.CSP, null);
            case "js" -> new ExtractedName(name, NameSource.JS, null);
            default -> new ExtractedName(name, NameSource.PLUGIN, sourceKey);
        };
    }

    private static CertificateFields leaf(Fields c) {
        CertificateFields.Builder b = CertificateFields.newBuilder();
        b.setSubject(stringMap(c, "subject"));
        b.setIssuer(stringMap(c, "issuer"));
        List<String> sans = new ArrayList<>();
        List<Object> san = c.list("san", true);
        if (san != null) {
            for (Object o : san) {
                sans.add(asString(o, c.where + ".san"));
            }
        }
        b.setSans(sans);
        Map<String, Object> validity = c.map("validity", true);
        if (validity != null) {
            Fields v = new Fields(validity, c.where + ".validity");
            b.setNotBefore(instant(v.string("not_before", true), v.where + ".not_before"));
            b.setNotAfter(instant(v.string("not_after", true), v.where + ".not_after"));
        }
        return b.build();
    }

    private static Map<String, String> stringMap(Fields c, String key) {
        Map<String, Object> m = c.map(key, true);
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v == null ? null : v instanceof String s ? s : PythonJson.compact(v)));
            out.values().removeIf(v -> v == null);
        }
        return out;
    }

    /** ISO-8601 with {@code Z} or an offset; also the OpenSSL form {@code Jan  3 10:00:00 2026 GMT} of getpeercert. */
    static Instant instant(String text, String where) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text.replaceAll("\\s+", " ").replace(" GMT", ""),
                        DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT)).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new ResultsFormatException(where + ": \"" + text
                        + "\" is not a date-time (expected ISO-8601 such as 2026-01-03T10:00:00Z)", e);
            }
        }
    }

    private static ProbeStatus status(String label) {
        return label == null ? ProbeStatus.UNKNOWN : enumValue(ProbeStatus.class, label, ProbeStatus.UNKNOWN);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String label, E unknown) {
        try {
            return Enum.valueOf(type, label.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return unknown;
        }
    }

    static String asString(Object o, String where) {
        if (o instanceof String s) {
            return s;
        }
        throw new ResultsFormatException(where + ": expected a string, got " + describe(o));
    }

    static String describe(Object o) {
        return o == null ? "null" : o instanceof String s ? "\"" + s + "\"" : o.getClass().getSimpleName() + " " + o;
    }

    /** Typed access to one JSON object, with messages that name the path. */
    static final class Fields {
        final Map<String, Object> m;
        final String where;

        Fields(Map<String, Object> m, String where) {
            this.m = m;
            this.where = where;
        }

        boolean has(String key) {
            return m.containsKey(key);
        }

        Object get(String key) {
            return m.get(key);
        }

        Object required(String key, boolean nullable) {
            if (!m.containsKey(key)) {
                if (nullable) {
                    return null;
                }
                throw new ResultsFormatException(where + ": the key \"" + key + "\" is missing");
            }
            Object v = m.get(key);
            if (v == null && !nullable) {
                throw new ResultsFormatException(where + "." + key + ": must not be null");
            }
            return v;
        }

        String string(String key, boolean nullable) {
            Object v = required(key, nullable);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw new ResultsFormatException(where + "." + key + ": expected a string, got " + describe(v));
        }

        int integer(String key, boolean nullable) {
            Object v = required(key, nullable);
            if (v instanceof Integer i) {
                return i;
            }
            if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return l.intValue();
            }
            throw new ResultsFormatException(where + "." + key + ": expected an integer, got " + describe(v));
        }

        Number number(String key, boolean nullable) {
            Object v = required(key, nullable);
            if (v == null || v instanceof Number) {
                return (Number) v;
            }
            throw new ResultsFormatException(where + "." + key + ": expected a number, got " + describe(v));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key, boolean nullable) {
            Object v = required(key, nullable);
            if (v == null || v instanceof Map) {
                return (Map<String, Object>) v;
            }
            throw new ResultsFormatException(where + "." + key + ": expected an object, got " + describe(v));
        }

        @SuppressWarnings("unchecked")
        List<Object> list(String key, boolean nullable) {
            Object v = required(key, nullable);
            if (v == null || v instanceof List) {
                return (List<Object>) v;
            }
            throw new ResultsFormatException(where + "." + key + ": expected an array, got " + describe(v));
        }
    }
}
