#!/usr/bin/env bash
# JMH benchmark of detection alone (and of parsing, for comparison), one thread, on the
# generator's benign-majority mix. Usage: bench/detect-jmh.sh [JMH options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$here" && mvn -B -q install -DskipTests)
(cd "$here/bench/jmh" && mvn -B -q package)
java -jar "$here/bench/jmh/target/benchmarks.jar" "$@"
