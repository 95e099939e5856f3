#!/usr/bin/env bash
# asan-too
# capscope scan on image archives whose outer tar says what the image is in a
# form docker load and podman load read (they extract the archive, then open
# manifest.json and the files it names: links followed, the last of two
# entries of one name kept), and on OCI layout directories whose files are
# not regular files. Each image's layer holds a set-uid root /usr/evil
# (tests/data/scan/mkouter.py): no finding with exit 0 means another image
# was read than the one a runtime would run (twelfth pass, part D).
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
python3 "$CAPSCOPE_TOP/tests/data/scan/mkouter.py" . || skip_all "mkouter.py failed"

scan() { # target: the exit status, stdout in $T/out, stderr in $T/err
  timeout 60 "$CAPSCOPE" scan --json "$1" >"$T/out" 2>"$T/err"
}
finds() { grep -c '"path": "/usr/evil"' "$T/out"; }

scan ok.tar
is "$?" 0 "a plain docker archive: exit 0"
is "$(finds)" 1 "…its set-uid file found"

# What makes the archive an image, not read: it was scanned as one plain
# layer (the archive's own files), exit 0, no finding.
for c in "big-manifest.tar|manifest.json: .*larger than 4 MiB" \
         "late-manifest.tar|" \
         "symlink-manifest.tar|manifest.json: .*not a regular file" \
         "hardlink-manifest.tar|manifest.json: .*not a regular file" \
         "two-manifests.tar|manifest.json: .*twice"; do
  f=${c%%|*} want=${c#*|}
  scan "$f"; rc=$?
  if [ -z "$want" ]; then
    is "$rc" 0 "$f: read as the image it is"
    is "$(finds)" 1 "$f: its set-uid file found"
  else
    is "$rc" 2 "$f: refused"
    like "$(cat "$T/err")" "$want" "$f: the entry and why named"
  fi
done

# A name the image reads, twice in the archive: docker load keeps the last
# (the set-uid layer, a root config), the first was read.
for c in "two-layers.tar|l/layer.tar" "two-configs.tar|c.json"; do
  f=${c%%|*} name=${c#*|}
  scan "$f"; rc=$?
  is "$rc" 2 "$f: refused, not the first copy read"
  like "$(cat "$T/err")" "$name: .*twice" "$f: the entry named"
done

# A real OCI archive whose manifest and config come after 64 MiB of blobs of
# up to 4 MiB each: "not in the archive" before.
scan oci-many-layers.tar.gz
is "$?" 0 "OCI archive, config after 64 MiB of small blobs: read"
is "$(finds)" 1 "…its set-uid file found"
unlike() { ! [[ $1 =~ $2 ]]; ok $? "$3"; }

# An OCI layout directory whose files are not regular files: a fifo waited
# for ever, /dev/zero was read as an empty layer (exit 0, nothing found).
L=$(cat oci-dir.layer)
scan oci-dir
is "$?" 0 "OCI layout directory: exit 0"
is "$(finds)" 1 "…its set-uid file found"
mk() { # name kind file
  cp -r oci-dir "$1" && rm -f "$1/$3"
  case $2 in
    fifo) mkfifo "$1/$3" ;;
    zero) mknod "$1/$3" c 1 5 ;;
    dir) mkdir "$1/$3" ;;
  esac
}
for c in "lfifo fifo $L" "lzero zero $L" "ldir dir $L" "ififo fifo index.json"; do
  read -r d kind file <<<"$c"
  if [ "$kind" = zero ] && ! mk "$d" "$kind" "$file" 2>/dev/null; then
    skip "mknod refused here"; skip "mknod refused here"; continue
  fi
  [ "$kind" = zero ] || mk "$d" "$kind" "$file"
  scan "$d"; rc=$?
  is "$rc" 2 "$d: ${file:0:24} a $kind: refused (not a wait, not an empty layer)"
  like "$(cat "$T/err")" "'${file//./\\.}': not a regular file" "$d: the file named, and why"
done

# A layer's error names the whole blob: the label "layer 0 (blobs/sha256/…)"
# was the diagnostic's field, cut at 63 bytes with no closing parenthesis.
cp -r oci-dir lgarbage && printf 'not a tar' >"lgarbage/$L"
scan lgarbage
is "$?" 2 "a layer that is not an archive: refused"
like "$(cat "$T/err")" "layer 0 \\($L\\): opening the layer" "…its error names the whole blob"
# A directory holding an oci-layout file was read as an OCI image, whatever
# else it held: a rootfs whose author put a layout at its top (a benign
# image) had its own set-uid files left out, exit 0.
cp -r oci-dir rootfs && mkdir -p rootfs/usr/bin && printf '\177ELF' >rootfs/usr/bin/su &&
  chmod 4755 rootfs/usr/bin/su
scan rootfs; rc=$?
is "$rc" 2 "a tree with an OCI layout at its top: refused, not read as the image"
like "$(cat "$T/err")" "oci-layout.*'usr'" "…says what else is there"
# docker save (25 and later) writes both layouts: extracted, it is an image.
cp -r oci-dir both && cp ok.tar both/x && printf '[]' >both/manifest.json && printf '{}' >both/repositories &&
  rm both/x
