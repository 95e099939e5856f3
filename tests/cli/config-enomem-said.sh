#!/usr/bin/env bash
# The runtimes' config files out of memory say so (twenty-sixth pass, part
# C): each allocation of `explain pod --crio-config` and
# `--containerd-config` failing alone (tests/lib/failalloc.c,
# CS_FAILALLOC_SPAN=1) gives the whole answer or one line with a reason,
# exit 2. Before, a bare -ENOMEM of the TOML reader was printed as
# "capscope explain pod: crio.conf: " and nothing more (18 allocations;
# ctd.toml 9). The pod sets the port sysctls and one the kubelet forbids
# but for --allowed-unsafe-sysctls: CRI-O's default_sysctls and
# containerd's enable_unprivileged_ports meet them (port-sysctls.c).
# libfyaml's own crash (fy_parse_input_append) is counted apart.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
  '    sysctls:' '    - {name: net.core.somaxconn, value: "1024"}' \
  '    - {name: net.ipv4.ip_local_port_range, value: "1500 60999"}' '  containers:' \
  '  - name: c' '    image: x' '    securityContext:' '      runAsUser: 1000' \
  '      capabilities: {drop: [ALL]}' >"$T/pod.yaml"
printf '[crio.runtime]\ndefault_sysctls = ["net.ipv4.ip_unprivileged_port_start=2000"]\ndefault_capabilities = ["CHOWN", "NET_BIND_SERVICE"]\n' >"$T/crio.conf"
printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  enable_unprivileged_ports = true\n' >"$T/ctd.toml"

# a whole answer keeps its exit status (1: CRI-O's port start refused in every order)
failalloc_table failalloc_said <<EOF2
--crio-config	explain pod --crio-config $T/crio.conf --check bind:80 --allowed-unsafe-sysctls net.core.* $T/pod.yaml
--containerd-config	explain pod --runtime containerd --containerd-config $T/ctd.toml --check bind:80 --allowed-unsafe-sysctls net.core.* $T/pod.yaml
EOF2
done_testing
