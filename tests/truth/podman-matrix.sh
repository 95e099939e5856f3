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
mkdir -p "$D/root" "$D/run" "$D/tmp" "$D/net" "$D/cni" "$T/m"
cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
# CONTAINERS_CONF replaces the packaged containers.conf, so its
# default_capabilities (what a Podman install really uses, not the library's
# built-in list) are carried over
SYSCONF=/usr/share/containers/containers.conf
[ -r "$SYSCONF" ] || skip_all "no $SYSCONF (containers-common)"
CAPS=$(sed -n '/^default_capabilities *= *\[/,/\]/p' "$SYSCONF" | tr -d '\n ')
[ -n "$CAPS" ] || skip_all "$SYSCONF sets no default_capabilities"
# Podman raises RLIMIT_NOFILE and RLIMIT_NPROC for root unless told; where this
# process may not raise them (a sandbox), runc's prlimit fails
cat >"$D/containers.conf" <<CONF
[containers]
$CAPS
default_ulimits = ["nofile=$(ulimit -Sn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
infra_image = "localhost/capscope-probe-pause:latest"
infra_command = "/pause"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$D/events.log"
tmp_dir = "$D/tmp"
[network]
network_backend = "cni"
network_config_dir = "$D/net"
cni_plugin_dirs = ["$D/cni"]
CONF
export CONTAINERS_CONF=$D/containers.conf
export CONTAINERS_REGISTRIES_CONF=$D/registries.conf
printf 'unqualified-search-registries = []\n' >"$D/registries.conf"
PODMAN="podman --root $D/root --runroot $D/run --tmpdir $D/tmp --storage-driver ${CAPSCOPE_PODMAN_DRIVER:-overlay} --cgroup-manager cgroupfs --events-backend file"
cleanup() {
  $PODMAN pod rm -af >/dev/null 2>&1
  $PODMAN rm -af >/dev/null 2>&1
  grep -o " $D[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  [ -n "${CAPSCOPE_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
$PODMAN info >"$D/info" 2>&1 || { tail -3 "$D/info" | sed 's/^/# /'; skip_all "podman does not work here"; }
"$PY" "$LIB/matrix.py" --runtime podman \
  --runtime-arg "${CAPSCOPE_PODMAN_RUNTIME:-podman@4}" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  --endpoint "$PODMAN" --tmp "$T/m" --probe "$PROBE" --pause "$T/pause" \
  --capscope "$CAPSCOPE" --cases "${CAPSCOPE_MATRIX_CASES:-200}" --seed "${CAPSCOPE_MATRIX_SEED:-11}"
