# Shared by the suites that run Debian's podman (sourced, not a test): all
# of its state under one directory, its configuration, its clean-up.
# shellcheck shell=bash

# podman_setup DIR INFRA-IMAGE → $PODMAN (the podman command with DIR's
# root, run and tmp directories, to be split by the shell), DIR/containers.conf
# and registries.conf exported; on failure $PODMAN_WHY says why.
podman_setup() {
  local d=$1 infra=$2 sysconf=/usr/share/containers/containers.conf caps
  # CONTAINERS_CONF replaces the packaged containers.conf, so its
  # default_capabilities (what a Podman install really uses, not the
  # library's built-in list) are carried over
  [ -r "$sysconf" ] || { PODMAN_WHY="no $sysconf (containers-common)"; return 1; }
  caps=$(sed -n '/^default_capabilities *= *\[/,/\]/p' "$sysconf" | tr -d '\n ')
  [ -n "$caps" ] || { PODMAN_WHY="$sysconf sets no default_capabilities"; return 1; }
  mkdir -p "$d/root" "$d/run" "$d/tmp" "$d/net" "$d/cni"
  # Podman raises RLIMIT_NOFILE and RLIMIT_NPROC for root unless told; where
  # this process may not raise them (a sandbox), runc's prlimit fails
  # ("error setting rlimit type 7: operation not permitted")
  cat >"$d/containers.conf" <<CONF
[containers]
$caps
default_ulimits = ["nofile=$(ulimit -Sn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
infra_image = "$infra"
infra_command = "/pause"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
tmp_dir = "$d/tmp"
[network]
network_backend = "cni"
network_config_dir = "$d/net"
cni_plugin_dirs = ["$d/cni"]
CONF
  export CONTAINERS_CONF=$d/containers.conf
  export CONTAINERS_REGISTRIES_CONF=$d/registries.conf
  printf 'unqualified-search-registries = []\n' >"$d/registries.conf"
  PODMAN="podman --root $d/root --runroot $d/run --tmpdir $d/tmp --storage-driver ${CAPSCOPE_PODMAN_DRIVER:-overlay} --cgroup-manager cgroupfs --events-backend file"
}

# podman_cleanup DIR: every pod and container removed, what is still
# mounted under DIR unmounted, and the cgroups Podman made for them removed.
podman_cleanup() {
  $PODMAN pod rm -af >/dev/null 2>&1
  $PODMAN rm -af >/dev/null 2>&1
  grep -o " $1[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  podman_rm_cgroups "$1"
}

# podman_rm_cgroups DIR: Debian's Podman 4.3 with the cgroupfs manager leaves
# each container's and pod's cgroup (libpod_parent/ID, empty) behind when
# they are removed: about 84 a `make check`, 5,400 found on one machine.
# On a hybrid host it leaves them in every hierarchy that has them: the v2
# one and the v1 "name=systemd" one (6,088 found there a session after the
# v2 ones were cleaned), so every cgroup mount is looked at.
# The IDs are this run's own, from its events log (DIR/events.log), so a
# suite running beside it loses nothing; rmdir removes only empty cgroups.
podman_rm_cgroups() {
  local mnt id
  [ -r "$1/events.log" ] || return 0
  findmnt -t cgroup,cgroup2 -n -o TARGET 2>/dev/null | while read -r mnt; do
    [ -d "$mnt/libpod_parent" ] || continue
    grep -oE '[0-9a-f]{64}' "$1/events.log" | sort -u | while read -r id; do
      [ -d "$mnt/libpod_parent/$id" ] &&
        find "$mnt/libpod_parent/$id" -depth -type d -exec rmdir {} + 2>/dev/null
    done
  done
  return 0
}
