#!/usr/bin/env bash
# asan-too
# explain pod --scc with many SCCs and containers keeps every SCC's refusal
# of every container (OpenShift's own refusal names them all: "unable to
# validate against any security context constraint: [provider ...]"), and
# what it prints grows with those pairs, no faster (decided in the
# sixteenth pass, part I: a summary would drop what the API server says).
# Counted in bytes, never timed: S SCCs that refuse a privileged container x
# C such containers, text and JSON, at 16 x 16, 32 x 16, 16 x 32 and 32 x 32
# (past the 4 KB cut of the copy each container carries, lib/explain/pod.c
# container_reason; below it that copy grows as C x S a container).
. "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
gen() {
  python3 - "$1" "$2" <<'PY'
import sys
s, c = int(sys.argv[1]), int(sys.argv[2])
out = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: p", "spec:", "  containers:"]
for i in range(c):
    out += ["  - name: c%d" % i, "    image: i", "    securityContext:", "      privileged: true"]
open("pod-%d-%d.yaml" % (s, c), "w").write("\n".join(out) + "\n")
d = []
for i in range(s):
    d += ["---", "apiVersion: security.openshift.io/v1", "kind: SecurityContextConstraints",
          "metadata:", "  name: s%d" % i, "runAsUser:", "  type: RunAsAny", "seLinuxContext:",
          "  type: RunAsAny", "fsGroup:", "  type: RunAsAny", "supplementalGroups:",
          "  type: RunAsAny", "volumes: ['*']"]
open("scc-%d-%d.yaml" % (s, c), "w").write("\n".join(d) + "\n")
PY
}
size() { # S C [--json]
  "$CAPSCOPE" explain pod ${3:-} --scc "scc-$1-$2.yaml" "pod-$1-$2.yaml" 2>/dev/null | wc -c
}
for p in "16 16" "32 16" "16 32" "32 32"; do gen $p; done
"$CAPSCOPE" explain pod --scc scc-32-32.yaml pod-32-32.yaml >out.txt 2>/dev/null
ok $([ $? -eq 1 ] && echo 0 || echo 1) "the pod is refused (exit 1)"
n=$(grep -m1 "SCC admission:" out.txt | grep -o "c[0-9]*: Privileged containers are not allowed" | wc -l)
is "$n" 1024 "the pod's refusal names every SCC's refusal of every container (32 x 32)"
for fmt in "" --json; do
  a=$(size 16 16 $fmt); b=$(size 32 16 $fmt); c=$(size 16 32 $fmt); d=$(size 32 32 $fmt)
  echo "# ${fmt:-text} bytes: 16x16 $a, 32x16 $b, 16x32 $c, 32x32 $d"
  ok "$(python3 -c 'import sys; a,b,c,d=map(int,sys.argv[1:]); sys.exit(0 if b<=2.2*a and c<=2.2*a and d<=4.4*a else 1)' "$a" "$b" "$c" "$d"; echo $?)" \
    "${fmt:-text}: twice the SCCs or the containers at most 2.2x the bytes, both 4.4x (the pairs, no more)"
done
done_testing