scan both
is "$?" 0 "an OCI layout beside docker's manifest.json and repositories: read as the image"
# A layout whose blobs directory is a link out of it: "Invalid cross-device
# link" (openat2's EXDEV) was all it said.
cp -r oci-dir lout && mv lout/blobs "$T/outside-blobs" && ln -s "$T/outside-blobs" lout/blobs
scan lout
is "$?" 2 "a layout's blobs linked out of it: refused"
like "$(cat "$T/err")" "^capscope scan: lout: index\.json: manifests: 'blobs/sha256/[0-9a-f]{64}': leads out of the layout directory" "…and said so, with the field that names the blob"

# Text: a refused image was summed up on stdout as "0 findings", as a clean one.
out=$(timeout 60 "$CAPSCOPE" scan two-layers.tar ok.tar 2>/dev/null)
is "$?" 2 "text: one of two images refused: exit 2"
is "$(tail -n 1 <<<"$out")" "1 finding; 1 of 2 targets not read" "text: the last line says a target was not read"

# A set-uid root file that is also a valid tar (an ELF polyglot) was read as
# an image by its magic: "0 findings", exit 0, for a set-uid root program.
python3 "$CAPSCOPE_TOP/tests/data/scan/mkpoly.py" poly && chmod 4755 poly
scan poly
is "$?" 0 "a set-uid file that is also a tar: exit 0"
like "$(tr -d ' \n' <"$T/out")" '"setuid":true' "…checked as itself: its set-uid bit found"
python3 "$CAPSCOPE_TOP/tests/data/scan/mkpoly.py" polycap
if command -v setcap >/dev/null && setcap cap_net_raw+ep polycap 2>/dev/null; then
  scan polycap
  like "$(tr -d ' \n' <"$T/out")" '"text":"cap_net_raw=ep"' "a capped file that is also a tar: its capabilities found"
else
  skip "setcap cannot write security.capability here"
fi

# security.capability twice in one entry's PAX header: the first record was
# reported (cap_net_bind_service, low); containerd applies the last
# SCHILY.xattr one (cap_sys_admin) and ignores LIBARCHIVE.xattr.
# Thirteenth pass: the value is the one Go's reader gives (the shadow's),
# so two records are no longer an error, whichever kind comes last.
for f in xattr-twice.tar xattr-mixed.tar xattr-mixed-rev.tar; do
  scan "$f"; rc=$?
  is "$rc" 0 "$f: read as Go reads it (exit 0)"
  is "$(cat "$T/err")" "" "$f: no note"
  like "$(tr -d ' \n' <"$T/out")" '"text":"cap_sys_admin=ep"' "$f: the last SCHILY.xattr record's value shown"
done
# A LIBARCHIVE.xattr record alone was reported as the file's capabilities.
scan xattr-libarchive-only.tar
is "$?" 0 "xattr-libarchive-only.tar: exit 0"
is "$(grep -c cap_sys_admin "$T/out")" 0 "xattr-libarchive-only.tar: no capability containerd does not set"

# A single layer (no manifest.json, no oci-layout) may hold any index.json.
python3 - <<'PY'
import io, tarfile
with tarfile.open("layer-index.tar", "w", format=tarfile.PAX_FORMAT) as t:
    for n, d in [("index.json", b" " * (5 << 20)), ("index.json", b"{}")]:
        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
scan layer-index.tar
is "$?" 0 "a single layer holding two index.json files, one over 4 MiB: read as a layer"
# Thirteenth pass: one layer listed 4,096 times (the manifest's own limit)
# took 84 s for a 2.6 MB archive. overlayfs stacks at most 500 layers.
python3 - <<'PY'
import hashlib, io, json, tarfile
def add(t, n, d):
    i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))
def cfg(layers): # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
lb = io.BytesIO()
with tarfile.open(fileobj=lb, mode="w") as l:
    add(l, "etc/x", b"x")
for n in (500, 501):
    with tarfile.open(f"rep{n}.tar", "w") as t:
        add(t, "l.tar", lb.getvalue())
        add(t, "c.json", cfg([lb.getvalue()] * n))
        add(t, "manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l.tar"] * n}]).encode())
PY
scan rep500.tar
is "$?" 0 "one layer listed 500 times: read"
scan rep501.tar
is "$?" 2 "one layer listed 501 times: refused"
like "$(cat "$T/err")" "501 layers: overlayfs mounts at most 500" "...saying why"
# Thirteenth pass: a compressed archive's layers are read once each, in
# the order stored, those whose turn has not come kept until it has (a
# layer stored before the last one read decompressed the archive again from
# its start: 100 layers stored in reverse, 5.1 s, now 0.45 s). The view must
# be the one read in the manifest's order: each plain archive against its
# gzip'd copy, with whiteouts, an opaque directory and layers listed twice.
python3 - <<'PY'
import hashlib, io, json, tarfile, gzip
def cfg(layers): # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 57
def add(t, n, d, mode=0o644):
    i = tarfile.TarInfo(n); i.size = len(d); i.mode = mode; t.addfile(i, io.BytesIO(d))
