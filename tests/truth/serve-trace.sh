#!/usr/bin/env bash
# asan-too
# capscope serve --trace: the node agent counts every container's capability
# checks with the BPF tracer and joins them to the containers it finds. runc
# starts two containers from test bundles (pod identity in CRI-O's
# annotations): "chown" holds CHOWN, NET_RAW and NET_BIND_SERVICE and uses
# only CHOWN (a chown of its own file to another uid); "userns" runs in its
# own user namespace (uidMappings) and chowns a file of its own tmpfs, a
# check made inside the pod's user namespace, not on the node. /metrics
# must count the checks and say which capabilities were never used;
# /api/v1/containers must give the traced least-privilege securityContext.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../cli/serve-lib.sh"
need_root
for t in runc jq curl promtool; do
  command -v $t >/dev/null || skip_all "$t is not installed (scripts/install-deps.sh)"
done
[ -e /sys/kernel/btf/vmlinux ] || skip_all "kernel has no BTF (/sys/kernel/btf/vmlinux)"
tap_tmpdir
chmod 755 "$T"
STATE=$T/state
ID1=cs-strace-$$-chown
ID2=cs-strace-$$-userns
cleanup() {
  [ -n "${A_PID:-}" ] && kill "$A_PID" 2>/dev/null
  runc --root "$STATE" delete -f "$ID1" >/dev/null 2>&1
  runc --root "$STATE" delete -f "$ID2" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

# The agent first: the containers' checks are counted from their start.
if ! serve_start A --webhook off --trace --bundle-root "runc:$STATE"; then
  case "$(cat "$T/A.log")" in
    *"built without its BPF tracer"* | *"no way to trace cap_capable"* | *"kernel refused the BPF"*)
      skip_all "the tracer cannot attach here: $(tail -n1 "$T/A.log")" ;;
  esac
  sed 's/^/#   /' "$T/A.log"
  ok 1 "the agent starts with --trace"
  done_testing
fi
ok 0 "the agent starts with --trace (port $A_PORT)"
like "$(cat "$T/A.log")" "tracing capability checks via (tp_btf|fexit|kprobe)/cap_capable" "it says which hook"

