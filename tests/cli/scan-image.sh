#!/usr/bin/env bash
# capscope scan on container images built here with real tools: docker-archive,
# OCI layout and OCI archive, gzip/zstd/plain layers, whiteouts, opaque
# directories; then hostile archives.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
need_root # setcap on the layer files
for t in setcap tar gzip zstd jq python3 sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tar --help 2>/dev/null | grep -q -- --xattrs-include || skip_all "needs GNU tar with --xattrs"
tap_tmpdir
cd "$T" || exit 1

# Layer 0: a base with privileged files.
mkdir -p l0/bin l0/usr/bin l0/opt/keep l0/data/old l0/etc l0/srv
cp /bin/true l0/bin/nc;          setcap cap_net_bind_service+ep l0/bin/nc
cp /bin/true l0/usr/bin/passwd;  chmod 4755 l0/usr/bin/passwd
cp /bin/true l0/opt/tool;        setcap cap_sys_admin+ep l0/opt/tool
cp /bin/true l0/opt/keep/x;      chmod 4755 l0/opt/keep/x
cp /bin/true l0/data/old/suid;   chmod 4755 l0/data/old/suid
cp /bin/true l0/srv/v3;          setcap -n 100000 cap_net_raw+ep l0/srv/v3
cp /bin/true l0/srv/gone-dir-suid; chmod 4755 l0/srv/gone-dir-suid
echo hi >l0/etc/file
ln -s usr/bin l0/sbin-link
# Layer 1: whiteouts, an opaque directory, a replaced file, new privileged files.
mkdir -p l1/opt l1/data l1/usr/bin l1/bin l1/srv
: >l1/opt/.wh.tool
: >l1/data/.wh..wh..opq
: >l1/srv/.wh.gone-dir-suid
cp /bin/true l1/data/new-sgid;  chown 0:50 l1/data/new-sgid; chmod 2755 l1/data/new-sgid
cp /bin/true l1/usr/bin/ping;   setcap cap_net_raw+ep l1/usr/bin/ping
cp /bin/true l1/bin/nc          # replaces the capped nc with a plain one
# Layer 2: brings back a set-uid file under the opaque dir (same path as a lower one).
mkdir -p l2/data/old
cp /bin/true l2/data/old/suid; chown 0:7 l2/data/old/suid; chmod 4750 l2/data/old/suid
mklayer l0 l0.tar; mklayer l1 l1.tar; mklayer l2 l2.tar
ok "$(grep -aq SCHILY.xattr.security.capability l0.tar; echo $?)" "GNU tar wrote SCHILY.xattr records"
mkconfig cfg.json 1000 '["ping"]' '["-c","1","localhost"]' "$(sha l0.tar)" "$(sha l1.tar)" "$(sha l2.tar)"

expect='/data/new-sgid 1 setgid 0:50 -
/data/old/suid 2 setuid 0:7 -
/opt/keep/x 0 setuid 0:0 -
/srv/v3 0 - 0:0 cap_net_raw=ep/3/100000
/usr/bin/passwd 0 setuid 0:0 -
/usr/bin/ping 1 - 0:0 cap_net_raw=ep/2/null'
view() {
  jq -r '.findings[] | "\(.path) \(.layer) \(if .setuid then "setuid" elif .setgid then "setgid" else "-" end) \(.uid):\(.gid) \(if .file_caps then "\(.file_caps.text)/\(.file_caps.version)/\(.file_caps.rootid)" else "-" end)"' | sort
}
check_image() { # label path kind
  local out rc
  out=$("$CAPSCOPE" scan --json "$2" 2>"$T/err"); rc=$?
  is "$rc" 0 "$1: exit 0"
  is "$(view <<<"$out")" "$expect" "$1: the final view (whiteouts, opaque dir, replaced file, layer tags)"
  is "$(jq -r '.summary.targets[0] | "\(.kind) \(.layers) \(.user) \(.entrypoint_path) \(.cmd|join(" "))"' <<<"$out")" \
    "$3 3 1000 /usr/bin/ping -c 1 localhost" "$1: kind, layers, User, Cmd, entrypoint found through PATH"
  is "$(jq -r '.findings[] | select(.entrypoint) | .path' <<<"$out")" "/usr/bin/ping" "$1: the entrypoint's finding is highlighted"
}

