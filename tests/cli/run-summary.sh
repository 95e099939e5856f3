#!/usr/bin/env bash
# tests/run.sh's summary (tests/lib/run-summary.py) on made-up meson logs:
# since session 26 a program that exited 0 whose only "not ok" lines are
# TAP SKIP directives counts as skipped (meson calls it FAIL). Twenty-seventh
# pass, part D: that rule must hide no failure. TAP's directive follows the
# line's first '#' (meson's reader: "not ok 1 - a # b # SKIP" is a failure),
# a "not ok" needs no number, "Bail out!" or test numbers out of order are
# errors, and a program whose plan is missing or not met did not finish.
# (No '#' in this file's own descriptions: meson would read a directive.)
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
tap_tmpdir
summary="$CAPSCOPE_TOP/tests/lib/run-summary.py"

# one program's log: stdout, meson's result, exit status -> its summary line
one() {
  python3 -c 'import json, sys; print(json.dumps({"name": "capscope:cli / fake", "stdout": sys.argv[1], "result": sys.argv[2], "returncode": int(sys.argv[3])}))' "$1" "$2" "$3" >"$T/log.json"
  python3 "$summary" "$T/log.json" "$T/none" "$T/none" | sed -n 1p
}
pass() { like "$(one "$1" "$2" "$3")" "^PASS cli/fake +$4" "$5"; }
fail() { like "$(one "$1" "$2" "$3")" "^FAIL cli/fake " "$4"; }

pass $'1..2\nok 1 - a\nnot ok 2 - b # SKIP no pid in time\n' FAIL 0 "1 ok, 1 skipped" "a SKIP directive on not ok, exit 0: skipped"
pass $'1..2\nok 1 - a\nnot ok 2 # SKIP b\n# ok - t\n' FAIL 0 "1 ok, 1 skipped" "cmocka 1.1's skipped case and its closing comment: skipped"
pass $'1..2\nok 1 - a\nnot ok 2 - b # skip lower case\n' FAIL 0 "1 ok, 1 skipped" "skip in lower case: skipped"
pass $'1..2\nok 1 - a\nnot ok 2 - b # SKIPPED: none\n' FAIL 0 "1 ok, 1 skipped" "SKIPPED (meson: SKIP and more): skipped"
pass $'1..2\nok 1 - a\nok 2 - b # SKIP why\n' OK 0 "1 ok, 1 skipped" "ok and SKIP: skipped"
pass $'1..2\nok 1 - a\nok 2 - b\n' OK 0 "2 ok" "all ok: passed"
fail $'1..2\nnot ok 1 - a # b # SKIP\nok 2 - c\n' FAIL 0 "SKIP after another hash (no directive to meson): a failure"
fail $'1..2\nnot ok - a\nnot ok 2 - b # SKIP\n' FAIL 0 "a not ok without a number before a skip: a failure"
fail $'1..2\nnot ok\t1 - a\nnot ok 2 - b # SKIP\n' FAIL 0 "not ok and a tab before a skip: a failure"
fail $'1..3\nok 1 - a\nBail out! broken\nnot ok 2 - b # SKIP\n' FAIL 0 "'Bail out!' before a skip: a failure"
fail $'1..3\nok 1 - a\nnot ok 2 - b # SKIP\n' ERROR 0 "too few tests after a skip: a failure"
fail $'ok 1 - a\nnot ok 2 - b # SKIP\n' FAIL 0 "no plan after a skip (the program stopped early): a failure"
fail $'1..2\nok 1 - a\nnot ok 3 - b # SKIP\n' FAIL 0 "test numbers out of order: a failure"
fail $'1..3\nnot ok 1 - a # SKIP\nnot ok 2 - b\nok 3\n' FAIL 1 "a failure after a skip: a failure"
fail $'1..2\nok 1 - a\nnot ok 2 - b # SKIP\n' FAIL -11 "a crash (SIGSEGV) after a skip: a failure"
fail $'1..2\nok 1 - a\nnot ok 2 - b # SKIP\n' FAIL 1 "a skip and exit 1: a failure"
fail $'1..2\nok 1 - a\nnot ok 2 - b # TODO later\n' FAIL 0 "not ok and TODO: counted as a failure (no test here uses TODO)"
# Twenty-eighth pass, part D: the counts and the failing lines shown read
# each line as the rule above does. A later hash in a description is no
# directive, SKIP in any case is one, a line with no number counts; a not ok
# TODO is a failure here even where meson calls the program OK.
pass $'1..2\nok 1 - a # b # skip\nok 2 - c\n' OK 0 "2 ok\$" "skip after another hash: a pass, not a skip"
pass $'1..2\nok 1 - a # Skip why\nok 2 - c\n' OK 0 "1 ok, 1 skipped" "Skip in mixed case: skipped"
pass $'1..2\nok - a\nok - b\n' OK 0 "2 ok\$" "ok lines without numbers: counted"
fail $'1..2\nok 1 - a\nnot ok 2 - b # TODO later\n' OK 0 "not ok and TODO, meson OK: a failure"
fail $'1..2\nok 1 - a\nok 2 - b # TODO\n' FAIL 0 "ok and TODO (meson: unexpected pass): a failure"
like "$(one $'1..2\nnot ok 1 - a # b # SKIP\nok 2 - c\n' FAIL 0; python3 "$summary" "$T/log.json" "$T/none" "$T/none" | sed -n 2p)" \
  "not ok 1 - a" "the failing line with a later SKIP is shown"
done_testing
