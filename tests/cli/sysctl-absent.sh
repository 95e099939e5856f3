#!/usr/bin/env bash
# asan-too
# A sysctl this kernel does not have, written by the pod's runtime: CRI-O's
# pinns opens /proc/sys/NAME for each of the pod's sysctls and of the
# default_sysctls CRI-O keeps (Sysctl.Validate: net.* unless hostNetwork,
# kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* unless hostIPC; any
# other skipped), fails ("failed to open /proc/sys/%s") and exits: no
# sandbox, no container. capscope read only the two port keys of
# default_sysctls and said every pod ran (session 27, part B). runc's side
# is truth/sysctl-absent-runc.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
command -v jq >/dev/null || skip_all "jq not installed"
[ -f /proc/sys/kernel/cap_last_cap ] || skip_all "no /proc/sys here: nothing to compare with"
pod() { # extra spec lines…
  { printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:'
    printf '  %s\n' "$@"
    printf '%s\n' '  containers:' '  - name: c' '    image: i' \
      '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}'; } >"$T/pod.yaml"
}
crio() { # default_sysctls entries…
  { printf '[crio.runtime]\ndefault_sysctls = ['
    printf '"%s", ' "$@"
    printf ']\n'; } >"$T/crio.conf"
}
started() { "$CAPSCOPE" explain pod --json --runtime crio --crio-config "$T/crio.conf" "$@" "$T/pod.yaml" |
  jq -r '.containers[0].exec.ok'; }

pod
crio net.ipv4.no_such_sysctl=1
is "$(started)" false "default net.ipv4.no_such_sysctl: pinns fails, no pod starts"
like "$("$CAPSCOPE" explain pod --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml")" \
  "runc\\.sysctl-refused: CRI-O's pinns cannot write CRI-O's default_sysctls net\\.ipv4\\.no_such_sysctl: failed to open /proc/sys/net/ipv4/no_such_sysctl: no such file or directory" \
  "... the step names pinns, CRI-O's default_sysctls and the path"
crio net.ipv4.tcp_syncookies=1 net.ipv4=1
is "$(started)" false "default net.ipv4 (a directory): refused the same"
crio net.ipv4.tcp_syncookies=1 kernel.shmmni=4096
is "$(started)" true "defaults this kernel has: the pod starts"
crio vm.no_such_sysctl=1 net/ipv4/no_such=1 user.no_such=1
is "$(started)" true "defaults CRI-O skips (not whitelisted; '/' spelling): the pod starts"
crio net.ipv4.conf.eth7.rp_filter=1
is "$(started)" true "a per-interface name: the pod's interface, not told here: not refused"
like "$("$CAPSCOPE" explain pod --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml")" \
  "runc\\.sysctl-untold: whether this kernel has CRI-O's default_sysctls net\\.ipv4\\.conf\\.eth7\\.rp_filter, which the runtime writes, is not told: it is under an interface's own directory" \
  "... a step says it is not told, and why"
pod 'hostNetwork: true'
"$CAPSCOPE" explain pod --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml" >"$T/out"
ok "$(grep -q sysctl-untold "$T/out" && echo 1 || echo 0)" "... not with hostNetwork (CRI-O skips it)"
pod
crio kernel.shm_no_such=1
is "$(started)" false "default kernel.shm_no_such (IPC): refused"
pod 'hostIPC: true'
is "$(started)" true "... with hostIPC CRI-O skips it: the pod starts"
crio net.ipv4.no_such_sysctl=1
pod 'hostNetwork: true'
is "$(started)" true "default net.* with hostNetwork: skipped, the pod starts"
pod 'hostNetwork: true' 'hostIPC: true'
crio net.no_such=1 kernel.msg_no_such=1
is "$(started)" true "both skipped with hostNetwork and hostIPC"
pod 'hostNetwork: true'
is "$(started)" false "... the IPC one without hostIPC: refused"
# a later file's list replaces the earlier whole
mkdir -p "$T/etc/crio.conf.d"
printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.no_such_sysctl=1"]\n' >"$T/etc/crio.conf"
printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.tcp_syncookies=1"]\n' >"$T/etc/crio.conf.d/10.conf"
pod
is "$("$CAPSCOPE" explain pod --json --runtime crio --crio-config "$T/etc" "$T/pod.yaml" | jq -r '.containers[0].exec.ok')" \
  true "a drop-in's list replaces the file's: the pod starts"
# the pod's own sysctl (past the kubelet with --allowed-unsafe-sysctls)
crio
pod 'securityContext: {sysctls: [{name: net.ipv4.no_such_sysctl, value: "1"}]}'
is "$(started --allowed-unsafe-sysctls 'net.*')" false "the pod's net.ipv4.no_such_sysctl: pinns fails"
out=$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")
like "$out" "runc\\.sysctl-refused: runc cannot write the pod's net\\.ipv4\\.no_such_sysctl=1: open /proc/sys/net/ipv4/no_such_sysctl: no such file or directory" \
  "containerd: runc's init fails on it, named"
# runc's config check knows eight kernel.shm*/msg* names; the kubelet's
# IPC prefixes take any (kernel.shm_next_id): runc refuses the bundle
# ("not in a separate kernel namespace", truth/sysctl-absent-runc), CRI-O's
# Validate takes the prefix and pinns writes it
pod 'securityContext: {sysctls: [{name: kernel.shm_next_id, value: "-1"}]}'
out=$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'kernel.shm*' "$T/pod.yaml")
like "$out" 'runc\.sysctl-refused: runc cannot write the pod.s kernel\.shm_next_id=-1: sysctl "kernel\.shm_next_id" is not in a separate kernel namespace' \
  "containerd, kernel.shm_next_id: runc's config check refuses it, named"
