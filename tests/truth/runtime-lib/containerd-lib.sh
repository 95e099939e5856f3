# Shared by the suites that run Debian's containerd with its CRI plugin
# (sourced, not a test): its configuration and its start.
# shellcheck shell=bash

SNAP=${CAPSCOPE_CONTAINERD_SNAPSHOTTER:-overlayfs}

# cri_config DIR STATE SOCK SANDBOX-IMAGE → DIR/config.toml: root, opt and
# CNI directories under DIR, state in STATE, gRPC on SOCK, the CRI plugin
# with SANDBOX-IMAGE as its pause image and $SNAP as its snapshotter.
cri_config() {
  local d=$1 state=$2 sock=$3 pause=$4
  mkdir -p "$d/root" "$d/opt" "$d/cni/bin" "$d/cni/conf"
  cat >"$d/config.toml" <<TOML
version = 2
root = "$d/root"
state = "$state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause"
  disable_apparmor = true
  # never ask for an oom_score_adj below containerd's own (the sandbox wants -998)
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "$SNAP"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$d/cni/bin"
    conf_dir = "$d/cni/conf"
TOML
}

# containerd_start DIR SOCK: containerd with DIR/config.toml, its PID in
# DIR/containerd.pid, its log in DIR/containerd.log; waits (30 s at most)
# until it answers on SOCK, else prints the log's end and fails.
containerd_start() {
  local d=$1 sock=$2
  containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
  echo $! >"$d/containerd.pid"
  for _ in $(seq 300); do
    [ -S "$sock" ] && ctr -a "$sock" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -5 "$d/containerd.log" | sed 's/^/# /'
  return 1
}

# containerd_stop DIR STATE: containerd stopped by its PID, then the shims
# of containers still running in STATE (none when a test ends well), and
# what is still mounted under DIR or STATE.
containerd_stop() {
  local d=$1 state=$2 pid s
  pid=$(cat "$d/containerd.pid" 2>/dev/null)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for s in "$state"/io.containerd.runtime.v2.task/k8s.io/*/shim.pid; do
    [ -s "$s" ] && kill "$(cat "$s")" 2>/dev/null
  done
  grep -oE " ($d|$state)/[^ ]*" /proc/mounts 2>/dev/null | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
}

# The seeded CRI matrix suites (containerd-matrix.sh, containerd-base-spec.sh)
# share their set-up; each writes its own config.toml changes between
# cri_matrix_prepare and cri_matrix_start.

# cri_matrix_needs: skips the suite when a tool the matrix needs is missing;
# sets PY and PROBE.
cri_matrix_needs() {
  need_root
  command -v containerd >/dev/null || skip_all "containerd is not installed (scripts/install-deps.sh)"
  command -v ctr >/dev/null || skip_all "ctr is not installed (containerd)"
  command -v protoc >/dev/null || skip_all "protoc is not installed (protobuf-compiler)"
  command -v setcap >/dev/null || skip_all "setcap is not installed"
  command -v cc >/dev/null || skip_all "no C compiler for the sandbox's pause process"
  PY=/usr/bin/python3
  "$PY" -c 'import grpc, google.protobuf' 2>/dev/null ||
    skip_all "python3-grpcio / python3-protobuf are not installed"
  PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
  [ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
}

# cri_matrix_prepare: under a new $T, D=$T/d with containerd's config.toml
# (cri_config), the static pause process and the CRI protobuf module.
cri_matrix_prepare() {
  tap_tmpdir
  chmod 755 "$T"
  D=$T/d
  mkdir -p "$D/state" "$T/m" "$T/pb"
  cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
  protoc -I "$LIB" --python_out="$T/pb" "$LIB/cri-subset.proto" || skip_all "protoc failed"
  cri_config "$D" "$D/state" "$D/containerd.sock" docker.io/library/capscope-probe-pause:latest
}

cri_matrix_stop() {
  containerd_stop "$D" "$D/state"
  [ -n "${CAPSCOPE_KEEP:-}" ] || rm -rf "$T"
}

# cri_matrix_start: containerd started (stopped by its PID at exit), the
# matrix's images built and imported where the CRI plugin finds them.
cri_matrix_start() {
  trap cri_matrix_stop EXIT
  containerd_start "$D" "$D/containerd.sock" || skip_all "containerd does not start here"
  "$PY" "$LIB/matrix.py" --runtime containerd --images-only --endpoint - --tmp "$T/m" \
    --probe "$PROBE" --pause "$T/pause" --capscope "$CAPSCOPE" || exit 1
  local a
  for a in "$T"/m/*.tar; do
    ctr -a "$D/containerd.sock" -n k8s.io images import --snapshotter "$SNAP" "$a" >/dev/null ||
      { tail -5 "$D/containerd.log" | sed 's/^/# /'; skip_all "ctr images import fails here"; }
  done
}
