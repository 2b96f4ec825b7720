#!/usr/bin/env bash
# Fetches the real-world sources of the benign corpus (see docs/benign-corpus.md) into
# DEST (default: $EVIDENT_CACHE, else $XDG_CACHE_HOME/evident, else ~/.cache/evident; then
# /benign): real browser user agents (npm user-agents), real crawler user agents (npm
# crawler-user-agents), real English sentences (Debian fortunes), French and German words
# (Debian wfrench, wngerman) and a real documentation site with its links and index
# (Debian python3.11-doc). Nothing here was written for Evident's rules. Idempotent: a source
# already unpacked is kept. .ci/run calls it so that the benign-traffic test runs in CI.
set -euo pipefail
cache="${EVIDENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evident}"
dest="${1:-$cache/benign}"
mkdir -p "$dest/pkg" "$dest/x"
cd "$dest/pkg"
# npm packages, pinned: their data changes from release to release
for p in user-agents@2.1.198 crawler-user-agents@1.60.0; do
  name="${p%@*}"
  if [ ! -d "$dest/x/$name" ]; then
    npm pack --silent "$p" >/dev/null
    mkdir -p "$dest/x/$name"
    tar xzf "$name"-*.tgz -C "$dest/x/$name"
  fi
done
# Debian packages (the release's current version; the test's report names what it read)
debs=()
for d in fortunes-min fortunes wfrench wngerman python3.11-doc; do
  ls "$d"_*.deb >/dev/null 2>&1 || debs+=("$d")
done
if [ ${#debs[@]} -gt 0 ]; then
  chmod 777 "$dest/pkg" # apt's download user writes here
  apt-get download -q "${debs[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && apt-get download -q "${debs[@]}" >/dev/null; }
fi
if [ ! -f "$dest/x/.debs" ]; then
  for f in ./*.deb; do
    dpkg-deb -x "$f" "$dest/x/deb"
  done
  ls ./*.deb ./*.tgz > "$dest/x/.debs"
fi
echo "$dest"