mkdocker docker.tar cfg.json l0.tar l1.tar l2.tar
check_image "docker-archive" docker.tar docker-archive
gzip -n -c docker.tar >docker.tar.gz
check_image "gzipped docker-archive" docker.tar.gz docker-archive
mkoci oci-gz cfg.json gzip l0.tar l1.tar l2.tar
check_image "OCI layout, gzip layers" oci-gz oci-layout
mkoci oci-zst cfg.json zstd l0.tar l1.tar l2.tar
check_image "OCI layout, zstd layers" oci-zst oci-layout
mkoci oci-raw cfg.json none l0.tar l1.tar l2.tar
tar -C oci-raw -cf oci.tar .
check_image "OCI archive, uncompressed layers" oci.tar oci-archive

# docker save (before 25) links identical layers to one layer.tar.
# (its config's diff_ids: l0's twice, as docker load checks them)
mkconfig cfgdup.json 1000 '["ping"]' '["-c","1","localhost"]' "$(sha l0.tar)" "$(sha l0.tar)"
mkdocker dup.tar cfgdup.json l0.tar l1.tar
mkdir dupx && tar -C dupx -xf dup.tar && id0=$(sha l0.tar) && mkdir dupx/other &&
  ln -s "../$id0/layer.tar" dupx/other/layer.tar &&
  sed -i "s|\"$(sha l1.tar)/layer.tar\"|\"other/layer.tar\"|" dupx/manifest.json && tar -C dupx -cf dup.tar .
is "$("$CAPSCOPE" scan --json dup.tar | jq -r '[.findings[] | select(.path=="/opt/tool") | .layer] | join(",")')" 1 \
  "a layer that is a symlink inside the archive is followed (inside the archive)"

# A single layer tar: layer 0, and the text output.
out=$("$CAPSCOPE" scan l0.tar)
like "$out" "critical +/opt/tool +0:0 +0755 +- +cap_sys_admin=ep v2 +0 " "single layer: text row with caps and layer"
like "$(tail -n1 <<<"$out")" "^7 findings$" "single layer: all 7 privileged files of layer 0"
zstd -q -c l0.tar >l0.tar.zst
is "$("$CAPSCOPE" scan --json l0.tar.zst | jq '.findings|length')" 7 "single zstd layer"
"$CAPSCOPE" scan --fail-on critical docker.tar >/dev/null; is $? 0 "--fail-on critical: the whiteout removed the only critical file"
"$CAPSCOPE" scan --fail-on high docker.tar >/dev/null; is $? 1 "--fail-on high: set-uid root remains"
is "$("$CAPSCOPE" scan --sarif oci.tar | jq -r '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | sort | first')" \
  "data/new-sgid" "SARIF URIs are relative to the image root"
is "$("$CAPSCOPE" scan --json docker.tar l0.tar | jq '[.summary.targets[].kind] | join(",")')" '"docker-archive,layer"' "several targets in one run"

