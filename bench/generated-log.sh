# Sourced by the bench scripts: generated_log LINES SEED RATE prints the path of a generated
# combined log, written on first use. The name carries a hash of the generator's source, so a
# changed generator never leaves an old log behind to be measured.
generated_log() {
  local here gen log
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  gen="$(sha256sum "$here/evident-cli/src/main/java/org/evident/cli/demo/TrafficGenerator.java" | cut -c1-8)"
  log="$here/bench/out/gen-$1-s$2-r$3-$gen.log"
  mkdir -p "$here/bench/out"
  [ -f "$log" ] || java -jar "$here/evident-cli/target/evident.jar" generate --lines "$1" \
    --seed "$2" --attack-rate "$3" -o "$log" >&2
  echo "$log"
}
