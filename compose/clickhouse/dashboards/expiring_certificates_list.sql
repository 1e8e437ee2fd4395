-- Expiring certificates (list): the certificates that expire within 30 days, soonest first, with where they were seen.
SELECT sha256,
       subject_cn,
       coalesce(issuer_o, issuer_cn) AS issuer,
       not_after,
       dateDiff('day', now64(3), not_after) AS days_left,
       seen_on
FROM certificates FINAL
WHERE not_after BETWEEN now64(3) AND now64(3) + INTERVAL 30 DAY
ORDER BY not_after, sha256
LIMIT 100