# Hostile archives.
mkdir hostile && python3 "$CAPSCOPE_TOP/tests/data/scan/mkhostile.py" hostile
h() { "$CAPSCOPE" scan --json "hostile/$1" 2>"$T/herr"; }
out=$(h dotdot.tar); rc=$?
is "$rc" 2 "'..' names: exit 2"
is "$(jq -r '[.findings[].path] | sort | join(" ")' <<<"$out")" "/abs/suid /etc/evil-suid /ok/ping" "'..' and absolute names stay inside the image"
like "$(cat "$T/herr")" "climbs out of the root" "'..' is reported"
ok "$([ ! -e /etc/evil-suid ] && [ ! -e /abs ]; echo $?)" "nothing written on the host"
out=$(h absolute.tar); rc=$?
is "$rc" 2 "an absolute name alone: exit 2"
is "$(jq -r '[.findings[].path] | join(" ")' <<<"$out")" "/usr/bin/abs-suid" "an absolute name is kept inside the image"
like "$(cat "$T/herr")" "/etc/passwd: .*absolute name: kept inside the image as /etc/passwd" "an absolute name is reported"
is "$(jq -r '[.summary.targets[0].errors[].message] | length' <<<"$out")" 2 "each absolute name is reported once"
ok "$([ "$(stat -c %Y /etc/passwd)" -lt "$(date +%s -d '-1 min')" ] || [ ! -e /usr/bin/abs-suid ]; echo $?)" "nothing written on the host"
# Names that rewrite the terminal or forge rows: text output is escaped, one row per finding.
txt=$(LC_ALL=C "$CAPSCOPE" scan hostile/names.tar 2>&1); rc=$?
n=$(h names.tar | jq '.findings|length')
is "$rc" 0 "a non-ASCII PAX name reads without a charset warning, whatever the locale (LC_ALL=C)"
is "$n" 4 "hostile tar names: four findings in JSON"
is "$(printf '%s\n' "$txt" | wc -l)" "$((n + 2))" "text: one row per finding, no forged row"
is "$(printf '%s' "$txt" | tr -cd '\033\007' | wc -c)" 0 "text: no raw ESC or BEL from a tar name"
ok "$(! grep -q '^/usr/bin/fake' <<<"$txt"; echo $?)" "text: a newline in a tar name does not start a line"
like "$txt" '/x\\n/usr/bin/fake\\x20\\x20critical\\x20\\x20cap_sys_admin\+ep' "text: the newline is shown escaped (spaces as \\x20)"
like "$txt" '\\u202e' "text: a bidi override is shown escaped"
is "$(h names.tar | jq -r '.findings[] | select(.path|contains("fake")) | .path')" $'/x\n/usr/bin/fake  critical  cap_sys_admin+ep' "JSON keeps the exact name"
# The config User and a layer's name are data too.
mkdir esc-img && printf '{"config":{"User":"\\u001b[2J\\nroot  critical","Entrypoint":["/usr/bin/abs-suid"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$(sha hostile/absolute.tar)" >esc-img/cfg.json &&
  mkdir "esc-img/l"$'\e'"[31m" && cp hostile/absolute.tar "esc-img/l"$'\e'"[31m/layer.tar" &&
  printf '[{"Config":"cfg.json","Layers":["l\\u001b[31m/layer.tar"]}]' >esc-img/manifest.json && tar -C esc-img -cf esc.tar .
txt=$("$CAPSCOPE" scan esc.tar 2>&1)
is "$(printf '%s' "$txt" | tr -cd '\033\007' | wc -c)" 0 "text: no raw ESC from the config User or a layer name"
like "$txt" "user '\\\\x1b\\[2J\\\\nroot\\\\x20\\\\x20critical'" "text: the config User is shown escaped (a space as \\x20: text follows it)"
like "$txt" 'layer 0 \(l\\x1b\[31m/layer.tar\)' "stderr: the layer name is shown escaped"
is "$("$CAPSCOPE" scan --json esc.tar 2>/dev/null | jq -r '.summary.targets[0].user')" $'\e[2J\nroot  critical' "JSON keeps the exact User"
out=$(h links.tar); rc=$?
is "$(jq -r '[.findings[].path] | join(" ")' <<<"$out")" "/etc/through-link" "symlinks out are not followed; a parent symlink is followed inside the image"
# An entry below a symlink loop, or below a regular file: containerd's
# applier fails the layer (fs.RootPath's "too many links", mkparent's
# ENOTDIR): refused (they were ignored with a warning).
out=$(h loop.tar); rc=$?
is "$rc $(cat "$T/herr")" "2 capscope scan: hostile/loop.tar: loop1/x: its parent directory cannot be resolved (Too many levels of symbolic links): containerd and Docker fail on this layer; refusing the image" "an entry below a symlink loop: refused"
out=$(h notdir.tar); rc=$?
is "$rc $(cat "$T/herr")" "2 capscope scan: hostile/notdir.tar: f/x: its parent /f is not a directory (ENOTDIR): containerd and Docker fail on this layer; refusing the image" "an entry below a regular file: refused"
out=$(h hardlinks.tar); rc=$?
is "$(jq -r '[.findings[] | "\(.path):\(.mode)"] | sort | join(" ")' <<<"$out")" \
  "/bin/capped:0755 /bin/made-capped:0755 /bin/made-suid:04755 /bin/plain2:0755 /bin/plain:04755 /bin/su-link:04755 /bin/su:04755 /usr/capped-link:0755" "a hard link to a set-uid or capped file is reported as one; a link's header applies to its target (not /bin/su2)"
