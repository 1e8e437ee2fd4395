#!/bin/sh
# Creates or updates every connector of compose/clickhouse/*.json and compose/neo4j/*.json on a Connect worker.
# Usage: post-connectors.sh [CONNECT_URL] [COMPOSE_DIR]   (defaults: http://127.0.0.1:8083, the script's ../)
# Each file is {"name": ..., "config": {...}}; PUT /connectors/<name>/config is idempotent (create or replace).
# Needs curl and jq.
set -eu

url="${1:-http://127.0.0.1:8083}"
dir="${2:-$(cd "$(dirname "$0")/.." && pwd)}"

# The worker answers its REST API only once it has joined its group.
tries=0
until curl -fsS "$url/connectors" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "Error: no Connect REST API at $url after 120 s" >&2
    exit 1
  fi
  sleep 2
done

found=0
for f in "$dir"/clickhouse/*.json "$dir"/neo4j/*.json; do
  [ -f "$f" ] || continue
  # Only connector files: other JSON (dashboards, panels) has no "config" object.
  jq -e '.config | type == "object"' "$f" >/dev/null 2>&1 || continue
  name=$(jq -er '.name' "$f") || { echo "Error: $f has no \"name\"" >&2; exit 1; }
  found=$((found + 1))
  status=$(jq -c '.config' "$f" | curl -sS -o /tmp/post-connector.out -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' --data @- "$url/connectors/$name/config")
  case "$status" in
    200|201) echo "connector $name: configured from $f" ;;
    *) echo "Error: connector $name from $f: HTTP $status $(cat /tmp/post-connector.out)" >&2; exit 1 ;;
  esac
done
if [ "$found" -eq 0 ]; then
  echo "Error: no connector files under $dir/clickhouse or $dir/neo4j" >&2
  exit 1
fi
