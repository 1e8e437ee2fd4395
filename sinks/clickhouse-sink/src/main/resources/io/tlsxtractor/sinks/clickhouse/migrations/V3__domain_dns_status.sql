-- DomainRecord.dnsStatus (added to the Avro schema with a default null): how the last DNS lookup of a domain ended
-- when it found no address (NXDOMAIN, NODATA, SERVFAIL, TIMEOUT...); NULL when not resolved yet or resolved to an
-- address. Rows loaded before this migration read NULL. ClickHouse only nests Nullable inside LowCardinality, not the
-- other way round, hence LowCardinality(Nullable(String)): a handful of distinct statuses, one dictionary.

ALTER TABLE {db}.domain_inventory ADD COLUMN IF NOT EXISTS dns_status LowCardinality(Nullable(String)) AFTER dns_answers;
