#!/usr/bin/env bash
# asan-too
# What an OCI descriptor says of the blob it names, against the blob
# (eighteenth pass, part B). containerd (core/images/image.go, Manifest and
# validateMediaType) follows an index entry only of a manifest's or an
# index's type, and fails a blob that holds the other kind's keys; its
# applier (core/diff/stream.go) decompresses a layer only when the layer's
# type names a compression, and then gzip and zstd only, detected from the
# bytes; every runtime undoes one compression. capscope read each blob by
# its keys and each layer by all its bytes' compressions: those images no
# containerd runs were scanned, exit 0. Now refused, naming the descriptor.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in tar gzip zstd xz bzip2 sha256sum jq; do
  command -v $t >/dev/null || skip_all "needs $t"
done
tap_tmpdir
cd "$T" || exit 1


mkdir -p l0/usr
printf 'one' >l0/usr/evil && chmod 4755 l0/usr/evil
tar --format=posix --numeric-owner --sort=name -C l0 -cf l0.tar .
mkconfig cfg.json root '["/usr/evil"]' null "$(sha l0.tar)"
mkoci good cfg.json gzip l0.tar
scan good
is "$?" 0 "a true layout: exit 0"
is "$(finds)" 1 "…its set-uid file found"

# reindex DIR FILTER: DIR's index.json through jq FILTER.
reindex() { jq -c "$2" "$1/index.json" >"$1/i.tmp" && mv "$1/i.tmp" "$1/index.json"; }
# putblob DIR FILE: FILE as a blob of DIR; its digest printed.
putblob() { local d; d=$(sha "$2"); cp "$2" "$1/blobs/sha256/$d"; echo "$d"; }
# Case NAME WANT PATTERN: DIR NAME scanned, WANT its exit, PATTERN in its error.
case_is() {
  scan "$1"
  is "$?" "$2" "$1: exit $2"
  if [ "$2" = 2 ]; then
    like "$(cat "$T/err")" "$3" "$1: …why named"
    is "$(finds)" 0 "$1: …nothing predicted"
  else
    is "$(finds)" 1 "$1: …its set-uid file found"
  fi
}

OCI_M=application/vnd.oci.image.manifest.v1+json
OCI_I=application/vnd.oci.image.index.v1+json
DOCKER_M=application/vnd.docker.distribution.manifest.v2+json
DOCKER_L=application/vnd.docker.distribution.manifest.list.v2+json

# 1. The index entry's own type: a manifest's or an index's, nothing else.
cp -r good e-none && reindex e-none 'del(.manifests[0].mediaType)'
case_is e-none 2 "manifests.0. has no mediaType .*containerd refuses the image .unexpected media type."
cp -r good e-cfg && reindex e-cfg ".manifests[0].mediaType = \"application/vnd.oci.image.config.v1+json\""
case_is e-cfg 2 "mediaType 'application/vnd.oci.image.config.v1\\+json' is neither a manifest's nor an index's"
cp -r good e-param && reindex e-param ".manifests[0].mediaType = \"$OCI_M; charset=utf-8\""
case_is e-param 2 "neither a manifest's nor an index's"
cp -r good e-docker && reindex e-docker ".manifests[0].mediaType = \"$DOCKER_M\""
case_is e-docker 0 ""

# 2. An entry calling the manifest an index: containerd, "expected index
# but found manifest"; capscope read the blob's layers.
for t in $OCI_I $DOCKER_L; do
  if [ "$t" = $OCI_I ]; then n=e-idx-oci; else n=e-idx-docker; fi
  cp -r good $n && reindex $n ".manifests[0].mediaType = \"$t\""
  case_is $n 2 "sha256:[0-9a-f]+: its descriptor says an index, but it holds 'config' .a manifest's.: containerd refuses the image .expected index but found manifest."
done

# 3. A nested index (a manifest list wrapping the manifest): read when the
# entry says so; refused when it calls the list a manifest.
m=$(jq -c '.manifests[0]' good/index.json)
jq -nc --argjson m "$m" '{schemaVersion: 2, mediaType: "'$OCI_I'", manifests: [$m]}' >nested.json
mkn() { # NAME ENTRY-TYPE: good with its index.json pointing at nested.json as ENTRY-TYPE
  cp -r good "$1"
  local d; d=$(putblob "$1" nested.json)
  reindex "$1" ".manifests[0] = {mediaType: \"$2\", digest: \"sha256:$d\", size: $(stat -c %s nested.json)}"
}
mkn n-true $OCI_I
case_is n-true 0 ""
mkn n-lie $OCI_M
case_is n-lie 2 "its descriptor says a manifest, but it holds 'manifests' .an index's.: containerd refuses the image .expected manifest but found index."
# The list's own mediaType a manifest's, with no manifest keys: the same.
jq -c '.mediaType = "'$OCI_M'"' nested.json >nested2.json && mv nested2.json nested.json
mkn n-self $OCI_I
case_is n-self 2 "its descriptor says an index, but its own mediaType is '${OCI_M//+/\\+}'"
# A manifest whose own mediaType is an index's.
cp -r good m-self && remanifest m-self ".mediaType = \"$OCI_I\""
case_is m-self 2 "its descriptor says a manifest, but its own mediaType is '${OCI_I//+/\\+}'"
# A schema 1 manifest's fsLayers beside the rest.
cp -r good m-s1 && remanifest m-s1 '.fsLayers = []'
case_is m-s1 2 "schema 1 manifest .fsLayers.: containerd refuses the image"
# index.json holding a manifest's layers beside its manifests.
cp -r good i-layers && reindex i-layers '.layers = []'
case_is i-layers 2 "index.json: its descriptor says an index, but it holds 'layers'"

