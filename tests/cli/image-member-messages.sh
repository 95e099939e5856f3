#!/usr/bin/env bash
# asan-too
# A member an image's manifest names that cannot be read: the message names
# the document and its field (manifest.json's Layers[i] or Config, an OCI
# manifest's layers[i].digest or config.digest, index.json's manifests),
# then the member's name quoted as one word, escaped, on one line.
# Twenty-first pass, part E: it was "img.tar: NAME: layer not found in the
# archive", the name unquoted (a name with a space read as two words) and
# the field not said.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

python3 - <<'PY'
import hashlib, io, json, os, tarfile
def tar_of(files, out):
    with tarfile.open(out, 'w') as t:
        for name, data in files:
            i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
b = io.BytesIO(); tarfile.open(fileobj=b, mode='w').close(); layer = b.getvalue()
lh = 'sha256:' + hashlib.sha256(layer).hexdigest()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": [lh, lh]}}).encode()
# docker save: the second layer is not in the archive; its name has ESC, a space, U+202E
bad = "gone\x1b[31m x\u202e.tar"
man = json.dumps([{"Config": "c.json", "Layers": ["l.tar", bad]}]).encode()
tar_of([("manifest.json", man), ("c.json", cfg), ("l.tar", layer)], "docker.tar")
man = json.dumps([{"Config": "no such.json", "Layers": ["l.tar"]}]).encode()
tar_of([("manifest.json", man), ("l.tar", layer)], "nocfg.tar")
# OCI: the manifest's second layer is not there
blobs = {}
def blob(data):
    h = hashlib.sha256(data).hexdigest(); blobs["blobs/sha256/" + h] = data
    return "sha256:" + h, len(data)
ld, ls = blob(layer); cd, cs = blob(cfg)
L = "application/vnd.oci.image.layer.v1.tar"
m = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
                "layers": [{"mediaType": L, "digest": ld, "size": ls},
                           {"mediaType": L, "digest": "sha256:" + "ab" * 32, "size": 10}]}).encode()
md, ms = blob(m)
open("mdigest", "w").write(md.split(":")[1])
idx = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": md, "size": ms, "platform": {"architecture": "amd64", "os": "linux"}}]}).encode()
files = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", idx)] + sorted(blobs.items())
tar_of(files, "oci.tar")
os.makedirs("oci/blobs/sha256")
for n, d in files:
    open("oci/" + n, "wb").write(d)
PY
M="blobs/sha256/$(cat mdigest)"
A="'blobs/sha256/$(printf 'ab%.0s' {1..32})'"

"$CAPSCOPE" scan docker.tar >/dev/null 2>err; rc=$?
is "$rc $(cat err)" "2 capscope scan: docker.tar: manifest.json: Layers[1]: 'gone\\x1b[31m x\\u202e.tar': not in the archive" \
  "docker: a missing layer: manifest.json's field, the name quoted and escaped"
is "$(wc -l <err)" 1 "…on one line"
"$CAPSCOPE" explain pod --image docker.tar /dev/stdin <<<'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}' >/dev/null 2>err
like "$(cat err)" "^capscope explain pod: --image: docker\.tar: manifest\.json: Layers\[1\]: 'gone\\\\x1b\[31m x\\\\u202e\.tar': not in the archive\$" \
  "explain pod --image: the same message"
"$CAPSCOPE" scan nocfg.tar >/dev/null 2>err
is "$(cat err)" "capscope scan: nocfg.tar: manifest.json: Config: 'no such.json': not in the archive" \
  "docker: a missing config: the field Config, the name as one word"
"$CAPSCOPE" scan oci.tar >/dev/null 2>err
is "$(cat err)" "capscope scan: oci.tar: $M: layers[1].digest: $A: not in the archive" \
  "OCI archive: the manifest blob and its layers[1].digest named"
"$CAPSCOPE" scan oci >/dev/null 2>err
is "$(cat err)" "capscope scan: oci: $M: layers[1].digest: $A: not in the layout directory" \
  "OCI layout directory: the same, said of the directory"
rm oci/blobs/sha256/"$(cat mdigest)"
"$CAPSCOPE" scan oci >/dev/null 2>err
is "$(cat err)" "capscope scan: oci: index.json: manifests: '$M': not in the layout directory" \
  "OCI layout: a missing manifest: index.json's manifests named"
"$CAPSCOPE" scan --json docker.tar 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["targets"][0]["error"])' >jerr
is "$(cat jerr)" "manifest.json: Layers[1]: 'gone"$'\x1b'"[31m x"$'\u202e'".tar': not in the archive" \
  "--json: the same message, the name as JSON holds it"
# Twenty-fifth pass, part A: a JSON document of the image refused at a line
# and column named them as the archive's ("img.tar:2:20: config: ...",
# scan "img.tar: 1:32: manifest.json: ..."): they are the document's, named
# before them.
python3 - <<'PY'
import io, json, os, tarfile
def tar_of(files, out):
    with tarfile.open(out, 'w') as t:
        for name, data in files:
            i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
b = io.BytesIO(); tarfile.open(fileobj=b, mode='w').close(); layer = b.getvalue()
man = json.dumps([{"Config": "cfg.json", "Layers": ["l.tar"]}]).encode()
import hashlib
ids = ', "rootfs": {"type": "layers", "diff_ids": ["sha256:%s"]}}' % hashlib.sha256(layer).hexdigest()
tar_of([("cfg.json", b'{"os": "linux",\n "config": {"User": 5}' + ids.encode()), ("l.tar", layer), ("manifest.json", man)], "cfg-type.tar")
tar_of([("cfg.json", b'{}'), ("l.tar", layer), ("manifest.json", b'[{"Config": "cfg.json",\n "Layers": ["l.tar"]} ')], "man-syntax.tar")
os.makedirs("oci-bad", exist_ok=True)
open("oci-bad/oci-layout", "w").write('{"imageLayoutVersion": "1.0.0"}')
open("oci-bad/index.json", "w").write('{"schemaVersion": 2,\n "manifests": [}')
PY
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
for c in "cfg-type.tar|cfg\\.json:2:21: config\\.User must be a string" \
  "man-syntax.tar|manifest\\.json:2:23: not valid JSON: " "oci-bad|index\\.json:2:16: not valid JSON: "; do
  a=${c%%|*} want=${c#*|}
  err=$("$CAPSCOPE" scan "$a" 2>&1 >/dev/null)
  like "$err" "^capscope scan: ${a//./\\.}: $want" "scan $a: the document's line and column after its name"
  err=$("$CAPSCOPE" explain pod --image "$a" pod.yaml 2>&1 >/dev/null)
  like "$err" "^capscope explain pod: --image: ${a//./\\.}: $want" "explain pod --image $a: the same"
done
done_testing
