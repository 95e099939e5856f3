#!/usr/bin/env bash
# capscope's test runner: a thin wrapper over `meson test`. Every test is a
# meson test() speaking TAP (tests/meson.build); this runs the plain build's
# suites (unit, fuzz, cli, truth, asan-cli), the GCC sanitizer build's (unit,
# fuzz) and clang's UBSan build's (unit, fuzz), prints one line per test
# program from meson's logs and ends with "N passed, N failed, N skipped",
# counting TAP results.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=build
asan=build-asan
clang=build-clang
filter=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --asan-build) asan=$2; shift 2 ;;
    --clang-build) clang=$2; shift 2 ;;
    --only) filter=$2; shift 2 ;;
    *) echo "usage: run.sh [--build DIR] [--asan-build DIR] [--clang-build DIR] [--only PATTERN]" >&2
       exit 2 ;;
  esac
done
cd "$top"
case "$build" in /*) ;; *) build="$top/$build" ;; esac
case "$asan" in /*) ;; *) asan="$top/$asan" ;; esac
case "$clang" in /*) ;; *) clang="$top/$clang" ;; esac
[ -x "$asan/capscope" ] && export CAPSCOPE_ASAN_BUILD="$asan"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NO_COLOR=1

# The display name of a test: the plain build's "suite/name", the sanitizer
# builds' unit and fuzz tests as "asan/name" and "clang/name".
select_tests() { # builddir tag -> names of the tests to run, one per line
  meson test -C "$1" --no-rebuild --list 2>/dev/null |
    sed -n 's/^[^:]*:\([^ ]*\) \/ \(.*\)$/\1 \2/p' |
    while read -r suite name; do
      shown="$suite/${name#asan-}"
      [ "$2" != plain ] && shown="$2/$name"
      [ -n "$filter" ] && [[ "$shown" != *$filter* ]] && continue
      echo "$name"
    done
}

status=0
for pass in plain asan clang; do
  dir=$build
  [ "$pass" = asan ] && dir=$asan
  [ "$pass" = clang ] && dir=$clang
  rm -f "$dir/meson-logs/testlog-$pass.json"
  [ -f "$dir/build.ninja" ] || continue
  mapfile -t names < <(select_tests "$dir" "$pass")
  [ ${#names[@]} -eq 0 ] && continue
  # meson prints its own progress; our summary below is read from its log.
  meson test -C "$dir" --no-rebuild --num-processes 2 "${names[@]}" \
    >"$dir/meson-logs/run-sh.out" 2>&1 </dev/null || status=1
  cp "$dir/meson-logs/testlog.json" "$dir/meson-logs/testlog-$pass.json"
done

python3 "$here/lib/run-summary.py" "$build/meson-logs/testlog-plain.json" "$asan/meson-logs/testlog-asan.json" \
  "$clang/meson-logs/testlog-clang.json"
rc=$?
[ $rc -ne 0 ] && status=1
exit $status
