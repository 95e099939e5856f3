#!/usr/bin/env bash
# asan-too
# An xz block header names the LZMA2 dictionary liblzma allocates, and
# libarchive opens the decoder with no memory limit: a 30 KB layer whose
# one block header was patched to declare 4 GiB (its CRC fixed; `xz -t`
# accepts it) made `scan` peak at 4.2 GB (a 200 MB layer; 313 MB for
# another 300 MB one) against 14 MB as written
# (sixteenth pass, part M, found, not fixed). lib/scan/xz-guard.c walks
# the xz structure before libarchive decodes it and refuses a dictionary
# over 128 MiB, for the outer file and a layer inside a docker archive;
# an xz stream behind another compression, which the walk cannot see, is
# refused. The RSS (GNU time %M) is checked outside a sanitizer only.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/rss.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || bail_out "python3 failed"
import gzip, io, json, lzma, struct, tarfile, zlib
c = lzma.LZMACompressor(format=lzma.FORMAT_XZ, filters=[{"id": lzma.FILTER_LZMA2, "preset": 6}])
parts = []
class W:
    def write(self, b): parts.append(c.compress(b)); return len(b)
class Z(io.RawIOBase):  # 200 MB of zeros, never held whole
    def __init__(s, n): s.n = n
    def readable(s): return True
    def readinto(s, b):
        k = min(len(b), s.n); b[:k] = bytes(k); s.n -= k; return k
t = tarfile.open(fileobj=W(), mode="w|", format=tarfile.GNU_FORMAT)
i = tarfile.TarInfo("usr/bin/su"); i.size = 4; i.mode = 0o4755
t.addfile(i, io.BytesIO(b"\x7fELF"))
i = tarfile.TarInfo("zeros"); i.size = 200 << 20
t.addfile(i, io.BufferedReader(Z(i.size), 1 << 20)); t.close()
parts.append(c.flush()); good = b"".join(parts)
# The block header (after the 12-byte stream header): its LZMA2 filter's
# dictionary byte set to 40 (4 GiB - 1), the header's CRC32 redone.
d = bytearray(good); n = (d[12] + 1) * 4
assert d[13] == 0 and d[14:16] == b"\x21\x01", d[12:20]
d[16] = 40
d[12 + n - 4:12 + n] = struct.pack("<I", zlib.crc32(bytes(d[12:12 + n - 4])))
open("good.tar.xz", "wb").write(good); open("bad.tar.xz", "wb").write(d)
open("bad.tar.xz.gz", "wb").write(gzip.compress(bytes(d)))
# one diff_id (docker load's count): the layer is refused before its hash is
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
def add(t, n, b):
    i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
with tarfile.open("img.tar", "w") as t:  # a docker archive of the bad layer
    add(t, "l/layer.tar", bytes(d)); add(t, "c.json", cfg)
    add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())
x = bytearray(lzma.compress(open("img.tar", "rb").read(), format=lzma.FORMAT_XZ))
n = (x[12] + 1) * 4; assert x[14:16] == b"\x21\x01"; x[16] = 40
x[12 + n - 4:12 + n] = struct.pack("<I", zlib.crc32(bytes(x[12:12 + n - 4])))
open("img.tar.xz", "wb").write(x)
PY
with_rss "$CAPSCOPE" scan --max-ratio 100000 bad.tar.xz >out 2>err
is "$?" "2" "an xz layer declaring a 4 GiB dictionary: refused"
like "$(cat err)" "bad.tar.xz: an xz block declares a 4096 MiB dictionary, over the 128 MiB limit: refusing" \
  "...naming the file and the size declared"
rss_below 60000 "...in less than 60 MB (4.2 GB before)"
with_rss "$CAPSCOPE" scan --max-ratio 100000 img.tar >out 2>err
is "$?" "2" "the same as a docker archive's layer: refused"
like "$(cat err)" "l/layer.tar.*: an xz block declares a 4096 MiB dictionary" "...naming the layer"
rss_below 60000 "...in less than 60 MB"
"$CAPSCOPE" scan --max-ratio 100000 bad.tar.xz.gz >out 2>err
is "$?" "2" "the bad xz gzip'd: refused"
like "$(cat err)" "an xz stream inside another compression: refusing" "...as xz behind another compression"
# A docker archive xz'd whole, its first block patched: the file's error,
# not "layer 0" (pass 1 reads a file before its kind is known; part N's open find).
"$CAPSCOPE" scan --max-ratio 100000 img.tar.xz >out 2>err
is "$? $(cat err)" "2 capscope scan: img.tar.xz: an xz block declares a 4096 MiB dictionary, over the 128 MiB limit: refusing" \
  "a docker archive xz'd whole, declaring 4 GiB: refused, the file named, not a layer"
"$CAPSCOPE" scan --max-ratio 100000 good.tar.xz >out 2>err
is "$? $(cat err)" "0 " "the layer as written: read"
like "$(cat out)" "/usr/bin/su" "...its set-uid file found"
done_testing
