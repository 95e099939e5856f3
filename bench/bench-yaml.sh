#!/usr/bin/env bash
# lint's memory on one large container written five ways (session 13): JSON
# alone, JSON after white space and after "---" (both built by hand now; 250
# MB each through libfyaml's scanner before), block YAML, and one line of
# flow YAML (refused past 65,536 flow indicators held; 329 MB before). Also
# N and 4N pods as a stream of JSON documents, each after a "---" line
# (kubectl refuses "--- {json}" on one line, and so does capscope since
# part H). Max RSS (GNU time), elapsed time and lint's exit status (2: the
# text was refused, as flow.yaml is by design); memory is the target
# (lint's RSS stays under 48 MB).
set -uo pipefail
build=${1:-build}
cs=$(cd "$build" && pwd)/capscope
[ -x /usr/bin/time ] || { echo "bench-yaml: needs GNU time (/usr/bin/time)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
c = {"name": "c", "image": "i", "env": [{"name": "E%d" % i, "value": "v"} for i in range(100000)]}
pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [c]}}
j = json.dumps(pod)
open(d + "/json.json", "w").write(j + "\n")
open(d + "/space.yaml", "w").write(" " + j + "\n")
open(d + "/marker.yaml", "w").write("---\n" + j + "\n")
with open(d + "/block.yaml", "w") as f:
    f.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    env:\n")
    for i in range(100000):
        f.write("    - name: E%d\n      value: v\n" % i)
open(d + "/flow.yaml", "w").write("kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: i, args: [" + ",".join(["a"] * 800000) + "]}\n")
small = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
for n in (2000, 8000):
    with open(d + "/stream-%d.yaml" % n, "w") as f:
        for i in range(n):
            small["metadata"]["name"] = "p%d" % i
            f.write("---\n" + json.dumps(small) + "\n")
PY
for f in json.json space.yaml marker.yaml block.yaml flow.yaml stream-2000.yaml stream-8000.yaml; do
  /usr/bin/time -f '%e %M %x' -o "$tmp/t" "$cs" lint "$tmp/$f" >/dev/null 2>&1
  read -r secs kb rc < <(tail -n 1 "$tmp/t")
  printf 'lint %-17s %9d bytes  %6.2f s  %7d KB  exit %s\n' "$f" "$(stat -c %s "$tmp/$f")" "$secs" "$kb" "$rc"
done
