-- Materialized views behind the dashboards. A materialized view sees every insert, replays included, so the
-- aggregates count DISTINCT natural keys (uniqExact states in AggregatingMergeTree) rather than rows: a redelivered
-- row adds a key that is already in the set and changes nothing a dashboard shows.
-- Careful: in ClickHouse a SELECT alias shadows the column of the same name in WHERE, so a filter on a column that
-- is re-aliased (tls_version, error_category) is written against the alias' value ('' for NULL).

CREATE TABLE IF NOT EXISTS {db}.domains_per_day
(
    day                  Date,
    domains              AggregateFunction(uniqExact, String),
    registrable_domains  AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.domains_per_day_mv TO {db}.domains_per_day AS
SELECT toDate(observed_at) AS day,
       uniqExactState(domain) AS domains,
       uniqExactStateIf(registrable_domain, registrable_domain != '') AS registrable_domains
FROM {db}.domain_observations
GROUP BY day;

CREATE TABLE IF NOT EXISTS {db}.certificates_by_issuer
(
    issuer        String,
    certificates  AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY issuer;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.certificates_by_issuer_mv TO {db}.certificates_by_issuer AS
SELECT coalesce(issuer_o, issuer_cn, issuer_dn, '(unknown)') AS issuer,
       uniqExactState(sha256) AS certificates
FROM {db}.certificates
GROUP BY issuer;

CREATE TABLE IF NOT EXISTS {db}.certificates_expiring_by_day
(
    expiry_day    Date,
    certificates  AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY expiry_day;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.certificates_expiring_by_day_mv TO {db}.certificates_expiring_by_day AS
SELECT toDate(assumeNotNull(not_after)) AS expiry_day,
       uniqExactState(sha256) AS certificates
FROM {db}.certificates
WHERE not_after IS NOT NULL
GROUP BY expiry_day;

CREATE TABLE IF NOT EXISTS {db}.tls_versions_per_day
(
    day          Date,
    tls_version  LowCardinality(String),
    endpoints    AggregateFunction(uniqExact, String, IPv6, UInt16, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (day, tls_version);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.tls_versions_per_day_mv TO {db}.tls_versions_per_day AS
SELECT toDate(probed_at) AS day,
       ifNull(tls_version, '') AS tls_version,
       uniqExactState(scan_id, ip, port, sni) AS endpoints
FROM {db}.probe_results
WHERE tls_version != ''
GROUP BY day, tls_version;

CREATE TABLE IF NOT EXISTS {db}.errors_by_category_per_day
(
    day             Date,
    error_category  LowCardinality(String),
    probes          AggregateFunction(uniqExact, String, IPv6, UInt16, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (day, error_category);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.errors_by_category_per_day_mv TO {db}.errors_by_category_per_day AS
SELECT toDate(probed_at) AS day,
       ifNull(error_category, '') AS error_category,
       uniqExactState(scan_id, ip, port, sni) AS probes
FROM {db}.probe_results
WHERE error_category != ''
GROUP BY day, error_category;