def layer(ents):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as l:
        for n, d, m in ents: add(l, n, d, m)
    return b.getvalue()
L = {"z0/layer.tar": layer([("usr/bin/a", ELF, 0o4755), ("usr/bin/b", ELF, 0o4755)]),
     "y1/layer.tar": layer([("usr/bin/.wh.a", b"", 0o644), ("usr/bin/c", ELF, 0o2755)]),
     "x2/layer.tar": layer([("usr/bin/.wh..wh..opq", b"", 0o644), ("usr/bin/d", ELF, 0o4755)])}
orders = {"o1": ["z0", "y1", "x2"], "o2": ["z0", "y1", "z0"],
          "o3": ["x2", "z0", "y1", "z0", "x2", "y1"], "o4": ["y1", "x2", "z0"]}
for k, lay in orders.items():
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for n in sorted(L): add(t, n, L[n])
        add(t, "c.json", cfg([L[n + "/layer.tar"] for n in lay]))
        add(t, "manifest.json", json.dumps([{"Config": "c.json",
            "Layers": [n + "/layer.tar" for n in lay]}]).encode())
    open(f"{k}.tar", "wb").write(b.getvalue())
    open(f"{k}.tar.gz", "wb").write(gzip.compress(b.getvalue()))
PY
for k in o1 o2 o3 o4; do
  scan $k.tar; jq -c '[.findings[] | [.path, .layer, .mode]]' "$T/out" >"$T/plain"
  scan $k.tar.gz; is "$?" 0 "$k.tar.gz: read"
  is "$(jq -c '[.findings[] | [.path, .layer, .mode]]' "$T/out")" "$(cat "$T/plain")" \
    "$k.tar.gz: the view of $k.tar, read in the manifest's order"
done
is "$(cat "$T/plain")" '[["/usr/bin/a",2,"04755"],["/usr/bin/b",2,"04755"],["/usr/bin/d",1,"04755"]]' \
  "o4: the opaque directory hides c; a and b from the last layer"
# Second round: a layer listed twice is kept once from a compressed
# archive, and applied at each place. What reading it said (an entry without
# a name) was said once, where the plain archive says it at each place; and
# its bytes were charged once to --max-bytes: 1 MB listed 4 times passed a
# 3 MB limit gzip'd, and was refused plain (one place late: the count
# bomb_check sees lags by a block, and the one layer of one.tar, 1,034,240
# bytes, passed --max-bytes 1000000).
python3 - <<'PY'
import hashlib, io, json, tarfile, gzip
def cfg(layers): # docker load checks each layer against its diff_id
    return json.dumps({"config": {}, "rootfs": {"type": "layers", "diff_ids":
        ["sha256:" + hashlib.sha256(x).hexdigest() for x in layers]}}).encode()
def add(t, n, d, mode=0o644):
    i = tarfile.TarInfo(n); i.size = len(d); i.mode = mode; t.addfile(i, io.BytesIO(d))
def layer(ents):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as l:
        for n, d in ents: add(l, n, d)
    return b.getvalue()
for k, lay, lst in (("noname", layer([("", b"x"), ("etc/a", b"y")]), 3),
                    ("bytes", layer([("f%d" % i, b"z" * 102400) for i in range(10)]), 4)):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        add(t, "a/layer.tar", lay)
        add(t, "c.json", cfg([lay] * lst))
        add(t, "manifest.json", json.dumps([{"Config": "c.json",
            "Layers": ["a/layer.tar"] * lst}]).encode())
    open(f"{k}.tar", "wb").write(b.getvalue())
    open(f"{k}.tar.gz", "wb").write(gzip.compress(b.getvalue()))
PY
for f in noname.tar noname.tar.gz; do
  scan $f; is "$?" 2 "$f: an entry without a name: exit 2"
  is "$(jq -c '[.summary.targets[0].errors[] | .path]' "$T/out")" \
    '["layer 0 (a/layer.tar)","layer 1 (a/layer.tar)","layer 2 (a/layer.tar)"]' \
    "$f: said at each of its three places"
done
for f in bytes.tar bytes.tar.gz; do
  timeout 60 "$CAPSCOPE" scan --json --max-bytes 3000000 $f >"$T/out" 2>"$T/err"
  is "$?" 2 "$f: 1 MB listed 4 times, --max-bytes 3000000: refused"
  like "$(cat "$T/err")" "layer 2 \(a/layer.tar\): more than 3000000 uncompressed bytes" \
    "$f: ...at its third place"
done
python3 - <<'PY'
import io, tarfile, gzip
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for i in range(10):
        x = tarfile.TarInfo("f%d" % i); x.size = 102400; t.addfile(x, io.BytesIO(b"z" * 102400))
open("one.tar", "wb").write(b.getvalue())
open("one.tar.gz", "wb").write(gzip.compress(b.getvalue()))
PY
for f in one.tar one.tar.gz; do
  timeout 60 "$CAPSCOPE" scan --json --max-bytes 1000000 $f >"$T/out" 2>"$T/err"
  is "$?" 2 "$f: one layer of 1,030,144 bytes, --max-bytes 1000000: refused"
done
done_testing
