#!/usr/bin/env bash
# asan-too
# A gzip'd layer is read as Go's gzip.Reader reads it (containerd, Docker,
# podman: multistream, drained to the stream's end for the diff_id).
# libarchive's gzip filter checks neither a member's CRC-32 and ISIZE nor
# its header CRC, and stops at the first bytes that are not a gzip header:
# a layer with a bad CRC, bytes after its last member, or cut in its
# trailer was scanned, exit 0, where `podman load` fails ("gzip: invalid
# checksum", "gzip: invalid header", "unexpected EOF"; twenty-first pass's
# open find). lib/scan/gz-guard.c reads the stored bytes as Go does. A
# member with reserved flag bits (Go reads it, libarchive does not) was
# refused as "Unrecognized archive format" or a wrong diff_id: now refused
# saying why. Each case as a bare layer, a docker archive's layer and an
# OCI layout's blob; the outcomes are podman 4's (`podman load`, vfs).
source "$(dirname "$0")/../lib/tap.sh"
for t in python3 zstd; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import gzip, hashlib, io, json, os, struct, subprocess, tarfile, zlib
def add(t, n, b, mode=0o644):
    i = tarfile.TarInfo(n); i.size = len(b); i.mode = mode; t.addfile(i, io.BytesIO(b))
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
    add(t, "usr/bin/su", b"\x7fELF" + bytes(3000), 0o4755)
    add(t, "etc/hello", b"hi\n" * 2000)
