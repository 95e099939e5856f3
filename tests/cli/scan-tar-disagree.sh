#!/usr/bin/env bash
# asan-too
# capscope scan of tar layers that libarchive (which the scanner reads with)
# and Go's archive/tar (which containerd and Docker unpack with) read
# differently (tests/data/scan/mkdisagree.py). Twelfth pass: a PAX path
# before a GNU long name hid a whiteout's target from the scan, and a hard
# link's body in a PAX archive hid a set-uid file Go unpacks; each gave "0
# findings", exit 0. Now the layer is refused, naming both readings, and a
# layer both read alike is scanned as before. Thirteenth pass: where Go
# fails on what libarchive reads past (PAX number records, a GNU sparse map
# that does not match its data), or containerd's applier on an entry type it
# does not unpack, the layer is refused too; owners as lchown(2) sets them.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1
mk() { python3 "$CAPSCOPE_TOP/tests/data/scan/mkdisagree.py" "$1" "$1.tar"; }
for k in pax-then-L L-then-pax hardlink-size zero-then-entry ok mode-nul empty-L empty-path \
  rega-slash reg-slash uid-empty uid-bad uid-wrap; do mk $k || bail_out "mkdisagree $k"; done

scan() { # tar: the exit status, stdout in out, stderr in err
  timeout 60 "$CAPSCOPE" scan "$1" >out 2>err
}

scan pax-then-L.tar
is "$?" 2 "a PAX path before a GNU long name: refused (exit 2)"
like "$(cat err)" "entry 1 is 'usr/bin/\\.wh\\.evil' to libarchive and 'tmp/harmless' to Go's tar reader" \
  "...naming both readings"
like "$(tail -1 out)" "1 of 1 target not read" "...and the last line says it was not read"

scan L-then-pax.tar
is "$?" 0 "a GNU long name before a PAX path: both take the long name, scanned"

scan hardlink-size.tar
is "$?" 2 "a hard link with a body in a PAX archive: refused"
like "$(cat err)" "Go's tar reader \\(containerd, Docker\\) reads an entry 'usr/bin/hidden' after libarchive's end" \
  "...naming the set-uid file only Go unpacks"

scan zero-then-entry.tar
is "$?" 2 "one zero block, then a header: refused"
like "$(cat err)" "a header after one zero block \\(Go: invalid tar header\\)" "...as Go's reader fails there"

scan ok.tar
is "$?" 0 "GNU long names and links both readers take alike: scanned"
is "$(grep -c 'set-uid root' out)" 2 "...with its two set-uid files"

# Thirteenth pass: the shadow compared names and links only. A mode field
# with a NUL before its digits is 04755 to Go and 0 to libarchive: the
# set-uid root file containerd writes was scanned as mode 0, "0 findings".
scan mode-nul.tar
is "$?" 2 "a mode Go reads as 04755 and libarchive as 0: refused"
like "$(cat err)" "entry 1 \\('usr/bin/evil'\\) has mode 0 to libarchive and 04755 to Go's tar reader" \
  "...naming both modes"
scan empty-L.tar
is "$?" 2 "an empty GNU long name (Go keeps the header's name): refused"
like "$(cat err)" "entry 1 is '' to libarchive and 'usr/bin/evil' to Go's tar reader" \
  "...naming the set-uid file Go writes, not 'no usable name'"
scan reg-slash.tar
is "$?" 2 "a '0' entry named 'd/': refused"
like "$(cat err)" "is a directory to libarchive and a regular file to Go's tar reader" "...saying why"
scan uid-empty.tar
is "$?" 2 "an empty PAX uid (Go keeps the header's): refused"
like "$(cat err)" "has uid 0 to libarchive and 1000 to Go's tar reader" "...naming both owners"
scan uid-bad.tar
is "$?" 2 "a PAX uid Go cannot parse: refused"
like "$(cat err)" "a PAX uid record is not a number as Go reads one" "...as Go's reader fails there"
# and what Go reads as libarchive does is scanned, not refused
scan empty-path.tar
is "$?" 0 "an empty PAX path: the header's name to both, scanned"
like "$(cat out)" "/usr/bin/su .*set-uid root" "...with its set-uid file"
scan rega-slash.tar
is "$?" 0 "a '\\0' entry named 'd/': a directory without a body to both, scanned"
like "$(cat out)" "/usr/bin/su .*set-uid root" "...with the set-uid file after it"

