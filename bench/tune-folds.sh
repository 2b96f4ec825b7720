#!/usr/bin/env bash
# CRS tuned by `evident tune`, measured the way a site uses it: tuned on most of its traffic,
# judged on traffic the tuning did not see. Ten-fold cross-validation on the benign corpus
# (docs/benign-corpus.md): fold k is every line whose number is k modulo 10 (the corpus keeps
# each kind of traffic together, so each fold holds a tenth of every kind); tune on the other
# nine tenths, then count the benign requests of fold k that CRS flags untuned and tuned.
# Requests flagged on their User-Agent are left out of the counts: at paranoia level 1 those are
# the 18 security scanners the corpus sets apart, never a benign agent (BENCHMARKS.md).
# Paranoia level 1 only: at level 2 CRS flags benign crawler agents too, which this count would
# leave out. Usage: bench/tune-folds.sh [CRS_DIR [TUNE_OPTION...]]  (default: ../shared/crs;
# options go to every `evident tune`, e.g. --min-sources 3)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
crs="${1:-$here/../shared/crs}"
shift $(($# > 0 ? 1 : 0))
log=evident-cli/target/benign.log
if [ ! -s "$log" ]; then # written by the test that builds the corpus
  bash bench/benign-fetch.sh >/dev/null
  mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests >/dev/null
  mvn -B -q -pl evident-cli test -Dtest='BenignTrafficTest#theCorpusIsLargeAndVaried' \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
fi
./evident --version >/dev/null
out=bench/out/folds; mkdir -p "$out"
judged() { # LOG RULES: the lines flagged, their excused matches cut off
  ./evident explain --attacks-only --format jsonl --rules "$2" "$1" \
    | grep '"attack":true' | sed 's/,"excused":.*//'
}
flagged() { # LOG RULES: benign requests flagged (matches on the agent left out)
  judged "$1" "$2" | grep -vc '"target":"user_agent"' || true
}
total=0; untuned=0; tuned=0
for k in 0 1 2 3 4 5 6 7 8 9; do
  awk -v k="$k" 'NR % 10 != k' "$log" > "$out/train$k.log"
  awk -v k="$k" 'NR % 10 == k' "$log" > "$out/test$k.log"
  ./evident tune -q --rules "evident,crs:$crs" "$@" "$out/train$k.log" \
    -o "$out/tuned$k.yaml" 2>/dev/null
  n=$(grep -c '' "$out/test$k.log")
  u=$(flagged "$out/test$k.log" "evident,crs:$crs")
  t=$(flagged "$out/test$k.log" "evident,crs:$crs,$out/tuned$k.yaml")
  printf 'fold %d: %d lines, flagged untuned %d, tuned %d (%d entries)\n' "$k" "$n" "$u" "$t" \
    "$(grep -c '^  - ' "$out/tuned$k.yaml")"
  total=$((total + n)); untuned=$((untuned + u)); tuned=$((tuned + t))
done
scanners=$(judged "$log" "evident,crs:$crs" | grep -c '"target":"user_agent"' || true)
benign=$((total - scanners))
awk -v b="$benign" -v u="$untuned" -v t="$tuned" 'BEGIN {
  printf "TUNE-FOLDS paranoia 1: %d benign requests; Evident + CRS flags %d (%.3f%%) untuned,"\
    " %d (%.3f%%) tuned by evident tune on the other nine tenths of each\n",
    b, u, 100 * u / b, t, 100 * t / b }'
