#!/usr/bin/env bash
# A scalar read through many YAML aliases is held once (fifteenth pass, part
# F): the manifest reader copied it for each alias (lib/k8s/manifest-read.c
# mf_copy) and the command line packed it again for each word
# (lib/k8s/kubelet.c cs_kubelet_argv): 20,000 aliases of a 10 KB string
# in a 70 KB file held 475 MB (40,000: 950 MB); now some 5 MB. go-yaml
# counts an alias of a scalar as one node, so Kubernetes reads the file.
# And the kubelet's $(VAR) expansions of one command line stop once the
# words and pointers pass 6 MiB, where execve certainly says E2BIG
# (cs_kubelet_argv; each word was bounded, their number not): 4,000
# args "$(E)" with a 60 KB E held 480 MB (20,000 in a 220 KB
# AdmissionReview: 2.4 GB in the webhook); the later words are kept as
# written (tests/cli/exec-e2big: the prediction is E2BIG). Counted as bytes (GNU time's maximum RSS), never timed; not under a
# sanitizer, whose shadow memory is the point of it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/rss.sh"
rss_needs python3
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY'
n, L = 20000, 10000
open("al.yaml", "w").write(
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: &s " + "x" * L +
    "\nspec:\n  containers:\n  - name: c\n    image: i\n    env:\n    - {name: E, value: *s}\n"
    "    args: [" + ",".join(["*s"] * n) + "]\n")
open("ex.yaml", "w").write(
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
    "    image: i\n    env:\n    - name: E\n      value: " + "x" * 60000 + "\n"
    "    args: [" + ",".join(['"$(E)"'] * 4000) + "]\n")
PY
for cmd in "lint" "explain pod --json"; do
  /usr/bin/time -f '%M' -o rss $CAPSCOPE $cmd al.yaml >out 2>err
  kb=$(tail -n 1 rss)
  [ "$kb" -le 65536 ]
  ok $? "$cmd: 20,000 aliases of a 10 KB string: $kb KB (at most 64 MB; 475 MB a copy each)"
done
grep -q '"argv"\|xxxxxxxxxx' out
ok $? "explain pod --json still reads the aliased words"
for cmd in "lint" "explain pod --json"; do
  /usr/bin/time -f '%M' -o rss $CAPSCOPE $cmd ex.yaml >out 2>err
  kb=$(tail -n 1 rss)
  [ "$kb" -le 65536 ]
  ok $? "$cmd: 4,000 args \$(E) of a 60 KB E: $kb KB (at most 64 MB; 480 MB expanded each)"
done
done_testing
