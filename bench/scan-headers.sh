#!/usr/bin/env bash
# A site's log that holds more headers: the generated combined log (default 1,000,000 lines)
# with a Cookie, an Accept and an Accept-Language field added (bench/add-headers.py: cookies of
# the shapes sites set, per visitor), scanned as a whole process beside the same log without
# them. Prints each scan's figures; the attack requests the added fields bring are the rules'
# false positives on those cookies and headers (every line's request is the same in both).
# Usage: [RULES=evident,crs:../shared/crs] bench/scan-headers.sh [LINES]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lines="${1:-1000000}"
out="$here/bench/out"; mkdir -p "$out"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"; log="$(generated_log "$lines" 1 0.03)"
headers="${log%.log}-headers.log"
[ -s "$headers" ] || python3 "$here/bench/add-headers.py" "$log" "$headers"
. "$here/bench/timed-scan.sh"
format='apache:%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Cookie}i" "%{Accept}i" "%{Accept-Language}i"'
echo "without the header fields:"
timed_scan "$log" "$lines" "$out/headers.duckdb" --no-geo --rules "${RULES:-evident}"
echo "with Cookie, Accept and Accept-Language:"
timed_scan "$headers" "$lines" "$out/headers.duckdb" --no-geo --rules "${RULES:-evident}" \
  --format "$format"
