#!/usr/bin/env bash
# asan-too
# The outer archive's index (lib/scan/image.c outer_index: each layer found
# without reading the archive from its start) kept every outer entry's whole
# normalized name: the 30,000 empty entries of 3.9 KB names here (a 1 MB
# gzip) held about 115 MB (sixteenth pass, part F, found, not fixed; `scan`
# peaked at 123 MB). It keeps each name as a keyed hash now, checked against
# the entry's own header when read (part M): 13 MB. The RSS (GNU time %M) is
# checked outside a sanitizer only.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import gzip, hashlib, io, json, tarfile
def cfg(*layers):  # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
def add(t, n, d, mode=0o644, kind=None, link=None):
    i = tarfile.TarInfo(n); i.size = len(d); i.mode = mode
    if kind:
        i.type = kind; i.linkname = link; i.size = 0; d = b""
    t.addfile(i, io.BytesIO(d))
lb = io.BytesIO()
with tarfile.open(fileobj=lb, mode="w", format=tarfile.GNU_FORMAT) as t:
    add(t, "usr/bin/su", b"\x7fELF" + b"\0" * 60, 0o4755)
layer = lb.getvalue()
pre = "/".join(["d" * 99] * 39)  # 3,899 bytes of directories
def image(noise, man, links=False):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
        for k in range(noise):
            t.addfile(tarfile.TarInfo("%s/%08d" % (pre, k)))
        add(t, "l0/layer.tar", layer)
        if links:  # a symlink to a hard link to the layer
            add(t, "l1/layer.tar", b"", kind=tarfile.LNKTYPE, link="l0/layer.tar")
            add(t, "l2/layer.tar", b"", kind=tarfile.SYMTYPE, link="../l1/layer.tar")
        add(t, "c.json", cfg(*[layer] * len(man)))
        add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": man}]).encode())
    return b.getvalue()
open("img.tar.gz", "wb").write(gzip.compress(image(30000, ["l0/layer.tar"]), 6))
open("links.tar", "wb").write(image(0, ["l2/layer.tar", "l0/layer.tar"], True))
open("links.tar.gz", "wb").write(gzip.compress(image(0, ["l2/layer.tar"], True), 6))
with tarfile.open("twice.tar", "w") as t:  # a link target written twice
    t.addfile(tarfile.TarInfo("x")); t.addfile(tarfile.TarInfo("x"))
    i = tarfile.TarInfo("l/layer.tar"); i.type = tarfile.SYMTYPE; i.linkname = "../x"
    t.addfile(i)
    add(t, "c.json", cfg(b""))
    add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())
PY
with_rss timeout 120 "$CAPSCOPE" scan --json img.tar.gz >out 2>err
is "$? $(cat err)" "0 " "a docker archive behind 30,000 empty entries of long names: scanned"
is "$(jq -c '[.summary.targets[0].kind, [.findings[].path]]' out)" \
  '["docker-archive",["/usr/bin/su"]]' "...as a docker archive, the set-uid file found"
rss_below 60000 "...in less than 60 MB (123 MB before: the index kept each name)"
for f in links.tar links.tar.gz; do
  "$CAPSCOPE" scan --json "$f" >out 2>err
  is "$? $(cat err)" "0 " "$f: a layer reached by a symlink to a hard link: read"
  is "$(jq -c '[.findings[].path] | unique' out)" '["/usr/bin/su"]' "...its set-uid file found"
done
"$CAPSCOPE" scan twice.tar >out 2>err
is "$?" "2" "a layer that is a link to a name written twice: refused, not read"
like "$(cat err)" "l/layer.tar: a link to a name in the archive twice" "...naming the layer asked for"
done_testing
