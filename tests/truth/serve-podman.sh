#!/usr/bin/env bash
# capscope serve's agent against Podman: `podman kube play` of a Pod (runAsUser
# 1000, drop ALL, add NET_BIND_SERVICE), Podman's storage, run and tmp
# directories under a temporary directory, no network. The agent reads the bundles Podman
# wrote (overlay-containers/<id>/userdata), joins them to /proc through the
# libpod-<id> cgroup, and Debian's prometheus, scraping it, answers a PromQL
# query with the container's series. Podman 4.3's bundles carry no pod
# identity (no io.kubernetes.pod.* annotations), so the series is found by
# its id label.
#
# Podman's configuration is podman-matrix's (runtime-lib/podman-lib.sh): the
# packaged default capabilities, rlimits no higher than this shell's (runc
# cannot raise them in this sandbox), cgroupfs, events to a file.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
need_root
for t in podman runc jq curl cc prometheus capsh python3; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
PROBE=${CAPSCOPE_BUILD:-$CAPSCOPE_TOP/build}/tests/truth/probe
[ -x "$PROBE" ] || skip_all "the static probe was not built ($PROBE)"
LIB=$CAPSCOPE_TOP/tests/truth/runtime-lib
tap_tmpdir
chmod 755 "$T"
PM=$T/podman
source "$LIB/podman-lib.sh"
podman_setup "$PM" localhost/capscope-cri-pause:latest || skip_all "$PODMAN_WHY"
cleanup() {
  [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null
  [ -n "${A_PID:-}" ] && kill "$A_PID" 2>/dev/null
  podman_cleanup "$PM"
  rm -rf "$T"
}
trap cleanup EXIT

cc -static -O2 -o "$T/pause" "$LIB/pause.c" || skip_all "cannot build the static pause process"
/usr/bin/python3 "$LIB/cri-pod.py" image --probe "$PROBE" --pause "$T/pause" --out "$T/pause.tar" &&
  $PODMAN load -q -i "$T/pause.tar" >/dev/null 2>"$T/load.err"
ok $? "podman load: the pause image (also the pod's infra image)" || sed 's/^/#   /' "$T/load.err"
cat >"$T/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: capscope-podman
spec:
  containers:
    - name: web
      image: localhost/capscope-cri-pause:latest
      command: ["/pause"]
      securityContext:
        runAsUser: 1000
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]
YAML
$PODMAN kube play --network none "$T/pod.yaml" >"$T/play.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'error setting rlimit' "$T/play.out"; then
  sed 's/^/# /' "$T/play.out" | tail -n 3
  skip_all "runc refuses Podman's rlimits here even with containers.conf's default_ulimits"
fi
ok $rc "podman kube play: the pod runs" || sed 's/^/#   /' "$T/play.out"
CID=$($PODMAN container inspect web-0-web --format '{{.ID}}' 2>/dev/null)
PID=$($PODMAN container inspect web-0-web --format '{{.State.Pid}}' 2>/dev/null)
like "$PID" '^[1-9][0-9]*$' "its container web-0-web runs (pid $PID)"
driver=$($PODMAN info --format '{{.Store.GraphDriverName}}')

serve_start A --webhook off --bundle-root "userdata:$PM/root/$driver-containers" \
  --bundle-root "userdata:$PM/run/$driver-containers"
ok $? "the agent starts, on Podman's bundle directories"
curl -sS "http://127.0.0.1:$A_PORT/api/v1/containers" >"$T/c.json"
is "$(jq -r --arg id "$CID" '.containers[] | select(.id == $id) |
  [.runtime, .pid, .prediction.ok, .prediction.mismatch] | map(tostring) | join(" ")' "$T/c.json")" \
  "podman $PID true false" "the container, from Podman's bundle; /proc is what the model predicts from it"

want=$(caps_of_pid "$PID")
like "$want" 'effective CAP_NET_BIND_SERVICE' \
  "/proc: Podman made NET_BIND_SERVICE effective for uid 1000 (it adds it to the ambient set)"

prom_start "$T" "127.0.0.1:$A_PORT"
got=$(prom_query "capscope_container_capability{id=\"${CID:0:12}\"}" '.[].metric | .set + " " + .capability' | sort)
is "$got" "${want:-(nothing read from /proc)}" \
  "prometheus holds the container's series: a PromQL query over its HTTP API returns /proc's sets"
is "$(prom_query "capscope_container_info{id=\"${CID:0:12}\"}" '.[].metric | .runtime + " uid=" + .uid')" \
  "podman uid=1000" "…and capscope_container_info"
kill "$PROM_PID"
serve_stop A
is "$?" 0 "the agent stops on SIGTERM"
done_testing
