#!/usr/bin/env bash
# A pod's net.ipv4.ip_local_port_range beside its ip_unprivileged_port_start,
# against real runc. The kernel holds the two apart (the port start may not
# pass the range's start, the range's start may not fall below the port
# start), and runc writes a spec's sysctls in a Go map's order, which
# changes from one run to the next: some pods start in one order and fail
# in the other. The orders are not even: runc 1.1.5 here wrote
# ip_unprivileged_port_start first in 4 to 10 runs of 40, whichever key
# came first in config.json. So each pair runs 16 times, and a pair capscope
# says starts in some runs runs on until both outcomes are seen, at most
# 120 times (a 1-in-8 order unseen in 120 runs: 1 in 10^7): "always"
# (every run starts), "never" or "some", as capscope predicts (exec.ok, and
# the step runc.sysctl-order for "some"). The model held the port start
# only to 65535 when the pod set the range, and did not read the range at
# all (a range the kernel refuses was a container that started).
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_rootfs
RUNS=16
n=0
# RANGE|START ("-": the pod does not set it)
while IFS='|' read -r range start; do
  n=$((n + 1))
  sysctls=$(jq -cn --arg r "$range" --arg s "$start" '[if $s != "-" then
    {name: "net.ipv4.ip_unprivileged_port_start", value: $s} else empty end,
    {name: "net.ipv4.ip_local_port_range", value: $r}]')
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: $sysctls" '  containers:' '  - name: c' '    image: i' '    command: [/bin/app]' \
    '    securityContext: {runAsUser: 1000, runAsGroup: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  want=$("$CAPSCOPE" explain pod --json --check bind:80 "$T/pod.yaml" 2>"$T/err" |
    jq -r '.containers[0] | if .exec.ok | not then "never"
      elif any(.steps[]; .rule == "runc.sysctl-order") then "some bind=" + (.checks[0].ok | tostring)
      else "always bind=" + (.checks[0].ok | tostring) end')
  b=$T/b$n
  mkdir -p "$b"
  jq -n --arg root "$T/rootfs" --argjson s "$sysctls" '{ociVersion: "1.0.2",
    root: {path: $root, readonly: true},
    process: {terminal: false, cwd: "/", user: {uid: 1000, gid: 1000}, args: ["/bin/app", "--bind", "80"],
      env: ["PATH=/bin"], noNewPrivileges: true, capabilities: {}},
    mounts: [{destination: "/proc", type: "proc", source: "proc"}],
    linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}],
      sysctl: ($s | map({(.name): .value}) | add)}}' >"$b/config.json"
  started=0 binds="" i=0
  while [ $i -lt $RUNS ] || { [ "${want%% *}" == some ] && [ $i -lt 120 ] &&
    { [ $started -eq 0 ] || [ $started -eq $i ]; }; }; do
    i=$((i + 1))
    if runc --root "$T/state" run --bundle "$b" "csord-$$-$n-$i" >"$b/out" 2>"$b/err" </dev/null &&
      grep -q '^Bind:' "$b/out"; then
      started=$((started + 1))
      binds+=$(awk -F'\t' '/^Bind:/ {print ($2 == "ok") ? " true" : " false"}' "$b/out")
    else
      runc --root "$T/state" delete -f "csord-$$-$n-$i" >/dev/null 2>&1
      cp "$b/err" "$b/last-err"
    fi
  done
  bind=$(tr ' ' '\n' <<<"$binds" | sort -u | tr -d '\n')
  case $started in
  0) real="never" ;;
  "$i") real="always bind=$bind" ;;
  *) real="some bind=$bind" ;;
  esac
  is "$want" "$real" "range '$range', port start '$start': $real ($started of $i runs started)"
  [ "$want" == "$real" ] && continue
  sed 's/^/#   capscope: /' "$T/err"
  [ -f "$b/last-err" ] && sed 's/^/#   runc: /' "$b/last-err" | tail -2
done <<'PAIRS'
40000 60999|35000
1024 60999|2000
40000 60999|500
500 60999|500
2000 1000|80
40000 60999|80
1024 65535|1024
0x9c40 60999|0x8000
1000 60999|-
40000|35000
junk|80
40000 70000|-
1000 60999|80
PAIRS
done_testing
