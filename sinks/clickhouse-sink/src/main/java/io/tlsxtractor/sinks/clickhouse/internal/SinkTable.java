package io.tlsxtractor.sinks.clickhouse.internal;

import io.tlsxtractor.schemas.TopicSpec;
import io.tlsxtractor.schemas.Topics;
import io.tlsxtractor.schemas.avro.Certificate;
import io.tlsxtractor.schemas.avro.CertificateFields;
import io.tlsxtractor.schemas.avro.ChainCertificate;
import io.tlsxtractor.schemas.avro.DnsAnswer;
import io.tlsxtractor.schemas.avro.DomainObservation;
import io.tlsxtractor.schemas.avro.DomainRecord;
import io.tlsxtractor.schemas.avro.Event;
import io.tlsxtractor.schemas.avro.ExtractedName;
import io.tlsxtractor.schemas.avro.NameSource;
import io.tlsxtractor.schemas.avro.ProbeResult;
import io.tlsxtractor.schemas.avro.ScanStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables the connector loads and how one decoded record becomes one RowBinary row of each. The column lists
 * here and the migrations ({@code migrations/V1__tables.sql}'s CREATE TABLE statements and the later
 * {@code ALTER TABLE ... ADD COLUMN}s) describe the same tables; the integration tests insert through these mappings
 * into tables created by those migrations.
 *
 * <p>{@code write} throws {@link IllegalArgumentException} when a value cannot be represented (an IP field that
 * holds no IP literal, a port out of range): that record is bad data and goes to the dead-letter topic.
 */
public enum SinkTable {

    PROBE_RESULTS("probe_results", Topics.PROBE_RESULTS, ProbeResult.class, List.of("scan_id", "ip", "ipv4", "ip_text",
            "port", "sni", "block_id", "hostname", "url", "status", "error", "error_code", "error_category", "attempts",
            "retry_count", "tls_version", "cipher_suite", "alpn", "leaf_sha256", "leaf_subject_cn", "leaf_issuer_cn",
            "leaf_issuer_o", "leaf_not_after", "chain_sha256", "names", "name_sources", "http_status", "total_ms",
            "worker_id", "probed_at", "kafka_partition", "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            ProbeResult r = (ProbeResult) value;
            out.string(r.getScanId());
            byte[] ip = IpAddresses.parse(r.getIp());
            out.ipv6(IpAddresses.sixteen(ip));
            byte[] v4 = IpAddresses.ipv4(ip);
            if (out.nullMarker(v4)) {
                out.ipv4(v4);
            }
            out.string(r.getIp());
            out.uint16(port(r.getPort()));
            out.string(r.getSni() == null ? "" : r.getSni());
            out.nullableString(r.getBlockId());
            out.nullableString(r.getHostname());
            out.nullableString(r.getUrl());
            out.string(r.getStatus().name());
            out.nullableString(r.getError());
            out.nullableString(r.getErrorCode() == null ? null : r.getErrorCode().name());
            out.nullableString(r.getErrorCategory() == null ? null : r.getErrorCategory().name());
            out.uint16(clampU16(r.getAttempts()));
            out.uint16(clampU16(r.getRetryCount()));
            out.nullableString(r.getTlsVersion());
            out.nullableString(r.getCipherSuite());
            out.nullableString(r.getAlpn());
            CertificateFields leaf = r.getLeaf();
            out.nullableString(leaf == null ? null : leaf.getSha256());
            out.nullableString(leaf == null ? null : leaf.getSubject().get("CN"));
            out.nullableString(leaf == null ? null : leaf.getIssuer().get("CN"));
            out.nullableString(leaf == null ? null : leaf.getIssuer().get("O"));
            out.nullableDateTime64Millis(leaf == null ? null : millis(leaf.getNotAfter()));
            List<String> chain = new ArrayList<>(r.getChain().size());
            for (ChainCertificate c : r.getChain()) {
                chain.add(c.getSha256());
            }
            out.stringArray(chain);
            List<String> names = new ArrayList<>(r.getNames().size());
            List<String> sources = new ArrayList<>(r.getNames().size());
            for (ExtractedName n : r.getNames()) {
                names.add(n.getName());
                sources.add(n.getSource().name());
            }
            out.stringArray(names);
            out.stringArray(sources);
            Integer http = r.getHttpStatus();
            out.nullableUInt16(http == null ? null : clampU16(http));
            Long total = r.getTimings() == null ? null : r.getTimings().getTotalMs();
            out.nullableUInt32(total == null ? null : Math.max(0, Math.min(total, 0xFFFFFFFFL)));
            out.nullableString(r.getWorkerId());
            out.dateTime64Millis(r.getProbedAt().toEpochMilli());
        }
    },

