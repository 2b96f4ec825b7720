#!/usr/bin/env bash
# Whole-process scan benchmark: generates a combined log (default 1,000,000 lines, ~3% attacks),
# times `evident scan` on it as a whole process (JVM start, rules, store included) and reports
# lines/s and peak RSS. Usage: [RULES=evident,crs:../shared/crs] [RUNS=N]
# bench/scan-whole-process.sh [LINES] [--geo]. With RUNS above 1 the scan is timed N times in a
# row and the median run is named at the end: this VM's speed varies by a quarter from minute to
# minute, so one run says little; each run's figures end with the machine's speed just before it
# (machine_ref, see timed-scan.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lines="${1:-1000000}"
geo="--no-geo"; [ "${2:-}" = "--geo" ] && geo=""
out="$here/bench/out"; mkdir -p "$out"
db="$out/bench.duckdb"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"; log="$(generated_log "$lines" 1 0.03)"
. "$here/bench/timed-scan.sh"
runs="${RUNS:-1}"
figures="$out/whole-process.figures"; : > "$figures"
for ((r = 1; r <= runs; r++)); do
  timed_scan "$log" "$lines" "$db" $geo --rules "${RULES:-evident}" | tee -a "$figures"
done
if [ "$runs" -gt 1 ]; then
  walls=$(grep '^lines=' "$figures" | sed 's/.* wall=\([0-9.]*\)s.*/\1/' | sort -n)
  m=$(echo "$walls" | median)
  printf 'runs=%d median wall=%.2fs rate=%.0f lines/s (fastest %.2fs, slowest %.2fs) median machine_ref=%.2fs\n' \
    "$runs" "$m" "$(echo "$lines / $m" | bc -l)" "$(echo "$walls" | head -1)" "$(echo "$walls" | tail -1)" \
    "$(grep '^lines=' "$figures" | sed 's/.* machine_ref=\([0-9.]*\)s.*/\1/' | median)"
fi
