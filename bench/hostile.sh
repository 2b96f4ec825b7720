#!/usr/bin/env bash
# Hostile input: the slowest judgement of each adversarial case after warm-up, wall and CPU time
# (bar: 50 ms a line), with the options the launcher gives a scan. A timing, so a benchmark, not a
# test. Usage: bench/hostile.sh [CRS rules folder, e.g. ../shared/crs/rules] [--after LOG]
# (--after: judge 200,000 requests of a combined log first instead of warming up on the cases)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$here" && mvn -B -q install -DskipTests)
(cd "$here/bench/jmh" && mvn -B -q package)
# the launcher's options (jvm.options, and transparent huge pages where the kernel offers them;
# EVIDENT_JAVA_OPTS replaces them), compiler settings included: they decide how soon a hostile
# line's loops run compiled
. "$here/evident"
java $opts \
  -cp "$here/bench/jmh/target/benchmarks.jar" org.evident.bench.HostileInput "$@"