layer = b.getvalue()
def gz(d): return gzip.compress(d, mtime=0)
def member(d, flags=0, name=None, hcrc=None, extra=None):
    h = bytearray(b"\x1f\x8b\x08" + bytes([flags]) + bytes(4) + b"\x00\x03")
    if extra is not None: h += struct.pack("<H", len(extra)) + extra
    if name is not None: h += name + b"\0"
    if flags & 16: h += b"a comment\0"
    if flags & 2: h += struct.pack("<H", zlib.crc32(bytes(h)) & 0xffff if hcrc is None else hcrc)
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return bytes(h) + co.compress(d) + co.flush() + struct.pack("<II", zlib.crc32(d), len(d))
def flip(g, i): return g[:i] + bytes([g[i] ^ 1]) + g[i + 1:] if i != -1 else g[:-1] + bytes([g[-1] ^ 1])
good, h = gz(layer), len(layer) // 2
v = {"good": good, "crc": flip(good, len(good) - 8), "isize": flip(good, -1),
     "junk": good + b"junk" * 100, "junk3": good + b"abc", "zeros": good + bytes(512),
     "trunc": good[:-4], "truncdata": good[:len(good) // 2],
     "two": gz(layer[:h]) + gz(layer[h:]),
     "two-crc2": gz(layer[:h]) + flip(gz(layer[h:]), len(gz(layer[h:])) - 8),
     "hcrc-ok": member(layer, 2), "hcrc-bad": member(layer, 2, hcrc=0x1234),
     "name511": member(layer, 8, b"a" * 511), "name512": member(layer, 8, b"a" * 512),
     "extra": member(layer, 4 | 8 | 16, b"n", extra=b"xy" * 10),
     "reserved": member(layer, 0x20), "reserved2": gz(layer[:h]) + member(layer[h:], 0x20)}
diff = "sha256:" + hashlib.sha256(layer).hexdigest()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode()
def blob(d, data):
    s = hashlib.sha256(data).hexdigest()
    open(f"{d}/blobs/sha256/{s}", "wb").write(data)
    return {"digest": "sha256:" + s, "size": len(data)}
for k, data in v.items():
    open(k + ".tar.gz", "wb").write(data)
    with tarfile.open(k + ".img.tar", "w") as t:
        add(t, "l/layer.tar", data); add(t, "c.json", cfg)
        add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())
    d = k + ".oci"; os.makedirs(d + "/blobs/sha256")
    open(d + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
    c = dict(blob(d, cfg), mediaType="application/vnd.oci.image.config.v1+json")
    l = dict(blob(d, data), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
    m = dict(blob(d, json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                  "config": c, "layers": [l]}).encode()),
             mediaType="application/vnd.oci.image.manifest.v1+json",
             platform={"architecture": "amd64", "os": "linux"})
    open(d + "/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [m]}))
# A large entry read while the checksum fails: libarchive's tar reader
# said "big: Truncated input file (needed 3145728 bytes ...)".
rb = io.BytesIO()
with tarfile.open(fileobj=rb, mode="w", format=tarfile.GNU_FORMAT) as t:
    add(t, "big", os.urandom(3 << 20))
rz = subprocess.run(["zstd", "-q", "-c", "--check"], input=rb.getvalue(), capture_output=True, check=True).stdout
open("bigck.tar.zst", "wb").write(rz[:-1] + bytes([rz[-1] ^ 1]))
# A tar cut at an entry's boundary, its rest in a member with a reserved
# flag: libarchive's stream ended there, and Go's tar reader, shown the
# same bytes, ended cleanly too: the set-uid file Go and containerd unpack
# was not seen (main: "0 findings", exit 0).
hb = io.BytesIO()
with tarfile.open(fileobj=hb, mode="w", format=tarfile.GNU_FORMAT) as t:
    add(t, "etc/hello", b"hi\n"); add(t, "usr/bin/hidden", b"\x7fELF" + bytes(100), 0o4755)
open("hide.tar.gz", "wb").write(gz(hb.getvalue()[:1024]) + member(hb.getvalue()[1024:], 0x20))
# A docker archive gzip'd whole (docker save | gzip; podman load reads it whole).
img = open("good.img.tar", "rb").read()
open("outer-good.tar.gz", "wb").write(gz(img))
open("outer-junk.tar.gz", "wb").write(gz(img) + b"junk" * 100)
open("outer-crc.tar.gz", "wb").write(flip(gz(img), len(gz(img)) - 8))
# zstd (Go's klauspost decoder in containerd and podman): a layer whose
# tar ends long before its stream (4 MB of zeros after the tar's end, part
# of the diff_id), with the last frame's checksum flipped, bytes after the
# last frame, or cut: an OCI blob or a layer given alone was scanned, exit
# 0, as libarchive stopped where the tar reader did (podman: "CRC check
# failed", "magic number mismatch", "unexpected EOF").
import subprocess
tb = io.BytesIO()
with tarfile.open(fileobj=tb, mode="w", format=tarfile.GNU_FORMAT) as t:
    add(t, "usr/bin/su", b"\x7fELF" + bytes(3000), 0o4755)
zl = tb.getvalue() + bytes(4 << 20)
zg = subprocess.run(["zstd", "-q", "-c", "--check"], input=zl, capture_output=True, check=True).stdout
skip = struct.pack("<II", 0x184D2A50, 5) + b"hello"
zv = {"zgood": zg, "zck": zg[:-1] + bytes([zg[-1] ^ 1]), "zjunk": zg + b"junk" * 100,
      "ztrunc": zg[:-2], "zskip": zg + skip, "zskiptrunc": zg + skip[:6]}
zcfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {}, "rootfs": {
    "type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(zl).hexdigest()]}}).encode()
for k, data in zv.items():
    open(k + ".tar.gz", "wb").write(data)  # the name is not read: the bytes are
    with tarfile.open(k + ".img.tar", "w") as t:
        add(t, "l/layer.tar", data); add(t, "c.json", zcfg)
        add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())
    d = k + ".oci"; os.makedirs(d + "/blobs/sha256")
    open(d + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
    c = dict(blob(d, zcfg), mediaType="application/vnd.oci.image.config.v1+json")
    l = dict(blob(d, data), mediaType="application/vnd.oci.image.layer.v1.tar+zstd")
    m = dict(blob(d, json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                                  "config": c, "layers": [l]}).encode()),
             mediaType="application/vnd.oci.image.manifest.v1+json",
             platform={"architecture": "amd64", "os": "linux"})
    open(d + "/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [m]}))
PY

check() { # name want-exit regex
  local f
  for f in "$1.tar.gz" "$1.img.tar" "$1.oci"; do
    "$CAPSCOPE" scan --max-ratio 100000 "$f" >out 2>err
    local rc=$?
    if [ "$2" = 0 ]; then
      is "$rc $(cat err)" "0 " "$f: read"
      like "$(cat out)" "/usr/bin/su" "$f: ...its set-uid file found"
    else
      is "$rc" "$2" "$f: refused"
      like "$(cat err)" "$3" "$f: ...saying why"
      is "$(wc -l <err)" 1 "$f: ...in one line"
    fi
  done
}
check good 0
check two 0
check hcrc-ok 0
check name511 0
check extra 0
check crc 2 'gzip member 1 \(at byte 0\): its CRC-32 is [0-9a-f]{8}, its data.s [0-9a-f]{8}: Go.s gzip reader \(containerd, Docker, podman\) fails, gzip: invalid checksum; refusing'
check isize 2 'gzip member 1 \(at byte 0\): its size is [0-9]+ \(mod 2\^32\), its data.s 20480: .*gzip: invalid checksum'
check two-crc2 2 'gzip member 2 \(at byte [0-9]+\): its CRC-32 .*gzip: invalid checksum'
check junk 2 'gzip member 2 .*: the bytes after member 1 are not a gzip header: .*gzip: invalid header; refusing'
check zeros 2 'the bytes after member 1 are not a gzip header: .*gzip: invalid header'
check junk3 2 '3 bytes after member 1, too few for a header: .*unexpected EOF'
check trunc 2 'gzip member 1 \(at byte 0\): the stream ends in its trailer: .*unexpected EOF'
check truncdata 2 'the stream ends in its deflate data: .*unexpected EOF'
check hcrc-bad 2 "its header's CRC-16 is 1234, the header's [0-9a-f]{4}: .*gzip: invalid header"
check name512 2 'its file name has no NUL within 512 bytes: .*gzip: invalid header'
check reserved 2 'gzip member 1 \(at byte 0\) sets reserved flags \(0x20\): Go.s gzip reader \(containerd, Docker, podman\) reads it, libarchive does not; refusing$'
check reserved2 2 'gzip member 2 \(at byte [0-9]+\) sets reserved flags'
check zgood 0
check zskip 0
check zck 2 "(past the tar's end|reading the layer): the zstd data does not match its checksum \(damaged\)"
check zjunk 2 "Zstd decompression failed: Unknown frame descriptor"
check ztrunc 2 "the zstd stream is cut short"
check zskiptrunc 2 "the zstd stream is cut short"
"$CAPSCOPE" scan bigck.tar.zst >out 2>err
is "$? $(cat err)" "2 capscope scan: bigck.tar.zst: big: decompressing the layer: the zstd data does not match its checksum (damaged)" \
  "a zstd checksum failing inside an entry: the decompressor's reason (was 'Truncated input file')"
"$CAPSCOPE" scan hide.tar.gz >out 2>err
is "$?" 2 "a set-uid file behind a member with a reserved flag: refused (was 0 findings, exit 0)"
like "$(cat err)" "gzip member 2 \(at byte [0-9]+\) sets reserved flags" "...saying why"
# the layer named in the message
"$CAPSCOPE" scan crc.img.tar >out 2>err
like "$(cat err)" '^capscope scan: crc.img.tar: layer 0 \(l/layer.tar\): gzip member 1' "the docker archive's layer named"
"$CAPSCOPE" scan outer-good.tar.gz >out 2>err
is "$? $(cat err)" "0 " "a docker archive gzip'd whole: read"
for k in junk crc; do
  "$CAPSCOPE" scan outer-$k.tar.gz >out 2>err
  is "$?" 2 "the same with a bad gzip $k: refused"
  like "$(cat err)" "^capscope scan: outer-$k.tar.gz: gzip member" "...the file named"
done
# explain pod --image reads the same way
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    command: [/usr/bin/su]\n' >p.yaml
"$CAPSCOPE" explain pod --image good.img.tar p.yaml >out 2>err
is "$?" 0 "explain pod --image of the good layer: read"
"$CAPSCOPE" explain pod --image crc.img.tar p.yaml >out 2>err
is "$?" 2 "explain pod --image of the bad CRC: refused"
like "$(cat err)" "gzip: invalid checksum" "...saying why"
done_testing
