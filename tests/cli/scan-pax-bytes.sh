#!/usr/bin/env bash
# asan-too
# A PAX `path` (or `linkpath`, `uname`) that is not UTF-8: Go's tar reader
# keeps its bytes (no PAX record is checked for UTF-8), and podman loads
# such an image and unpacks the name as those bytes. capscope reported the
# file, escaped, and also libarchive's warning "Pathname can't be
# converted from UTF-8 to current locale." as a note, exit 2, though the
# image was read whole (twenty-first pass's open find). The name is
# checked against Go's reader's as before; the warning is not a note.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import hashlib, io, json, tarfile
def pax(records):
    body = b""
    for k, v in records:
        rec = b" " + k + b"=" + v + b"\n"; n = len(rec)
        while len(str(n).encode()) + len(rec) != n: n = len(str(n).encode()) + len(rec)
        body += str(n).encode() + rec
    return body
def block(name, size, typ, mode=0o644, link=""):
    i = tarfile.TarInfo(name); i.size = size; i.type = typ; i.mode = mode; i.linkname = link
    return i.tobuf(format=tarfile.USTAR_FORMAT)
def pad(b): return b + bytes(-len(b) % 512)
def entry(records, name, typ, mode, body=b"", link=""):
    p = pax(records)
    return block("PaxHeaders/x", len(p), b"x") + pad(p) + block(name, len(body), typ, mode, link) + pad(body)
out = entry([(b"path", b"bin/\xff\xfe")], "bin/placeholder", b"0", 0o4755, b"\x7fELF")
out += entry([(b"path", b"bin/l\xc3"), (b"linkpath", b"/bin/\xff\xfe")], "bin/l", b"2", 0o777, link="x")
out += entry([(b"path", b"bin/g"), (b"uname", b"r\xe9"), (b"gname", b"\xff")], "bin/g", b"0", 0o2755, b"\x7fELF")
out += bytes(1024)
open("paxbytes.tar", "wb").write(out)
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {}, "rootfs": {
    "type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(out).hexdigest()]}}).encode()
def add(t, n, b):
    i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
with tarfile.open("paxbytes.img.tar", "w") as t:
    add(t, "l/layer.tar", out); add(t, "c.json", cfg)
    add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())
PY
for f in paxbytes.tar paxbytes.img.tar; do
  "$CAPSCOPE" scan "$f" >out 2>err
  is "$? $(cat err)" "0 " "$f: read, nothing said (was exit 2 and libarchive's locale warning)"
  like "$(cat out)" '/bin/\\xff\\xfe .*setuid' "$f: ...the set-uid file found, its name escaped"
  like "$(cat out)" '/bin/g .*setgid' "$f: ...the entry with non-UTF-8 owner names too"
  ok "$(! raw_ctl out; echo $?)" "$f: ...no raw control byte"
  "$CAPSCOPE" scan --json "$f" >out.json 2>err
  is "$?" 0 "$f: --json: exit 0"
  like "$(cat out.json)" '"path_escaped": "/bin/\\\\xff\\\\xfe"' "$f: ...the escaped twin given"
done
done_testing
