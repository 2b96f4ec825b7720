#!/usr/bin/env bash
# What commitments cost a scan: times `evident scan` of the same generated log with this checkout
# and with the last commit before commitments (6c279d1), built in a temporary worktree, RUNS
# times each, alternating. Usage: bench/commit-overhead.sh [LINES] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lines="${1:-1000000}"; runs="${2:-3}"
out="$here/bench/out"; mkdir -p "$out"
"$here/evident" --version >/dev/null
new="$here/evident-cli/target/evident.jar"
old_tree="$out/before-commitments"
if [ ! -f "$old_tree/evident-cli/target/evident.jar" ]; then
  git -C "$here" worktree add -f "$old_tree" 6c279d1 >/dev/null 2>&1 || true
  (cd "$old_tree" && mvn -B -q -o -DskipTests package >/dev/null)
fi
old="$old_tree/evident-cli/target/evident.jar"
. "$here/bench/generated-log.sh"; log="$(generated_log "$lines" 1 0.03)"
opts="-XX:+UseParallelGC -Xmx256m -XX:FreqInlineSize=60 -XX:InlineSmallCode=500 -XX:MaxInlineLevel=6"
for i in $(seq "$runs"); do
  for v in without with; do
    jar="$old"; [ "$v" = with ] && jar="$new"
    rm -rf "$out/overhead.duckdb"*
    s=$(date +%s.%N)
    java $opts -jar "$jar" scan -q --no-geo --db "$out/overhead.duckdb" "$log" >/dev/null
    e=$(date +%s.%N)
    printf '%s commitments: %.2f s\n' "$v" "$(echo "$e - $s" | bc)"
  done
done
