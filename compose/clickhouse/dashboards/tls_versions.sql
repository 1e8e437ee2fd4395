-- TLS versions (last 30 days): distinct endpoints (scan, ip, port, SNI) per negotiated protocol version.
SELECT tls_version,
       uniqExactMerge(endpoints) AS endpoints
FROM tls_versions_per_day
WHERE day >= today() - 30
GROUP BY tls_version
ORDER BY endpoints DESC, tls_version
