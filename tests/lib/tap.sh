# Minimal TAP for shell tests: source it, call the checks, end with done_testing.
# shellcheck shell=bash
_tap_n=0
_tap_fail=0
CAPSCOPE=${CAPSCOPE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/capscope}
# The dynamic build of the same commands (valgrind follows malloc only there).
if [ -z "${CAPSCOPE_DYN:-}" ]; then
  CAPSCOPE_DYN=$CAPSCOPE
  [ -x "$(dirname "$CAPSCOPE")/capscope-dyn" ] && CAPSCOPE_DYN=$(dirname "$CAPSCOPE")/capscope-dyn
fi
CAPSCOPE_TOP=${CAPSCOPE_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export NO_COLOR=1

ok() { # condition-result(0/1 exit status of previous) description
  local rc=$1; shift
  _tap_n=$((_tap_n + 1))
  if [ "$rc" -eq 0 ]; then
    echo "ok $_tap_n - $*"
  else
    echo "not ok $_tap_n - $*"
    _tap_fail=$((_tap_fail + 1))
  fi
}

is() { # got want description
  local got=$1 want=$2; shift 2
  if [ "$got" == "$want" ]; then
    ok 0 "$@"
  else
    ok 1 "$@"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/#   /' | head -n 40
  fi
}

like() { # got regex description
  local got=$1 re=$2; shift 2
  if [[ "$got" =~ $re ]]; then ok 0 "$@"; else ok 1 "$@"; printf '#   got: %s\n#   want /%s/\n' "${got:0:400}" "$re"; fi
}

skip() { # reason
  _tap_n=$((_tap_n + 1))
  echo "ok $_tap_n # SKIP $*"
}

skip_all() { # reason
  echo "1..0 # SKIP $*"
  exit 77
}

need_root() {
  [ "$(id -u)" -eq 0 ] || skip_all "needs root (CI runs as root)"
}

done_testing() {
  echo "1..$_tap_n"
  [ "$_tap_fail" -eq 0 ]
  exit $?
}

# A scratch directory in $T, removed at exit. Call it directly, not in $(...):
# a trap set in a subshell would fire as soon as the subshell ends.
tap_tmpdir() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/capscope-test.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$T'" EXIT
}

# raw_ctl FILE: does FILE hold an ESC byte, or any other C0 control but \n?
# (the hostile-input suites: text that reaches a terminal must hold none)
raw_ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$1"; }
