#!/usr/bin/env bash
# SCC admission's cost against the size of its lists: K SCCs with N
# defaultAddCapabilities each, all refusing (hostPID), and one pod of C
# containers, at N and 2N. Every container is checked against every SCC, so
# the work is K x C x N; each capability's lookup must stay logarithmic, so
# doubling N should about double the time (it was 4x: a linear has() per
# capability, 26 s at K=20 C=200 N=2000), and memory must not keep every
# refused SCC's lists (it grew with K x C x N). Not a timed test.
set -uo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
[ -x /usr/bin/time ] || { echo "bench-scc: needs GNU time (/usr/bin/time)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
K=20 C=200
gen() { # N → $tmp/scc-N.yaml, $tmp/pod.yaml
  python3 - "$1" "$K" "$C" "$tmp" <<'PY'
import sys
n, k, c, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
caps = ",".join("C%d" % i for i in range(n))
with open(f"{d}/scc-{n}.yaml", "w") as f:
    for j in range(k):
        f.write(f"---\nkind: SecurityContextConstraints\napiVersion: security.openshift.io/v1\n"
                f"metadata: {{name: s{j}}}\nrunAsUser: {{type: RunAsAny}}\n"
                f"seLinuxContext: {{type: RunAsAny}}\ndefaultAddCapabilities: [{caps}]\n")
with open(f"{d}/pod.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n")
    for i in range(c):
        f.write(f"  - {{name: c{i}, image: busybox}}\n")
PY
}
for n in 1000 2000; do
  gen $n
  /usr/bin/time -f '%U %M' -o "$tmp/t" "$cs" explain pod --scc "$tmp/scc-$n.yaml" "$tmp/pod.yaml" >/dev/null 2>&1
  read -r u m < <(tail -n 1 "$tmp/t")
  printf 'explain pod --scc  K=%d C=%d N=%-5d %6.2f s user  %7d KB\n' "$K" "$C" "$n" "$u" "$m"
done
