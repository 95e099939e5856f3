#!/usr/bin/env bash
# Warnings capscope writes on stderr beside a result (not a refusal, so the
# hostile-corpus suite's message walk never reaches them) name files and
# fields of anyone's: each through the one escaping rule (escape.h), one
# line, nothing raw (twenty-fourth pass).
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
corpus=$CAPSCOPE_TOP/tests/lib/hostile-names.py

# ESC (a colour), a line feed that forges a line, CR, a raw C1 CSI byte,
# U+009B (a CSI as UTF-8) and U+202E (right-to-left override).
H=$'\e[31mX\ncapscope explain pod: forged\r\x9b\xc2\x9b\xe2\x80\xaeY'

clean() { # FILE DESCRIPTION
  local out
  out=$(python3 "$corpus" check "$1")
  is "$?" 0 "$2: no hostile character raw"
  [ -z "$out" ] || sed 's/^/#   /' <<<"$out"
}

# An image whose one layer holds "../up": read, kept inside the root as
# /up, and noted. explain pod warns that the image had entries adjusted,
# naming the archive twice ("'capscope scan ARCHIVE' lists them").
python3 - "$H.tar" <<'PY'
import hashlib, io, json, sys, tarfile
def add(t, name, data):
    i = tarfile.TarInfo(name)
    i.size = len(data)
    t.addfile(i, io.BytesIO(data))
lb = io.BytesIO()
with tarfile.open(fileobj=lb, mode="w") as l:
    add(l, "bin/sh", b"#!x\n")
    add(l, "../up", b"")
layer = lb.getvalue()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/bin/sh"]},
                  "rootfs": {"type": "layers",
                             "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]}}).encode()
with tarfile.open(sys.argv[1], "w") as t:
    add(t, "l.tar", layer)
    add(t, "c.json", cfg)
    add(t, "manifest.json", json.dumps([{"Config": "c.json", "RepoTags": ["x:1"],
                                          "Layers": ["l.tar"]}]).encode())
PY
cat >pod.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: "x:1"}]}
Y
for form in ARCHIVE REF=ARCHIVE; do
  img="$H.tar"
  [ "$form" = ARCHIVE ] || img="x:1=$H.tar"
  "$CAPSCOPE" explain pod --image "$img" pod.yaml >/dev/null 2>err.txt
  like "$?" '^[01]$' "explain pod --image $form: read"
  like "$(cat err.txt)" 'warning: .*1 entries of the image were ignored or adjusted' \
    "explain pod --image $form: the adjusted entries warned of"
  is "$(grep -c . err.txt)" 1 "explain pod --image $form: the warning is one line"
  clean err.txt "explain pod --image $form: the warning"
done

done_testing
