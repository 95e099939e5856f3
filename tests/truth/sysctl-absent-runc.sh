#!/usr/bin/env bash
# A pod sysctl this kernel does not have, against real runc: runc opens
# /proc/sys/NAME (every '.' a '/') in its init and fails there ("open
# /proc/sys/net/ipv4/no_such_sysctl: no such file or directory"), so the
# container never starts; a directory (net.ipv4) fails the same way
# ("is a directory"). The
# model said the pod ran (session 27, part B). Each name is put to capscope
# (containerd, with --allowed-unsafe-sysctls letting it past the kubelet)
# and to runc with a network and an IPC namespace of its own.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_rootfs
n=0
while IFS='|' read -r name v; do
  n=$((n + 1))
  sysctl_vs_runc "$name" "$v" "$n"
done <<'NAMES'
net.ipv4.no_such_sysctl|1
net.ipv4|1
net.no.such.tree|1
net.ipv4.tcp_syncookies|1
net.core.somaxconn|128
net.ipv4.conf.all.rp_filter|1
kernel.shm_rmid_forced|1
kernel.shm_no_such|1
kernel.shm_next_id|-1
kernel.msg_next_id|-1
kernel.msgmax|8192
fs.mqueue.msg_max|10
NAMES
# the words too (twenty-eighth pass, part D): a directory is EISDIR to runc,
# which capscope said as "no such file or directory"
like "$(cat "$T/b2/err")" "open /proc/sys/net/ipv4: is a directory" "runc on net.ipv4: is a directory"
sed -i 's/name: fs.mqueue.msg_max/name: net.ipv4/' "$T/pod.yaml"
like "$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
  "open /proc/sys/net/ipv4: is a directory" "capscope on net.ipv4: the same words"
done_testing
