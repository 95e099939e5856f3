#!/usr/bin/env bash
# The node inventory's cost in the number of containers (issue 13, seventh
# pass): every process's cgroup was looked up from the start of the
# container list, so a scan was quadratic in the containers, and an
# unprivileged user with a delegated cgroup subtree (rootless containers)
# can make thousands of cgroups named like a container's: 8,000 took 2.7 s
# a scrape, under the lock that /metrics and /api/v1/containers share.
# Instructions counted by cachegrind over a /proc made here (the same on a
# busy machine): four times the containers, at most five times the work.
source "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "valgrind is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
SCAN=$CAPSCOPE_BUILD/tests/helpers/node-scan
[ -x "$SCAN" ] || skip_all "tests/helpers/node-scan is not built"
tap_tmpdir
trap 'rm -rf "$T"' EXIT

fakeproc() { # DIR N: N processes, each alone in a cgroup named like a container's
  python3 - "$1" "$2" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    p = os.path.join(d, str(4000000 + i))
    os.makedirs(p)
    with open(os.path.join(p, "cgroup"), "w") as f:
        f.write("0::/user.slice/user-1000.slice/user@1000.service/docker/%064x\n" % (i * 7919 + 1))
PY
}
irefs() { # PROC -> instructions of node-scan PROC
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$SCAN" "$1" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,
}
fakeproc "$T/p1" 1000 && fakeproc "$T/p4" 4000
is "$("$SCAN" "$T/p4")" 4000 "4,000 cgroups named like containers: 4,000 containers"
i1=$(irefs "$T/p1"); i4=$(irefs "$T/p4")
echo "# node scan (twice): N=1000 $i1, N=4000 $i4 instructions"
ok "$(awk "BEGIN { print ($i1 > 0 && $i4 <= 5 * $i1) ? 0 : 1 }")" \
  "four times the containers, at most five times the instructions (linear, not quadratic)"
done_testing
