# Helpers to build container images by hand with real tools (sourced by scan-image.sh).
# shellcheck shell=bash

# mklayer DIR OUT.tar: a layer tar as 'docker build' writes it, with PAX
# SCHILY.xattr.security.capability records for file capabilities.
mklayer() {
  tar --format=posix --xattrs --xattrs-include='security.capability' --numeric-owner \
    --sort=name -C "$1" -cf "$2" .
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# mkconfig OUT USER ENTRYPOINT-JSON CMD-JSON DIFFID...
mkconfig() {
  local out=$1 user=$2 ep=$3 cmd=$4; shift 4
  local ids="" d
  for d in "$@"; do ids="$ids${ids:+,}\"sha256:$d\""; done
  printf '{"architecture":"amd64","os":"linux","config":{"User":"%s","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Entrypoint":%s,"Cmd":%s},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$user" "$ep" "$cmd" "$ids" >"$out"
}

# mkdocker OUT.tar CONFIG LAYER.tar...: a 'docker save' archive (legacy layout).
mkdocker() {
  local out=$1 cfg=$2; shift 2
  local w layers="" l id
  w=$(mktemp -d)
  cp "$cfg" "$w/$(sha "$cfg").json"
  for l in "$@"; do
    id=$(sha "$l")
    mkdir -p "$w/$id"
    cp "$l" "$w/$id/layer.tar"
    layers="$layers${layers:+,}\"$id/layer.tar\""
  done
  printf '[{"Config":"%s.json","RepoTags":["test:latest"],"Layers":[%s]}]' "$(sha "$cfg")" "$layers" >"$w/manifest.json"
  tar -C "$w" -cf "$out" .
  rm -rf "$w"
}

# mkoci DIR CONFIG COMPRESSOR LAYER.tar...: an OCI image layout; COMPRESSOR gzip|zstd|none.
mkoci() {
  local dir=$1 cfg=$2 comp=$3; shift 3
  local l blob d mt size layers="" cd cs md ms
  mkdir -p "$dir/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  for l in "$@"; do
    case $comp in
      gzip) gzip -n -c "$l" >"$dir/blob.tmp"; mt=application/vnd.oci.image.layer.v1.tar+gzip ;;
      zstd) zstd -q -c "$l" >"$dir/blob.tmp"; mt=application/vnd.oci.image.layer.v1.tar+zstd ;;
      none) cp "$l" "$dir/blob.tmp"; mt=application/vnd.oci.image.layer.v1.tar ;;
    esac
    d=$(sha "$dir/blob.tmp"); size=$(stat -c %s "$dir/blob.tmp")
    mv "$dir/blob.tmp" "$dir/blobs/sha256/$d"
    layers="$layers${layers:+,}{\"mediaType\":\"$mt\",\"digest\":\"sha256:$d\",\"size\":$size}"
  done
  cd=$(sha "$cfg"); cs=$(stat -c %s "$cfg")
  cp "$cfg" "$dir/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$cd" "$cs" "$layers" >"$dir/manifest.tmp"
  md=$(sha "$dir/manifest.tmp"); ms=$(stat -c %s "$dir/manifest.tmp")
  mv "$dir/manifest.tmp" "$dir/blobs/sha256/$md"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}}]}' \
    "$md" "$ms" >"$dir/index.json"
}

# blob DIR N: the path of layer N's blob in OCI layout DIR; cfgblob, manblob likewise.
blob() { echo "$1/blobs/sha256/$(jq -r ".layers[$2].digest" "$(manblob "$1")" | cut -d: -f2)"; }
manblob() { echo "$1/blobs/sha256/$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)"; }
cfgblob() { echo "$1/blobs/sha256/$(jq -r '.config.digest' "$(manblob "$1")" | cut -d: -f2)"; }

# remanifest DIR FILTER: DIR's manifest passed through jq FILTER, its digest
# and size written into the index (the blobs stay right: only the
# descriptor's words change).
remanifest() {
  local m nm
  m=$(manblob "$1")
  jq -c "$2" "$m" >"$1/m.tmp" && nm=$(sha "$1/m.tmp") &&
    mv "$1/m.tmp" "$1/blobs/sha256/$nm" && rm "$m" &&
    jq -c --arg d "sha256:$nm" --argjson s "$(stat -c %s "$1/blobs/sha256/$nm")" \
      '.manifests[0].digest = $d | .manifests[0].size = $s' "$1/index.json" >"$1/i.tmp" &&
    mv "$1/i.tmp" "$1/index.json"
}

# scan TARGET: capscope scan --json, the exit status; stdout in $T/out,
# stderr in $T/err. finds: how many findings under /usr/ it printed.
# The digest and media-type suites' one way to run a scan.
scan() { # target: the exit status, stdout in $T/out, stderr in $T/err
  timeout 60 "$CAPSCOPE" scan --json "$1" >"$T/out" 2>"$T/err"
}
finds() { grep -c '"path": "/usr/' "$T/out"; }
