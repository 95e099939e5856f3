#!/usr/bin/env bash
# Fail closed: make each step of `capscope run` fail (a test build with the
# fault hook compiled in) and check that the command never ran, the exit
# status is 127 and the one error line names the step.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
FAULT=$B/tests/truth/capscope-fault
PROBE=$B/tests/truth/probe
[ -x "$FAULT" ] && [ -x "$PROBE" ] || skip_all "capscope-fault or the probe was not built"
tap_tmpdir
chmod 755 "$T"
mkdir -m 1777 "$T/m"

OPTS=(--user nobody --clear-groups --bounding net_bind_service,setpcap
  --ambient net_bind_service --no-new-privs)

# Control: with no fault the command runs and gets what was asked.
"$FAULT" run "${OPTS[@]}" -- "$PROBE" --touch "$T/m/control" >"$T/out" 2>"$T/err"
is "$?" 0 "no fault: exit 0"
ok "$([ -e "$T/m/control" ]; echo $?)" "no fault: the command ran"
like "$(cat "$T/out")" $'CapAmb:\t0000000000000400' "no fault: ambient NET_BIND_SERVICE"

for step in "bounding drop" keepcaps setgroups setresgid setresuid capset "ambient raise" \
  no_new_privs verify execve; do
  m="$T/m/${step// /-}"
  CAPSCOPE_FAULT=$step "$FAULT" run "${OPTS[@]}" -- "$PROBE" --touch "$m" >"$T/out" 2>"$T/err"
  rc=$?
  is "$rc" 127 "fault in $step: exit 127"
  ok "$([ ! -e "$m" ] && [ ! -s "$T/out" ]; echo $?)" "fault in $step: the command never ran"
  is "$(wc -l <"$T/err")" 1 "fault in $step: one error line"
  if [ "$step" = verify ]; then want="step 'verify' failed: .*nothing was executed"; else want="step '$step' failed: EPERM"; fi
  like "$(cat "$T/err")" "$want" "fault in $step: the line names the step and errno"
done

# The dry run carries the plan out in a child (to walk $PATH as the run
# does): a step that fails there is said as the run says it, exit 127.
CAPSCOPE_FAULT=setresuid "$FAULT" run --dry-run "${OPTS[@]}" -- "$PROBE" >"$T/out" 2>"$T/err"
is "$?" 127 "dry run, fault in setresuid: exit 127"
like "$(cat "$T/err")" "step 'setresuid' failed: EPERM.*in the dry run" "dry run, fault: names the step"

# securebits is its own step (it replaces keepcaps when asked for).
CAPSCOPE_FAULT=securebits "$FAULT" run --user nobody --clear-groups --securebits noroot \
  -- "$PROBE" --touch "$T/m/sb" >"$T/out" 2>"$T/err"
is "$?" 127 "fault in securebits: exit 127"
ok "$([ ! -e "$T/m/sb" ]; echo $?)" "fault in securebits: the command never ran"

# Refusals before anything runs (the model says no), with the production binary.
"$CAPSCOPE" run --bounding net_bind_service --ambient net_raw -- "$PROBE" --touch "$T/m/r1" \
  >/dev/null 2>"$T/err"
is "$?" 127 "ambient outside --bounding: refused, exit 127"
ok "$([ ! -e "$T/m/r1" ]; echo $?)" "ambient outside --bounding: the command never ran"
"$CAPSCOPE" run --user nobody -- "$PROBE" >/dev/null 2>"$T/err"
is "$?" 2 "user change without a groups option: usage error"
"$CAPSCOPE" run --user nobody --clear-groups --keep-groups -- "$PROBE" >/dev/null 2>"$T/err"
is "$?" 2 "two groups options: usage error"
# A non-root caller cannot raise what it does not have: refused by the model.
"$CAPSCOPE" run --user nobody --clear-groups -- "$CAPSCOPE" run --ambient net_raw -- \
  "$PROBE" --touch "$T/m/r2" >/dev/null 2>"$T/err"
is "$?" 127 "nested: ambient beyond permitted is refused"
ok "$([ ! -e "$T/m/r2" ]; echo $?)" "nested: the command never ran"
done_testing
