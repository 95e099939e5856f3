#!/usr/bin/env bash
# asan-too
# Twentieth pass, part D: an OCI index entry's platform, and the config of
# one without, matched as containerd's default matcher does
# (containerd/platforms Only(DefaultSpec()), core/images Manifest): the
# variant compared after normalizing (amd64 v1 is amd64, v3 another build),
# os.features refused, an entry without a platform taken after those whose
# platform matches and its config's os/architecture/variant matched.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/scan-image-lib.sh"
for t in tar jq sha256sum; do
  command -v $t >/dev/null || skip_all "needs $t"
done
[ "$(uname -m)" = x86_64 ] || skip_all "the cases are written for an amd64 host"
tap_tmpdir
cd "$T" || exit 0

mkdir -p l0/bin && cp /bin/true l0/bin/suid && chmod 4755 l0/bin/suid
mklayer l0 l0.tar
mkconfig cfg.json 0 '["/bin/suid"]' 'null' "$(sha l0.tar)"
mkoci base cfg.json none l0.tar

# reconfig DIR FILTER: DIR's config through jq FILTER, the manifest and the
# index told its new digest and size.
reconfig() {
  local c nc
  c=$(cfgblob "$1")
  jq -c "$2" "$c" >"$1/c.tmp" && nc=$(sha "$1/c.tmp") && mv "$1/c.tmp" "$1/blobs/sha256/$nc" &&
    remanifest "$1" ".config.digest = \"sha256:$nc\" | .config.size = $(stat -c %s "$1/blobs/sha256/$nc")"
}
# img NAME PLATFORM-JQ CONFIG-JQ: a copy of base with .manifests[0].platform
# set by the first filter (on the entry) and the config by the second.
img() {
  rm -rf "$1" && cp -r base "$1" && reconfig "$1" "$3" &&
    jq -c ".manifests[0] |= ($2)" "$1/index.json" >"$1/i.tmp" && mv "$1/i.tmp" "$1/index.json"
}
scan() { # label dir want-rc want-words
  local out rc
  out=$("$CAPSCOPE" scan "$2" 2>&1 >/dev/null); rc=$?
  is "$rc" "$3" "$1: exit $3"
  [ -n "$4" ] && like "$out" "$4" "$1: says so"
}

# An entry without a platform: its config decides, as containerd's ConfigPlatform.
img np-arm 'del(.platform)' '.architecture = "arm64"'
scan "no platform, config linux/arm64" np-arm 2 \
  "its index entry has no platform, and its config says linux/arm64, not linux/amd64: containerd refuses the image"
img np-win 'del(.platform)' '.os = "windows"'
scan "no platform, config windows/amd64" np-win 2 "config says windows/amd64"
img np-v3 'del(.platform)' '.variant = "v3"'
scan "no platform, config linux/amd64/v3" np-v3 2 "config says linux/amd64/v3"
img np-feat 'del(.platform)' '. + {"os.features": ["sse4"]}'
scan "no platform, config with os.features" np-feat 2 "its index entry has no platform"
img np-null '.platform = null' '.architecture = "s390x"'
scan "platform null, config linux/s390x" np-null 2 "config says linux/s390x"
img np-ok 'del(.platform)' '.'
scan "no platform, config linux/amd64: scanned" np-ok 0
img np-x86 'del(.platform)' '.architecture = "X86_64" | .os = "Linux" | .variant = "V1"'
scan "no platform, config Linux/X86_64/V1 (normalized): scanned" np-x86 0
img np-empty 'del(.platform)' 'del(.os)'
scan "no platform, config without os (the host's): scanned" np-empty 0

# An entry's variant and os.features.
img v3 '.platform.variant = "v3"' '.'
scan "entry linux/amd64/v3" v3 2 "index lists no image for linux/amd64 \(1 entry: linux/amd64/v3\)"
img v1 '.platform.variant = "v1"' '.'
scan "entry linux/amd64/v1: scanned" v1 0
img feat '.platform["os.features"] = ["sse4"]' '.'
scan "entry with os.features" feat 2 "index lists no image for linux/amd64"
img i386v '.platform = {"os": "linux", "architecture": "386", "variant": "sse2"}' '.'
scan "entry linux/386/sse2" i386v 2 "index lists no image"

# An entry for this host beside one without a platform: containerd takes
# the host's (entries without a platform sort last), not "2 images".
rm -rf pair && cp -r base pair
jq -c '.manifests = [(.manifests[0] | del(.platform)), .manifests[0]]' base/index.json >pair/i.tmp &&
  mv pair/i.tmp pair/index.json
scan "an entry for linux/amd64 beside one without a platform: the first taken" pair 0
# Two without a platform: two images, as before.
jq -c '.manifests = [(.manifests[0] | del(.platform)), (.manifests[0] | del(.platform))]' base/index.json >pair/i.tmp &&
  mv pair/i.tmp pair/index.json
scan "two entries without a platform" pair 2 "index lists 2 images for no platform"
done_testing
