-- The six tables the connector loads, one per topic. {db} and {raw_ttl} are filled in by ClickHouseMigrations.
--
-- Idempotence under redelivery: every table is a ReplacingMergeTree whose ORDER BY is the record's natural key, so a
-- row written twice (a batch replayed after a crash or a lost acknowledgement) collapses to one row in FINAL queries
-- and after merges. Upsert sources (compacted topics) keep the newest version per key: the Kafka offset, which grows
-- per key because a key always lands in the same partition. Raw sources keep the newest observation time.
-- non_replicated_deduplication_window lets the connector's insert_deduplication_token drop an exact replay of a batch
-- before it reaches the table at all, so even plain (non-FINAL) queries do not see the usual duplicates.

CREATE TABLE IF NOT EXISTS {db}.probe_results
(
    scan_id          String,
    ip               IPv6 COMMENT 'IPv4 addresses stored IPv4-mapped (::ffff:a.b.c.d), see ipv4',
    ipv4             Nullable(IPv4),
    ip_text          String,
    port             UInt16,
    sni              String COMMENT 'empty when no SNI was sent',
    block_id         Nullable(String),
    hostname         Nullable(String),
    url              Nullable(String),
    status           LowCardinality(String),
    error            Nullable(String),
    error_code       LowCardinality(Nullable(String)),
    error_category   LowCardinality(Nullable(String)),
    attempts         UInt16,
    retry_count      UInt16,
    tls_version      LowCardinality(Nullable(String)),
    cipher_suite     LowCardinality(Nullable(String)),
    alpn             LowCardinality(Nullable(String)),
    leaf_sha256      Nullable(String),
    leaf_subject_cn  Nullable(String),
    leaf_issuer_cn   Nullable(String),
    leaf_issuer_o    Nullable(String),
    leaf_not_after   Nullable(DateTime64(3, 'UTC')),
    chain_sha256     Array(String),
    names            Array(String),
    name_sources     Array(LowCardinality(String)),
    http_status      Nullable(UInt16),
    total_ms         Nullable(UInt32),
    worker_id        LowCardinality(Nullable(String)),
    probed_at        DateTime64(3, 'UTC'),
    kafka_partition  UInt32,
    kafka_offset     UInt64
)
ENGINE = ReplacingMergeTree(probed_at)
PARTITION BY toYYYYMM(probed_at)
ORDER BY (scan_id, ip, port, sni)
{raw_ttl:probed_at}
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {db}.domain_observations
(
    domain              String,
    registrable_domain  String COMMENT 'empty when unknown',
    unicode_domain      Nullable(String),
    wildcard            Bool,
    source              LowCardinality(String),
    plugin              LowCardinality(Nullable(String)),
    ip                  IPv6 COMMENT ':: when the observation has no address',
    port                UInt16,
    sni                 Nullable(String),
    cert_sha256         String,
    in_input            Bool,
    scan_id             String,
    observed_at         DateTime64(3, 'UTC'),
    kafka_partition     UInt32,
    kafka_offset        UInt64
)
ENGINE = ReplacingMergeTree(observed_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (registrable_domain, domain, scan_id, source, ip, port, cert_sha256)
{raw_ttl:observed_at}
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {db}.domain_inventory
(
    domain              String,
    registrable_domain  String,
    unicode_domain      Nullable(String),
    first_seen          DateTime64(3, 'UTC'),
    last_seen           DateTime64(3, 'UTC'),
    ips                 Array(String),
    certificates        Array(String),
    sources             Array(LowCardinality(String)),
    plugins             Array(String),
    scan_ids            Array(String),
    observations        UInt64,
    dns_answers         Array(String),
    wildcard            Bool,
    is_new              Bool,
    kafka_partition     UInt32,
    kafka_offset        UInt64
)
ENGINE = ReplacingMergeTree(kafka_offset)
ORDER BY domain
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {db}.certificates
(
    sha256               String,
    subject_cn           Nullable(String),
    subject_o            Nullable(String),
    issuer_cn            Nullable(String),
    issuer_o             Nullable(String),
    subject_dn           Nullable(String),
    issuer_dn            Nullable(String),
    sans                 Array(String),
    ip_sans              Array(String),
    not_before           Nullable(DateTime64(3, 'UTC')),
    not_after            Nullable(DateTime64(3, 'UTC')),
    serial_number        Nullable(String),
    key_type             LowCardinality(Nullable(String)),
    key_size             Nullable(UInt32),
    signature_algorithm  LowCardinality(Nullable(String)),
    is_ca                Bool,
    chain_position       UInt16,
    issuer_sha256        Nullable(String),
    expired              Bool,
    not_yet_valid        Bool,
    self_signed          Bool,
    weak_key             Bool,
    sha1_signature       Bool,
    hostname_mismatch    Bool,
    chain_valid          Nullable(Bool),
    trust_anchor         Nullable(String),
    seen_on              Array(String),
    first_seen           DateTime64(3, 'UTC'),
    last_seen            DateTime64(3, 'UTC'),
    der                  String CODEC(ZSTD(3)),
    kafka_partition      UInt32,
    kafka_offset         UInt64
)
ENGINE = ReplacingMergeTree(kafka_offset)
ORDER BY sha256
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {db}.scan_status
(
    scan_id              String,
    state                LowCardinality(String),
    total_targets        UInt64,
    expansion_complete   Bool,
    done                 UInt64,
    succeeded            UInt64,
    failed               UInt64,
    domains_found        UInt64,
    rate_per_second      Float64,
    errors_by_category   Map(LowCardinality(String), UInt64),
    errors_by_code       Map(LowCardinality(String), UInt64),
    message              Nullable(String),
    started_at           Nullable(DateTime64(3, 'UTC')),
    updated_at           DateTime64(3, 'UTC'),
    finished_at          Nullable(DateTime64(3, 'UTC')),
    kafka_partition      UInt32,
    kafka_offset         UInt64
)
ENGINE = ReplacingMergeTree(kafka_offset)
ORDER BY scan_id
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {db}.events
(
    event_id         String,
    type             LowCardinality(String),
    subject_id       String,
    scan_id          Nullable(String),
    source           LowCardinality(String),
    time             DateTime64(3, 'UTC'),
    data             Map(String, String),
    kafka_partition  UInt32,
    kafka_offset     UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (type, toDate(time), event_id)
{raw_ttl:time}
SETTINGS non_replicated_deduplication_window = 1000;
