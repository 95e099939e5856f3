#!/usr/bin/env bash
# capscope serve's agent against a real containerd: a private containerd
# (its own root, state and socket, the CRI plugin off) starts a container
# with ctr, carrying the pod annotations containerd's CRI plugin writes. The
# agent reads the bundle containerd wrote (task layout, init.pid), joins it
# to /proc through the container's cgroup, and its prediction from the
# bundle must be what /proc shows.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
need_root
for t in containerd ctr runc jq curl; do
  command -v $t >/dev/null || skip_all "$t is not installed"
done
tap_tmpdir
chmod 755 "$T"
ID=cs-serve-cd-$$
C=(ctr --address "$T/c.sock" -n k8s.io)
cleanup() {
  "${C[@]}" task kill -s KILL "$ID" >/dev/null 2>&1
  sleep 0.3
  "${C[@]}" task rm -f "$ID" >/dev/null 2>&1
  "${C[@]}" container rm "$ID" >/dev/null 2>&1
  kill $(jobs -p) 2>/dev/null
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
printf 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n' >"$T/config.toml"
containerd --config "$T/config.toml" --root "$T/root" --state "$T/state" --address "$T/c.sock" \
  >"$T/containerd.log" 2>&1 &
for _ in $(seq 50); do "${C[@]}" version >/dev/null 2>&1 && break; sleep 0.2; done
"${C[@]}" version >/dev/null 2>&1 || skip_all "containerd does not start here: $(tail -n1 "$T/containerd.log")"
mkdir -p "$T/rootfs/usr" "$T/rootfs/proc" "$T/rootfs/dev" "$T/rootfs/tmp"
ln -s usr/bin "$T/rootfs/bin"; ln -s usr/lib "$T/rootfs/lib"; ln -s usr/lib64 "$T/rootfs/lib64"
"${C[@]}" run -d --null-io --rootfs --mount type=bind,src=/usr,dst=/usr,options=rbind:ro \
  --annotation io.kubernetes.cri.sandbox-namespace=capscope-test \
  --annotation io.kubernetes.cri.sandbox-name=cd-pod \
  --annotation io.kubernetes.cri.container-name=app \
  --annotation io.kubernetes.cri.container-type=container \
  --cap-drop CAP_CHOWN "$T/rootfs" "$ID" /usr/bin/sleep 1000 >"$T/run.out" 2>&1
ok $? "containerd starts a container (ctr run)" || sed 's/^/#   /' "$T/run.out"
TASKS=$T/state/io.containerd.runtime.v2.task
PID=$(cat "$TASKS/k8s.io/$ID/init.pid" 2>/dev/null)
like "$PID" '^[0-9]+$' "containerd wrote the bundle and init.pid ($TASKS/k8s.io/$ID)"

serve_start A --webhook off --bundle-root "task:$TASKS"
ok $? "the agent starts"
curl -sS "http://127.0.0.1:$A_PORT/api/v1/containers" >"$T/c.json"
is "$(jq -r --arg id "$ID" '.containers[] | select(.id == $id) |
  [.runtime, .namespace, .pod, .container, .sandbox, .pid, .prediction.ok, .prediction.mismatch] |
  map(tostring) | join(" ")' "$T/c.json")" \
  "containerd capscope-test cd-pod app false $PID true false" \
  "pod identity from containerd's bundle; /proc is what the model predicts from it"
want=$(awk '/^CapEff:/ {print "0x" $2}' "/proc/$PID/status")
is "$(jq -r --arg id "$ID" '.containers[] | select(.id == $id) | .process.caps.effective.mask' "$T/c.json")" \
  "$want" "the effective set is /proc's ($want, CAP_CHOWN dropped)"
curl -sS "http://127.0.0.1:$A_PORT/metrics" >"$T/m.txt"
grep -q "capscope_container_capability{namespace=\"capscope-test\",pod=\"cd-pod\",container=\"app\",id=\"${ID:0:12}\",set=\"effective\",capability=\"CAP_KILL\"} 1" "$T/m.txt"
ok $? "its series in /metrics"
grep -q "capscope_container_capability{.*pod=\"cd-pod\".*capability=\"CAP_CHOWN\"" "$T/m.txt"
ok $((!$?)) "…and no CAP_CHOWN"
serve_stop A
done_testing
