#!/usr/bin/env bash
# make image: an OCI image of capscope (the node agent and the webhook, one
# binary) from Debian packages plus the capscope of the build directory.
#
#   scripts/build-image.sh [BUILD-DIR [OUT.tar]]
#
# Layer 1 is Debian: mmdebstrap extracts, from the machine's own apt sources,
# only the packages holding the libraries capscope loads — what `ldd` lists
# and libmicrohttpd, which serve dlopen()s — with their dependencies; no
# shell, no apt, no dpkg. libarchive (dlopen()ed by --image) is left out: it
# brings libxml2 and ICU, 40 MB the agent and the webhook never read; add it
# with CAPSCOPE_IMAGE_PACKAGES=libarchive13 (any extra Debian packages). Layer 2 is
# `meson install --tags runtime` of the build directory. Layer 1 is cached in
# BUILD-DIR/image/ under a key of its inputs, so a rebuild after a change to
# capscope only re-packs layer 2.
#
# The archive is an OCI image layout (index.json, blobs/sha256/) that also
# carries a docker-archive manifest.json, so `podman load`, `docker load`,
# `ctr images import`, `skopeo copy oci-archive:` all read it. Reproducible
# given the same packages: every tar is sorted, numeric-owner, its times
# clamped to SOURCE_DATE_EPOCH (default: the last commit's time; for the
# Debian layer's generated files, 0).
set -euo pipefail

if [ "${1:-}" = --extract-hook ]; then # run by mmdebstrap: $2 is the root
  r=$2
  # No dpkg runs in the extract variant; a status file lets image scanners
  # (and `dpkg -l --root`) see which Debian packages the image holds.
  for f in "$r"/var/cache/apt/archives/*.deb; do
    dpkg-deb -f "$f" | awk '{print} /^Package:/ {print "Status: install ok installed"}'
    echo
  done >"$r/var/lib/dpkg/status"
  # What a container runtime provides, the host's own settings, and what
  # nothing in the image reads.
  rm -rf "$r/etc/apt" "$r/var/lib/apt" "$r/var/cache/apt" "$r/var/log"/* \
    "$r/etc/hostname" "$r/etc/resolv.conf" "$r/etc/fstab" \
    "$r/usr/share/doc" "$r/usr/share/man" "$r/usr/share/info" \
    "$r/usr/share/locale" "$r/usr/share/lintian" "$r/usr/share/gcc" "$r"/tmp/mmdebstrap.*
  # uid 0 for the agent (deploy/agent.yaml), 65532 for everything else: the
  # image's USER and the webhook's runAsUser (deploy/webhook.yaml).
  printf 'root:x:0:0:root:/root:/nonexistent\nnonroot:x:65532:65532:nonroot:/nonexistent:/nonexistent\n' \
    >"$r/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$r/etc/group"
  printf 'include /etc/ld.so.conf.d/*.conf\n' >"$r/etc/ld.so.conf"
  ldconfig -r "$r"
  rm -rf "$r/var/cache/ldconfig" # inode numbers and times: not reproducible
  exit 0
fi

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$top/$build" ;; esac
out=${2:-$build/capscope-image.tar}
cache=$build/image
[ -x "$build/capscope" ] || { echo "build-image: no $build/capscope (make build first)" >&2; exit 2; }
for t in mmdebstrap jq sha256sum tar ldd dpkg-query meson; do
  command -v $t >/dev/null || { echo "build-image: $t is missing (make image installs it)" >&2; exit 2; }
done
# The Debian layer's own files (passwd, the dpkg status, directories) are
# dated SOURCE_DATE_EPOCH when it is given, else 0: not the last commit's
# time, which would make every commit rebuild the cached layer.
base_epoch=${SOURCE_DATE_EPOCH:-0}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0)}
version=$(meson introspect --projectinfo "$build" | jq -r .version)
name=${CAPSCOPE_IMAGE_NAME:-capscope:$version}
mkdir -p "$cache"

# The Debian package of a library file, as dpkg knows it (the path ldd or
# ldconfig prints; on a merged-/usr system dpkg may know the other spelling).
package_of() {
  dpkg-query -S "$1" 2>/dev/null || dpkg-query -S "$(readlink -f "$1")" 2>/dev/null ||
    { echo "build-image: no Debian package holds $1" >&2; return 1; }
}
libraries() {
  # A static capscope runs scan, explain, lint and serve in capscope-dyn:
  # that program's libraries are the image's.
  local prog=$build/capscope
  [ -x "$build/capscope-dyn" ] && prog=$build/capscope-dyn
  ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
  # dlopen()ed by serve (daemon/serve-mhd.c)
  ldconfig -p | awk '$1 == "libmicrohttpd.so.12" {print $NF; exit}'
}
mapfile -t packages < <({ libraries | while read -r f; do package_of "$f"; done
  printf '%s\n' ${CAPSCOPE_IMAGE_PACKAGES:-}; } | sed 's/[:,].*//; /^$/d' | sort -u)
