#!/usr/bin/env bash
# Disclosure and verification at scale: scans a generated log with many attacks, discloses
# LINES attack lines (default 100,000) with their proofs and times `evident verify` on them as a
# whole process. Usage: bench/verify.sh [LINES]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-100000}"
out="$here/bench/out"; mkdir -p "$out"
"$here/evident" --version >/dev/null
. "$here/bench/generated-log.sh"; log="$(generated_log 1000000 7 0.12)"
db="$out/verify-$(basename "$log" .log).duckdb"; key="$out/verify-keys/site.key"
if [ ! -f "$db" ]; then
  rm -rf "$out/verify-keys"
  "$here/evident" keygen --key "$key" >/dev/null
  "$here/evident" scan -q --no-geo --db "$db" --key "$key" "$log"
fi
bundle="$out/verify-bundle.json"
start=$(date +%s.%N)
"$here/evident" disclose --db "$db" --key "$key" --since 2013-01 --limit "$n" -o "$bundle"
mid=$(date +%s.%N)
/usr/bin/time -v "$here/evident" verify "$bundle" --pubkey "${key%.key}.pub" 2> "$out/verify-time.txt"
end=$(date +%s.%N)
rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$out/verify-time.txt")
printf 'disclose=%.2fs verify=%.2fs bundle=%d MiB verify_peak_rss=%d MiB\n' \
  "$(echo "$mid - $start" | bc)" "$(echo "$end - $mid" | bc)" \
  "$(( $(stat -c %s "$bundle") / 1048576 ))" "$((rss / 1024))"
