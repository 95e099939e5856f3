#!/usr/bin/env bash
# capscope's test runner. Every test speaks TAP ("ok N", "not ok N",
# "# SKIP"); exit 77 means "skipped, with the reason on the first line".
# Prints one line per test program and ends with "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=build
asan=build-asan
filter=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --asan-build) asan=$2; shift 2 ;;
    --only) filter=$2; shift 2 ;;
    *) echo "usage: run.sh [--build DIR] [--asan-build DIR] [--only PATTERN]" >&2; exit 2 ;;
  esac
done
cd "$top"
export CAPSCOPE_TOP=$top
export CAPSCOPE="$top/$build/capscope"
export CAPSCOPE_BUILD="$top/$build"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NO_COLOR=1
logdir="$top/$build/test-logs"
mkdir -p "$logdir"

passed=0 failed=0 skipped=0
failed_names=()

run_one() { # name, timeout, command...
  local name=$1 limit=$2; shift 2
  [ -n "$filter" ] && [[ "$name" != *$filter* ]] && return
  local log="$logdir/${name//\//_}.log" rc ok notok skip
  timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 </dev/null
  rc=$?
  ok=$(grep -Ec '^ok [0-9]+' "$log" | tr -d ' ')
  skip=$(grep -Ec '^ok [0-9]+.*# *(SKIP|skip)' "$log" | tr -d ' ')
  notok=$(grep -Ec '^not ok [0-9]+' "$log" | tr -d ' ')
  ok=$((ok - skip))
  if [ "$rc" -eq 77 ]; then
    skipped=$((skipped + 1))
    printf 'SKIP %-44s %s\n' "$name" "$(grep -m1 -iE 'skip' "$log" | cut -c1-100)"
    return
  fi
  if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
    notok=1 # crashed, timed out or failed outside TAP
  fi
  passed=$((passed + ok)); failed=$((failed + notok)); skipped=$((skipped + skip))
  if [ "$notok" -gt 0 ]; then
    failed_names+=("$name")
    printf 'FAIL %-44s %d ok, %d not ok (exit %d), log: %s\n' "$name" "$ok" "$notok" "$rc" "$log"
    grep -E '^not ok|ERROR|Sanitizer|runtime error' "$log" | head -n 8 | sed 's/^/     /'
  else
    printf 'PASS %-44s %d ok%s\n' "$name" "$ok" "$([ "$skip" -gt 0 ] && echo ", $skip skipped")"
  fi
}

# Unit tests and corpus replays, in the normal and the sanitizer build.
for dir in "$build" "$asan"; do
  [ -d "$dir/tests" ] || continue
  tag=$([ "$dir" = "$asan" ] && echo asan || echo unit)
  for t in "$dir"/tests/unit/test-*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    run_one "$tag/$(basename "$t")" 300 "$t"
  done
  for f in "$dir"/tests/fuzz/fuzz-*; do
    [ -f "$f" ] && [ -x "$f" ] || continue
    n=$(basename "$f"); n=${n#fuzz-}
    run_one "$tag/replay-$n" 300 "$f" "$top/tests/fuzz/corpus/$n"
  done
done

# Tests of the real things: the CLI, the kernel, runc, BPF.
for suite in cli truth; do
  for t in "$top"/tests/$suite/*.sh; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    run_one "$suite/$(basename "$t" .sh)" 1200 "$t"
  done
done

# Suites marked "# asan-too" run once more against the sanitizer build's binary.
if [ -x "$top/$asan/capscope" ]; then
  for t in "$top"/tests/cli/*.sh "$top"/tests/truth/*.sh; do
    [ -x "$t" ] && grep -q '^# asan-too' "$t" || continue
    CAPSCOPE="$top/$asan/capscope" run_one "asan-cli/$(basename "$t" .sh)" 1200 "$t"
  done
fi

echo
if [ ${#failed_names[@]} -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
