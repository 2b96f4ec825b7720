#!/usr/bin/env bash
# Whole-process scan benchmark: generates a combined log (default 1,000,000 lines, ~3% attacks),
# times `evident scan` on it as a whole process (JVM start, rules, store included) and reports
# lines/s and peak RSS. Usage: [RULES=evident,crs:../shared/crs] bench/scan-whole-process.sh
# [LINES] [--geo]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lines="${1:-1000000}"
geo="--no-geo"; [ "${2:-}" = "--geo" ] && geo=""
out="$here/bench/out"; mkdir -p "$out"
db="$out/bench.duckdb"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"; log="$(generated_log "$lines" 1 0.03)"
rm -rf "$db" "$db.wal" "$db.leaves" # the leaf hashes beside it: 32 bytes a line
start=$(date +%s.%N)
/usr/bin/time -v "$here/evident" scan -q $geo --rules "${RULES:-evident}" --db "$db" "$log" > "$out/scan.out" 2> "$out/time.txt"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)
rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$out/time.txt")
cat "$out/scan.out"
printf 'lines=%s wall=%.2fs rate=%.0f lines/s peak_rss=%d MiB\n' "$lines" "$secs" \
  "$(echo "$lines / $secs" | bc -l)" "$((rss / 1024))"