# Model: an owner of 2^32 is root to lchown(2), -1 leaves the unpacker
# (root); both were shown as 4294967295, "set-uid to a non-root user".
scan uid-wrap.tar
is "$?" 0 "owners 2^32, -1 and -2: scanned"
like "$(grep /usr/bin/a out)" "0:0 .*set-uid root" "uid 2^32 is root"
like "$(grep /usr/bin/b out)" "0:0 .*set-uid root" "uid -1 leaves the unpacker: root"
like "$(grep /usr/bin/c out)" "4294967294:0 .*non-root" "uid -2 is 4294967294"

T13="pax-rec-uid pax-rec-gid pax-rec-size pax-rec-atime pax-rec-mtime pax-rec-ctime
  type-7 type-V type-D sparse-01-short sparse-01-past sparse-10-short"
for k in $T13 pax-empty-path owner-wrap L-empty K-empty; do mk $k || bail_out "mkdisagree $k"; done
for k in pax-rec-uid pax-rec-gid pax-rec-size pax-rec-atime pax-rec-mtime pax-rec-ctime; do
  scan $k.tar
  is "$?" 2 "$k: a PAX ${k#pax-rec-} record Go does not parse: refused"
  like "$(cat err)" "fail on this layer: a PAX ${k#pax-rec-} record is not a number as Go reads one" \
    "...naming the record"
done
for k in type-7 type-V type-D; do
  scan $k.tar
  is "$?" 2 "$k: an entry type containerd does not unpack: refused"
  like "$(cat err)" "entry 'usr/bin/su' is of type '${k#type-}' \\([0-9]+\\), which containerd, Docker and CRI-O do not unpack" \
    "...naming the entry and its type"
done
for k in sparse-01-short sparse-01-past sparse-10-short; do
  scan $k.tar
  is "$?" 2 "$k: a GNU sparse map that does not match its data: refused"
  like "$(cat err)" "fail on this layer: a GNU sparse map" "...saying why"
done
scan L-empty.tar
is "$?" 2 "an empty GNU long name: refused (Go keeps the header's name)"
like "$(cat err)" "entry 1 is '' to libarchive and 'usr/bin/su' to Go's tar reader" "...naming both readings"
scan K-empty.tar
is "$?" 2 "an empty GNU long link: refused"
like "$(cat err)" "links to '' for libarchive and 'target' for Go's tar reader" "...naming both targets"
scan pax-empty-path.tar
is "$?" 0 "an empty PAX path record: the header's name, as Go and libarchive take it"
is "$(grep -c '/usr/bin/su' out)" 1 "...and its set-uid file found"
scan owner-wrap.tar
is "$(grep -c '0:0  *06755' out)" 2 "owners 2^32 and 4294967295: root's, as lchown(2) leaves them"

# Real GNU tar sparse files (PAX 0.0, 0.1, 1.0) are read by both alike.
if printf x >sp && truncate -s 1M sp && chmod 4755 sp &&
  tar --sparse --sparse-version=1.0 --format=pax -cf sparse.tar sp 2>/dev/null; then
  scan sparse.tar
  is "$?" 0 "a GNU PAX 1.0 sparse file: scanned"
else
  skip "GNU tar could not write a sparse file"
fi

# Fourteenth pass: the types containerd's applier refuses, as real writers
# make them: GNU tar's volume label ('V'), its incremental dump's directory
# entries ('D'), its GNU and old GNU sparse files ('S'), and Python
# tarfile's vendor letters ('A' to 'Z' outside those Go reads).
mkdir -p tr/usr/bin && printf x >tr/usr/bin/sp && truncate -s 1M tr/usr/bin/sp &&
  chmod 4755 tr/usr/bin/sp || bail_out "cannot make the tree"
gt() { # name, expected type, tar options...
  local n=$1 t=$2
  shift 2
  if tar -C tr "$@" -cf "$n.tar" . 2>/dev/null; then
    scan "$n.tar"
    is "$?" 2 "GNU tar $*: refused (containerd does not unpack type '$t')"
    like "$(cat err)" "is of type '$t' \\([0-9]+\\), which containerd, Docker and CRI-O do not unpack" \
      "...naming the type"
  else
    skip "GNU tar $* failed"; skip "GNU tar $* failed"
  fi
}
gt label V --format=gnu --label=VOL
gt incremental D --format=gnu -g snap
gt gnu-sparse S --format=gnu --sparse
gt oldgnu-sparse S --format=oldgnu --sparse
python3 - <<'PY' || bail_out "python3 failed"
import io, tarfile
for t in "AEFGHIMNXYZ":
    with tarfile.open("py-%s.tar" % t, "w", format=tarfile.USTAR_FORMAT) as tf:
        ti = tarfile.TarInfo("usr/bin/su"); ti.type = t.encode(); ti.mode = 0o4755; ti.size = 4
        tf.addfile(ti, io.BytesIO(b"\x7fELF"))