# A rootfs that borrows the host's /usr (read-only) for sh, chown and sleep; /tmp a tmpfs.
bundle() { # DIR JQ-FILTER
  local b=$1
  mkdir -p "$b/rootfs/usr" "$b/rootfs/proc" "$b/rootfs/dev" "$b/rootfs/tmp" "$b/rootfs/sys"
  ln -s usr/bin "$b/rootfs/bin"; ln -s usr/lib "$b/rootfs/lib"; ln -s usr/lib64 "$b/rootfs/lib64"
  (cd "$b" && runc spec) || return 1
  jq ".process.terminal = false | .root.readonly = true |
      .mounts += [{destination: \"/usr\", type: \"bind\", source: \"/usr\", options: [\"rbind\", \"ro\"]},
                  {destination: \"/tmp\", type: \"tmpfs\", source: \"tmpfs\", options: [\"nosuid\"]}] |
      $2" "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
}
# The containers start after the agent's first scan: their checks wait in the
# table per cgroup until a scrape joins them to the container.
work='.process.args = ["sh", "-c", "touch /tmp/f && chown 1000 /tmp/f && exec sleep 1000"] |
  .process.user = {uid: 0, gid: 0}'
bundle "$T/b1" "$work |
  .process.capabilities = {bounding: [\"CAP_CHOWN\", \"CAP_NET_RAW\", \"CAP_NET_BIND_SERVICE\"],
    effective: [\"CAP_CHOWN\", \"CAP_NET_RAW\", \"CAP_NET_BIND_SERVICE\"],
    permitted: [\"CAP_CHOWN\", \"CAP_NET_RAW\", \"CAP_NET_BIND_SERVICE\"]} |
  .annotations = {\"io.kubernetes.pod.namespace\": \"capscope-test\", \"io.kubernetes.pod.name\": \"chown-0\",
    \"io.kubernetes.container.name\": \"chown\"}"
ok $? "bundle 1: root, CHOWN NET_RAW NET_BIND_SERVICE, chowns a file"
bundle "$T/b2" "$work |
  .process.capabilities = {bounding: [\"CAP_CHOWN\", \"CAP_KILL\"], effective: [\"CAP_CHOWN\", \"CAP_KILL\"],
    permitted: [\"CAP_CHOWN\", \"CAP_KILL\"]} |
  .linux.namespaces += [{type: \"user\"}] |
  .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
  .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
  .annotations = {\"io.kubernetes.pod.namespace\": \"capscope-test\", \"io.kubernetes.pod.name\": \"userns-0\",
    \"io.kubernetes.container.name\": \"userns\"}"
ok $? "bundle 2: the same in its own user namespace (uid 0 = host uid 200000)"
runc --root "$STATE" run -d --bundle "$T/b1" "$ID1" </dev/null >/dev/null 2>"$T/r1.err"
ok $? "runc starts container 1" || sed 's/^/#   /' "$T/r1.err"
userns_ok=1
if ! runc --root "$STATE" run -d --bundle "$T/b2" "$ID2" </dev/null >/dev/null 2>"$T/r2.err"; then
  userns_ok=0
  sed 's/^/#   /' "$T/r2.err"
fi
# Let both chown, then at least one drain (every second) pass.
for _ in $(seq 50); do
  [ "$(runc --root "$STATE" ps "$ID1" 2>/dev/null | grep -c sleep)" -ge 1 ] && break
  sleep 0.1
done
sleep 1.5

curl -sS "http://127.0.0.1:$A_PORT/metrics" >"$T/metrics.txt"
promtool check metrics <"$T/metrics.txt" >"$T/promtool.out" 2>&1
ok $? "promtool check metrics: clean with --trace" || sed 's/^/#   /' "$T/promtool.out"
sel='namespace="capscope-test",pod="chown-0",container="chown",id="'"${ID1:0:12}"'"'
like "$(grep -F "capscope_capability_checks_total{$sel,capability=\"CAP_CHOWN\",verdict=\"allowed\"}" "$T/metrics.txt")" \
  ' [1-9][0-9]*$' "the chown is counted: capscope_capability_checks_total{…,CAP_CHOWN,allowed}"
is "$(grep -F "capscope_capability_checks_total{$sel," "$T/metrics.txt" | grep -vc 'capability="CAP_CHOWN"')" 0 \
  "no other capability is counted for it (runc's own init is left out)" ||
  grep -F -e "{$sel" -e capscope_container_coarse -e capscope_trace_ "$T/metrics.txt" | sed 's/^/#   /'
is "$(grep -F "capscope_container_capability_unused{$sel," "$T/metrics.txt" | sed 's/.*capability="\([A-Z_]*\)"} \(.*\)/\1=\2/' | paste -sd,)" \
  "CAP_NET_BIND_SERVICE=1,CAP_NET_RAW=1" "unused: NET_BIND_SERVICE and NET_RAW, not CHOWN"
like "$(grep -F "capscope_trace_observed_seconds{$sel}" "$T/metrics.txt")" ' [0-9.e+-]+$' "capscope_trace_observed_seconds"
is "$(grep -c '^capscope_trace_lost_events_total{reason="[a-z_]*"} 0$' "$T/metrics.txt")" 2 \
  "capscope_trace_lost_events_total: none lost"

curl -sS "http://127.0.0.1:$A_PORT/api/v1/containers" >"$T/c.json"
tr1=$(jq -c --arg id "$ID1" '.containers[] | select(.id == $id) | .trace' "$T/c.json")
is "$(jq -c .profile <<<"$tr1")" '{"securityContext":{"capabilities":{"drop":["ALL"],"add":["CHOWN"]}}}' \
  "/api/v1/containers: the traced profile as a securityContext"
is "$(jq -r .snippet <<<"$tr1")" "$(printf 'securityContext:\n  capabilities:\n    drop:\n    - ALL\n    add:\n    - CHOWN')" \
  "…and as the YAML of capscope trace --profile k8s"
is "$(jq -c '[.used, .unused, .checks[0].user_namespaces]' <<<"$tr1")" \
  '[["CAP_CHOWN"],["CAP_NET_BIND_SERVICE","CAP_NET_RAW"],["initial"]]' "used, unused; the chown was made on the node"

if [ "$userns_ok" = 1 ]; then
  tr2=$(jq -c --arg id "$ID2" '.containers[] | select(.id == $id) | .trace' "$T/c.json")
  is "$(jq -c '[.used, .checks[0].user_namespaces, .only_in_child_user_namespaces, .unused]' <<<"$tr2")" \
    '[["CAP_CHOWN"],["own"],["CAP_CHOWN"],["CAP_KILL"]]' \
    "user-namespaced container: CHOWN used inside its own user namespace only, KILL unused"
else
  skip "runc cannot start a user-namespaced container here"
fi

serve_stop A
is "$?" 0 "the agent stops on SIGTERM"
A_PID=
done_testing
