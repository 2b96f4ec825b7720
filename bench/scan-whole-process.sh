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
. "$here/bench/timed-scan.sh"
timed_scan "$log" "$lines" "$db" $geo --rules "${RULES:-evident}"