is "$(jq -r '.findings[] | select(.path=="/usr/capped-link") | .file_caps.text' <<<"$out")" "cap_sys_admin=ep" "the hard link shares the xattr"
# A hard link link(2) cannot make fails containerd's applier: the layer is
# refused, never predicted without the link (it was ignored with a warning).
for c in "missing:bin/dangling-link: a hard link to 'nothere/missing', not in the image when linked" \
  "outside:bin/outside-link: a hard link to '../../../../etc/passwd', not in the image when linked" \
  "later:bin/early: a hard link to 'bin/su', not in the image when linked" \
  "self:bin/su: a hard link to 'bin/su', removed first when this entry is unpacked" \
  "under:bin: a hard link to 'bin/su', removed first when this entry is unpacked" \
  "dir:dirlink: a hard link to 'bin', a directory" "root:rootlink: a hard link to '\\./', a directory"; do
  out=$(h "hl-${c%%:*}.tar"); rc=$?
  is "$rc $(jq -r '.findings | length' <<<"$out" 2>/dev/null)" "2 0" "hl-${c%%:*}: refused, no findings"
  like "$(cat "$T/herr")" "${c#*:}: link\(2\) fails: containerd and Docker fail on this layer; refusing the image" "hl-${c%%:*}: the entry, the target and why"
done
out=$(h dups.tar)
is "$(jq -r '[.findings[] | "\(.path):\(.mode):\(.file_caps.text)"] | sort | join(" ")' <<<"$out")" "/b:02755:null /c:0755:cap_net_raw=ep" "duplicate entries: the last one wins"
out=$(h badcap.tar); rc=$?
is "$(jq -r '.findings[0] | "\(.path) \(.file_caps.invalid) \(.risk)"' <<<"$out")" "/weird true medium" "an invalid capability value is a finding"
out=$(h pax-liar.tar); rc=$?
is "$rc" 2 "a PAX record lying about its length: exit 2"
# Go's reader fails on it: the layer is refused with that error alone
# (libarchive's warning on the record was said too, before part F's change
# of the sixteenth pass).
is "$(grep -c . "$T/herr") $(cat "$T/herr")" "1 capscope scan: hostile/pax-liar.tar: containerd and Docker (Go's tar reader and their applier) fail on this layer: a PAX header's record is malformed (Go: invalid tar header); refusing it" \
  "and the damaged record is reported, once"
for f in oversized truncated garbage; do
  out=$(h $f.tar); rc=$?
  is "$rc" 2 "$f.tar: a clear error, exit 2"
  like "$(cat "$T/herr")" "^capscope scan: hostile/$f.tar: " "$f.tar: the message names the archive"