    DOMAIN_OBSERVATIONS("domain_observations", Topics.DOMAINS, DomainObservation.class, List.of("domain",
            "registrable_domain", "unicode_domain", "wildcard", "source", "plugin", "ip", "port", "sni", "cert_sha256",
            "in_input", "scan_id", "observed_at", "kafka_partition", "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            DomainObservation o = (DomainObservation) value;
            if (o.getDomain().isEmpty()) {
                throw new IllegalArgumentException("domain is empty");
            }
            out.string(o.getDomain());
            out.string(o.getRegistrableDomain() == null ? "" : o.getRegistrableDomain());
            out.nullableString(o.getUnicodeDomain());
            out.bool(o.getWildcard());
            out.string(o.getSource().name());
            out.nullableString(o.getPlugin());
            out.ipv6(o.getIp() == null ? new byte[16] : IpAddresses.sixteen(IpAddresses.parse(o.getIp())));
            out.uint16(o.getPort() == null ? 0 : port(o.getPort()));
            out.nullableString(o.getSni());
            out.string(o.getCertSha256() == null ? "" : o.getCertSha256());
            out.bool(o.getInInput());
            out.string(o.getScanId());
            out.dateTime64Millis(o.getObservedAt().toEpochMilli());
        }
    },

    DOMAIN_INVENTORY("domain_inventory", Topics.DOMAIN_INVENTORY, DomainRecord.class, List.of("domain",
            "registrable_domain", "unicode_domain", "first_seen", "last_seen", "ips", "certificates", "sources", "plugins",
            "scan_ids", "observations", "dns_answers", "dns_status", "wildcard", "is_new", "kafka_partition",
            "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            DomainRecord d = (DomainRecord) value;
            if (d.getDomain().isEmpty()) {
                throw new IllegalArgumentException("domain is empty");
            }
            out.string(d.getDomain());
            out.string(d.getRegistrableDomain() == null ? "" : d.getRegistrableDomain());
            out.nullableString(d.getUnicodeDomain());
            out.dateTime64Millis(d.getFirstSeen().toEpochMilli());
            out.dateTime64Millis(d.getLastSeen().toEpochMilli());
            out.stringArray(d.getIps());
            out.stringArray(d.getCertificates());
            List<String> sources = new ArrayList<>(d.getSources().size());
            for (NameSource s : d.getSources()) {
                sources.add(s.name());
            }
            out.stringArray(sources);
            out.stringArray(d.getPlugins());
            out.stringArray(d.getScanIds());
            out.int64(Math.max(0, d.getObservations()));
            List<String> answers = new ArrayList<>(d.getDnsAnswers().size());
            for (DnsAnswer a : d.getDnsAnswers()) {
                answers.add(a.getType() + " " + a.getValue());
            }
            out.stringArray(answers);
            out.nullableString(d.getDnsStatus());
            out.bool(d.getWildcard());
            out.bool(d.getIsNew());
        }
    },

    CERTIFICATES("certificates", Topics.CERTIFICATES, Certificate.class, List.of("sha256", "subject_cn", "subject_o",
            "issuer_cn", "issuer_o", "subject_dn", "issuer_dn", "sans", "ip_sans", "not_before", "not_after",
            "serial_number", "key_type", "key_size", "signature_algorithm", "is_ca", "chain_position", "issuer_sha256",
            "expired", "not_yet_valid", "self_signed", "weak_key", "sha1_signature", "hostname_mismatch", "chain_valid",
            "trust_anchor", "seen_on", "first_seen", "last_seen", "der", "kafka_partition", "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            Certificate c = (Certificate) value;
            if (c.getSha256().isEmpty()) {
                throw new IllegalArgumentException("sha256 is empty");
            }
            CertificateFields f = c.getFields();
            out.string(c.getSha256());
            out.nullableString(f.getSubject().get("CN"));
            out.nullableString(f.getSubject().get("O"));
            out.nullableString(f.getIssuer().get("CN"));
            out.nullableString(f.getIssuer().get("O"));
            out.nullableString(f.getSubjectDn());
            out.nullableString(f.getIssuerDn());
            out.stringArray(f.getSans());
            out.stringArray(f.getIpSans());
            out.nullableDateTime64Millis(millis(f.getNotBefore()));
            out.nullableDateTime64Millis(millis(f.getNotAfter()));
            out.nullableString(f.getSerialNumber());
            out.nullableString(f.getKeyType());
            out.nullableUInt32(f.getKeySize() == null ? null : (long) Math.max(0, f.getKeySize()));
            out.nullableString(f.getSignatureAlgorithm());
            out.bool(f.getIsCa());
            out.uint16(clampU16(c.getChainPosition()));
            out.nullableString(c.getIssuerSha256());
            out.bool(c.getExpired());
            out.bool(c.getNotYetValid());
            out.bool(c.getSelfSigned());
            out.bool(c.getWeakKey());
            out.bool(c.getSha1Signature());
            out.bool(c.getHostnameMismatch());
            out.nullableBool(c.getChainValid());
            out.nullableString(c.getTrustAnchor());
            out.stringArray(c.getSeenOn());
            out.dateTime64Millis(c.getFirstSeen().toEpochMilli());
            out.dateTime64Millis(c.getLastSeen().toEpochMilli());
            out.bytes(bytes(c.getDer()));
        }
    },

