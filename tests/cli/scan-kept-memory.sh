#!/usr/bin/env bash
# A compressed archive's layers are read in the order stored; one whose turn
# has not come is kept as entries (lib/scan/layer-rec.c), about 150 bytes
# each, where the view holds one node a name. 1,000 names 1,000 times each
# in a layer stored before the one the manifest lists first: about 150 MB
# held (7 MB read in order); 500 such layers, many GB. Past 64 MiB kept, a
# layer is read again in its turn (thirteenth pass, second round).
# The maximum RSS (GNU time %M) does not depend on the machine's load; not
# under a sanitizer, whose RSS it is.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/rss.sh"
rss_needs python3 jq
tap_tmpdir
cd "$T" || exit 1
python3 - <<'PY' || skip_all "python3 failed"
import gzip, hashlib, io, json, tarfile
def cfg(*layers):  # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
def lay(ents, times=1):  # the entries' headers times times, then the end
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for n, mode in ents:
            ti = tarfile.TarInfo(n); ti.mode = mode; t.addfile(ti)
    h = b.getvalue()[:512 * len(ents)]
    return h * times + b"\0" * 1024
# big: 1,000 names 1,000 times each, then a set-uid file the small layer's
# whiteout removes, and one it keeps; listed after small, stored before it.
big = (lay([("usr/a%03d" % i, 0o644) for i in range(1000)], 1000)[:-1024] +
       lay([("usr/gone", 0o4755), ("usr/su", 0o4755)]))
small = lay([("usr/.wh.gone", 0o644), ("usr/bin", 0o4755)])
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    m = json.dumps([{"Config": "c.json", "Layers": ["s/layer.tar", "b/layer.tar", "s/layer.tar"]}])
    for n, d in (("b/layer.tar", big), ("s/layer.tar", small), ("c.json", cfg(small, big, small)),
                 ("manifest.json", m.encode())):
        ti = tarfile.TarInfo(n); ti.size = len(d); t.addfile(ti, io.BytesIO(d))
open("img.tar", "wb").write(b.getvalue())
open("img.tar.gz", "wb").write(gzip.compress(b.getvalue(), 1))
PY
for f in img.tar img.tar.gz; do
  /usr/bin/time -f %M -o "$f.rss" "$CAPSCOPE" scan --json $f >"$f.json" 2>"$f.err"
  is "$?" 0 "$f: read"
  is "$(jq -c '[.findings[] | [.path, .layer]]' "$f.json")" '[["/usr/bin",2],["/usr/su",1]]' \
    "$f: the whiteout removes usr/gone; usr/su from layer 1, usr/bin from its last place"
done
rss=$(cat img.tar.gz.rss)
ok "$([ "$rss" -lt 120000 ]; echo $?)" "img.tar.gz: at most 120 MB held ($rss KB)"
# A layer given up past KEPT_MAX costs one read of it again, no more: the
# forward reader went on to the next layer no longer, and that layer's read
# inflated the archive again from its start, uncounted (fourteenth pass).
# The archive's opens, against the same archive with a big layer that fits.
if command -v strace >/dev/null; then
  python3 - <<'PY' || skip_all "python3 failed"
import gzip, tarfile
t = tarfile.open("img.tar.gz")
out = tarfile.open("few.tar.gz", "w:gz", compresslevel=1)
for m in t.getmembers():
    d = t.extractfile(m).read()
    if m.name == "b/layer.tar":  # its first 1,000 names once, then the rest
        d = d[:512 * 1000] + d[-(512 * 2 + 1024):]
        m.size = len(d)
    import io
    out.addfile(m, io.BytesIO(d))
out.close()
PY
  opens() { strace -f -e trace=openat -o "$1.st" "$CAPSCOPE" scan --json "$1" >/dev/null 2>&1; grep -c "\"$1\"" "$1.st"; }
  few=$(opens few.tar.gz) big=$(opens img.tar.gz)
  is "$big" "$((few + 1))" "img.tar.gz: opened once more than when the layer fits ($few), to read it again"
else
  ok 0 "# SKIP no strace"
fi
# A layer read again is inflated again from the archive's start: what that
# costs counts to --max-bytes, or a layer listed at many places behind 60 GB
# of other bytes (at 1000:1, 60 MB gzip'd) would cost 60 GB at each place.
# 1,000,000 entries (512 MB) listed twice behind 100 MiB: 1.03 GB counted
# plain; gzip'd 1.23 GB (the 100 MiB twice more).
python3 - <<'PY' || skip_all "python3 failed"
import hashlib, io, json, tarfile, zlib
def cfg(*layers):  # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
def lay(ents, times=1):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for n, mode in ents:
            ti = tarfile.TarInfo(n); ti.mode = mode; t.addfile(ti)
    return b.getvalue()[:512 * len(ents)] * times + b"\0" * 1024
big = lay([("usr/a%03d" % i, 0o644) for i in range(1000)], 1000)[:-1024] + lay([("usr/su", 0o4755)])
junk = bytes(range(256)) * 16 * (100 << 8)  # 100 MiB
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    m = json.dumps([{"Config": "c.json", "Layers": ["s/layer.tar", "b/layer.tar", "b/layer.tar"]}])
    for n, d in (("s/layer.tar", lay([("usr/bin", 0o755)])), ("junk", junk), ("b/layer.tar", big),
                 ("c.json", cfg(lay([("usr/bin", 0o755)]), big, big)), ("manifest.json", m.encode())):
        ti = tarfile.TarInfo(n); ti.size = len(d); t.addfile(ti, io.BytesIO(d))
c = zlib.compressobj(1, zlib.DEFLATED, 31)
open("again.tar.gz", "wb").write(c.compress(b.getvalue()) + c.flush())
PY
"$CAPSCOPE" scan --json --max-bytes 1100000000 again.tar.gz >/dev/null 2>err
is "$? $(cat err)" "2 capscope scan: again.tar.gz: layer 2 (b/layer.tar): more than 1100000000 uncompressed bytes: refusing (decompression bomb?)" \
  "read again at two places behind 100 MiB, --max-bytes 1100000000: refused (was read)"
"$CAPSCOPE" scan --json --max-bytes 1300000000 again.tar.gz >out 2>err
is "$? $(jq -c '[.findings[] | .path]' out)" '0 ["/usr/su"]' "...and read under 1300000000"
done_testing
