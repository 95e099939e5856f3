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
