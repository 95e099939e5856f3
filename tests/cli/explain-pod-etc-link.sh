#!/usr/bin/env bash
# asan-too
# explain pod --image: an image's /etc/passwd or /etc/group that is a hard
# link entry to a file of another name written before it (in its layer or a
# lower one) is read as containerd unpacks it: the link's bytes are its
# target's. The first read keeps the bytes of files named passwd or group
# only, so these were refused ("not through a hard link to a file of another
# name", open since the thirteenth pass); the layer that wrote the bytes is
# now read again for them (sixteenth pass, part F). The same second read
# gives a small /etc/passwd listed after 16 MiB of other passwd files kept.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in jq tar sha256sum python3 gzip zstd; do command -v $t >/dev/null || skip_all "needs $t"; done
tap_tmpdir
cd "$T" || exit 1
cat >p.yaml <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: x
    command: [/usr/bin/app]
Y
# layers.py OUT SPEC...: SPEC is name=TEXT (a file), name@TARGET (a hard link), name%N (N bytes of #)
cat >layer.py <<'PY'
import io, sys, tarfile
PW = b"root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n"
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    for spec in sys.argv[2:]:
        for sep in "=@%":
            if sep in spec:
                n, v = spec.split(sep, 1); break
        i = tarfile.TarInfo(n); i.mode = 0o755 if n.endswith("app") else 0o644
        if sep == "@":
            i.type = tarfile.LNKTYPE; i.linkname = v; t.addfile(i)
        else:
            if sep == "=":
                d = v.encode().replace(b"\\n", b"\n")
            else: # N bytes: root and app, then lines of 63 '#' (runc reads such lines)
                d = (PW + b"#" * 63 + b"\n") * (int(v) // 64 + 1)
                d = d[:int(v) - 1] + b"\n"
            i.size = len(d); t.addfile(i, io.BytesIO(d))
PY
PW='root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n'
GR='root:x:0:\nstaff:x:50:app\n'
ELF=$'\x7fELF'
# image NAME USER LAYER-SPECS... (layers separated by --): a docker archive, its gzip'd copy, an OCI layout
image() {
  local name=$1 user=$2 i=0 l=() s=(); shift 2
  while :; do
    if [ $# = 0 ] || [ "$1" = -- ]; then
      python3 layer.py "$name.$i.tar" "${s[@]}"; l+=("$name.$i.tar"); i=$((i + 1)); s=()
      [ $# = 0 ] && break
    else s+=("$1"); fi
    shift
  done
  local ids=(); for x in "${l[@]}"; do ids+=("$(sha "$x")"); done
  mkconfig "$name.json" "$user" '["/usr/bin/app"]' null "${ids[@]}"
  mkdocker "$name.img" "$name.json" "${l[@]}"
  gzip -n -1 -c "$name.img" >"$name.img.gz"
  mkoci "$name.oci" "$name.json" none "${l[@]}"
}
# run IMAGE: "uid gid groups", or the exit code and the error
run() {
  "$CAPSCOPE" explain pod --json --image "$1" p.yaml >out.json 2>err
  local rc=$?
  [ $rc -ge 2 ] && { echo "exit $rc: $(cat err)"; return; }
  jq -r '.containers[0] | if .exec.error then "\(.exec.error): \(.admission.reason)"
    else "\(.process.uids[0]) \(.process.gids[0]) \(.process.groups | join(","))" end' out.json
}
each() { # each IMAGE-NAME EXPECTED WHY
  for f in "$1.img" "$1.img.gz" "$1.oci"; do is "$(run $f)" "$2" "$f: $3"; done
}

image same app "etc/pw.base=$PW" "etc/group=$GR" "etc/passwd@etc/pw.base" "usr/bin/app=$ELF"
each same "1000 1000 50,1000" "/etc/passwd a hard link to etc/pw.base before it in its layer: read (it was refused)"
image lower app "etc/pw.base=$PW" "etc/gr.base=$GR" "usr/bin/app=$ELF" -- \
  "etc/passwd@etc/pw.base" "etc/group@etc/gr.base" "x=y"
each lower "1000 1000 50,1000" "/etc/passwd and /etc/group hard links to files of a lower layer"
image both app "etc/pw.base=root:x:0:0::/:/bin/sh\napp:x:1000:50::/:/bin/sh\nstaff:x:50:app\n" \
  "usr/bin/app=$ELF" -- "etc/passwd@etc/pw.base" "etc/group@etc/pw.base"
each both "1000 50 50" "/etc/passwd and /etc/group both links to one file (one read gives both)"
image gone app "etc/pw.base=$PW" "etc/group=$GR" "usr/bin/app=$ELF" -- \
  "etc/passwd@etc/pw.base" -- "etc/.wh.pw.base=" -- "etc/pw.base=other:x:5:5::/:/bin/sh\n"
each gone "1000 1000 50,1000" "the link's target removed and written again above it: the link keeps its bytes"
image chain app "etc/a=$PW" "etc/group=$GR" "usr/bin/app=$ELF" -- "etc/b@etc/a" -- "etc/passwd@etc/b"
each chain "1000 1000 50,1000" "a link to a link to a file, each in its own layer"
image nouser nobody "etc/pw.base=$PW" "etc/group=$GR" "etc/passwd@etc/pw.base" "usr/bin/app=$ELF"
each nouser "CreateContainerError: image USER 'nobody' is a name and the image's /etc/passwd does not list it" \
  "a name the linked file does not list: said not listed (the linked bytes are the ones read)"
image big app "etc/pw.base%1048577" "etc/group=$GR" "etc/passwd@etc/pw.base" "usr/bin/app=$ELF"
each big "exit 2: capscope explain pod: the image's /etc/passwd: larger than the model reads (1 MiB)" \
  "a link to a file over 1 MiB: refused as too large, as a rootfs's is"
image edge app "etc/pw.base%1048576" "etc/group=$GR" "etc/passwd@etc/pw.base" "usr/bin/app=$ELF"
each edge "1000 1000 50,1000" \
  "a link to a file of exactly 1 MiB: read"
# Sixteen 1 MiB files named passwd, then a small /etc/passwd: past the 16 MiB
# the first read keeps, it is read again (it was refused with "16 MiB in all").
spec=(); for i in $(seq -w 0 15); do spec+=("j$i/passwd%1048576"); done
image etc16 app "${spec[@]}" -- "etc/passwd=$PW" "etc/group=$GR" "usr/bin/app=$ELF"
each etc16 "1000 1000 50,1000" "a 52-byte /etc/passwd past 16 MiB of other passwd files: read again"
# A hard link link(2) cannot make (its target written after it, or itself)
# fails containerd's applier: the image is refused, where the link was
# ignored with a warning and the container predicted without it
# (seventeenth pass, part G).
image later app "etc/passwd@etc/pw.base" "etc/pw.base=$PW" "etc/group=$GR" "usr/bin/app=$ELF"
image self app "etc/passwd=$PW" "etc/passwd@etc/passwd" "etc/group=$GR" "usr/bin/app=$ELF"
for f in later.img later.img.gz later.oci later.0.tar self.img self.img.gz self.oci self.0.tar; do
  case $f in later*) w="etc/pw.base', not in the image when linked" ;;
    *) w="etc/passwd', removed first when this entry is unpacked" ;; esac
  like "$(run $f)" "^exit 2: capscope explain pod: --image: $f: (layer 0 \\([^)]*\\): )?etc/passwd: a hard link to '$w: link\(2\) fails: containerd and Docker fail on this layer; refusing the image$" \
    "$f: a hard link containerd cannot make: refused"
done
# The outer archive is not a layer: its own entries are not this check's
# (pass 1 reads it as one before its kind is known; it was read, and still is).
cp same.img outer-link.img
python3 -c 'import sys, tarfile
t = tarfile.open(sys.argv[1], "a"); i = tarfile.TarInfo("junk"); i.type = tarfile.LNKTYPE
i.linkname = "nothere"; t.addfile(i); t.close()' outer-link.img
is "$(run outer-link.img)" "1000 1000 50,1000" "a docker archive holding a hard link to nothing beside its layers: read"
# A layer given alone is the image: the archive is read again.
cat >p2.yaml <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsUser: 1000}
  containers:
  - {name: c, image: x, command: [/usr/bin/app]}
Y
"$CAPSCOPE" explain pod --json --image same.0.tar p2.yaml >out.json 2>err
is "$? $(cat err) $(jq -c '.containers[0].process | [.gids[0], .groups]' out.json)" "0  [1000,[50,1000]]" \
  "a single layer whose /etc/passwd is a hard link: the archive read again"
# An archive is read more than once: a fifo (process substitution) said
# "opening: Resource temporarily unavailable", or failed its second read.
timeout 20 "$CAPSCOPE" explain pod --image <(cat same.img) p2.yaml >out 2>err
is "$? $(sed 's|/dev/fd/[0-9]*|FD|' err)" "2 capscope explain pod: --image: FD: not a regular file (a fifo): an image archive is read more than once, from its start; give a file or an OCI layout directory" \
  "a fifo as the image: refused, saying why"
done_testing
