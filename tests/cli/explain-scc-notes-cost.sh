#!/usr/bin/env bash
# asan-too
# explain pod --openshift of an admitted pod of N containers is linear in N
# (twenty-first pass, part F). The chosen SCC's changes to every container
# (scc.run-as-user, scc.run-as-non-root, scc.allow-privilege-escalation,
# scc.capabilities: four steps a container) were pod-level steps, and every
# container's report printed all of them: N reports of 4N steps, in text,
# --json and --html. 2,000 containers of a name and an image (a 60 KB
# manifest) wrote 2.4 GB of text in 9 s. Now a report shows its own
# container's changes (cs_pod_steps_of). Counted, never timed: the steps
# of each report at N = 20 and N = 40 must not grow with N.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
for n in 20 40; do
  python3 - "$n" >"pod-$n.json" <<'PY'
import json, sys
n = int(sys.argv[1])
json.dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c%d" % i, "image": "i"} for i in range(n)],
                    "initContainers": [{"name": "i%d" % i, "image": "i"} for i in range(n)]}},
          sys.stdout)
PY
  "$CAPSCOPE" explain pod --openshift "pod-$n.json" >"text-$n" 2>err
  is "$?" 0 "N=$n: text, admitted (exit 0)"
  "$CAPSCOPE" explain pod --openshift --json "pod-$n.json" >"json-$n" 2>err
  is "$?" 0 "N=$n: --json, exit 0"
  "$CAPSCOPE" explain pod --openshift --html "page-$n.html" "pod-$n.json" >/dev/null 2>err
  is "$?" 0 "N=$n: --html, exit 0"
done
# Steps a report: text lines "  NN. [layer] rule:", the JSON's "steps"
# arrays, the page's step rows; the whole over the 2N containers.
per() { # format N → steps a container, and the scc.* steps a container
  case $1 in
  text) grep -cE '^ +[0-9]+\. \[' "text-$2" ;;
  json) python3 -c 'import json,sys; print(sum(len(c["steps"]) for c in json.load(open(sys.argv[1]))["containers"]))' "json-$2" ;;
  html) grep -o '<tr><td>[0-9]*</td><td>' "page-$2.html" | wc -l ;;
  esac
}
for f in text json html; do
  a=$(per "$f" 20) && b=$(per "$f" 40)
  ok $? "$f: steps counted ($a, $b)"
  # 40 containers at N=20, 80 at N=40: the same steps a container.
  ea=$((a / 40)) eb=$((b / 80))
  is "$eb" "$ea" "$f: $eb steps a container at N=40, as at N=20 ($ea)"
done
# Container c7's report: its own SCC changes, no other container's.
awk '/^Container c7 /{on=1; next} /^Container /{on=0} on' text-40 >c7
n7=$(grep -c '\[scc\] scc\.[a-z-]*: c7:' c7)
is "$n7" 4 "c7's report: its four SCC changes"
is "$(grep -cE '\[scc\] scc\.[a-z-]*: (c[0-9]+|i[0-9]+):' c7)" 4 "c7's report: no other container's"
done_testing
