-- Expiring certificates: distinct certificates that expire in each of the next 30 days.
SELECT expiry_day,
       uniqExactMerge(certificates) AS certificates
FROM certificates_expiring_by_day
WHERE expiry_day BETWEEN today() AND today() + 30
GROUP BY expiry_day
ORDER BY expiry_day
