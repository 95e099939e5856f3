#!/usr/bin/env bash
# trace asks the kernel whether it may load BPF programs (capget), not
# /proc/$(getpid())/status: in a pid namespace that sees its parent's /proc
# (unshare -p without --mount-proc, a host /proc mounted into a container
# without hostPID), that path is another process. Made certain with
# ns_last_pid: the capscope in the namespace gets, as its own id there, the
# host id of an unprivileged sleep; `trace --cgroup`, which works in such a
# namespace, was refused "not allowed to trace with BPF" (twelfth pass,
# the integrator's).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/trace-lib.sh"
trace_need_bpf
command -v setpriv >/dev/null || skip_all "setpriv missing"
unshare -pf true 2>/dev/null || skip_all "unshare -p is not permitted here"
tap_tmpdir

setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all \
  sleep 60 &
n=$!
trap 'kill $n 2>/dev/null; rm -rf "$T"' EXIT
sleep 0.2
is "$(awk '$1 == "CapEff:" {print $2}' /proc/$n/status)" 0000000000000000 \
  "the host's process $n holds no capability"

root=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
[ -n "$root" ] && mkdir "$root/capscope-test-$$" 2>/dev/null || skip_all "no cgroup v2 directory can be made"
cg=$root/capscope-test-$$
trap 'kill $n 2>/dev/null; rmdir "$cg" 2>/dev/null; rm -rf "$T"' EXIT
out=$(timeout 60 unshare -pf sh -c '
  echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
  "$2" trace --cgroup "$3" --duration 0.2 >/dev/null 2>"$4/err" &
  echo "pid=$!"; wait $!; echo "rc=$?"' sh "$n" "$CAPSCOPE" "$cg" "$T")
is "$(sed -n 1p <<<"$out")" "pid=$n" "capscope's own id in the namespace is the sleep's on the host"
is "$(sed -n 2p <<<"$out")" "rc=0" "trace --cgroup in a pid namespace whose own id is an unprivileged host process's: runs"
is "$(cat "$T/err")" "" "...and says nothing of BPF being not allowed"

# The same collision, the host's process in the traced cgroup and making
# checks itself (bash's ulimit raising its hard limit: CAP_SYS_RESOURCE, in
# bash, no child). The programs left out the task whose kernel id was
# capscope's id in its namespace (getpid()): that process's checks were
# never counted, an empty profile (fourteenth pass).
bash -c 'exec 3< <(sleep 120); while :; do ulimit -n 4096; ulimit -n 8192
  read -rt 0.02 -u 3 _; done' 2>/dev/null &
b=$!
trap 'kill $n $b 2>/dev/null; sleep 0.2; rmdir "$cg" 2>/dev/null; rm -rf "$T"' EXIT
echo "$b" >"$cg/cgroup.procs"
out=$(timeout 60 unshare -pf sh -c '
  echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
  "$2" trace --cgroup "$3" --duration 1 --json >"$4/out.json" 2>"$4/err" &
  echo "pid=$!"; wait $!; echo "rc=$?"' sh "$b" "$CAPSCOPE" "$cg" "$T")
is "$(sed -n 1p <<<"$out")" "pid=$b" "capscope's own id in the namespace is the checking bash's on the host"
is "$(sed -n 2p <<<"$out")" "rc=0" "trace --cgroup runs"
is "$(jq -r '[.checks[] | select(.capability == "CAP_SYS_RESOURCE") | .comms[]] | unique | join(",")' "$T/out.json")" \
  bash "the host's bash, holding capscope's id there, is traced: its CAP_SYS_RESOURCE checks counted"
done_testing
