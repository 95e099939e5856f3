#!/usr/bin/env bash
# capscope scan on a small tree and a small image built on the fly: the
# reference article's nc with cap_net_bind_service+ep, and a set-uid nc.
# Usage: examples/demo-scan.sh PATH-TO-CAPSCOPE
set -euo pipefail
cs=${1:-build/capscope}
case $cs in /*) ;; */*) cs=$(cd "$(dirname "$cs")" && pwd)/$(basename "$cs") ;; *) cs=$(command -v "$cs") ;; esac
w=$(mktemp -d "${TMPDIR:-/tmp}/capscope-demo.XXXXXX")
trap 'rm -rf "$w"' EXIT
nc_bin=$(command -v nc.openbsd || command -v nc || echo /bin/true)

echo "### A tree: nc with cap_net_bind_service+ep, a set-uid root nc, a set-gid tool"
mkdir -p "$w/root/usr/bin" "$w/root/usr/local/bin"
cp "$nc_bin" "$w/root/usr/bin/nc"
cp "$nc_bin" "$w/root/usr/local/bin/nc-suid"
cp /bin/true "$w/root/usr/bin/wall"
if [ "$(id -u)" -eq 0 ]; then
  "$cs" file set cap_net_bind_service+ep "$w/root/usr/bin/nc"
  chmod 4755 "$w/root/usr/local/bin/nc-suid"
  chown 0:5 "$w/root/usr/bin/wall"; chmod 2755 "$w/root/usr/bin/wall"
else
  echo "(not root: setting file caps needs CAP_SETFCAP; only set-id bits on your own files)"
  chmod 4755 "$w/root/usr/local/bin/nc-suid"
fi
echo "\$ capscope scan ROOT"
(cd "$w" && "$cs" scan root) || true
echo
echo "\$ capscope scan --fail-on high ROOT   # for CI: the set-uid nc fails the build"
(cd "$w" && "$cs" scan --fail-on high root >/dev/null) && echo "exit 0" || echo "exit $?"

echo
echo "### An image: 'docker save' layout, built with tar, read without extracting"
if [ "$(id -u)" -ne 0 ]; then
  echo "(skipped: the layer needs real file caps, set as root)"
  exit 0
fi
mkdir -p "$w/l0" "$w/l1/usr/local/bin" "$w/img"
cp -a "$w/root/." "$w/l0/"
: >"$w/l1/usr/local/bin/.wh.nc-suid" # layer 1 deletes the set-uid nc again
tar --format=posix --xattrs --xattrs-include='security.capability' --numeric-owner -C "$w/l0" -cf "$w/l0.tar" .
tar --format=posix --numeric-owner -C "$w/l1" -cf "$w/l1.tar" .
ids="" diffs=""
for l in l0 l1; do
  id=$(sha256sum "$w/$l.tar" | cut -d' ' -f1)
  mkdir -p "$w/img/$id"; gzip -n -c "$w/$l.tar" >"$w/img/$id/layer.tar"
  ids="$ids${ids:+,}\"$id/layer.tar\""
  diffs="$diffs${diffs:+,}\"sha256:$id\"" # the uncompressed layer's, as docker load checks
done
printf '{"config":{"User":"1000","Entrypoint":["nc"],"Cmd":["-l","443"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffs" >"$w/img/config.json"
printf '[{"Config":"config.json","RepoTags":["demo/nc:443"],"Layers":[%s]}]' "$ids" >"$w/img/manifest.json"
tar -C "$w/img" -cf "$w/nc-image.tar" .
echo "\$ capscope scan nc-image.tar"
(cd "$w" && "$cs" scan nc-image.tar) || true
echo
echo "Layer 1's whiteout removed the set-uid nc; the entrypoint nc (user 1000) keeps"
echo "cap_net_bind_service through its file capability: that is how a non-root"
echo "container binds port 443 without ambient capabilities."
echo
echo "\$ capscope scan --json nc-image.tar | jq '.findings[] | select(.entrypoint) | .file_caps.text'"
(cd "$w" && "$cs" scan --json nc-image.tar) | jq '.findings[] | select(.entrypoint) | .file_caps.text'
