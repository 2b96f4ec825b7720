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
    before=$(machine_ref "$log")
    rm -rf "$db" "$db.wal" "$db.leaves"
    /usr/bin/time -f "%e" -o "$db.time" "$here/evident" scan -q --no-geo --rules "$rules" \
      --db "$db" "$log" > /dev/null
    after=$(machine_ref "$log")
    printf '%s %s ref_before=%.3f ref_after=%.3f wall=%.2f\n' "$(date -u +%H:%M:%S)" \
      "$([ "$rules" = evident ] && echo built-in || echo crs)" "$before" "$after" \
      "$(cat "$db.time")" | tee -a "$rows"
  done
done
# a scan counts as at the ordinary speed when both references around it read 0.375 s or less,
# as slow when either reads 0.42 s or more
for kind in built-in crs; do
  bar=$([ "$kind" = built-in ] && echo 300000 || echo 200000)
  for band in ordinary slow; do
    grep " $kind " "$rows" | awk -v band="$band" '{
        split($3, b, "="); split($4, a, "="); split($5, w, "=")
        r = b[2] > a[2] ? b[2] : a[2]
        if ((band == "ordinary" && r <= 0.375) || (band == "slow" && r >= 0.42)) print w[2] }' \
      | sort -n | awk -v kind="$kind" -v band="$band" -v bar="$bar" '{ w[NR] = $1 }
        END { if (NR == 0) { printf "%s, %s speed: no scans\n", kind, band; exit }
          m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
          met = 0; for (i = 1; i <= NR; i++) if (1000000 / w[i] >= bar) met++
          printf "%s, %s speed: %d scans, median %.2f s (%.0f lines/s), %.2f-%.2f s, %d of %d at %d lines/s or more\n",
            kind, band, NR, m, 1000000 / m, w[1], w[NR], met, NR, bar }'
  done
done
