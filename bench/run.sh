#!/usr/bin/env bash
# make bench: every bench/bench-*.sh, each printing capscope and its anchors
# side by side from one run, with the median and the ratio.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/bench-*.sh; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b" .sh)"
  "$b" "$build" || { echo "bench: $(basename "$b") failed" >&2; status=1; }
  echo
done
exit $status
