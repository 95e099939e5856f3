#!/usr/bin/env bash
# asan-too
# A message that quotes a long value cuts it on a character boundary and
# says so with "..." (CS_MSG_CUT, lib/internal/util.h). A bare "%.40s" cut
# a UTF-8 character in half, so the message showed "\xc3", a byte the value
# did not hold, and quoted a cut value as if it were all of it.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

x39=$(printf 'x%.0s' $(seq 39))
python3 - <<'P'
x = "x" * 39
open("os.yaml", "w").write('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n'
                           '  os: {name: "' + x + 'éTAIL"}\n  containers: [{name: c, image: i}]\n')
open("av.yaml", "w").write('apiVersion: apps/v1' + "y" * 52 + 'éz\nkind: Pod\nmetadata: {name: p}\n'
                           'spec:\n  containers: [{name: c, image: i}]\n')
# Tags and anchor names are ASCII (others are refused before): cut, marked.
open("tag.yaml", "w").write('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n'
                            '  containers: [{name: c, image: !' + x + 'xTAIL i}]\n')
open("anchor.yaml", "w").write('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n'
                               '  containers: [{name: c, image: *' + x + 'xTAIL}]\n')
P
for f in os av tag anchor; do
  "$CAPSCOPE" lint "$f.yaml" >/dev/null 2>err.txt
  is "$?" 2 "$f: refused"
  is "$(wc -l <err.txt)" 1 "$f: one line"
  ok "$(grep -q 'xc3\|\\x' err.txt; echo $((! $?)))" "$f: no half character (\\xc3) in the message"
  ok "$(grep -q "TAIL\|é" err.txt; echo $((! $?)))" "$f: the value is cut"
  like "$(cat err.txt)" "^capscope lint: $f\\.yaml:[0-9]+:[0-9]+: " "$f: file, line and column"
  ok "$(grep -q '\.\.\.' err.txt; echo $?)" "$f: the cut is marked '...'"
done
like "$("$CAPSCOPE" lint os.yaml 2>&1)" "Unsupported value \"$x39\\.\\.\\.\"" \
  "os: the 39 bytes before the character, then '...'"

# A model step's sentence (320 bytes) with a long container name in it: cut
# on a character, and marked (steps.c; second round of the fifteenth pass).
n=$(printf 'é%.0s' $(seq 200))
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: "xx%s"\n    image: i\n    securityContext: {runAsUser: 1000, capabilities: {add: [NET_ADMIN]}}\n' \
  "$n" >step.yaml
"$CAPSCOPE" explain pod step.yaml >step.txt 2>err.txt
line=$(grep -a 'pod\.requested: ' step.txt)
ok "$(grep -qa 'xc3' <<<"$line"; echo $((! $?)))" "a step: no half character (\\xc3)"
# Nineteenth pass: cut in its middle, so the sentence's end survives.
like "$line" 'é\.\.\.é+": capabilities add \[NET_ADMIN\] drop \[\]$' \
  "a step: cut on a character in its middle, marked '...', its end kept"
# A message whose context is put in front of it keeps its reason: a layer's
# entry named with 5,000 bytes (eighteenth pass: "LAYER: bin/LLL..." and
# nothing after it; the label and the 200 bytes of the name filled the 255).
python3 - <<'P'
import hashlib, io, json, tarfile
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo("bin/" + "L" * 5000 + "END")
    ti.size, ti.mode = 4, 0o755
    t.addfile(ti, io.BytesIO(b"\x7fELF"))
layer = b.getvalue()
lid = hashlib.sha256(layer).hexdigest()
cfg = json.dumps({"os": "linux", "config": {}, "rootfs": {"type": "layers",
                  "diff_ids": ["sha256:" + lid]}}).encode()
cid = hashlib.sha256(cfg).hexdigest()
o = io.BytesIO()
with tarfile.open(fileobj=o, mode="w") as t:
    for name, data in ((cid + ".json", cfg), (lid + "/layer.tar", layer),
                       ("manifest.json", json.dumps([{"Config": cid + ".json",
                        "Layers": [lid + "/layer.tar"]}]).encode())):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
open("long.tar", "wb").write(o.getvalue())
P
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
for cmd in "scan long.tar" "explain pod --image long.tar pod.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >/dev/null 2>err.txt
  is "$?" 2 "$cmd: a name no applier can write is an input error"
  is "$(wc -l <err.txt)" 1 "$cmd: one line"
  like "$(cat err.txt)" 'long\.tar: layer 0 \([0-9a-f]{20,}\.\.\.[0-9a-f]{20,}/layer\.tar\): bin/L+\.\.\.L+END: a name longer than 4096 bytes \(ENAMETOOLONG\): containerd and Docker fail on this layer; refusing the image$' \
    "$cmd: the layer, the name's head and end, and the whole reason"
done

# Nineteenth pass: one message whose own text is longer than its field
# (255 bytes) was cut at its end, where the reason is; a file name, a
# field name and a list of names so too. 5,000-byte names each.
python3 - <<'P'
import json
X = "X" * 5000 + "END"
pod = lambda sc: {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"containers": [{"name": "c", "image": "i", "securityContext": sc}]}}
json.dump(pod({"procMount": X}), open("pm.json", "w"))
json.dump(pod({"k" * 4990 + "lastKey": 1}), open("field.json", "w"))
json.dump({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {"user": {"uid": 0, "gid": 0},
           "cwd": "/", "args": ["/bin/sh"], "capabilities": {"bounding": ["CAP_" + X]}}},
          open("config.json", "w"))
P
"$CAPSCOPE" lint pm.json >/dev/null 2>err.txt
is "$(wc -l <err.txt)" 1 "a 5,000-byte value: one line"
like "$(cat err.txt)" '^capscope lint: pm\.json:1:[0-9]+: spec\.containers\[0\]\.securityContext\.procMount: Unsupported value "X+\.\.\.X+END": the API server takes Default or Unmasked$' \
  "a 5,000-byte value: its head and end, and the reason"
"$CAPSCOPE" lint field.json >/dev/null 2>err.txt
is "$(wc -l <err.txt)" 1 "a 5,000-byte field name: one line"
like "$(cat err.txt)" '^capscope lint: field\.json:1:[0-9]+: spec\.containers\[0\]\.securityContext\.k+\.\.\.: unknown field: .*for a newer cluster\)$' \
  "a 5,000-byte field name: file:line:column, the field, the whole reason"
d=$(printf 'd%.0s' $(seq 240))
p=.
for _ in $(seq 21); do p=$p/$d; done # 5,000 bytes: longer than PATH_MAX
for cmd in "lint $p/x.yaml" "explain pod $p/x.yaml" "policy scc $p/x.yaml"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd >/dev/null 2>err.txt
  is "$?" 2 "a 5,000-byte file name (${cmd%% *}): refused"
  is "$(wc -l <err.txt)" 1 "a 5,000-byte file name (${cmd%% *}): one line"
  like "$(cat err.txt)" '^capscope [a-z ]+: \./d+\.\.\.d+/x\.yaml: cannot (open|read): File name too long$' \
    "a 5,000-byte file name (${cmd%% *}): its head and its end (x.yaml), and the reason"
done
mkdir -p bundle/rootfs
mv config.json bundle/
"$CAPSCOPE" explain oci bundle >/dev/null 2>err.txt
like "$(grep warning err.txt)" 'runc ignores unknown capabilities: CAP_X+\.\.\.X+END$' \
  "a 5,000-byte unknown capability: named by its head and end (was ', ...')"
done_testing
