#!/usr/bin/env bash
# Detection of two builds compared in one JVM (bench/ab/DetectAB.java): the built-in rules on the
# generator's 400,000 requests, passes alternating between the builds, so that the VM's changing
# speed falls on both alike. Usage: [CRS=../shared/crs] bench/detect-ab.sh OLD_REF [NEW_REF]
# (CRS: a CRS folder whose rules both builds judge beside the built-in ones)
# (git refs; NEW_REF defaults to the working tree; each build judges with its own rules/).
# Prints each pass and the mean difference.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
old_ref="$1"; new_ref="${2:-}"
work="$(mktemp -d)"; trap 'cd "$here"; git worktree remove --force "$work/old" >/dev/null 2>&1 || true;
  [ -n "$new_ref" ] && git worktree remove --force "$work/new" >/dev/null 2>&1; rm -rf "$work"' EXIT
build() { # REF DIR: that ref's evident-core classes into DIR/evident-core/target/classes
  git -C "$here" worktree add --detach "$2" "$1" >/dev/null 2>&1
  (cd "$2" && { mvn -B -q -o -pl evident-core compile >/dev/null 2>&1 || mvn -B -q -pl evident-core compile >/dev/null; })
}
(cd "$here" && { mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests >/dev/null; })
build "$old_ref" "$work/old"
new_core="$here/evident-core/target/classes"
if [ -n "$new_ref" ]; then build "$new_ref" "$work/new"; new_core="$work/new/evident-core/target/classes"; fi
(cd "$here/evident-cli" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null)
shared="$here/evident-cli/target/classes:$(cat "$work/cp.txt")"
mkdir -p "$work/runner" "$work/main"
javac -d "$work/runner" -cp "$new_core:$shared" "$here/bench/ab/DetectABRunner.java"
javac -d "$work/main" "$here/bench/ab/DetectAB.java"
cd "$here"
new_rules="$here/rules"
if [ -n "$new_ref" ]; then new_rules="$work/new/rules"; fi
java -Xmx8g -XX:+UseParallelGC ${CRS:+-Dcrs=$CRS} -Drunner="$work/runner" \
  -Drules.old="$work/old/rules" -Drules.new="$new_rules" -cp "$work/main" DetectAB \
  "$work/old/evident-core/target/classes" "$new_core" "$shared"
