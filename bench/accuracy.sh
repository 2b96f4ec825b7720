#!/usr/bin/env bash
# Accuracy of the built-in rules: recall per class on ../shared/payloads (query argument, path
# segment, User-Agent), with and without CRS, and false positives on the benign corpus built from
# real-world data (docs/benign-corpus.md; fetched first). Prints the tables that BENCHMARKS.md
# quotes. Usage: bench/accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests >/dev/null
mvn -B -q -pl evident-core test -Dtest=AccuracyTest -Dsurefire.failIfNoSpecifiedTests=false \
  | sed -n '/^ACCURACY/,/^$/p;/misses/p'
bash bench/benign-fetch.sh >/dev/null
mvn -B -q -pl evident-cli test -Dtest=BenignTrafficTest -Dsurefire.failIfNoSpecifiedTests=false \
  | sed -n '/^BENIGN/,/^Security scanners/p'
