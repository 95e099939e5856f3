#!/usr/bin/env bash
# A net.* sysctl is looked up in a new network namespace, as runc's init
# and CRI-O's pinns open it inside the pod's: /proc/sys/net is the opener's
# namespace's, and some 60 of a 6.x kernel's (net.core.rmem_max...) are the
# initial namespace's only. capscope looked in its own /proc/sys and said
# such a pod started (session 27, part E; truth/sysctl-netns-runc runs
# runc on each). A namespace made inside a new user namespace (capscope not
# root) hides more (net.ipv6.route.*), so there only "there" is sure; with
# no namespace to make, nothing is told.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
chmod 755 "$T"
command -v jq >/dev/null || skip_all "jq not installed"
need_root
command -v unshare >/dev/null && command -v setpriv >/dev/null || skip_all "no unshare or setpriv"
unshare -n true 2>/dev/null || skip_all "cannot make a network namespace here"
# a host-only name of this kernel, and one a user namespace's hides
only=$(cd /proc/sys && for p in net/core/rmem_max net/core/wmem_max net/core/netdev_max_backlog; do
  [ -f "$p" ] && ! unshare -n test -f "/proc/sys/$p" && { echo "${p//\//.}"; break; }; done)
[ -n "$only" ] || skip_all "no sysctl of the initial network namespace only here"
hidden=net.ipv6.route.gc_thresh
pod() { # name value
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: $1, value: \"$2\"}]" '  containers:' '  - name: c' '    image: i' \
    '    securityContext: {runAsUser: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  chmod 644 "$T/pod.yaml"
}
started() { # [wrapper…]
  "$@" "$CAPSCOPE" explain pod --json --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml" |
    jq -r '.containers[0].exec.ok'
}
crio_started() {
  printf '[crio.runtime]\ndefault_sysctls = ["%s=1"]\n' "$1" >"$T/crio.conf"
  pod net.ipv4.tcp_syncookies 1
  "$CAPSCOPE" explain pod --json --runtime crio --crio-config "$T/crio.conf" "$T/pod.yaml" |
    jq -r '.containers[0].exec.ok'
}

pod "$only" 1
is "$(started)" false "root: $only, of the initial namespace only: runc fails"
like "$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
  "runc cannot write the pod's ${only//./\\.}=1: open /proc/sys/${only//.//}: no such file or directory" \
  "... the step names the path runc opens"
is "$(crio_started "$only")" false "root: CRI-O default $only: pinns fails"
is "$(crio_started net.core.somaxconn)" true "root: CRI-O default net.core.somaxconn (in every namespace): starts"
pod net.core.somaxconn 128
is "$(started)" true "root: net.core.somaxconn: starts"
# there, but read-only outside the initial namespace: runc's open for
# writing fails with EACCES
if [ -f /proc/sys/net/core/rmem_max ] && unshare -n test -f /proc/sys/net/core/rmem_max &&
  ! unshare -n test -w /proc/sys/net/core/rmem_max; then
  pod net.core.rmem_max 212992
  like "$("$CAPSCOPE" explain pod --runtime containerd --allowed-unsafe-sysctls 'net.*' "$T/pod.yaml")" \
    "runc cannot write the pod's net\\.core\\.rmem_max=212992: open /proc/sys/net/core/rmem_max: permission denied \\(read-only" \
    "root: net.core.rmem_max, read-only in a new namespace: runc fails, permission denied"
  is "$(crio_started net.core.rmem_max)" false "root: CRI-O default net.core.rmem_max: pinns fails"
else
  for i in 1 2; do skip "net.core.rmem_max is not read-only in a new network namespace here"; done
fi
pod net.ipv4.no_such_sysctl 1
is "$(started)" false "root: net.ipv4.no_such_sysctl: runc fails"

if setpriv --reuid 1000 --regid 1000 --clear-groups unshare -U -n true 2>/dev/null; then
  nonroot=(setpriv --reuid 1000 --regid 1000 --clear-groups)
  pod "$hidden" 1
  is "$(started "${nonroot[@]}")" true "uid 1000: $hidden, hidden in a user namespace's: cannot tell, starts"
  pod net.core.somaxconn 128
  is "$(started "${nonroot[@]}")" true "uid 1000: net.core.somaxconn: starts"
  pod "$only" 1
  is "$(started "${nonroot[@]}")" true "uid 1000: $only: cannot tell, starts"
else
  for i in 1 2 3; do skip "uid 1000 cannot make a user namespace here"; done
fi
# root in a user namespace not the initial: its network namespace is that
# one's, hiding as much
pod "$hidden" 1
is "$(started unshare -U -r)" true "root of a new user namespace: $hidden: cannot tell, starts"
# no namespace to make: in a user namespace with no capability and no
# user namespace left to make
none=(unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces &&
  exec setpriv --inh-caps=-all --bounding-set=-all "$0" "$@"')
pod net.ipv4.no_such_sysctl 1
is "$(started "${none[@]}")" true "no namespace can be made: net.ipv4.no_such_sysctl cannot be told, starts"
pod kernel.shm_rmid_forced 1
is "$(started "${none[@]}")" true "... kernel.shm_rmid_forced too"
done_testing