    SCAN_STATUS("scan_status", Topics.SCAN_STATUS, ScanStatus.class, List.of("scan_id", "state", "total_targets",
            "expansion_complete", "done", "succeeded", "failed", "domains_found", "rate_per_second", "errors_by_category",
            "errors_by_code", "message", "started_at", "updated_at", "finished_at", "kafka_partition", "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            ScanStatus s = (ScanStatus) value;
            out.string(s.getScanId());
            out.string(s.getState().name());
            out.int64(Math.max(0, s.getTotalTargets()));
            out.bool(s.getExpansionComplete());
            out.int64(Math.max(0, s.getDone()));
            out.int64(Math.max(0, s.getSucceeded()));
            out.int64(Math.max(0, s.getFailed()));
            out.int64(Math.max(0, s.getDomainsFound()));
            out.float64(s.getRatePerSecond());
            out.stringToUInt64Map(s.getErrorsByCategory());
            out.stringToUInt64Map(s.getErrorsByCode());
            out.nullableString(s.getMessage());
            out.nullableDateTime64Millis(millis(s.getStartedAt()));
            out.dateTime64Millis(s.getUpdatedAt().toEpochMilli());
            out.nullableDateTime64Millis(millis(s.getFinishedAt()));
        }
    },

    EVENTS("events", Topics.EVENTS, Event.class, List.of("event_id", "type", "subject_id", "scan_id", "source", "time",
            "data", "kafka_partition", "kafka_offset")) {
        @Override
        void writeValue(Object value, RowBinary out) {
            Event e = (Event) value;
            if (e.getEventId().isEmpty()) {
                throw new IllegalArgumentException("eventId is empty");
            }
            out.string(e.getEventId());
            out.string(e.getType().name());
            out.string(e.getSubjectId());
            out.nullableString(e.getScanId());
            out.string(e.getSource());
            out.dateTime64Millis(e.getTime().toEpochMilli());
            out.stringMap(e.getData());
        }
    };

    private final String table;
    private final TopicSpec<String, ?> defaultTopic;
    private final Class<?> type;
    private final List<String> columns;

    SinkTable(String table, TopicSpec<String, ?> defaultTopic, Class<?> type, List<String> columns) {
        this.table = table;
        this.defaultTopic = defaultTopic;
        this.type = type;
        this.columns = List.copyOf(columns);
    }

    /** The table name (unqualified). */
    public String table() {
        return table;
    }

    /** The catalog topic this table is loaded from unless configured otherwise. */
    public TopicSpec<String, ?> defaultTopic() {
        return defaultTopic;
    }

    /** The generated Avro class records are decoded into. */
    public Class<?> type() {
        return type;
    }

    /** The columns in the order {@link #write} writes them. */
    public List<String> columns() {
        return columns;
    }

    /**
     * Appends one row: the value's columns, then the Kafka position. On a bad value nothing is left in {@code out}
     * and {@link IllegalArgumentException} (or the {@link NullPointerException} of a missing required field) says why.
     */
    public void write(Object value, int partition, long offset, RowBinary out) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("table " + table + " takes " + type.getSimpleName() + " records, not "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        int mark = out.size();
        try {
            writeValue(value, out);
            out.uint32(partition);
            out.int64(offset);
        } catch (RuntimeException e) {
            out.truncate(mark);
            throw e;
        }
    }

    abstract void writeValue(Object value, RowBinary out);

    /** The table named {@code name}. */
    public static Optional<SinkTable> byTable(String name) {
        return Arrays.stream(values()).filter(t -> t.table.equals(name)).findFirst();
    }

    /** Every table name, for error messages and the configuration's documentation. */
    public static List<String> tableNames() {
        return Arrays.stream(values()).map(SinkTable::table).toList();
    }

    /** The default mapping, topic name to table. */
    public static Map<String, SinkTable> defaultTopics() {
        Map<String, SinkTable> map = new java.util.LinkedHashMap<>();
        for (SinkTable t : values()) {
            map.put(t.defaultTopic.name(), t);
        }
        return map;
    }

    private static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        return port;
    }

    private static int clampU16(int v) {
        return Math.max(0, Math.min(v, 65535));
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
