#!/usr/bin/env bash
# The pod's net.* sysctls against real runc, in the pod's own network
# namespace: runc's init opens /proc/sys/NAME inside the new namespace it
# made, and /proc/sys/net is the opener's namespace's, so a sysctl of the
# initial namespace only (net.core.rmem_max and some 60 more on a 6.x
# kernel) fails there: "open /proc/sys/net/core/rmem_max: no such file or
# directory". capscope looked in its own /proc/sys and said the pod ran
# (session 27, part E). Every net.* file of this host that a new network
# namespace (unshare -n) lacks, and every net.* and IPC one there that root
# may not write there, is put to both; then a sample that both have,
# written with the value it holds there, and two IPC ones.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
command -v unshare >/dev/null || skip_all "unshare is not installed"
runc_probe_rootfs
(cd /proc/sys && find net -type f | grep -v -e '/conf/' -e '/neigh/' | sort) >"$T/host"
unshare -n -i sh -c 'cd /proc/sys && find net -type f | sort' >"$T/fresh" ||
  skip_all "cannot make a network namespace here"
comm -23 "$T/host" "$T/fresh" >"$T/only"
[ -s "$T/only" ] || skip_all "every net.* sysctl of this kernel is in a new network namespace"
# and those there that root may not write there (net.core.rmem_max: runc's
# open fails with EACCES); the sysctl's own permission hook decides
unshare -n -i sh -c 'cd /proc/sys && find net kernel/shm* kernel/msg* kernel/sem fs/mqueue -type f |
  grep -v -e /conf/ -e /neigh/ | while read -r p; do [ -w "$p" ] || echo "$p"; done' >>"$T/only"
# the sample: files both have that root may write (mode u+w), every 25th
comm -12 "$T/host" "$T/fresh" | while read -r p; do
  case $(stat -c %A "/proc/sys/$p") in ??w*) ;; *) continue ;; esac
  printf '%s\n' "$p"
done | awk 'NR % 25 == 1' >"$T/both"
printf '%s\n' kernel/shmmax fs/mqueue/msg_max >>"$T/both"
{
  sed 's/$/|-/' "$T/only"
  while read -r p; do printf '%s|%s\n' "$p" "$(unshare -n -i cat "/proc/sys/$p")"; done <"$T/both"
} >"$T/list"
n=0
while IFS='|' read -r p v; do
  n=$((n + 1))
  [ "$v" != - ] || v=1
  sysctl_vs_runc "${p//\//.}" "$v" "$n"
done <"$T/list"
done_testing