PY
n=0
for t in E F G H I M N Y Z; do
  scan py-$t.tar
  [ $? = 2 ] && grep -q "is of type '$t'" err && n=$((n + 1))
done
is "$n" 9 "Python tarfile's types E F G H I M N Y Z: each refused by its type"
n=0
for t in A X; do # libarchive's Solaris ACL and extended headers: it fails first
  scan py-$t.tar
  [ $? = 2 ] && grep -q "py-$t.tar: " err && n=$((n + 1))
done
is "$n" 2 "types A and X (Solaris headers libarchive reads as such): refused"

# Fourteenth pass: a symlink whose target is 4096 bytes or more. symlink(2)
# says ENAMETOOLONG, so containerd's and Docker's os.Symlink fail on the
# layer; it was scanned, and 2,000 hard links to an 800 KB target (1.8 MB
# of tar) held 1.5 GB, each link a copy.
python3 - <<'PY' || bail_out "python3 failed"
import tarfile
for n, size, links in (("sym-4095", 4095, 3), ("sym-4096", 4096, 3), ("sym-big", 800000, 2000)):
    with tarfile.open(n + ".tar", "w", format=tarfile.PAX_FORMAT) as tf:
        ti = tarfile.TarInfo("usr/bin/su"); ti.mode = 0o4755; tf.addfile(ti)
        ti = tarfile.TarInfo("big"); ti.type = tarfile.SYMTYPE; ti.linkname = "a" * size
        tf.addfile(ti)
        for i in range(links):
            ti = tarfile.TarInfo("x/l%d" % i); ti.type = tarfile.LNKTYPE; ti.linkname = "big"
            tf.addfile(ti)
PY
scan sym-4095.tar
is "$?" 0 "a symlink to 4095 bytes: scanned"
is "$(grep -c /usr/bin/su out)" 1 "...its set-uid file found"
for k in sym-4096 sym-big; do
  scan $k.tar
  is "$?" 2 "$k: a symlink to 4096 bytes or more: refused"
  like "$(cat err)" "$k\\.tar: big: a symlink to [0-9]+ bytes, where symlink\\(2\\) takes fewer than 4096 \\(ENAMETOOLONG\\): containerd and Docker fail on this layer; refusing the image" \
    "...saying why"
done

# The same layer inside a docker archive: refused as a layer of the image.
if mkdir -p img && cp pax-then-L.tar img/layer.tar &&
  printf '[{"Config":"c.json","Layers":["layer.tar"]}]' >img/manifest.json &&
  printf '{"config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(sha256sum <img/layer.tar | cut -c1-64)" >img/c.json && tar -C img -cf img.tar manifest.json c.json layer.tar; then
  scan img.tar
  is "$?" 2 "the layer inside a docker archive: refused"
  like "$(cat err)" "layer 0 \\(layer\\.tar\\).*refusing to choose" "...naming the layer"
else
  skip "tar could not build the docker archive"; skip "tar could not build the docker archive"
fi
# Sixteenth pass (part F): a PAX xattr key holding a NUL, which Go refuses
# and libarchive warns of: the layer was refused and libarchive's warning
# said too, two errors; the refusal alone now.
python3 - <<'PY'
import io, tarfile
with tarfile.open("xnul.tar", "w", format=tarfile.PAX_FORMAT) as tf:
    ti = tarfile.TarInfo("usr/bin/su"); ti.mode = 0o4755; ti.size = 4
    ti.pax_headers = {"SCHILY.xattr.user.a\x00b": "v"}; tf.addfile(ti, io.BytesIO(b"\x7fELF"))
PY
scan xnul.tar
is "$? $(cat err)" "2 capscope scan: xnul.tar: containerd and Docker (Go's tar reader and their applier) fail on this layer: a PAX header's record is malformed (Go: invalid tar header); refusing it" \
  "a PAX xattr key with a NUL: refused, one error (libarchive's warning was said too)"
done_testing
