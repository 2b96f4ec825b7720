#!/usr/bin/env bash
# JMH benchmark of detection alone (and of parsing, for comparison), one thread, on the
# generator's benign-majority mix. Usage: bench/detect-jmh.sh [JMH options]; add
# -p log=FILE to judge a combined log's requests instead (e.g. the real-world benign corpus that
# BenignTrafficTest writes to evident-cli/target/benign.log), and -p fresh=true to judge every
# invocation with a new detector (empty caches: a first pass over the log)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$here" && mvn -B -q install -DskipTests)
(cd "$here/bench/jmh" && mvn -B -q package)
java -jar "$here/bench/jmh/target/benchmarks.jar" "$@"
