#!/usr/bin/env bash
# A pod sysctl this kernel does not have, against real runc: runc opens
# /proc/sys/NAME (every '.' a '/') in its init and fails there ("open
# /proc/sys/net/ipv4/no_such_sysctl: no such file or directory"), so the
# container never starts; a directory (net.ipv4) fails the same way. The
# model said the pod ran (session 27, part B). Each name is put to capscope
# (containerd, with --allowed-unsafe-sysctls letting it past the kubelet)
# and to runc with a network and an IPC namespace of its own.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_rootfs
n=0
while IFS='|' read -r name v; do
  n=$((n + 1))
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: $name, value: \"$v\"}]" \
    '  containers:' '  - name: c' '    image: i' '    command: [/bin/app]' \
    '    securityContext: {runAsUser: 1000, runAsGroup: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  want=$("$CAPSCOPE" explain pod --json --runtime containerd --allowed-unsafe-sysctls 'net.*,kernel.shm*,kernel.msg*,fs.mqueue.*' \
    "$T/pod.yaml" 2>"$T/err" | jq -r '.containers[0] | if .exec.ok then "started" else "not started" end')
  b=$T/b$n
  mkdir -p "$b"
  jq -n --arg root "$T/rootfs" --arg k "$name" --arg v "$v" '{ociVersion: "1.0.2", root: {path: $root, readonly: true},
    process: {terminal: false, cwd: "/", user: {uid: 1000, gid: 1000}, args: ["/bin/app"],
      env: ["PATH=/bin"], noNewPrivileges: true, capabilities: {}},
    mounts: [{destination: "/proc", type: "proc", source: "proc"}],
    linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}],
      sysctl: {($k): $v}}}' >"$b/config.json"
  runc --root "$T/state" run --bundle "$b" "csabs-$$-$n" >"$b/out" 2>"$b/err" </dev/null
  rc=$?
  [ "$rc" -eq 0 ] || runc --root "$T/state" delete -f "csabs-$$-$n" >/dev/null 2>&1
  if grep -q '^CapEff:' "$b/out"; then real=started; else real="not started"; fi
  is "$want" "$real" "sysctl $name=$v: $real"
  [ "$want" == "$real" ] || { sed 's/^/#   capscope: /' "$T/err"; sed 's/^/#   runc: /' "$b/err" | head -3; }
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
done_testing
