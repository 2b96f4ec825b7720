#!/usr/bin/env bash
# Flat-memory check: scans generated logs of 1M and 10M lines with the same small heap cap.
# If memory grew with the log, the 10M run would fail with OutOfMemoryError.
# Usage: bench/scan-memory.sh [HEAP]   (default 96m)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
heap="${1:-96m}"
out="$here/bench/out"; mkdir -p "$out"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"
for n in 1000000 10000000; do
  log="$(generated_log "$n" 1 0.03)"
  rm -rf "$out/mem.duckdb" "$out/mem.duckdb.wal" "$out/mem.duckdb.leaves" # leaves: 32 B a line
  EVIDENT_JAVA_OPTS="-XX:+UseParallelGC -Xmx$heap" /usr/bin/time -f "wall=%es peak_rss=%MKB" \
    "$here/evident" scan -q --no-geo --db "$out/mem.duckdb" "$log" 2>&1 | tail -2
done