[ ${#packages[@]} -gt 0 ] || { echo "build-image: no packages found" >&2; exit 2; }
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$f" ] && sources+=("$f")
done

# Layer 1, Debian, cached under a key of everything that goes into it.
key=$( { echo "${packages[*]}" "$suite" "$base_epoch"; mmdebstrap --version; cat "${sources[@]}";
  sed -n '/^if \[ "${1:-}" = --extract-hook/,/^fi/p' "$0"; } | sha256sum | cut -c1-16)
base=$cache/base-$key.tar
if [ ! -s "$base" ]; then
  echo "build-image: Debian layer: ${packages[*]} ($suite)" >&2
  rm -f "$cache"/base-*.tar
  SOURCE_DATE_EPOCH=$base_epoch mmdebstrap --quiet --variant=extract --include="$(IFS=,; echo "${packages[*]}")" \
    --format=tar --skip=output/dev --skip=output/mknod --skip=cleanup \
    --extract-hook="\"$top/scripts/build-image.sh\" --extract-hook \"\$1\"" \
    "$suite" "$base.part" "${sources[@]}" >&2
  mv "$base.part" "$base"
fi

# A tar that is the same bytes for the same tree.
repro_tar() { # DIR OUT [tar options]
  local dir=$1 o=$2
  shift 2
  tar --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --sort=name --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime "$@" \
    -C "$dir" -cf "$o" .
}

# Layer 2, capscope itself (the installed files only: no headers, no .a).
root=$cache/root
rm -rf "$root" "$cache/oci"
meson install -C "$build" --no-rebuild --quiet --strip --tags runtime --destdir "$root" >&2
bin=$(cd "$root" && find . -path '*/bin/capscope' | sed 's/^\.//')
[ -n "$bin" ] || { echo "build-image: meson install put no bin/capscope in $root" >&2; exit 2; }
repro_tar "$root" "$cache/capscope.tar" --owner=0 --group=0

oci=$cache/oci
mkdir -p "$oci/blobs/sha256"
blob() { # FILE -> its digest; the file moves into blobs/
  local d
  d=$(sha256sum "$1" | cut -d' ' -f1)
  mv "$1" "$oci/blobs/sha256/$d"
  echo "$d"
}
size() { stat -c %s "$oci/blobs/sha256/$1"; }
cp "$base" "$oci/l1"
l1=$(blob "$oci/l1")
l2=$(blob "$cache/capscope.tar")
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
# Debian's architecture names where OCI's (Go's) differ.
arch=$(dpkg --print-architecture)
case "$arch" in i386) arch=386 ;; armhf | armel) arch=arm ;; ppc64el) arch=ppc64le ;; esac

# The image config: the entrypoint is `capscope serve`; its default
# arguments listen on every address (the container's network is its own).
# USER is non-root: the webhook runs so as it is; the agent needs uid 0 with
# CAP_SYS_PTRACE and asks for it in its pod (deploy/agent.yaml).
jq -n --arg created "$created" --arg arch "$arch" --arg bin "$bin" --arg l1 "sha256:$l1" --arg l2 "sha256:$l2" \
  --arg version "$version" --arg pkgs "${packages[*]}" '{
  created: $created, architecture: $arch, os: "linux",
  config: {
    User: "65532:65532",
    Entrypoint: [$bin, "serve"],
    Cmd: ["--listen", "0.0.0.0:8443"],
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    ExposedPorts: {"8443/tcp": {}, "9090/tcp": {}},
    WorkingDir: "/",
    Labels: {"org.opencontainers.image.title": "capscope",
             "org.opencontainers.image.version": $version,
             "org.opencontainers.image.description": "capscope serve: admission webhook and node agent"}
  },
  rootfs: {type: "layers", diff_ids: [$l1, $l2]},
  history: [{created: $created, created_by: ("mmdebstrap --variant=extract --include " + $pkgs)},
            {created: $created, created_by: ("meson install --tags runtime (capscope " + $version + ")")}]
}' >"$oci/config"
cfg=$(blob "$oci/config")
jq -n --arg cfg "sha256:$cfg" --argjson cs "$(size "$cfg")" \
  --arg l1 "sha256:$l1" --argjson s1 "$(size "$l1")" --arg l2 "sha256:$l2" --argjson s2 "$(size "$l2")" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cfg, size: $cs},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l1, size: $s1},
           {mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l2, size: $s2}]
}' >"$oci/manifest"
man=$(blob "$oci/manifest")
# containerd and docker name the image from io.containerd.image.name; the
# OCI ref.name is the tag alone, as the image layout spec's example has it.
# The reference normalized as Docker does: a first component with a dot, a
# colon or "localhost" before a slash is a registry, else docker.io is.
case "$name" in
*/*) case "${name%%/*}" in *.* | *:* | localhost) full=$name ;; *) full=docker.io/$name ;; esac ;;
*) full=docker.io/library/$name ;;
esac
jq -n --arg man "sha256:$man" --argjson ms "$(size "$man")" --arg full "$full" --arg tag "${name##*:}" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $man, size: $ms,
    annotations: {"io.containerd.image.name": $full, "org.opencontainers.image.ref.name": $tag}}]
}' >"$oci/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$oci/oci-layout"
# docker-archive's manifest, for `docker load` and tools that read only that.
jq -n --arg cfg "blobs/sha256/$cfg" --arg name "$name" --arg l1 "blobs/sha256/$l1" --arg l2 "blobs/sha256/$l2" \
  '[{Config: $cfg, RepoTags: [$name], Layers: [$l1, $l2]}]' >"$oci/manifest.json"
repro_tar "$oci" "$out.part" --owner=0 --group=0 --mode=a+rX,u+w,go-w
mv "$out.part" "$out"
rm -rf "$root" "$oci"
echo "build-image: $out ($name, config sha256:$cfg, $(du -h "$out" | cut -f1))" >&2
