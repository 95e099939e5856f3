#!/usr/bin/env bash
# make image, then the image at work: scripts/build-image.sh builds the OCI
# archive (its Debian layer cached in build/image/, so only the first run
# downloads and extracts packages: ~1 min; later runs re-pack capscope,
# ~15 s). Its layers are unpacked into a runc bundle whose config.json is
# what a runtime makes of deploy/agent.yaml — uid 0, only CAP_SYS_PTRACE,
# no_new_privs, read-only root, the host's PID and network namespaces, the
# runtime's state read-only — and `capscope serve` runs from it on a
# loopback port. From outside: /healthz, /readyz, and /metrics holding a
# container this test started beside it. Then SIGTERM by PID.
source "$(dirname "$0")/../lib/tap.sh"
need_root
for t in mmdebstrap runc jq curl python3 sha256sum; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
BUILD=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}
IMG=$BUILD/capscope-image.tar
tap_tmpdir
chmod 755 "$T"
AGENT=cs-image-agent-$$
WORK=cs-image-work-$$
cleanup() {
  runc --root "$T/agent-state" delete -f "$AGENT" >/dev/null 2>&1
  runc --root "$T/w/state" delete -f "$WORK" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

"$CAPSCOPE_TOP/scripts/build-image.sh" "$BUILD" "$IMG" 2>"$T/build.err"
rc=$?
if [ $rc -ne 0 ] && grep -qiE 'failed to download|temporary failure|could not resolve|unable to fetch|apt-get update.*failed' "$T/build.err"; then
  sed 's/^/# /' "$T/build.err" | tail -n 5
  skip_all "the apt mirror cannot be reached: the Debian layer cannot be built"
fi
ok $rc "make image: $(tail -n1 "$T/build.err")" || sed 's/^/#   /' "$T/build.err"
[ $rc -eq 0 ] || done_testing

# The archive: an OCI layout, and docker-archive's manifest.json beside it.
mkdir "$T/oci"
tar -xf "$IMG" -C "$T/oci"
is "$(jq -r .imageLayoutVersion "$T/oci/oci-layout")" 1.0.0 "an OCI image layout"
man=$(jq -r '.manifests[0].digest' "$T/oci/index.json" | sed 's/^sha256://')
is "$(sha256sum "$T/oci/blobs/sha256/$man" | cut -d' ' -f1)" "$man" "the manifest is the blob its digest names"
cfg=$(jq -r .config.digest "$T/oci/blobs/sha256/$man" | sed 's/^sha256://')
mapfile -t layers < <(jq -r '.layers[].digest' "$T/oci/blobs/sha256/$man" | sed 's/^sha256://')
bad=0
for l in "$cfg" "${layers[@]}"; do
  [ "$(sha256sum "$T/oci/blobs/sha256/$l" | cut -d' ' -f1)" = "$l" ] || bad=1
done
is "$bad" 0 "the config and ${#layers[@]} layers are the blobs their digests name"
is "$(jq -c '[.rootfs.diff_ids[]]' "$T/oci/blobs/sha256/$cfg")" \
  "$(printf '%s\n' "${layers[@]}" | jq -Rc '["sha256:" + inputs] ' --null-input)" \
  "the config's diff_ids are the (uncompressed) layers"
C=$T/image-config.json
cp "$T/oci/blobs/sha256/$cfg" "$C"
is "$(jq -r '.config.Entrypoint | .[1:] | join(" ")' "$C")" serve "entrypoint: capscope serve"
is "$(jq -r .config.User "$C")" 65532:65532 "USER is not root"
is "$(jq -r '.[0].Config' "$T/oci/manifest.json")" "blobs/sha256/$cfg" "manifest.json names the same config"
name=$(jq -r '.[0].RepoTags[0]' "$T/oci/manifest.json")
is "$(jq -r '.manifests[0].annotations["io.containerd.image.name"]' "$T/oci/index.json")" \
  "docker.io/library/$name" "index.json names it as containerd and the kubelet will"
for f in agent webhook; do
  is "$(sed -n 's/^ *image: *//p' "$CAPSCOPE_TOP/deploy/$f.yaml")" "$name" "deploy/$f.yaml runs this image ($name)"
done

# Reproducible: packed again, the same bytes.
sum1=$(sha256sum "$IMG" | cut -d' ' -f1)
"$CAPSCOPE_TOP/scripts/build-image.sh" "$BUILD" "$T/again.tar" 2>/dev/null
is "$(sha256sum "$T/again.tar" | cut -d' ' -f1)" "$sum1" "built again from the same tree: the same archive"
rm -f "$T/again.tar"

# The bundle: the layers unpacked in order (ours have no whiteouts).
R=$T/agent/rootfs
mkdir -p "$R"
wh=0
for l in "${layers[@]}"; do
  tar -tf "$T/oci/blobs/sha256/$l" | grep -q '/\.wh\.' && wh=1
  tar --numeric-owner -xpf "$T/oci/blobs/sha256/$l" -C "$R" || wh=2
done
is "$wh" 0 "the layers unpack into a rootfs"
rm -rf "$T/oci"

# A container for the agent to find: uid 1000, NET_BIND_SERVICE ambient,
# CRI-O's pod annotations; its runc state and bundle are mounted read-only
# into the agent at the same paths, as deploy/agent.yaml mounts /run/runc.
W=$T/w
mkdir -p "$W/b/rootfs/usr" "$W/b/rootfs/proc" "$W/b/rootfs/dev" "$W/state"
ln -s usr/bin "$W/b/rootfs/bin"; ln -s usr/lib "$W/b/rootfs/lib"; ln -s usr/lib64 "$W/b/rootfs/lib64"
(cd "$W/b" && runc spec) && jq '.process.terminal = false | .process.args = ["sleep", "1000"] |
  .process.user = {uid: 1000, gid: 1000} | .root.readonly = true |
  .process.capabilities = {bounding: ["CAP_NET_BIND_SERVICE"], effective: ["CAP_NET_BIND_SERVICE"],
    permitted: ["CAP_NET_BIND_SERVICE"], inheritable: ["CAP_NET_BIND_SERVICE"], ambient: ["CAP_NET_BIND_SERVICE"]} |
  .annotations = {"io.kubernetes.pod.namespace": "capscope-image", "io.kubernetes.pod.name": "web-0",
    "io.kubernetes.container.name": "web"} |
  .mounts += [{destination: "/usr", type: "bind", source: "/usr", options: ["rbind", "ro"]}]' \
  "$W/b/config.json" >"$W/c" && mv "$W/c" "$W/b/config.json"
runc --root "$W/state" run -d --bundle "$W/b" "$WORK" </dev/null >/dev/null 2>"$T/w.err"
ok $? "runc starts a uid-1000 container for the agent to see" || sed 's/^/#   /' "$T/w.err"

# The agent's config.json: the image config plus deploy/agent.yaml's
# securityContext, as containerd's CRI plugin would write it.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$T/agent" && runc spec) || exit 1
jq --slurpfile img "$C" --arg port "$PORT" --arg w "$W" '
  .process.terminal = false |
  .process.args = ($img[0].config.Entrypoint + ["--listen", "127.0.0.1:" + $port, "--webhook", "off",
    "--bundle-root", "runc:" + $w + "/state"]) |
  .process.env = $img[0].config.Env |
  .process.cwd = $img[0].config.WorkingDir |
  .process.user = {uid: 0, gid: 0} |
  .process.noNewPrivileges = true |
  .process.capabilities = {bounding: ["CAP_SYS_PTRACE"], effective: ["CAP_SYS_PTRACE"],
    permitted: ["CAP_SYS_PTRACE"]} |
  .root.readonly = true |
  .linux.namespaces |= map(select(.type != "pid" and .type != "network")) |
  .mounts |= map(select(.destination != "/sys")) |
  .mounts += [{destination: "/sys", type: "bind", source: "/sys", options: ["rbind", "ro"]},
    {destination: $w, type: "bind", source: $w, options: ["rbind", "ro"]}]' \
  "$T/agent/config.json" >"$T/c" && mv "$T/c" "$T/agent/config.json"
runc --root "$T/agent-state" run -d --bundle "$T/agent" "$AGENT" </dev/null >"$T/agent.out" 2>"$T/agent.err"
ok $? "runc runs the image as deploy/agent.yaml asks (uid 0, CAP_SYS_PTRACE only, host PID and network)" ||
  sed 's/^/#   /' "$T/agent.err"
APID=$(runc --root "$T/agent-state" state "$AGENT" 2>/dev/null | jq -r .pid)
code=""
for _ in $(seq 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")
  [ "$code" = 200 ] && break
  kill -0 "$APID" 2>/dev/null || break
  sleep 0.1
done
is "$code" 200 "/healthz from outside the container"
is "$(awk '/^CapEff:/ {print $2}' "/proc/$APID/status")" 0000000000080000 \
  "the agent's effective set: CAP_SYS_PTRACE alone"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" 200 "/readyz"
curl -s "http://127.0.0.1:$PORT/metrics" >"$T/m.txt"
sel='namespace="capscope-image",pod="web-0",container="web",id="'"${WORK:0:12}"'"'
is "$(grep -F "capscope_container_capability{$sel,set=\"effective\"," "$T/m.txt")" \
  "capscope_container_capability{$sel,set=\"effective\",capability=\"CAP_NET_BIND_SERVICE\"} 1" \
  "/metrics: the container beside it, found through runc's state and /proc"
is "$(grep -F "capscope_container_prediction_mismatch{$sel}" "$T/m.txt" | awk '{print $NF}')" 0 \
  "…its credentials are what the model predicts from its bundle (read from inside the image)"
if command -v promtool >/dev/null && [ -s "$T/m.txt" ]; then
  promtool check metrics <"$T/m.txt" >"$T/promtool.out" 2>&1
  ok $? "promtool check metrics: clean" || sed 's/^/#   /' "$T/promtool.out"
fi

kill -TERM "$APID"
st=""
for _ in $(seq 100); do
  st=$(runc --root "$T/agent-state" state "$AGENT" 2>/dev/null | jq -r .status)
  [ "$st" = stopped ] && break
  sleep 0.1
done
is "$st" stopped "SIGTERM to its PID: the agent stops"
done_testing