done
# Decompression bombs: the ratio and the total are bounded.
head -c $((256 << 20)) /dev/zero >zeros
tar --format=posix -cf - zeros | zstd -q -19 -c >bomb.tar.zst; rm zeros
"$CAPSCOPE" scan bomb.tar.zst >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "zstd bomb: refused"
like "$(cat "$T/err")" "inflates more than 1000:1" "zstd bomb: the ratio is named"
"$CAPSCOPE" scan --max-ratio 100000000 --max-bytes 16M bomb.tar.zst >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "--max-bytes bounds the total"
like "$(cat "$T/err")" "more than 16777216 uncompressed bytes" "--max-bytes: the limit is named"
# A docker archive whose manifest points outside or to nothing.
mkdir evil && printf '[{"Config":"../../etc/passwd","Layers":["../../../etc/shadow"]}]' >evil/manifest.json && tar -C evil -cf evil.tar .
"$CAPSCOPE" scan evil.tar >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "manifest naming host files: error"
is "$(cat "$T/err")" "capscope scan: evil.tar: manifest.json: Config: '../../etc/passwd': not in the archive" "manifest names are looked up inside the archive only (the config first, as docker load reads it)"
mkdir evil2 && printf '[{"Config":"c.json","Layers":["../../../etc/shadow"]}]' >evil2/manifest.json &&
  printf '{"rootfs":{"type":"layers","diff_ids":["sha256:%064d"]}}' 0 >evil2/c.json && tar -C evil2 -cf evil2.tar .
"$CAPSCOPE" scan evil2.tar >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "manifest naming a host file as a layer: error"
is "$(cat "$T/err")" "capscope scan: evil2.tar: manifest.json: Layers[0]: '../../../etc/shadow': not in the archive" \
  "…the layer looked up inside the archive only; manifest.json's field named, the name quoted as one word"
mkdir -p evil-oci/blobs/sha256 && printf '{"imageLayoutVersion":"1.0.0"}' >evil-oci/oci-layout &&
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../etc/passwd"}]}' >evil-oci/index.json
"$CAPSCOPE" scan evil-oci >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "OCI digest with a path: error"
like "$(cat "$T/err")" "is not a digest" "digests are validated before use"
# Third pass: a JSON number was read as a layer's file name ("5: layer not
# found"); 5,000 layers were called "not an array of file names".
mkdir num && printf '[{"Config":"c.json","Layers":[5]}]' >num/manifest.json && tar -C num -cf num.tar .
"$CAPSCOPE" scan num.tar >/dev/null 2>"$T/err"
is "$?" 2 "a number as a layer name: error"
like "$(cat "$T/err")" "'Layers' must be an array of file names" "…says the layers must be names"
mkdir many && python3 -c 'import json; print(json.dumps([{"Config": "c.json", "Layers": ["l.tar"] * 5000}]))' \
  >many/manifest.json && tar -C many -cf many.tar .
"$CAPSCOPE" scan many.tar >/dev/null 2>"$T/err"
is "$?" 2 "5,000 layers: error"
like "$(cat "$T/err")" "more than 4096 'Layers'" "…says how many are allowed"
# Two images in one docker archive: only the first was scanned, exit 0.
mkdir two && printf '[{"Config":"c.json","Layers":[]},{"Config":"d.json","Layers":[]}]' \
  >two/manifest.json && tar -C two -cf two.tar .
"$CAPSCOPE" scan two.tar >/dev/null 2>"$T/err"
is "$?" 2 "two images in one archive: error, not the first alone"
like "$(cat "$T/err")" "lists 2 images" "…says how many"
# The same through an OCI index (fourth pass): two entries with no platform,
# or two for this one, are two images; the first was scanned alone, exit 0.
# An entry for another platform is another build of the same image.
one=$(jq -c '.manifests[0] | del(.platform)' oci-gz/index.json)
cp -r oci-gz oci-two && jq -c --argjson m "$one" '.manifests = [$m, $m]' oci-gz/index.json >oci-two/index.json
"$CAPSCOPE" scan oci-two >/dev/null 2>"$T/err"
is "$?" 2 "an OCI index of two images: error, not the first alone"
like "$(cat "$T/err")" "index lists 2 images" "…says how many"
cp -r oci-gz oci-arch && jq -c --argjson m "$one" \
  '.manifests = [.manifests[0], ($m + {platform: {os: "linux", architecture: "s390x-none"}})]' \
  oci-gz/index.json >oci-arch/index.json
