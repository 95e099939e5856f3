#!/usr/bin/env bash
# asan-too
# The kubelet's sysctl admission (pkg/kubelet/sysctl: its safe set and
# --allowed-unsafe-sysctls): a pod with any other sysctl is rejected before
# a container is made (SysctlForbidden, "forbidden sysctl: %q not
# allowlisted"). The model ran a pod setting net.core.somaxconn. No kubelet
# runs here: the rules are read from Kubernetes 1.32's allowlist.go and
# safe_sysctls.go (docs/explain-pod.md).
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1

pod() { # SYSCTL-NAME [VALUE]
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: $1, value: \"${2:-1}\"}]" '  containers:' '  - name: c' '    image: i' \
    '    command: [/bin/app]' '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >p.yaml
}
err() { "$CAPSCOPE" explain pod --json "$@" p.yaml | jq -r '.containers[0].exec.error'; }

pod net.core.somaxconn
out=$("$CAPSCOPE" explain pod p.yaml 2>&1)
is "$?" 1 "an unsafe sysctl: the container fails (exit 1)"
like "$out" 'NOT CREATED: SysctlForbidden: forbidden sysctl: "net.core.somaxconn" not allowlisted' \
  "the kubelet's reason and message"
like "$out" 'kubelet.sysctl-forbidden: the kubelet rejects the pod: sysctl net.core.somaxconn' "the step"
is "$(err)" SysctlForbidden "JSON: exec.error SysctlForbidden"

# the safe set, each admitted alone (values the kernel takes)
for s in kernel.shm_rmid_forced "net.ipv4.ip_local_port_range|40000 60999" net.ipv4.tcp_syncookies \
  "net.ipv4.ping_group_range|0 0" "net.ipv4.ip_unprivileged_port_start|80" \
  "net.ipv4.ip_local_reserved_ports|8080" "net.ipv4.tcp_keepalive_time|600" \
  "net.ipv4.tcp_fin_timeout|30" "net.ipv4.tcp_keepalive_intvl|30" "net.ipv4.tcp_keepalive_probes|5" \
  "net.ipv4.tcp_rmem|4096 87380 6291456" "net.ipv4.tcp_wmem|4096 16384 4194304"; do
  pod "${s%%|*}" "$([[ $s == *'|'* ]] && echo "${s#*|}")"
  is "$(err)" null "safe: ${s%%|*} admitted"
done

# the kubelet names the sysctl with dots, whichever way the pod spells it
pod net/core/somaxconn
like "$("$CAPSCOPE" explain pod p.yaml 2>&1)" 'forbidden sysctl: "net.core.somaxconn"' "a slash spelling named with dots"

pod net.core.somaxconn
for a in net.core.somaxconn 'net.core.*' 'net/core/somaxconn' 'net.*' 'kernel.sem,net.core.s*'; do
  is "$(err --allowed-unsafe-sysctls "$a")" null "--allowed-unsafe-sysctls '$a' admits it"
done
for a in net.core.somaxconnx 'net.ipv4.*' 'kernel.shm*'; do
  is "$(err --allowed-unsafe-sysctls "$a")" SysctlForbidden "--allowed-unsafe-sysctls '$a' does not"
done
pod kernel.msgmax
is "$(err --allowed-unsafe-sysctls 'kernel.msg*')" null "an IPC prefix: kernel.msg* admits kernel.msgmax"

# patterns the kubelet refuses to start with: one error, exit 2
for a in kernel.foo '*' 'a,,b' 'net..x' 'net.core.' 'net.core-' '' 'Net.core.x' "net.$(printf 'x%.0s' $(seq 1 260))"; do
  out=$("$CAPSCOPE" explain pod --allowed-unsafe-sysctls "$a" p.yaml 2>&1 >/dev/null)
  rc=$?
  is "$rc:$(wc -l <<<"$out")" "2:2" "pattern '${a:0:20}' refused: exit 2, one error and the help line"
  like "$out" '^capscope explain pod: --allowed-unsafe-sysctls: ' "... naming the option"
done

# no kubelet in front of the runtime (podman play kube): nothing to admit
pod net.core.somaxconn
is "$(err --runtime podman)" null "podman: no kubelet, the sysctl is not refused by one"
done_testing
