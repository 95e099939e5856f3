#!/usr/bin/env bash
# A capscope in a child pid namespace whose /proc is the procfs of another
# namespace that does not show it (a grandchild's, bind-mounted on /proc):
# /proc/self names no process, and the test "am I in the host's pid
# namespace?" failed with ENOENT, which every caller took for "yes".
# `trace -- CMD` then followed the command by an id the kernel never gave
# it: "0 processes, 0 checks", an empty profile, exit 0 (fourteenth pass,
# part K). Now refused, with the file and why; --all too (the programs
# could not tell capscope's own checks). No ASan twin: LeakSanitizer reads
# /proc/self and /proc/PID/task, which such a /proc does not have (it ends
# the run with a fatal error, exit 1, after capscope's own message).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
unshare -m -p -f --propagation private true 2>/dev/null || skip_all "unshare -m -p is not permitted here"
tap_tmpdir
mkdir "$T/pb"
: >"$T/f"

# In namespace A (own mount namespace): B, a child of A, mounts its procfs
# on $T/pb (shared with A), which A binds on /proc.
run() {
  timeout 60 unshare -m -p -f --propagation private bash -c '
    unshare -p -f sh -c "mount -t proc proc \"$1/pb\" && exec sleep 30" &
    b=$!
    for _ in $(seq 50); do [ -e "$1/pb/1" ] && break; sleep 0.1; done
    mount --bind "$1/pb" /proc || exit 99
    [ -e /proc/self ] && exit 98
    shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    kill $b
    exit $rc' bash "$T" "$@"
}

export T
run "$CAPSCOPE" trace -- chown 1 "$T/f"
rc=$?
[ "$rc" = 99 ] || [ "$rc" = 98 ] && skip_all "cannot mount a foreign procfs on /proc here ($rc)"
is "$rc" 2 "trace -- CMD with a /proc that does not show capscope: refused (exit 0 and an empty profile before)"
like "$(cat "$T/err")" '/proc/self/ns/pid: No such file or directory: the tracer sees the host.s process ids' \
  "...saying which file and why"
is "$(grep -c 'no capability checks' "$T/out")" 0 "...and no profile"

run "$CAPSCOPE" trace --all --duration 0.2
is "$?" 2 "trace --all there: refused (its own checks could not be told)"
like "$(cat "$T/err")" 'the programs must tell this capscope.s own checks by its pid namespace' "...saying why"
done_testing
