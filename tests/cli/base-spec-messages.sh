#!/usr/bin/env bash
# asan-too
# A containerd base_runtime_spec's refusals name what is true of it: the
# file read (the base spec, with the config.toml line that names it) and
# containerd, which decodes it (its CRI plugin's loadOCISpec, Go's
# encoding/json). Twenty-first pass, part E: a base spec that was not an
# object was "config.json must hold an object", and a key given twice or a
# value of another type named runc. A bundle's config.json still names runc.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >pod.yaml
base() { # FILE: explain pod's stderr with FILE as the default handler's base spec
  printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\nbase_runtime_spec = "%s"\n' \
    "$T/$1" >ct.toml
  "$CAPSCOPE" explain pod --runtime containerd@1.7 --containerd-config ct.toml pod.yaml 2>&1 >/dev/null
  echo "exit $?"
}
pre="^capscope explain pod: --containerd-config: $T/"
echo '[1]' >arr.json
like "$(base arr.json)" "${pre}arr\.json:1:2: the base_runtime_spec of runtime 'runc' \(ct\.toml:3:[0-9]+\): must hold a JSON object: containerd decodes it into an OCI spec.exit 2\$" \
  "a base spec that is an array: not called config.json"
echo '{"process":{"capabilities":{"bounding":[]},"Capabilities":{}}}' >dup.json
like "$(base dup.json)" "${pre}dup\.json:1:[0-9]+: capabilities: .*a second key 'Capabilities' for capabilities: containerd \(Go's encoding/json\) matches keys" \
  "a model field's key given twice: containerd named"
echo '{"hostname":"a","Hostname":"b"}' >dup2.json
like "$(base dup2.json)" "${pre}dup2\.json:1:[0-9]+: Hostname: .*a second key 'Hostname' for one field: containerd \(Go's encoding/json\)" \
  "any other field's key given twice: containerd named"
echo '{"hostname":5}' >typ.json
like "$(base typ.json)" "${pre}typ\.json:1:[0-9]+: hostname: .*must be a string: containerd \(Go's encoding/json\) does not load the file with another type there" \
  "a value of another type: containerd named, no config.json"
for f in arr dup dup2 typ; do
  ok "$(! base $f.json | grep -qE 'config\.json|runc \(|runc decodes'; echo $?)" "$f.json: neither config.json nor runc as the decoder"
done

# A bundle's config.json: runc, as before
mkdir -p b/rootfs && echo '[1]' >b/config.json
like "$("$CAPSCOPE" explain oci b 2>&1)" "^capscope explain oci: b/config\.json:1:2: must hold a JSON object: runc decodes it into an OCI spec\$" \
  "a bundle's config.json that is an array: runc named"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["a"],"cwd":"/","user":{"uid":0,"gid":0}},"hostname":"a","Hostname":"b"}' >b/config.json
like "$("$CAPSCOPE" explain oci b 2>&1)" "Hostname: a second key 'Hostname' for one field: runc \(Go's encoding/json\)" \
  "a bundle's key given twice: runc named"
done_testing
