#!/usr/bin/env bash
# RLIMIT_NPROC after the run's user change (lib/launch-nproc.c): setresuid
# to a user that already has more tasks than the limit succeeds, and the
# kernel then refuses execve with EAGAIN (PF_NPROC_EXCEEDED). The run said
# "step 'execve' failed: E11 (Resource temporarily unavailable)", and its
# dry run predicted a command that runs (exit 0). Both binaries.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) is not installed"
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
# One task of nobody's own for as long as the test runs: the kernel marks
# the run's setresuid over the limit when nobody's other tasks number more
# than it, so with a limit of 0 one is enough (more only add to it).
setpriv --reuid nobody --regid nogroup --clear-groups sleep 600 &
sleeper=$!
trap 'kill $sleeper 2>/dev/null; rm -rf "$T"' EXIT
# Not before it is nobody's: until setpriv has changed its user (it execs
# sleep after), nobody may have no task and the first run would pass.
for _ in $(seq 200); do
  [ "$(cat /proc/$sleeper/comm 2>/dev/null)" = sleep ] && break
  sleep 0.05
done
is "$(cat /proc/$sleeper/comm 2>/dev/null)" sleep "a task of nobody's runs"

# An ASan build's leak check starts a thread at exit, which a task over
# RLIMIT_NPROC cannot: it would fail the run, not capscope.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  out=$(ulimit -S -u 0; $bin --user nobody --clear-groups -- echo ran 2>"$T/err")
  rc=$?
  is "$rc" 127 "$name: over RLIMIT_NPROC: exit 127"
  is "$out" "" "$name: over RLIMIT_NPROC: nothing ran"
  is "$(wc -l <"$T/err")" 1 "$name: over RLIMIT_NPROC: one line"
  like "$(cat "$T/err")" "EAGAIN \(uid 65534 already has more processes than this process's RLIMIT_NPROC \(0\).*nothing was run\)$" \
    "$name: over RLIMIT_NPROC: says why"
  (ulimit -S -u 0; $bin --user nobody --clear-groups --dry-run -- echo ran >"$T/out" 2>&1)
  is "$?" 127 "$name --dry-run: over RLIMIT_NPROC: predicts that nothing runs (exit 127)"
  like "$(cat "$T/out")" "execve of echo would fail: EAGAIN" "$name --dry-run: says EAGAIN"
  like "$(cat "$T/out")" "execve.nproc: uid 65534 .*RLIMIT_NPROC \(0\)" "$name --dry-run: the step says why"
  json=$(ulimit -S -u 0; $bin --user nobody --clear-groups --dry-run --json -- echo ran)
  is "$(python3 -c 'import json,sys; e=json.loads(sys.argv[1])["exec"]; print(e["ok"], e["error"])' "$json")" \
    "False EAGAIN" "$name --dry-run --json: exec fails with EAGAIN"
  # The control: under a limit nobody's tasks do not reach, it runs.
  out=$(ulimit -S -u "$(ulimit -H -u)"; $bin --user nobody --clear-groups -- echo ran)
  is "$out" "ran" "$name: under RLIMIT_NPROC: runs"
  (ulimit -S -u "$(ulimit -H -u)"; $bin --user nobody --clear-groups --dry-run -- echo ran >/dev/null)
  is "$?" 0 "$name --dry-run: under RLIMIT_NPROC: predicts that it runs"
done
done_testing
