#!/usr/bin/env bash
# Real dockerd (Debian's docker.io) as the oracle for `explain pod --runtime
# docker`: a seeded matrix of containers created through the Engine API the
# way cri-dockerd creates them (User, CapAdd/CapDrop, Privileged,
# no-new-privileges), each compared with capscope's prediction from the same
# image archive (tests/truth/runtime-lib/matrix.py). dockerd runs with all its
# state under a temporary directory, no bridge, no iptables, containers with
# network none, and is stopped by its PID.
source "$(dirname "$0")/../lib/tap.sh"
need_root
command -v dockerd >/dev/null || skip_all "dockerd is not installed (docker.io, scripts/install-deps.sh)"
command -v containerd >/dev/null || skip_all "containerd is not installed (dockerd needs it)"
command -v setcap >/dev/null || skip_all "setcap is not installed"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "python3 is not installed"
tap_tmpdir
chmod 755 "$T"
D=$T/d
mkdir -p "$D/data" "$D/exec" "$T/m"
# CAPSCOPE_DOCKER_DAEMON_JSON: a daemon.json for dockerd, also given to
# capscope as --docker-config (tests/truth/docker-daemon-json.sh)
DOCKER_CFG_ARG=()
if [ -n "${CAPSCOPE_DOCKER_DAEMON_JSON:-}" ]; then
  printf '%s\n' "$CAPSCOPE_DOCKER_DAEMON_JSON" >"$D/daemon.json"
  DOCKER_CFG_ARG=("--capscope-arg=--docker-config=$D/daemon.json")
else
  echo '{}' >"$D/daemon.json"
fi
stop_dockerd() {
  local pid
  pid=$(cat "$D/docker.pid" 2>/dev/null)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # dockerd's own containerd and shims live under $D/exec; unmount what is left
  grep -o " $D[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf "$T"
}
trap stop_dockerd EXIT
dockerd --config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec" \
  --pidfile "$D/docker.pid" -H "unix://$D/docker.sock" --bridge=none --iptables=false \
  --ip6tables=false --ip-masq=false --userland-proxy=false >"$D/dockerd.log" 2>&1 &
for _ in $(seq 300); do
  [ -S "$D/docker.sock" ] && curl -sf --unix-socket "$D/docker.sock" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.1
done
if ! curl -sf --unix-socket "$D/docker.sock" http://localhost/_ping >/dev/null 2>&1; then
  tail -5 "$D/dockerd.log" | sed 's/^/# /'
  skip_all "dockerd does not start here"
fi
"$PY" "$CAPSCOPE_TOP/tests/truth/runtime-lib/matrix.py" --runtime docker \
  --runtime-arg "${CAPSCOPE_DOCKER_RUNTIME:-docker@20.10}" \
  --endpoint "$D/docker.sock" --tmp "$T/m" --probe "$PROBE" --capscope "$CAPSCOPE" --capscope-arg=--caller=self --capscope-arg=--runtime-caps=self \
  "${DOCKER_CFG_ARG[@]}" \
  --cases "${CAPSCOPE_MATRIX_CASES:-200}" --seed "${CAPSCOPE_MATRIX_SEED:-11}"
