#!/usr/bin/env bash
# A scanner's flood: times a whole `./evident scan` of a log whose every line is an attack, one
# payload of ../shared/payloads a line in a query argument (16,000-odd distinct ones, cycled, so
# the detector's value cache cannot answer them). Usage: bench/attack-flood.sh [LINES]; set
# RULES=evident,crs:../shared/crs to load CRS too.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lines="${1:-200000}"
out="$here/bench/out"; mkdir -p "$out"
db="$out/flood.duckdb"
(cd "$here" && mvn -B -q install -DskipTests) # the core's test jar holds PayloadLists
(cd "$here/bench/jmh" && mvn -B -q package)
# after the build: a jar newer than its class-data archive makes the launcher write the archive
# again (a training scan of several seconds), which must not fall inside the timing
"$here/evident" --version >/dev/null
log="$out/flood-$lines.log"
[ -f "$log" ] || java -cp "$here/bench/jmh/target/benchmarks.jar" org.evident.bench.PayloadLog \
  "$here/../shared/payloads" "$lines" "$log"
. "$here/bench/timed-scan.sh"
timed_scan "$log" "$lines" "$db" --no-geo --rules "${RULES:-evident}"
