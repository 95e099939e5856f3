#!/usr/bin/env bash
# A layer read twice in one scan: fetch_etc reads again the layer that wrote
# /etc/passwd when the first read did not keep its bytes (a hard link to a
# file of another name). That second read was not hashed against the
# layer's digest: a blob replaced between the two reads gave /etc/passwd
# from the new blob and the rest from the old (nineteenth pass, part B; open
# since the eighteenth). The replacement is made by an LD_PRELOAD shim
# (tests/helpers/swap-on-open.c) just before the last open of the file, a
# point fixed by counting opens, not by time. capscope-dyn, plain build only: the ASan
# runtime must be the first library loaded, before any preload.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in jq tar sha256sum python3 gzip; do command -v $t >/dev/null || skip_all "needs $t"; done
SHIM=${CAPSCOPE_BUILD:-$(dirname "$CAPSCOPE")}/tests/helpers/swap-on-open.so
[ -f "$SHIM" ] || skip_all "tests/helpers/swap-on-open.so was not built"
case "$CAPSCOPE" in *asan*) skip_all "an LD_PRELOAD shim cannot come before the ASan runtime" ;; esac
# capscope is linked statically (no preload reaches it); capscope-dyn is the
# same program on libcapscope.so.
DYN=$(dirname "$CAPSCOPE")/capscope-dyn
[ -x "$DYN" ] || skip_all "capscope-dyn was not built"
tap_tmpdir
cd "$T" || exit 1
cat >p.yaml <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: c, image: x, command: [/usr/bin/app]}
Y
# A layer given alone has no config (no USER): the pod names the uid, the
# gid is read from /etc/passwd.
sed 's|^spec:|spec:\n  securityContext: {runAsUser: 1000}|' p.yaml >p2.yaml
# layer.py OUT UID: /etc/passwd a hard link to etc/pw.base, app's uid and gid UID (4 digits)
cat >layer.py <<'PY'
import io, sys, tarfile
pw = ("root:x:0:0::/:/bin/sh\napp:x:%s:%s::/:/bin/sh\n" % (sys.argv[2], sys.argv[2])).encode()
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    for n, d in (("etc/pw.base", pw), ("etc/group", b"root:x:0:\n"), ("usr/bin/app", b"\x7fELF")):
        i = tarfile.TarInfo(n); i.mode = 0o755; i.size = len(d); t.addfile(i, io.BytesIO(d))
    i = tarfile.TarInfo("etc/passwd"); i.type = tarfile.LNKTYPE; i.linkname = "etc/pw.base"; t.addfile(i)
PY
python3 layer.py a.tar 1000 && python3 layer.py b.tar 1001 && [ "$(stat -c %s a.tar)" = "$(stat -c %s b.tar)" ]
ok $? "two layers alike but for app's uid in /etc/passwd (1000, 1001), of one size"
mkconfig a.json app '["/usr/bin/app"]' null "$(sha a.tar)"
# b.img: a.img with b.tar's bytes under a.tar's name
mkdocker a.img a.json a.tar && python3 -c 'import sys, tarfile
with tarfile.open("a.img") as a, tarfile.open("b.img", "w") as b:
    for m in a.getmembers():
        b.addfile(m, open("b.tar", "rb") if m.name.endswith("/layer.tar") else a.extractfile(m))' &&
  gzip -n -1 -c a.img >a.img.gz &&
  gzip -n -1 -c b.img >b.img.gz && mkoci a.oci a.json none a.tar
ok $? "a docker archive (and its gzip'd copy) and an OCI layout of a.tar; b.img the same with b.tar"
uid() { # [env ...]: the uid and gid of the container of image $IMG, or the exit code and the error
  local pod=p.yaml
  case $IMG in *.tar) pod=p2.yaml ;; esac
  "$@" "$DYN" explain pod --json --image "$IMG" $pod >out.json 2>err
  local rc=$?
  [ $rc -ge 2 ] && { echo "exit $rc: $(cat err)"; return; }
  jq -r '.containers[0].process | "\(.uids[0]) \(.gids[0])"' out.json
}
# swap NAME FROM TO WHY EXPECTED: FROM renamed over TO before the last open of NAME
swap() {
  local name=$1 from=$2 to=$3 why=$4 want=$5 n keep
  keep=$(mktemp -p "$T") && cp "$to" "$keep"
  rm -f log && uid env LD_PRELOAD="$SHIM" SWAP_NAME="$name" SWAP_LOG="$T/log" >/dev/null
  n=$(wc -l <log)
  [ "$n" -ge 2 ]
  ok $? "$why: $name opened $n times in one run (the last for /etc/passwd)"
  cp "$from" swapped
  like "$(uid env LD_PRELOAD="$SHIM" SWAP_NAME="$name" SWAP_MODE="${MODE:-rename}" SWAP_AT="$n" SWAP_FROM="$T/swapped" SWAP_TO="$to")" \
    "$want" "$why: replaced before its last open: refused"
  cp "$keep" "$to"
}
for IMG in a.img a.img.gz a.oci a.tar; do is "$(uid)" "1000 1000" "$IMG: app is uid and gid 1000, read through the hard link"; done
IMG=b.img; like "$(uid)" "^exit 2: capscope explain pod: --image: b.img: layer 0 \\($(sha a.tar | cut -c1-20).*: its uncompressed bytes hash to sha256:$(sha b.tar), not to sha256:$(sha a.tar) \\(altered\\)$" \
  "b.img (b.tar's bytes under a.tar's name) alone: refused by its diff_id"
IMG=a.oci
swap "$(basename "$(blob a.oci 0)")" b.tar "$T/$(blob a.oci 0)" "OCI layout, the layer blob" \
  "^exit 2: .*layer 0 read again for /etc/passwd \\(blobs/sha256/.*its bytes hash to sha256:$(sha b.tar), not to sha256:$(sha a.tar) \\(altered\\)"
IMG=a.img
swap a.img b.img "$T/a.img" "docker archive, the archive" \
  "^exit 2: .*layer 0 read again for /etc/passwd .*its uncompressed bytes hash to sha256:$(sha b.tar), not to sha256:$(sha a.tar) \\(altered\\)"
IMG=a.img.gz
swap a.img.gz b.img.gz "$T/a.img.gz" "gzip'd docker archive, the archive" \
  "^exit 2: .*layer 0 read again for /etc/passwd .*its uncompressed bytes hash to sha256:$(sha b.tar), not to sha256:$(sha a.tar) \\(altered\\)"
IMG=a.tar
swap a.tar b.tar "$T/a.tar" "a layer given alone (no digest)" \
  "^exit 2: .*a.tar: changed while it was read \\(opened again for /etc/passwd or /etc/group, it is not the file first read\\); refusing the image"
# Written in place (the same inode and size), not renamed: its mtime moved.
cp a.tar c.tar && touch -d 2001-01-01 c.tar && IMG=c.tar MODE=write
swap c.tar b.tar "$T/c.tar" "a layer given alone, written over in place" \
  "^exit 2: .*c.tar: changed while it was read"
done_testing
