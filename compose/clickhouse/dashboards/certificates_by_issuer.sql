-- Certificates by issuer: distinct certificates per issuing organisation (top 20).
SELECT issuer,
       uniqExactMerge(certificates) AS certificates
FROM certificates_by_issuer
GROUP BY issuer
ORDER BY certificates DESC, issuer
LIMIT 20
