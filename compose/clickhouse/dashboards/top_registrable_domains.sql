-- Top registrable domains: the 20 registrable domains with the most distinct subdomains in the inventory.
SELECT registrable_domain,
       uniqExact(domain) AS subdomains,
       max(last_seen) AS last_seen
FROM domain_inventory FINAL
WHERE registrable_domain != ''
GROUP BY registrable_domain
ORDER BY subdomains DESC, registrable_domain
LIMIT 20
