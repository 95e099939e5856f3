#!/usr/bin/env bash
# Real containerd 1.6 as the oracle for the CRI plugin's own refusals
# (twenty-second pass, part E; issue #13 class 4): for each case a
# config.toml (the suites' cri_config with one change), containerd started
# with it, and a pod run over the CRI API when the plugin loaded. Where the
# CRI plugin does not load ("failed to load plugin io.containerd.grpc.v1.cri")
# or the pod does not start, no pod runs: capscope must refuse the file in
# one line with file:line:column, not predict a container. Where the pod
# runs, capscope must read the file. State under a temporary directory;
# containerd stopped by its PID after each case.
source "$(dirname "$0")/../lib/tap.sh"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
source "$LIB/containerd-lib.sh"
cri_matrix_needs
containerd --version | grep -q ' 1\.6\.' || skip_all "the expectations are containerd 1.6's ($(containerd --version))"
tap_tmpdir
chmod 755 "$T"
POD=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
mkdir -p "$T/pb"
protoc -I "$LIB" --python_out="$T/pb" "$LIB/cri-subset.proto" || skip_all "protoc failed"
"$PY" "$LIB/cri-pod.py" image --probe "$PROBE" --pause "$T/pause" --out "$T/pause.tar" >/dev/null ||
  skip_all "cannot build the pause image"
D=
trap 'if [ -n "$D" ]; then containerd_stop "$D" "$D/state"; fi; rm -rf "$T"' EXIT

R='    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]'
V='      runtime_type = "io.containerd.runc.v2"'
O='      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
# case NAME CRI-TEXT CONTAINERD-TEXT: CRI-TEXT goes at the top of the CRI
# plugin's table, CONTAINERD-TEXT replaces its containerd table's runtimes
case_() {
  local name=$1 cri=$2 ctrd=$3 out pod=no cap
  D=$T/$name
  mkdir -p "$D/state" "$D/logs"
  cri_config "$D" "$D/state" "$D/containerd.sock" docker.io/library/capscope-cri-pause:latest
  CRI_TEXT=$cri CTRD_TEXT=$ctrd "$PY" - "$D/config.toml" <<'PYEOF'
import os, sys
p = sys.argv[1]
s = open(p).read()
a = s.index('    default_runtime_name = "runc"')
b = s.index('  [plugins."io.containerd.grpc.v1.cri".cni]')
s = s[:a] + os.environ["CTRD_TEXT"] + "\n" + s[b:]
mark = '  stream_server_address = "127.0.0.1"\n'
s = s.replace(mark, mark + os.environ["CRI_TEXT"] + "\n")
open(p, "w").write(s)
PYEOF
  if containerd_start "$D" "$D/containerd.sock"; then
    sleep 0.5
    if ! grep -q "failed to load plugin io.containerd.grpc.v1.cri" "$D/containerd.log" &&
      ctr -a "$D/containerd.sock" -n k8s.io images import --snapshotter "$SNAP" "$T/pause.tar" >/dev/null 2>&1 &&
      out=$("$PY" "$LIB/cri-pod.py" up --endpoint "$D/containerd.sock" --pb "$T/pb" \
        --image docker.io/library/capscope-cri-pause:latest --namespace ns --pod "p-$name" \
        --container c --run-as-user 0 --log-dir "$D/logs" 2>&1); then
      pod=yes
      "$PY" "$LIB/cri-pod.py" down --endpoint "$D/containerd.sock" --pb "$T/pb" "${out%% *}" >/dev/null 2>&1
    fi
  fi
  containerd_stop "$D" "$D/state"
  D=
  "$CAPSCOPE" explain pod --runtime containerd@1.6 --containerd-config "$T/$name/config.toml" "$POD" \
    >"$T/$name.out" 2>"$T/$name.err"
  cap=$?
  if [ "$pod" = yes ]; then
    is "$((cap == 2)):$(wc -c <"$T/$name.err")" "0:0" "$name: a pod runs, capscope reads the file (exit 0 or 1)"
  else
    is "$cap:$(wc -l <"$T/$name.err"):$(wc -c <"$T/$name.out")" "2:1:0" "$name: no pod runs, capscope refuses in one line"
    like "$(cat "$T/$name.err")" "config\\.toml:[0-9]+:[0-9]+: " "$name: …with file:line:column"
  fi
}

case_ base "" "$R
$V"
case_ no-type "" "$R
      base_runtime_spec = \"\""
case_ empty-type "" "$R
      runtime_type = \"\""
case_ option-type "" "$R
$V
$O
        SystemdCgroup = \"yes\""
case_ option-iouid "" "$R
$V
$O
        IoUid = -1"
case_ option-unknown "" "$R
$V
$O
        Whatever = 7"
case_ name-empty "" "    default_runtime_name = \"\"
$R
$V"
case_ systemd-cgroup "  systemd_cgroup = true" "$R
$V"
case_ no-pivot "" "    no_pivot = true
$R
$V"
case_ runtime-root "" "$R
$V
      runtime_root = \"/x\""
case_ untrusted-conflict "" "$R
$V
    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.untrusted]
$V
    [plugins.\"io.containerd.grpc.v1.cri\".containerd.untrusted_workload_runtime]
$V"
case_ untrusted-empty "" "$R
$V
    [plugins.\"io.containerd.grpc.v1.cri\".containerd.untrusted_workload_runtime]
      runtime_type = \"\"
      base_runtime_spec = \"/nonexistent\""
case_ default-runtime-empty "" "$R
$V
    [plugins.\"io.containerd.grpc.v1.cri\".containerd.default_runtime]
      runtime_type = \"\""
case_ stream-timeout "  stream_idle_timeout = \"4x\"" "$R
$V"
case_ stream-timeout-ok "  stream_idle_timeout = \"1.5h\"" "$R
$V"
case_ mirrors "" "$R
$V
  [plugins.\"io.containerd.grpc.v1.cri\".registry]
    config_path = \"/etc/containerd/certs.d\"
  [plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]
    endpoint = [\"https://m\"]"
case_ auths "" "$R
$V
  [plugins.\"io.containerd.grpc.v1.cri\".registry.auths.\"%zz\"]
    username = \"a\""
done_testing
