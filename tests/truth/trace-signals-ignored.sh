#!/usr/bin/env bash
# A caller that ignores SIGINT or SIGTERM (a script's background job is
# started with SIGINT and SIGQUIT ignored; SIG_IGN survives execve) must
# see its command ignore them under `trace -- CMD` and `trace --verify`,
# as it would without capscope. The traced command's child set SIGINT and
# SIGTERM to the default before execve, and --verify's run lost them with
# the tracer's handlers at execve: the terminal's Ctrl-C killed it.
source "$(dirname "$0")/../lib/tap.sh"
need_root
tap_tmpdir
# ign CMD...: CMD with SIGINT and SIGTERM ignored.
ign() { python3 -c 'import signal, os, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
# The SigIgn lines of a file with SIGINT (bit 1) and SIGTERM (bit 14) set.
both_ignored() { awk '/^SigIgn/ {print $2}' "$1" | while read -r m; do
  (( (0x$m & 0x4002) == 0x4002 )) && echo yes || echo no; done | tr '\n' ' '; }

trace_ok=1
if [ -e /sys/kernel/btf/vmlinux ] && out=$("$CAPSCOPE" trace -- true 2>&1 >/dev/null); then
  trace_ok=0
fi
if [ "$trace_ok" = 0 ]; then
  ign "$CAPSCOPE" trace -- cat /proc/self/status >"$T/status" 2>"$T/err"
  is "$?" 0 "trace -- CMD with SIGINT and SIGTERM ignored: exit 0"
  is "$(both_ignored "$T/status")" "yes " "trace: the command still ignores SIGINT and SIGTERM"
  ign "$CAPSCOPE" trace --verify -- cat /proc/self/status >"$T/status" 2>"$T/err"
  is "$?" 0 "trace --verify with SIGINT and SIGTERM ignored: exit 0"
  is "$(both_ignored "$T/status")" "yes yes " "trace --verify: both runs still ignore them"
  "$CAPSCOPE" trace --verify -- cat /proc/self/status >"$T/status" 2>"$T/err"
  is "$(both_ignored "$T/status")" "no no " "control: a caller that does not ignore them"
else
  skip "trace cannot run here: ${out:-no BTF}"
fi
done_testing
