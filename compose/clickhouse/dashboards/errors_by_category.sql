-- Errors by category (last 30 days): distinct failed probes per 1.x error category.
SELECT error_category,
       uniqExactMerge(probes) AS probes
FROM errors_by_category_per_day
WHERE day >= today() - 30
GROUP BY error_category
ORDER BY probes DESC, error_category
