#!/usr/bin/env bash
# A pod's net.ipv4.ip_unprivileged_port_start against real runc: runc
# writes the value into /proc/sys as it is written, in its init before
# execve, so the kernel's parse decides ("0x0" and " 0" are 0) and a value
# the kernel refuses ("junk", or above ip_local_port_range's start, 32768)
# fails the container: "write /proc/sys/net/ipv4/ip_unprivileged_port_start:
# invalid argument". The model said the default 1024 stayed and the process
# started (twenty-fourth pass). For each value: does the process start, and
# can uid 1000 without capabilities bind port 80, as capscope predicts?
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_rootfs
n=0
while IFS= read -r v; do
  n=$((n + 1))
  jv=$(jq -Rn --arg v "$v" '$v')
  printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
    "    sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: $jv}]" \
    '  containers:' '  - name: c' '    image: i' '    command: [/bin/app]' \
    '    securityContext: {runAsUser: 1000, runAsGroup: 1000, capabilities: {drop: [ALL]}}' >"$T/pod.yaml"
  want=$("$CAPSCOPE" explain pod --json --check bind:80 "$T/pod.yaml" 2>"$T/err" |
    jq -r '.containers[0] | if .exec.ok then "started bind=" + (.checks[0].ok | tostring) else "not started" end')
  b=$T/b$n
  mkdir -p "$b"
  jq -n --arg root "$T/rootfs" --arg v "$v" '{ociVersion: "1.0.2", root: {path: $root, readonly: true},
    process: {terminal: false, cwd: "/", user: {uid: 1000, gid: 1000}, args: ["/bin/app", "--bind", "80"],
      env: ["PATH=/bin"], noNewPrivileges: true, capabilities: {}},
    mounts: [{destination: "/proc", type: "proc", source: "proc"}],
    linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"}, {type: "uts"}, {type: "network"}],
      sysctl: {"net.ipv4.ip_unprivileged_port_start": $v}}}' >"$b/config.json"
  runc --root "$T/state" run --bundle "$b" "cssys-$$-$n" >"$b/out" 2>"$b/err" </dev/null
  rc=$?
  [ "$rc" -eq 0 ] || runc --root "$T/state" delete -f "cssys-$$-$n" >/dev/null 2>&1
  if grep -q '^Bind:' "$b/out"; then
    real="started bind=$(awk -F'\t' '/^Bind:/ {print ($2 == "ok") ? "true" : "false"}' "$b/out")"
  else
    real="not started"
  fi
  shown=$v
  [ ${#v} -gt 40 ] && shown="${#v} bytes: ${v:0:4}…${v: -6}"
  is "$want" "$real" "ip_unprivileged_port_start '$shown': $real"
  [ "$want" == "$real" ] || { sed 's/^/#   capscope: /' "$T/err"; sed 's/^/#   runc: /' "$b/err" | head -3; }
done < <(cat <<'VALUES'
0
0x0
 0
00
81
1024
32768
32769
40000
junk
-1
VALUES
  # twenty-sixth pass, part B: the kernel reads only the first 4,095 bytes
  # of a write (a 4 KiB page less one), runc's included: 4,094 blanks and
  # "100" set 1 (capscope read 100: bind:80 no), 4,095 blanks and "0" are
  # blanks alone, refused (capscope read 0)
  printf '%4094s100\n%4095s0\n' '' ''
)
done_testing
