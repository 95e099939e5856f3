# Shared by the suites that count work with callgrind (sourced, not a test):
# costs are compared in instructions, never seconds. Needs tap.sh.
# shellcheck shell=bash

# callgrind_ir ARGS...: the instructions of `$CAPSCOPE_DYN ARGS...` under
# callgrind (its output discarded), or nothing if valgrind said no count.
# Only the first process valgrind names, capscope's: a child it forks (the
# sysctl probe in a new network namespace) says its own count at its end.
callgrind_ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "${CAPSCOPE_DYN:-$CAPSCOPE}" "$@" 2>&1 >/dev/null |
    awk '/^==[0-9]+==/ && !p { p = $1 } $1 == p && /Collected :/ { print $NF }'
}

# callgrind_within A B RATIO: 0 when B <= RATIO x A (a missing count fails).
callgrind_within() {
  python3 -c 'import sys; a, b, r = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]); sys.exit(0 if b <= r * a else 1)' \
    "${1:-0}" "${2:-1}" "$3"
  echo $?
}
