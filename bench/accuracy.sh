#!/usr/bin/env bash
# Accuracy of the built-in rules: recall per class on ../shared/payloads (query argument, path
# segment, User-Agent), with and without CRS, and false positives on the benign corpus built from
# real-world data (docs/benign-corpus.md; fetched first), untuned and with CRS tuned by
# `evident tune` on the other half of the corpus; then recall with CRS and those tuned entries.
# Prints the tables that BENCHMARKS.md quotes. Usage: bench/accuracy.sh; CRS=DIR measures the
# recall with another CRS folder (Debian's: CRS=/usr/share/modsecurity-crs) instead of
# ../shared/crs (the benign corpus's figures stay with ../shared/crs; bench/tune-folds.sh DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
plain() { sed 's/\x1b\[[0-9;]*m//g'; } # Maven colours the first line of a test's output
mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests >/dev/null
mvn -B -q -pl evident-core test -Dtest=AccuracyTest -Dsurefire.failIfNoSpecifiedTests=false \
  ${CRS:+-Daccuracy.crs="$CRS"} \
  | plain | sed -n '/^ACCURACY/,/^$/p'
bash bench/benign-fetch.sh >/dev/null
mvn -B -q -pl evident-cli test -Dtest=BenignTrafficTest -Dsurefire.failIfNoSpecifiedTests=false \
  | plain | sed -n '/^BENIGN sources/,/^Security scanners/p;/^BENIGN-TUNED/p'
# recall with the entries tune proposed on half the benign corpus (written by the test above)
mvn -B -q -pl evident-core test -Dtest='AccuracyTest#recallWithCrs' ${CRS:+-Daccuracy.crs="$CRS"} \
  -Daccuracy.extraRules="$PWD/evident-cli/target/benign-tuned.yaml" \
  -Dsurefire.failIfNoSpecifiedTests=false | plain | sed -n '/^ACCURACY-RECALL-WITH-CRS$/,/^$/p' \
  | sed '1s/$/ (CRS tuned by evident tune on half the benign corpus)/'
# whether the benign requests CRS flags are flagged by CRS's own patterns (Python's re on the
# values ModSecurity hands them), not by a mistake of Evident's
python3 bench/crs-fp-crosscheck.py
