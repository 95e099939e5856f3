#!/usr/bin/env bash
# make bench: run every bench/bench-*.sh with the build directory.
set -uo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/bench-*.sh; do
  [ -x "$b" ] || continue
  echo "### $(basename "$b" .sh)"
  "$b" "$build" || status=1
  echo
done
exit $status
