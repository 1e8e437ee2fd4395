-- Domains per day (last 30 days): distinct domains and registrable domains observed each day.
SELECT day,
       uniqExactMerge(domains) AS domains,
       uniqExactMerge(registrable_domains) AS registrable_domains
FROM domains_per_day
WHERE day >= today() - 30
GROUP BY day
ORDER BY day
