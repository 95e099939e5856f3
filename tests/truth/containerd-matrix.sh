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
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
source "$LIB/containerd-lib.sh"
cri_matrix_needs
cri_matrix_prepare
cri_matrix_start
"$PY" "$LIB/matrix.py" --runtime containerd \
  --runtime-arg "${CAPSCOPE_CONTAINERD_RUNTIME:-containerd@1.6}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --endpoint "$D/containerd.sock" --tmp "$T/m" --pb "$T/pb" --probe "$PROBE" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-200}" --seed "${CAPSCOPE_MATRIX_SEED:-11}" \
  --reuse-images