"$CAPSCOPE" scan oci-arch >/dev/null 2>"$T/err"
is "$?" 0 "an entry for another platform beside this one's: scanned, exit 0"
# Nineteenth pass, part B: entries for other platforms only: the first,
# another build, was scanned, exit 0; containerd fails the image.
if [ "$(uname -m)" = x86_64 ]; then
  cp -r oci-gz oci-other && jq -c --argjson m "$one" \
    '.manifests = [($m + {platform: {os: "linux", architecture: "arm64"}})]' \
    oci-gz/index.json >oci-other/index.json
  "$CAPSCOPE" scan oci-other >/dev/null 2>"$T/err"
  is "$? $(cat "$T/err")" "2 capscope scan: oci-other: manifests: index lists no image for linux/amd64 (1 entry: linux/arm64): containerd refuses it (no match for platform in manifest); refusing the image" \
    "an index with no entry for this platform: refused, saying which it has"
fi

# Tenth pass: an option for the other kind of target did nothing and was
# taken: -x and --threads walk directories, --max-bytes and --max-ratio read
# images. Refused when no target is of its kind; taken when one is.
mkdir -p plain-dir
for opts in "-x docker.tar" "--threads 4 docker.tar" "--max-bytes 1G plain-dir" \
            "--max-ratio 5 plain-dir" "--diff -x docker.tar docker.tar"; do
  # shellcheck disable=SC2086
  err=$("$CAPSCOPE" scan $opts 2>&1 >/dev/null)
  is "$?" 2 "scan $opts: exit 2"
  like "$err" "(walks directories: no DIR|reads images: no IMAGE) is given" "scan $opts: says why"
done
"$CAPSCOPE" scan -x --max-bytes 1G plain-dir docker.tar >/dev/null
is "$?" 0 "scan -x --max-bytes with a DIR and an IMAGE: each applies to one"

# Nineteenth pass, part B: docker load and containerd's importer read
# manifest.json's first value (json.NewDecoder): what follows it (a second
# list naming another image, a NUL, a byte that is no UTF-8) is not looked
# at. It was refused ("more after the first value"), an image both load.
rm -rf two && mkdir two && tar -C two -xf docker.tar
first=$(cat two/manifest.json)
"$CAPSCOPE" scan --json docker.tar >"$T/want.json"
for tail in '[{"Config":"nothere.json","Layers":[]}]' '\n\000\377{'; do
  { printf '%s' "$first" && printf "$tail"; } >two/manifest.json && tar -C two -cf two.tar .
  "$CAPSCOPE" scan --json two.tar >"$T/got.json" 2>"$T/err"
  is "$? $(cat "$T/err")" "0 " "manifest.json followed by '$(cut -c1-30 <<<"$tail")': read, as docker load reads it"
  is "$(jq -c '[.findings[].path]' "$T/got.json")" "$(jq -c '[.findings[].path]' "$T/want.json")" \
    "…its first value's image, the same findings"
done
# A config past 4 MiB that pass 1 did not keep, read from the archive and
# refused: the refused bytes were freed, then freed again (a crash, exit 139).
python3 -c 'import json, sys; d = json.load(open("cfg.json"))
d["config"]["Env"] += ["X%d=%s" % (i, "y" * 100) for i in range(45000)]
json.dump(d, open("big.json", "w"))'
mkdocker big.tar big.json l0.tar l1.tar l2.tar
"$CAPSCOPE" scan big.tar >/dev/null 2>"$T/err"
is "$? $(cat "$T/err")" "2 capscope scan: big.tar: manifest.json: Config: '$(sha big.json).json': larger than 4 MiB: not read" \
  "a docker archive's config of 5 MB: refused, saying why (it crashed)"
printf '%s' '{"Config":' >two/manifest.json && tar -C two -cf two.tar .
"$CAPSCOPE" scan two.tar >/dev/null 2>"$T/err"
is "$?" 2 "a manifest.json whose first value is cut short: refused"

done_testing
