#!/usr/bin/env bash
# Pack a root filesystem made by make-images.sh and an image config into a
# one-layer 'docker save' archive, as 'docker build' + 'docker save' would:
# GNU tar writes the file capabilities as PAX SCHILY.xattr records.
#   make-image-archive.sh ROOTFS CONFIG.json OUT.tar
set -euo pipefail
root=${1:?usage: make-image-archive.sh ROOTFS CONFIG.json OUT.tar}
cfg=${2:?config}
out=${3:?output}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
tar --format=posix --xattrs --xattrs-include='security.capability' --numeric-owner \
  --sort=name -C "$root" -cf "$w/layer.tar" .
id=$(sha256sum "$w/layer.tar" | cut -d' ' -f1)
mkdir "$w/$id" && mv "$w/layer.tar" "$w/$id/layer.tar"
# docker load checks the layer against the config's diff_id (capscope too)
jq -c --arg d "sha256:$id" '.rootfs = {"type": "layers", "diff_ids": [$d]}' "$cfg" >"$w/config.json"
printf '[{"Config":"config.json","RepoTags":["example:latest"],"Layers":["%s/layer.tar"]}]' "$id" \
  >"$w/manifest.json"
tar -C "$w" -cf "$out" manifest.json config.json "$id"
