# Sourced by the bench scripts: timed_scan LOG LINES DB [scan options...] runs `./evident scan -q`
# on LOG into a fresh DB as a whole process under /usr/bin/time -v, prints the scan's summary and
# one line of figures: lines, wall time, lines/s, peak RSS, and the machine's speed just before.
timed_scan() {
  local here log lines db start end secs rss ref
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  log="$1"; lines="$2"; db="$3"; shift 3
  # outside the timing: the launcher rebuilds Evident when a source is newer than the jar, and
  # writes its class-data archive again after a build (a source edited during a benchmark once
  # put a 16-second build inside a timed scan)
  "$here/evident" --version > /dev/null
  ref=$(machine_ref "$log")
  rm -rf "$db" "$db.wal" "$db.leaves" # the leaf hashes beside it: 32 bytes a line
  start=$(date +%s.%N)
  /usr/bin/time -v "$here/evident" scan -q "$@" --db "$db" "$log" > "$db.out" 2> "$db.time"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$db.time")
  cat "$db.out"
  printf 'lines=%s wall=%.2fs rate=%.0f lines/s peak_rss=%d MiB machine_ref=%.3fs\n' "$lines" \
    "$secs" "$(echo "$lines / $secs" | bc -l)" "$((rss / 1024))" "$ref"
}

# machine_ref LOG: seconds two `gzip -1` processes side by side take over the same 50 MB of LOG
# (best of three). The VM this project is measured on changes speed by a quarter or more from
# minute to minute; printed beside each figure, this tells a slow minute from a slower build. On
# the java-maven machine it reads 0.36-0.37 s in ordinary minutes and 0.43-0.50 s in slow ones.
machine_ref() {
  local ref best=999 start end secs k
  ref="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/out/machine-ref.dat"
  [ -s "$ref" ] || head -c 50000000 "$1" > "$ref"
  for k in 1 2 3; do
    start=$(date +%s.%N)
    gzip -1 -c "$ref" > /dev/null & gzip -1 -c "$ref" > /dev/null; wait
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc)
    best=$(echo "if ($secs < $best) $secs else $best" | bc)
  done
  echo "$best"
}

# median: the median of the numbers on standard input, one a line, with two decimals.
median() {
  sort -n | awk '{ v[NR] = $1 } END {
    printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
