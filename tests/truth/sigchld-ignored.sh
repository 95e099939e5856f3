#!/usr/bin/env bash
# A caller that ignores SIGCHLD (SIG_IGN is inherited across execve) makes
# the kernel reap every child itself, and waitpid fails with ECHILD
# (lib/sigchld.c). `run --dry-run` printed its whole prediction, then
# "step 'fork' failed: ECHILD" and exit 127; `trace -- CMD` polled for its
# command, gone, forever (and passed SIGTERM on to it). The command itself
# must still get the caller's SIG_IGN, as it would without capscope.
source "$(dirname "$0")/../lib/tap.sh"
need_root
B=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
tap_tmpdir
# ign CMD...: CMD with SIGCHLD ignored, as a service manager may leave it.
ign() { python3 -c 'import signal, os, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
# SIGCHLD (17) is bit 16 of SigIgn.
chld_ignored() { (( 0x$(awk '/^SigIgn/ {print $2}' "$1") & 0x10000 )); }

bins=("$CAPSCOPE run")
[ -x "$B/cli/capscope-run" ] && bins+=("$B/cli/capscope-run")
for bin in "${bins[@]}"; do
  name=${bin##*/}
  # shellcheck disable=SC2086
  ign $bin --dry-run --caps cap_chown=p --securebits noroot -- /bin/true >"$T/out" 2>"$T/err"
  is "$?" 0 "$name --dry-run with SIGCHLD ignored: exit 0, as predicted"
  is "$(cat "$T/err")" "" "$name --dry-run with SIGCHLD ignored: no error"
  like "$(cat "$T/out")" "After execve: uid 0" "$name --dry-run with SIGCHLD ignored: the prediction"
  # shellcheck disable=SC2086
  ign $bin --dry-run -- /nonexistent >/dev/null 2>&1
  is "$?" 127 "$name --dry-run with SIGCHLD ignored: 127 still when nothing would run"
  # shellcheck disable=SC2086
  ign $bin --caps = --securebits noroot -- cat /proc/self/status >"$T/status"
  chld_ignored "$T/status"
  ok $? "$name: the command still inherits SIGCHLD ignored"
done

# trace: the report, then exit, rather than waiting forever (SIGKILL after
# 120 s stops a hang; it is no timed assertion).
trace_ok=1
if [ -e /sys/kernel/btf/vmlinux ] && out=$("$CAPSCOPE" trace -- true 2>&1 >/dev/null); then
  trace_ok=0
fi
if [ "$trace_ok" = 0 ]; then
  # timeout outside: it sets SIGCHLD back to the default for its own child.
  timeout -s KILL 120 python3 -c 'import signal, os, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$CAPSCOPE" trace -- cat /proc/self/status >"$T/status" 2>&1
  is "$?" 0 "trace -- CMD with SIGCHLD ignored: ends, exit 0"
  like "$(cat "$T/status")" "traced 'cat'" "trace -- CMD with SIGCHLD ignored: the report"
  chld_ignored "$T/status"
  ok $? "trace: the command still inherits SIGCHLD ignored"
else
  skip "trace cannot run here: ${out:-no BTF}"
fi
done_testing
