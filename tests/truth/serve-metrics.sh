#!/usr/bin/env bash
# asan-too
# capscope serve as a node agent, against real containers: runc starts two
# containers from test bundles (pod identity in CRI-O's annotations, which
# runc copies into its state), the agent finds them through runc's state
# directory and /proc, predicts each first process from its bundle and
# compares with /proc; promtool checks the exposition, and Debian's
# prometheus scrapes the agent and answers a PromQL query with the series of
# the container this test started. A second container changes its own
# bounding set after start: the agent must report that as a mismatch.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
need_root
for t in runc jq curl promtool prometheus python3 setpriv; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
tap_tmpdir
chmod 755 "$T"
STATE=$T/state
ID1=cs-serve-$$-web
ID2=cs-serve-$$-drop
cleanup() {
  kill $(jobs -p) 2>/dev/null
  runc --root "$STATE" delete -f "$ID1" >/dev/null 2>&1
  runc --root "$STATE" delete -f "$ID2" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

# A rootfs that borrows the host's /usr (read-only bind mount) for sleep and setpriv.
bundle() { # DIR ID JQ-FILTER
  local b=$1
  mkdir -p "$b/rootfs/usr" "$b/rootfs/proc" "$b/rootfs/dev" "$b/rootfs/tmp"
  ln -s usr/bin "$b/rootfs/bin"; ln -s usr/lib "$b/rootfs/lib"; ln -s usr/lib64 "$b/rootfs/lib64"
  (cd "$b" && runc spec) || return 1
  jq ".process.terminal = false | .root.readonly = true |
      .mounts += [{destination: \"/usr\", type: \"bind\", source: \"/usr\", options: [\"rbind\", \"ro\"]}] |
      $3" "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
}
bundle "$T/b1" "$ID1" '.process.args = ["sleep", "1000"] | .process.user = {uid: 1000, gid: 1000} |
  .process.capabilities = {bounding: ["CAP_NET_BIND_SERVICE", "CAP_CHOWN"],
    effective: ["CAP_NET_BIND_SERVICE"], permitted: ["CAP_NET_BIND_SERVICE"],
    inheritable: ["CAP_NET_BIND_SERVICE"], ambient: ["CAP_NET_BIND_SERVICE"]} |
  .annotations = {"io.kubernetes.pod.namespace": "capscope-test", "io.kubernetes.pod.name": "web-0",
    "io.kubernetes.container.name": "web\"quoted\\\nname"}'
ok $? "bundle 1: uid 1000, NET_BIND_SERVICE ambient"
bundle "$T/b2" "$ID2" '.process.args = ["setpriv", "--bounding-set=-chown", "--", "sleep", "1000"] |
  .process.user = {uid: 0, gid: 0} |
  .process.capabilities = {bounding: ["CAP_CHOWN", "CAP_SETPCAP"], effective: ["CAP_CHOWN", "CAP_SETPCAP"],
    permitted: ["CAP_CHOWN", "CAP_SETPCAP"]} |
  .annotations = {"io.kubernetes.pod.namespace": "capscope-test", "io.kubernetes.pod.name": "drop-0",
    "io.kubernetes.container.name": "drop"}'
ok $? "bundle 2: root, drops CAP_CHOWN from its bounding set itself"
runc --root "$STATE" run -d --bundle "$T/b1" "$ID1" </dev/null >/dev/null 2>"$T/r1.err"
ok $? "runc starts container 1" || sed 's/^/#   /' "$T/r1.err"
runc --root "$STATE" run -d --bundle "$T/b2" "$ID2" </dev/null >/dev/null 2>"$T/r2.err"
ok $? "runc starts container 2" || sed 's/^/#   /' "$T/r2.err"
sleep 0.3
PID1=$(runc --root "$STATE" state "$ID1" | jq .pid)

serve_start A --webhook off --bundle-root "runc:$STATE"
ok $? "the agent starts (port ${A_PORT:-none})"
curl -sS "http://127.0.0.1:$A_PORT/metrics" >"$T/metrics.txt"
promtool check metrics <"$T/metrics.txt" >"$T/promtool.out" 2>&1
ok $? "promtool check metrics: clean" || sed 's/^/#   /' "$T/promtool.out"

# web"quoted\<newline>name: its label value is the terminal's text of it,
# web"quoted\\\nname (the backslash doubled, the line feed as \n: one escaping
# rule for every output, one to one; twentieth pass, part A), written with the
# exposition format's escapes (each backslash doubled again, the quote \").
sel='namespace="capscope-test",pod="web-0",container="web\"quoted\\\\\\nname",id="'"${ID1:0:12}"'"'
want=$(awk '/^CapEff:/ {print $2}' "/proc/$PID1/status")
is "$want" 0000000000000400 "/proc: container 1's effective set is NET_BIND_SERVICE"
got=$(grep -F "capscope_container_capability{$sel,set=\"effective\"," "$T/metrics.txt")
is "$got" "capscope_container_capability{$sel,set=\"effective\",capability=\"CAP_NET_BIND_SERVICE\"} 1" \
  "its series, with the container name escaped as the format wants"
is "$(grep -cF "capscope_container_capability{$sel,set=\"bounding\"," "$T/metrics.txt")" 2 \
  "two capabilities in its bounding set"
like "$(grep -F "capscope_container_info{$sel," "$T/metrics.txt")" \
  'runtime="runc",uid="1000",no_new_privs="true",seccomp="[a-z]+",userns="false"} 1$' "capscope_container_info"
is "$(grep -F "capscope_container_prediction_mismatch{$sel}" "$T/metrics.txt" | awk '{print $NF}')" 0 \
  "container 1: /proc is what capscope predicts from its bundle"
is "$(grep -F 'capscope_container_prediction_mismatch{namespace="capscope-test",pod="drop-0"' "$T/metrics.txt" | awk '{print $NF}')" 1 \
  "container 2 changed its own bounding set: reported as a mismatch"

curl -sS "http://127.0.0.1:$A_PORT/api/v1/containers" >"$T/c.json"
is "$(jq -r --arg id "$ID1" '.containers[] | select(.id == $id) | [.runtime, .namespace, .pod, .pid, .prediction.ok] | map(tostring) | join(" ")' "$T/c.json")" \
  "runc capscope-test web-0 $PID1 true" "/api/v1/containers: runtime, pod, pid, prediction"
like "$(jq -r --arg id "$ID2" '.containers[] | select(.id == $id) | .prediction.difference' "$T/c.json")" \
  'bounding predicted 0x101, /proc 0x100$' "…and the mismatch says where"

# Prometheus scrapes the agent; PromQL returns the container's series.
prom_start "$T" "127.0.0.1:$A_PORT"
res=$(prom_query 'capscope_container_capability{pod="web-0",set="effective"}' \
  '.[].metric | .namespace + "/" + .pod + " " + .capability + " " + .container')
is "$res" 'capscope-test/web-0 CAP_NET_BIND_SERVICE web"quoted\\\nname' \
  "prometheus holds the container's capability, its name as the terminal's text (PromQL over its HTTP API)"
is "$(prom_query 'up{job="capscope"}' '.[0].value[1]')" 1 "the scrape target is up"
kill "$PROM_PID"

serve_stop A
is "$?" 0 "the agent stops on SIGTERM"
done_testing
