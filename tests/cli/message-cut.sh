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
like "$line" 'é\.\.\.$' "a step: cut on a character and marked '...'"
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
done_testing
