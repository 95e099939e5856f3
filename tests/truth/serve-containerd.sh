#!/usr/bin/env bash
# capscope serve's agent against a pod the kubelet's way: Debian's
# containerd with its CRI plugin, in containerd's default state directory
# (/run/containerd) when no other containerd runs here, else in a private
# one; a pod started over the CRI gRPC API as the kubelet sends it (sandbox,
# then a container with runAsUser 1000, drop ALL, add NET_BIND_SERVICE:
# tests/truth/runtime-lib/cri-pod.py). The agent, with its default bundle
# paths, reads the bundle and init.pid containerd wrote, with the pod
# identity containerd's CRI plugin put in its annotations; its prediction
# from the bundle must be what /proc shows. Debian's prometheus scrapes it,
# and a PromQL query over its HTTP API returns the pod's series.
# Everything on loopback; containerd, the agent and prometheus are stopped
# by their PIDs; containerd's root (images, snapshots) is a temporary dir.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
need_root
for t in containerd ctr runc jq curl cc protoc prometheus capsh; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
PY=/usr/bin/python3
"$PY" -c 'import grpc, google.protobuf' 2>/dev/null || skip_all "python3-grpcio / python3-protobuf are not installed"
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
source "$LIB/containerd-lib.sh"
tap_tmpdir
chmod 755 "$T"
D=$T/d
mkdir -p "$D/logs" "$T/pb"

# The default state directory only when it is free: another containerd
# (a test's, with its own state, or the machine's) must not be disturbed.
other=""
bin=$(readlink -f "$(command -v containerd)")
for p in /proc/[0-9]*; do
  [ "$(readlink "$p/exe" 2>/dev/null)" = "$bin" ] && other="$other ${p#/proc/}"
done
if [ -z "$other" ] && [ ! -e /run/containerd/containerd.sock ]; then
  STATE=/run/containerd
  SOCK=/run/containerd/containerd.sock
  AGENT_ROOTS=() # the agent's own defaults find containerd's tasks
  mkdir -p "$STATE"
  before=$(ls -A "$STATE")
else
  STATE=$D/state
  SOCK=$D/containerd.sock
  AGENT_ROOTS=(--bundle-root "task:$STATE/io.containerd.runtime.v2.task")
  echo "# another containerd runs (pid$other): a private state directory, not /run/containerd"
fi
cri_config "$D" "$STATE" "$SOCK" docker.io/library/capscope-cri-pause:latest
C=(ctr --address "$SOCK" -n k8s.io)
SID=""
cleanup() {
  [ -n "$SID" ] && "$PY" "$LIB/cri-pod.py" down --endpoint "$SOCK" --pb "$T/pb" "$SID" >/dev/null 2>&1
  [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null
  [ -n "${A_PID:-}" ] && kill "$A_PID" 2>/dev/null
  containerd_stop "$D" "$STATE"
  # what this containerd left in the default state directory, and only that
  if [ "$STATE" = /run/containerd ]; then
    for e in $(ls -A "$STATE"); do
      grep -qxF "$e" <<<"$before" || rm -rf "${STATE:?}/$e"
    done
  fi
  rm -rf "$T"
}
trap cleanup EXIT
containerd_start "$D" "$SOCK" || skip_all "containerd does not start here"
ok 0 "containerd with its CRI plugin, state in $STATE"

cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
protoc -I "$LIB" --python_out="$T/pb" "$LIB/cri-subset.proto" || skip_all "protoc failed"
"$PY" "$LIB/cri-pod.py" image --probe "$PROBE" --pause "$T/pause" --out "$T/pause.tar" &&
  "${C[@]}" images import --snapshotter "$SNAP" "$T/pause.tar" >/dev/null
ok $? "the pause image, imported into containerd's k8s.io namespace"

# The kubelet's calls: RunPodSandbox, CreateContainer, StartContainer.
read -r SID CID < <("$PY" "$LIB/cri-pod.py" up --endpoint "$SOCK" --pb "$T/pb" \
  --image docker.io/library/capscope-cri-pause:latest --namespace capscope-cri --pod web-0 \
  --container web --run-as-user 1000 --drop ALL --add NET_BIND_SERVICE --log-dir "$D/logs" 2>"$T/up.err")
like "$CID" '^[0-9a-f]{64}$' "a pod through the CRI API: runAsUser 1000, drop ALL, add NET_BIND_SERVICE"
if [ -z "$CID" ]; then
  tail -n 5 "$T/up.err" | sed 's/^/#   /'
  tail -n 5 "$D/containerd.log" | sed 's/^/#   /'
  done_testing
fi
TASK=$STATE/io.containerd.runtime.v2.task/k8s.io/$CID
PID=$(cat "$TASK/init.pid" 2>/dev/null)
like "$PID" '^[0-9]+$' "containerd wrote the bundle and init.pid ($TASK)"
is "$(jq -r '.annotations["io.kubernetes.cri.sandbox-namespace"] + "/" + .annotations["io.kubernetes.cri.sandbox-name"] + " " + .annotations["io.kubernetes.cri.container-name"] + " " + .annotations["io.kubernetes.cri.container-type"]' "$TASK/config.json")" \
  "capscope-cri/web-0 web container" "…with the pod identity the CRI plugin writes"

serve_start A --webhook off "${AGENT_ROOTS[@]}"
ok $? "the agent starts (${AGENT_ROOTS[*]:-its default bundle paths})"
curl -sS "http://127.0.0.1:$A_PORT/api/v1/containers" >"$T/c.json"
is "$(jq -r --arg id "$CID" '.containers[] | select(.id == $id) |
  [.runtime, .namespace, .pod, .container, .sandbox, .pid, .prediction.ok, .prediction.mismatch] |
  map(tostring) | join(" ")' "$T/c.json")" \
  "containerd capscope-cri web-0 web false $PID true false" \
  "pod identity from containerd's bundle; /proc is what the model predicts from it"
is "$(jq -r --arg id "$SID" '.containers[] | select(.id == $id) | .sandbox' "$T/c.json")" true \
  "the pod's sandbox (pause) container is marked as such"

want=$(caps_of_pid "$PID")
is "$want" "bounding CAP_NET_BIND_SERVICE" \
  "/proc: NET_BIND_SERVICE in the bounding set only (uid 1000 and no ambient: not effective)"

prom_start "$T" "127.0.0.1:$A_PORT"
got=$(prom_query 'capscope_container_capability{namespace="capscope-cri",pod="web-0",container="web"}' \
  '.[].metric | .set + " " + .capability' | sort)
is "$got" "${want:-(nothing read from /proc)}" "prometheus holds the pod's series: a PromQL query over its HTTP API returns /proc's sets"
is "$(prom_query 'capscope_container_info{pod="web-0"}' '.[].metric | .runtime + " uid=" + .uid')" \
  "containerd uid=1000" "…and capscope_container_info"
is "$(prom_query 'capscope_container_prediction_mismatch{pod="web-0"}' '.[].value[1]')" 0 \
  "…and no prediction mismatch"
kill "$PROM_PID"
serve_stop A
is "$?" 0 "the agent stops on SIGTERM"
done_testing
