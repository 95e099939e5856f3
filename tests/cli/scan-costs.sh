#!/usr/bin/env bash
# scan IMAGE costs what the archive holds, not its layers times its entries
# (eleventh pass, part D): each layer of a docker-archive was found by
# reading the outer tar from its start, header after header, so a manifest
# listing 2,000 layers in an archive of 5,000 entries took 15 s (its limit,
# 4,096 layers of an archive of 100,000 entries: about ten minutes). Now one
# pass indexes the entries and a layer's reader starts at its header.
# Instructions counted by cachegrind (the same on a busy machine), not time.
. "$(dirname "$0")/../lib/tap.sh"
command -v valgrind >/dev/null || skip_all "needs valgrind"
command -v python3 >/dev/null || skip_all "needs python3"
command -v jq >/dev/null || skip_all "needs jq"
grep -q __asan_init "$CAPSCOPE" 2>/dev/null && skip_all "an ASan build"
tap_tmpdir

# mkrep DUMMIES LAYERS OUT: a docker-archive whose manifest lists one layer
# (a set-uid /bin/su) LAYERS times, stored after DUMMIES empty entries.
mkrep() {
  python3 - "$@" <<'PY'
import hashlib, io, json, sys, tarfile
ndummy, nrep, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sha = lambda b: hashlib.sha256(b).hexdigest()
bio = io.BytesIO()
with tarfile.open(fileobj=bio, mode="w") as t:
    ti = tarfile.TarInfo("bin/su"); ti.mode = 0o4755; t.addfile(ti, io.BytesIO(b""))
layer = bio.getvalue()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(layer)] * nrep}}).encode()
bio = io.BytesIO()
with tarfile.open(fileobj=bio, mode="w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    add("manifest.json", json.dumps([{"Config": sha(cfg) + ".json", "RepoTags": ["t:l"],
                                       "Layers": ["L/layer.tar"] * nrep}]).encode())
    add(sha(cfg) + ".json", cfg)
    for i in range(ndummy):
        add("dummy/%d" % i, b"")
    add("L/layer.tar", layer)
open(out, "wb").write(bio.getvalue())
PY
}
irefs() { # image -> instructions of capscope scan --json IMAGE
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$CAPSCOPE_DYN" scan --json "$1" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,
}
mkrep 1000 100 "$T/small.img"
mkrep 4000 400 "$T/big.img"
is "$("$CAPSCOPE" scan --json "$T/big.img" | jq -c '[.summary.targets[0].layers, [.findings[].path]]')" '[400,["/bin/su"]]' \
  "400 layers read, the set-uid file found"
a=$(irefs "$T/small.img"); b=$(irefs "$T/big.img")
echo "# scan: 1000 entries and 100 layers $a, 4000 entries and 400 layers $b instructions"
ok "$(awk "BEGIN { print ($a > 0 && $b <= 6 * $a) ? 0 : 1 }")" \
  "four times the entries and the layers: at most six times the instructions (it was 16)"

# A compressed archive (docker save | gzip, which docker load takes) cannot
# be sought: each layer was decompressed from the archive's start, 1,000
# layers 12.6 s. One reader now goes on forward from layer to layer (layers
# are stored in the manifest's order by docker save).
mklayers() { # LAYERS OUT [rev]: a gzip'd docker-archive of LAYERS distinct layers (stored in reverse)
  python3 - "$@" <<'PY'
import gzip, hashlib, io, json, sys, tarfile
n, out, rev = int(sys.argv[1]), sys.argv[2], sys.argv[3:] == ["rev"]
sha = lambda b: hashlib.sha256(b).hexdigest()
layers = []
for l in range(n):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w") as t:
        ti = tarfile.TarInfo("d%d/su" % l); ti.mode = 0o4755; t.addfile(ti, io.BytesIO(b""))
    layers.append(bio.getvalue())
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(b) for b in layers]}}).encode()
bio = io.BytesIO()
with tarfile.open(fileobj=bio, mode="w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    add(sha(cfg) + ".json", cfg)
    for b in (layers[::-1] if rev else layers):
        add(sha(b) + "/layer.tar", b)
    add("manifest.json", json.dumps([{"Config": sha(cfg) + ".json", "RepoTags": ["t:l"],
                                       "Layers": [sha(b) + "/layer.tar" for b in layers]}]).encode())
open(out, "wb").write(gzip.compress(bio.getvalue()))
PY
}
mklayers 100 "$T/l100.tar.gz"
mklayers 400 "$T/l400.tar.gz"
is "$("$CAPSCOPE" scan --json "$T/l400.tar.gz" | jq -c '[.summary.targets[0].layers, (.findings | length)]')" \
  '[400,400]' "gzip'd: 400 layers read, 400 set-uid files found"
a=$(irefs "$T/l100.tar.gz"); b=$(irefs "$T/l400.tar.gz")
echo "# scan, gzip'd docker-archive: 100 layers $a, 400 layers $b instructions"
ok "$(awk "BEGIN { print ($a > 0 && $b <= 6 * $a) ? 0 : 1 }")" \
  "gzip'd: four times the layers, at most six times the instructions"

# Thirteenth pass: layers stored in another order than the manifest's (in
# reverse here) restarted that reader for each layer stored before the last
# one read: 100 layers of 1 MB each, 5.1 s. Each is now read once, in the
# order stored, and kept until its turn.
mklayers 100 "$T/r100.tar.gz" rev
mklayers 400 "$T/r400.tar.gz" rev
is "$("$CAPSCOPE" scan --json "$T/r400.tar.gz" | jq -c '[.summary.targets[0].layers, (.findings | length)]')" \
  '[400,400]' "gzip'd, stored in reverse: 400 layers read, 400 set-uid files found"
a=$(irefs "$T/r100.tar.gz"); b=$(irefs "$T/r400.tar.gz")
echo "# scan, gzip'd docker-archive stored in reverse: 100 layers $a, 400 layers $b instructions"
ok "$(awk "BEGIN { print ($a > 0 && $b <= 6 * $a) ? 0 : 1 }")" \
  "stored in reverse: four times the layers, at most six times the instructions"
done_testing
