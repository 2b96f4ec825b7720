# Sourced by the bench scripts: timed_scan LOG LINES DB [scan options...] runs `./evident scan -q`
# on LOG into a fresh DB as a whole process under /usr/bin/time -v, prints the scan's summary and
# one line of figures: lines, wall time, lines/s, peak RSS.
timed_scan() {
  local here log lines db start end secs rss
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  log="$1"; lines="$2"; db="$3"; shift 3
  rm -rf "$db" "$db.wal" "$db.leaves" # the leaf hashes beside it: 32 bytes a line
  start=$(date +%s.%N)
  /usr/bin/time -v "$here/evident" scan -q "$@" --db "$db" "$log" > "$db.out" 2> "$db.time"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$db.time")
  cat "$db.out"
  printf 'lines=%s wall=%.2fs rate=%.0f lines/s peak_rss=%d MiB\n' "$lines" "$secs" \
    "$(echo "$lines / $secs" | bc -l)" "$((rss / 1024))"
}
