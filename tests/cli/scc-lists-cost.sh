#!/usr/bin/env bash
# An SCC's forbiddenSysctls and allowedUnsafeSysctls were matched by walking
# every pattern for every pod sysctl, and its volumes by walking the list for
# every pod volume: pod sysctls x patterns an SCC (8,000 x 16,000 took 3.3 s),
# volumes x entries (8,000 x 8,000: 0.8 s; sixteenth pass, part I). Indexed
# (lib/k8s/scc-sysctls.c; the volumes sorted, lib/k8s/scc.c) a lookup costs
# a log. Counted, never timed: callgrind's instructions for explain pod at
# n = 0, 1,500 and 3,000 (n sysctls and n volumes in the pod, n forbidden and
# n allowed patterns and n volume entries in the SCC, none matching).
# Quadratic, the second difference was 3.4 times the first (sysctls alone);
# the volumes alone as before, 2.5; both fixed, 2.04 (at most 2.25 taken).
. "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "needs valgrind (callgrind counts the work)"
command -v python3 >/dev/null || skip_all "needs python3"
grep -q __asan_init "${CAPSCOPE_DYN:-$CAPSCOPE}" 2>/dev/null && skip_all "an ASan build: valgrind cannot run it"
tap_tmpdir
cd "$T" || exit 1
for n in 0 1500 3000; do
  python3 - "$n" <<'PY'
import sys
n = int(sys.argv[1])
out = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: p", "spec:", "  securityContext:",
       "    sysctls:"]
out += ["    - name: kernel.shm_rmid_forced%d\n      value: '1'" % i for i in range(n)]
if not n:
    out[-1] = "    sysctls: []"
out += ["  volumes:"] + ["  - name: v%d\n    emptyDir: {}" % i for i in range(n)]
if not n:
    out[-1] = "  volumes: []"
out += ["  containers:", "  - name: c", "    image: i"]
open("pod-%d.yaml" % n, "w").write("\n".join(out) + "\n")
s = ["apiVersion: security.openshift.io/v1", "kind: SecurityContextConstraints",
     "metadata:", "  name: s", "runAsUser:", "  type: RunAsAny", "seLinuxContext:",
     "  type: RunAsAny", "fsGroup:", "  type: RunAsAny", "supplementalGroups:",
     "  type: RunAsAny", "volumes: [%s]" % ",".join(["configMap"] * max(n, 1)), "forbiddenSysctls: [%s]" % ",".join(
         "net.x%d.*" % i for i in range(n)), "allowedUnsafeSysctls: [%s]" % ",".join(
         "vm.y%d" % i for i in range(n))]
open("scc-%d.yaml" % n, "w").write("\n".join(s) + "\n")
PY
done
# the first process valgrind names is capscope's: a child it forks (the
# sysctl probe in a new network namespace) says its own count at its end
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "${CAPSCOPE_DYN:-$CAPSCOPE}" explain pod --scc "scc-$1.yaml" "pod-$1.yaml" 2>&1 >/dev/null |
    awk '/^==[0-9]+==/ && !p { p = $1 } $1 == p && /Collected :/ { print $NF }'
}
i0=$(ir 0); i1=$(ir 1500); i2=$(ir 3000)
echo "# instructions: n=0 $i0, 1500 $i1, 3000 $i2"
[ -n "$i0" ] && [ -n "$i1" ] && [ -n "$i2" ]
ok $? "callgrind counted the three runs"
ok "$(python3 -c 'import sys; a,b,c=map(int,sys.argv[1:]); sys.exit(0 if (c-a) <= 2.25*(b-a) else 1)' "$i0" "$i1" "$i2"; echo $?)" \
  "3,000 sysctls, volumes and entries cost at most 2.25x the work of 1,500 (not their products)"
out=$("$CAPSCOPE" explain pod --scc scc-1500.yaml pod-1500.yaml 2>&1)
like "$out" "unsafe sysctl kernel.shm_rmid_forced7 is not allowed" "the sysctl refusal is still said"
like "$out" "spec.volumes.7.: emptyDir volumes are not allowed" "the volume refusal is still said"
done_testing
