-- Scans: the latest status of the 20 most recently updated scans.
SELECT scan_id,
       state,
       total_targets,
       done,
       succeeded,
       failed,
       domains_found,
       round(100 * done / greatest(total_targets, 1), 1) AS percent_done,
       updated_at
FROM scan_status FINAL
ORDER BY updated_at DESC, scan_id
LIMIT 20