is "$(started --allowed-unsafe-sysctls 'kernel.shm*')" true "CRI-O, kernel.shm_next_id: pinns writes it, the pod starts"
pod 'securityContext: {sysctls: [{name: kernel/msg_next_id, value: "-1"}]}'
is "$("$CAPSCOPE" explain pod --json --runtime docker --allowed-unsafe-sysctls 'kernel.msg*' "$T/pod.yaml" | jq -r '.containers[0].exec.ok')" \
  false "docker, kernel/msg_next_id (a slash spelling): refused the same"
pod 'securityContext: {sysctls: [{name: kernel.msgmax, value: "8192"}]}'
is "$("$CAPSCOPE" explain pod --json --runtime containerd --allowed-unsafe-sysctls 'kernel.msg*' "$T/pod.yaml" | jq -r '.containers[0].exec.ok')" \
  true "containerd, kernel.msgmax (one of runc's eight): starts"
# a long name: cut once, the sentence whole
long=net.ipv4.$(printf 'a%.0s' $(seq 200))
pod "securityContext: {sysctls: [{name: $long, value: \"1\"}]}"
d=$("$CAPSCOPE" explain pod --json --runtime crio --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml" |
  jq -r '.containers[0].steps[] | select(.rule == "runc.sysctl-refused") | .detail')
like "$d" "^CRI-O's pinns cannot write the pod's net\\.ipv4\\.a+\\.\\.\\.a+: failed to open /proc/sys/net/ipv4/a+\\.\\.\\.a+: no such file or directory \\(this kernel has no such sysctl; the pod's sandbox is not made\\)\$" \
  "a 208-byte name: each word cut once, the sentence whole"
# Twenty-eighth pass, part D: a directory (net.ipv4, a table) is there, and
# the runtimes' open for writing fails on it with EISDIR: it was said "no
# such file or directory (this kernel has no such sysctl". A sysctl whose
# presence cannot be told (an interface's own, the pod's; capscope in a user
# namespace not the initial) is assumed there: a step now says so and why,
# where before the pod was said to start without a word.
if [ "$(id -u)" = 0 ] && [ "$(head -1 /proc/self/uid_map | tr -s ' ')" = " 0 0 4294967295" ] &&
  unshare -n -i true 2>/dev/null; then
  pod 'securityContext: {sysctls: [{name: net.ipv4, value: "1"}]}'
  like "$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
    "runc\\.sysctl-refused: runc cannot write the pod's net\\.ipv4=1: open /proc/sys/net/ipv4: is a directory \\(a table of sysctls, not one\\)" \
    "containerd, the pod's net.ipv4: runc's open fails, is a directory"
  pod
  crio net.ipv4=1
  like "$("$CAPSCOPE" explain pod --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml")" \
    "failed to open /proc/sys/net/ipv4: is a directory" "CRI-O default net.ipv4: pinns's open fails, is a directory"
else
  skip "not root of the initial user namespace with network namespaces to make"
  skip "not root of the initial user namespace with network namespaces to make"
fi
crio
pod 'securityContext: {sysctls: [{name: net.ipv4.conf.eth7.rp_filter, value: "1"}]}'
is "$(started --allowed-unsafe-sysctls 'net.*')" true "the pod's per-interface sysctl: assumed there, the pod starts"
like "$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
  "runc\\.sysctl-untold: whether this kernel has the pod's sysctl net\\.ipv4\\.conf\\.eth7\\.rp_filter, which the runtime writes, is not told: it is under an interface's own directory, and the interface is the pod's, not this host's; assumed there" \
  "... a step says it is not told, and why"
pod 'securityContext: {sysctls: [{name: net.no_such_sysctl, value: "1"}]}'
if unshare -U -r true 2>/dev/null; then
  like "$(unshare -U -r "$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
    "runc\\.sysctl-untold: whether this kernel has the pod's sysctl net\\.no_such_sysctl, .*: capscope is not root of the initial user namespace" \
    "in a user namespace not the initial: net.no_such_sysctl not told, said so"
else
  skip "cannot make a user namespace here"
fi
pod 'securityContext: {sysctls: [{name: net.core.somaxconn, value: "128"}]}'
"$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml" >"$T/out"
ok "$(grep -q sysctl-untold "$T/out" && echo 1 || echo 0)" "a sysctl told there: no such step"
# a /proc/sys that is not procfs (a tmpfs over it, its own kernel/ and
# net/): its files are anyone's, nothing is told (before: "no such file")
pod 'securityContext: {sysctls: [{name: net.no_such_sysctl, value: "1"}]}'
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  out=$(unshare -m sh -c 'mount -t tmpfs none /proc/sys && mkdir /proc/sys/kernel /proc/sys/net && exec "$@"' sh \
    "$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")
  like "$out" "runc\\.sysctl-untold: .*: there is no /proc/sys of the kernel's \\(procfs\\) here to look in" \
    "a tmpfs over /proc/sys: not told, said so"
else
  skip "not root, or no mount namespace to make"
fi
done_testing
