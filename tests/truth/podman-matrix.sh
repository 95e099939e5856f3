#!/usr/bin/env bash
# Real Podman (Debian's podman) as the oracle for `explain pod --runtime
# podman`: the seeded matrix of containers written as pod YAML and run with
# `podman kube play` (several containers per pod, network none), each compared
# with capscope's prediction from the same image archive
# (tests/truth/runtime-lib/matrix.py). All of Podman's storage, run state and
# configuration live under a temporary directory; the pods' infra container is
# a static pause process from an image made here.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v podman >/dev/null || skip_all "podman is not installed (scripts/install-deps.sh)"
command -v setcap >/dev/null || skip_all "setcap is not installed"
command -v cc >/dev/null || skip_all "no C compiler for the pods' pause process"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "python3 is not installed"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
tap_tmpdir
chmod 755 "$T"
D=$T/p
mkdir -p "$T/m"
cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
source "$LIB/podman-lib.sh"
podman_setup "$D" localhost/capscope-probe-pause:latest || skip_all "$PODMAN_WHY"
cleanup() {
  podman_cleanup "$D"
  [ -n "${CAPSCOPE_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
$PODMAN info >"$D/info" 2>&1 || { tail -3 "$D/info" | sed 's/^/# /'; skip_all "podman does not work here"; }
"$PY" "$LIB/matrix.py" --runtime podman \
  --runtime-arg "${CAPSCOPE_PODMAN_RUNTIME:-podman@4}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --endpoint "$PODMAN" --tmp "$T/m" --probe "$PROBE" --pause "$T/pause" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-200}" --seed "${CAPSCOPE_MATRIX_SEED:-11}"
