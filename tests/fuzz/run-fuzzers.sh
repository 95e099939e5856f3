#!/usr/bin/env bash
# Run every libFuzzer target of a -Dfuzz=true build for N seconds each
# (default 30), starting from the saved corpus. New inputs land in
# build-fuzz/corpus-new/NAME; copy the interesting ones into
# tests/fuzz/corpus/NAME so that make check replays them from then on.
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for f in "$build"/tests/fuzz/fuzz-*; do
  [ -f "$f" ] && [ -x "$f" ] || continue
  name=$(basename "$f"); name=${name#fuzz-}
  new="$build/corpus-new/$name"
  mkdir -p "$new"
  echo "== fuzz-$name for ${secs}s"
  if ! "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$build/crash-$name-" "$new" "$top/tests/fuzz/corpus/$name" \
       2>"$build/fuzz-$name.log"; then
    echo "fuzz-$name FAILED: see $build/fuzz-$name.log and $build/crash-$name-*"
    status=1
  else
    tail -n 1 "$build/fuzz-$name.log"
  fi
done
exit $status
