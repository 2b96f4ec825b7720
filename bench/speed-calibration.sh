#!/usr/bin/env bash
# Whole-process scans against the machine's speed: for SECONDS (default 900), alternates 1M-line
# scans with the built-in rules and with CRS, timing the machine_ref reference (timed-scan.sh)
# before and after each, then sorts the scans by how fast the machine was around them. This VM
# changes speed by a quarter from minute to minute; this tells what a scan takes at the
# machine's ordinary speed from what it takes in its slow stretches.
# Usage: bench/speed-calibration.sh [SECONDS] [CRS_DIR]  (CRS_DIR default: ../shared/crs)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-900}"
crs="${2:-$here/../shared/crs}"
out="$here/bench/out"; mkdir -p "$out"
db="$out/calibration.duckdb"
rows="$out/speed-calibration.txt"; : > "$rows"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"; log="$(generated_log 1000000 1 0.03)"
. "$here/bench/timed-scan.sh"
end=$(( $(date +%s) + secs ))
while [ "$(date +%s)" -lt "$end" ]; do
  for rules in evident "evident,crs:$crs"; do
    # timed_scan's figures line holds the wall time and the reference taken just before
    figures=$(timed_scan "$log" 1000000 "$db" --no-geo --rules "$rules" | grep '^lines=')
    printf '%s %s ref_before=%s ref_after=%.3f wall=%s\n' "$(date -u +%H:%M:%S)" \
      "$([ "$rules" = evident ] && echo built-in || echo crs)" \
      "$(echo "$figures" | sed 's/.* machine_ref=\([0-9.]*\)s.*/\1/')" "$(machine_ref "$log")" \
      "$(echo "$figures" | sed 's/.* wall=\([0-9.]*\)s.*/\1/')" | tee -a "$rows"
  done
done
# a scan counts as at the ordinary speed when both references around it read 0.375 s or less,
# as slow when either reads 0.42 s or more
for kind in built-in crs; do
  bar=$([ "$kind" = built-in ] && echo 300000 || echo 200000)
  for band in ordinary slow; do
    walls=$(grep " $kind " "$rows" | awk -v band="$band" '{
        split($3, b, "="); split($4, a, "="); split($5, w, "=")
        r = b[2] > a[2] ? b[2] : a[2]
        if ((band == "ordinary" && r <= 0.375) || (band == "slow" && r >= 0.42)) print w[2] }' \
      | sort -n)
    if [ -z "$walls" ]; then
      echo "$kind, $band speed: no scans"
      continue
    fi
    m=$(echo "$walls" | median)
    printf '%s, %s speed: %d scans, median %.2f s (%.0f lines/s), %.2f-%.2f s, %d of %d at %d lines/s or more\n' \
      "$kind" "$band" "$(echo "$walls" | wc -l)" "$m" "$(echo "1000000 / $m" | bc -l)" \
      "$(echo "$walls" | head -1)" "$(echo "$walls" | tail -1)" \
      "$(echo "$walls" | awk -v bar="$bar" '1000000 / $1 >= bar' | wc -l)" \
      "$(echo "$walls" | wc -l)" "$bar"
  done
done
