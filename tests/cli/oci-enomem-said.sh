#!/usr/bin/env bash
# `explain oci BUNDLE` out of memory says so (twenty-seventh pass, part C):
# each allocation failing alone (tests/lib/failalloc.c,
# CS_FAILALLOC_SPAN=1) gives the whole answer or one line with a reason,
# exit 2. Before, a bare -ENOMEM from the JSON tree's reader (21 of 118
# allocations) was printed as "capscope explain oci: bundle/config.json: "
# and nothing more, and the bundle's path not allocated (2) as
# "capscope explain oci: ": lib/oci-config.c now passes each through
# cs_diag_unsaid.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
mkdir -p "$T/b/rootfs/bin" && cp /bin/true "$T/b/rootfs/bin/x"
cat >"$T/b/config.json" <<'EOF2'
{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"user":{"uid":1000,"gid":1000,"additionalGids":[5]},"args":["/bin/x","a"],"env":["PATH=/bin"],"cwd":"/","noNewPrivileges":true,"capabilities":{"bounding":["CAP_NET_RAW","CAP_CHOWN"],"effective":["CAP_NET_RAW"],"permitted":["CAP_NET_RAW","CAP_CHOWN"],"ambient":["CAP_NET_RAW"],"inheritable":["CAP_NET_RAW"]}}}
EOF2

failalloc_table failalloc_said <<EOF2
explain oci	explain oci $T/b
explain oci --json	explain oci --json $T/b
EOF2
done_testing