# 4. A layer's bytes against its type's compression. relayer DIR FILE TYPE:
# layer 0 replaced by FILE's bytes under TYPE (digest and size true).
relayer() {
  local d
  rm -f "$(blob "$1" 0)"
  d=$(putblob "$1" "$2")
  remanifest "$1" ".layers[0] |= (.digest = \"sha256:$d\" | .size = $(stat -c %s "$2") | .mediaType = \"$3\")"
}
gzip -n -c l0.tar >l0.gz
zstd -q -c l0.tar >l0.zst
xz -c l0.tar >l0.xz
bzip2 -c l0.tar >l0.bz2
gzip -n -c l0.gz >l0.gz.gz
zstd -q -c l0.gz >l0.gz.zst
OCI=application/vnd.oci.image.layer.v1.tar
DOCKER=application/vnd.docker.image.rootfs.diff.tar
for c in "c-plain-gz|l0.gz|$OCI|2|gzip bytes, mediaType '$OCI' names no compression: containerd's tar reader fails; refusing the image" \
  "c-foo-gz|l0.gz|$OCI+foo|2|gzip bytes, mediaType .* names no compression" \
  "c-gzip-zz|l0.zst|$OCI+gzip+zz|2|zstd bytes, mediaType .* names no compression" \
  "c-wrapped|l0.gz|$DOCKER.gzip+encrypted|2|gzip bytes, mediaType .* names no compression: containerd.s tar reader fails; refusing the image" \
  "c-xz|l0.xz|$OCI+gzip|2|xz bytes: containerd undoes only gzip and zstd .whatever the mediaType., and its tar reader fails; refusing the image" \
  "c-bz2|l0.bz2|$OCI+zstd|2|bzip2 bytes: containerd undoes only gzip and zstd" \
  "c-docker-xz|l0.xz|$DOCKER|2|xz bytes: containerd undoes" \
  "c-gz-gz|l0.gz.gz|$OCI+gzip|2|its bytes are gzip inside gzip: containerd, CRI-O and Docker undo one compression" \
  "c-gz-zst|l0.gz.zst|$OCI+zstd|2|its bytes are gzip inside zstd" \
  "c-gzip-on-zstd|l0.zst|$OCI+gzip|0|" \
  "c-zstd-on-gzip|l0.gz|$OCI+zstd|0|" \
  "c-gzip-on-tar|l0.tar|$OCI+gzip|0|" \
  "c-plain-tar|l0.tar|$OCI|0|" \
  "c-docker-gz|l0.gz|$DOCKER|0|" \
  "c-docker-zst|l0.zst|$DOCKER.gzip|0|" \
  "c-encrypted-gz|l0.gz|$OCI+gzip+encrypted|0|"; do
  IFS='|' read -r name file type want why <<<"$c"
  cp -r good "$name" && relayer "$name" "$file" "$type"
  case_is "$name" "$want" "layer 0 \\(blobs/sha256/[0-9a-f]+\\): $why"
done

# 5. The same from an OCI archive (the layer read out of the outer tar).
tar -C c-plain-gz -cf c-plain-gz.tar .
case_is c-plain-gz.tar 2 "layer 0 \\(blobs/sha256/[0-9a-f]+\\): gzip bytes, mediaType '$OCI' names no compression"
tar -C c-gz-gz -cf c-gz-gz.tar .
case_is c-gz-gz.tar 2 "gzip inside gzip"
tar -C c-gzip-on-zstd -cf c-gzip-on-zstd.tar .
case_is c-gzip-on-zstd.tar 0 ""

# 6. A docker archive's layer compressed twice: docker load undoes one.
mkconfig dcfg.json root '["/usr/evil"]' null "$(sha l0.tar)"
mkdocker d.tar dcfg.json l0.tar
rm -rf d && mkdir d && tar -C d -xf d.tar && cp l0.gz.gz "d/$(sha l0.tar)/layer.tar" && tar -C d -cf d-gzgz.tar .
case_is d-gzgz.tar 2 "layer 0 .*: its bytes are gzip inside gzip"
cp l0.gz "d/$(sha l0.tar)/layer.tar" && tar -C d -cf d-gz.tar .
case_is d-gz.tar 0 ""
# What docs/scan.md's table says of a docker archive (nineteenth pass,
# part B): a layer xz, bzip2 or zstd is read (classic docker load's
# DecompressStream detects them), and so is the whole archive compressed.
for c in xz bz2 zst; do
  cp "l0.$c" "d/$(sha l0.tar)/layer.tar" && tar -C d -cf "d-$c.tar" .
  case_is "d-$c.tar" 0 ""
done
for z in xz bzip2; do $z -c d.tar >"d.tar.$z"; case_is "d.tar.$z" 0 ""; done

# 7. Hostile bytes in a type are cut and escaped in the message (one line).
cp -r good h-esc && reindex h-esc ".manifests[0].mediaType = \"x\\u001b[31mred\\nline\""
scan h-esc
is "$?" 2 "an entry type holding an escape and a newline: refused"
is "$(wc -l <"$T/err")" 1 "…in one line"
is "$(grep -c $'\e' "$T/err")" 0 "…the escape not passed to the terminal"

done_testing
