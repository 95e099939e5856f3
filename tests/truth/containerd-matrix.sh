#!/usr/bin/env bash
# Real containerd (Debian's containerd, its CRI plugin) as the oracle for
# `explain pod --runtime containerd`: a seeded matrix of containers created
# over the CRI gRPC API exactly as the kubelet sends them (run_as_user from
# the image when runAsUser is unset, no_new_privs only for
# allowPrivilegeEscalation: false, one host-network sandbox so no CNI is
# needed), each compared with capscope's prediction from the same image
# archive (tests/truth/runtime-lib/matrix.py). containerd runs with its root,
# state and socket under a temporary directory and is stopped by its PID.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v containerd >/dev/null || skip_all "containerd is not installed (scripts/install-deps.sh)"
command -v ctr >/dev/null || skip_all "ctr is not installed (containerd)"
command -v protoc >/dev/null || skip_all "protoc is not installed (protobuf-compiler)"
command -v setcap >/dev/null || skip_all "setcap is not installed"
command -v cc >/dev/null || skip_all "no C compiler for the sandbox's pause process"
PY=/usr/bin/python3
"$PY" -c 'import grpc, google.protobuf' 2>/dev/null || skip_all "python3-grpcio / python3-protobuf are not installed"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
tap_tmpdir
chmod 755 "$T"
D=$T/d
source "$LIB/containerd-lib.sh"
mkdir -p "$D/state" "$T/m" "$T/pb"
cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
protoc -I "$LIB" --python_out="$T/pb" "$LIB/cri-subset.proto" || skip_all "protoc failed"
cri_config "$D" "$D/state" "$D/containerd.sock" docker.io/library/capscope-probe-pause:latest
stop_containerd() {
  containerd_stop "$D" "$D/state"
  [ -n "${CAPSCOPE_KEEP:-}" ] || rm -rf "$T"
}
trap stop_containerd EXIT
containerd_start "$D" "$D/containerd.sock" || skip_all "containerd does not start here"
# the images, then the CRI plugin takes them from the k8s.io namespace
"$PY" "$LIB/matrix.py" --runtime containerd --images-only --endpoint - --tmp "$T/m" \
  --probe "$PROBE" --pause "$T/pause" --capscope "$CAPSCOPE" || exit 1
for a in "$T"/m/*.tar; do
  ctr -a "$D/containerd.sock" -n k8s.io images import --snapshotter "$SNAP" "$a" >/dev/null ||
    { tail -5 "$D/containerd.log" | sed 's/^/# /'; skip_all "ctr images import fails here"; }
done
"$PY" "$LIB/matrix.py" --runtime containerd \
  --runtime-arg "${CAPSCOPE_CONTAINERD_RUNTIME:-containerd@1.6}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --endpoint "$D/containerd.sock" --tmp "$T/m" --pb "$T/pb" --probe "$PROBE" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-200}" --seed "${CAPSCOPE_MATRIX_SEED:-11}" \
  --reuse-images
