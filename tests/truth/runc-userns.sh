#!/usr/bin/env bash
# User namespaces as a hostUsers: false pod gets them, against the real runc:
# bundles with linux.namespaces user and the kubelet's kind of mapping (pod
# ids 0-65535 → one 65536-aligned node block), the static probe as
# entrypoint. For each case `capscope explain oci --json` must predict
#   - the uids inside (the probe's /proc/self/status) and on the node
#     (/proc/PID/status read from outside while the probe waits),
#   - all five sets and no_new_privs,
#   - binding 443 in the pod's own network namespace (the prediction: the
#     kernel's ns_capable(net->user_ns, CAP_NET_BIND_SERVICE), i.e. the bit in
#     the predicted effective set),
# and the file-access rule of lib/userns.c must hold: a node-owned directory
# is never writable from the pod, whatever the capabilities; a directory of a
# mapped id is writable by its owner or with CAP_DAC_OVERRIDE.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_needs setcap unshare
unshare --user --map-root-user true 2>/dev/null ||
  skip_all "this kernel does not let us create a user namespace (user.max_user_namespaces, LSM policy)"
STATE=$T/state
mkdir -p "$STATE"
B=196608     # the pod's id 0 on the node: a kubelet block (3 × 65536)
OTHER=327680 # another pod's root
NBS='["CAP_NET_BIND_SERVICE"]'
DEF='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
ALL=$(seq 0 "$(cat /proc/sys/kernel/cap_last_cap)" | while read -r n; do capsh --decode=$(printf '%x' $((1 << n))) 2>/dev/null | sed 's/.*=//'; done |
  tr 'a-z' 'A-Z' | jq -R . | jq -sc .)
[ "$ALL" != "[]" ] || ALL='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_NET_BIND_SERVICE","CAP_SYS_ADMIN","CAP_SYS_MODULE","CAP_SYS_TIME"]'

rootfs() { # entry → $R: a rootfs whose /bin/probe is set up for entry
  R=$T/rootfs-$1
  [ -d "$R" ] && return
  mkdir -p "$R/bin" "$R/proc" "$R/dev" "$R/data" "$R/node"
  cp "$PROBE" "$R/bin/probe"
  chown -R "$B:$B" "$R" # runc works in the rootfs as the pod's root
  chown "$((B + 1000)):$((B + 1000))" "$R/data" # a mapped id's directory
  chown 0:0 "$R/node"                         # the node's: nobody in the pod
  chmod 755 "$R/data" "$R/node"
  case $1 in
  plain) ;;
  fcaps-v2) setcap cap_net_bind_service+ep "$R/bin/probe" ;;
  v3-mapped) setcap -n "$B" cap_net_bind_service+ep "$R/bin/probe" ;;
  v3-other) setcap -n "$OTHER" cap_net_bind_service+ep "$R/bin/probe" ;;
  setuid) chmod 4755 "$R/bin/probe" ;;
  esac
}

n=0
tcase() { # uid nnp entry bnd eff inh prm amb description
  local uid=$1 nnp=$2 entry=$3 bnd=$4 eff=$5 inh=$6 prm=$7 amb=$8 desc=$9
  n=$((n + 1))
  rootfs "$entry"
  local b=$T/b$n id="csuns-$$-$n"
  mkdir -p "$b"
  cat >"$b/config.json" <<JSON
{"ociVersion":"1.0.2","root":{"path":"$R","readonly":false},
 "process":{"terminal":false,"user":{"uid":$uid,"gid":$uid},
  "args":["/bin/probe","--bind","443","--write","/data/w$n","--write","/node/w$n","--hold","1"],
  "env":["PATH=/bin"],"cwd":"/",
  "capabilities":{"bounding":$bnd,"effective":$eff,"inheritable":$inh,"permitted":$prm,"ambient":$amb},
  "noNewPrivileges":$([ "$nnp" = 1 ] && echo true || echo false)},
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"},{"type":"network"},{"type":"user"}],
  "uidMappings":[{"containerID":0,"hostID":$B,"size":65536}],
  "gidMappings":[{"containerID":0,"hostID":$B,"size":65536}]}}
JSON
  local real pred host="" k
  runc --root "$STATE" run -d --bundle "$b" "$id" >"$b/out" 2>"$b/err" </dev/null
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    for k in $(seq 50); do
      [ "$(grep -c '^Write:' "$b/out")" -ge 2 ] && break
      sleep 0.1
    done
    local pid
    pid=$(runc --root "$STATE" state "$id" 2>/dev/null | jq -r .pid)
    [ -n "$pid" ] && [ -r "/proc/$pid/status" ] &&
      host=$(awk -F'\t' '/^Uid:/ {print $2" "$3" "$4" "$5}' "/proc/$pid/status")
    runc --root "$STATE" kill "$id" KILL >/dev/null 2>&1
  fi
  runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
  if [ "$rc" -eq 0 ] && grep -q '^CapEff:' "$b/out"; then
    real=$(awk -F'\t' -v host="$host" '
      /^Uid:/ {u=$2" "$3" "$4" "$5} /^CapInh:/ {ci=$2} /^CapPrm:/ {cp=$2} /^CapEff:/ {ce=$2}
      /^CapBnd:/ {cb=$2} /^CapAmb:/ {ca=$2} /^NoNewPrivs:/ {nn=$2}
      /^Bind:/ {bd=($2 == "ok") ? "1" : "0"}
      END {print "ok uid=" u " host=" host " inh=" ci " prm=" cp " eff=" ce " bnd=" cb " amb=" ca " nnp=" nn " bind=" bd}' "$b/out")
  else
    local e=OTHER
    if grep -qi 'operation not permitted' "$b/err"; then e=EPERM
    elif grep -qi 'permission denied' "$b/err"; then e=EACCES
    elif grep -qiE 'unmapped|invalid argument' "$b/err"; then e=EINVAL
    fi
    real="fail $e"
  fi
  local js
  js=$("$CAPSCOPE" explain oci --json "$b" 2>"$b/cs-err")
  pred=$(jq -r '
    def m: .mask | ltrimstr("0x");
    if .exec.ok then
      "ok uid=" + (.process.uids | map(tostring) | join(" ")) +
      " host=" + (.process.host_uids | map(tostring) | join(" ")) +
      " inh=" + (.process.caps.inheritable | m) + " prm=" + (.process.caps.permitted | m) +
      " eff=" + (.process.caps.effective | m) + " bnd=" + (.process.caps.bounding | m) +
      " amb=" + (.process.caps.ambient | m) + " nnp=" + (if .process.no_new_privs then "1" else "0" end) +
      " bind=" + (if (.process.caps.effective.names | index("CAP_NET_BIND_SERVICE")) then "1" else "0" end)
    else "fail " + .exec.error end' <<<"$js" 2>&1)
  if [ "$pred" = "$real" ]; then
    ok 0 "case $n: $desc"
  else
    ok 1 "case $n: $desc"
    echo "#   runc:     $real"
    echo "#   capscope: $pred"
    sed 's/^/#   runc stderr: /' "$b/err" | head -n 3
  fi
  if [ "$rc" -eq 0 ] && [ "${real%% *}" = ok ]; then
    # lib/userns.c: DAC_OVERRIDE / FOWNER act on mapped ids only
    local want_data=0
    [ "$(jq -r '.process.uids[3]' <<<"$js")" = 1000 ] && want_data=1
    [ "$(jq -r '.process.caps.effective.names | index("CAP_DAC_OVERRIDE") != null' <<<"$js")" = true ] && want_data=1
    grep -q "^Write:	/node/w$n ok" "$b/out"
    ok $((1 - $?)) "case $n: the node-owned directory is not writable from the pod"
    local w=0
    grep -q "^Write:	/data/w$n ok" "$b/out" && w=1
    is "$w" "$want_data" "case $n: the mapped id's directory is writable exactly by its owner or with DAC_OVERRIDE"
    [ "$w" = "$want_data" ] || grep "^Write:" "$b/out" | sed "s/^/#   /"
  fi
  [ "${KEEP:-0}" = 1 ] || rm -rf "$b"
}

# root in the pod: node uid $B
tcase 0 0 plain "$NBS" "$NBS" '[]' "$NBS" '[]' "root in the pod (node $B), NET_BIND_SERVICE: binds 443 in its own netns"
tcase 0 0 plain '[]' '[]' '[]' '[]' '[]' "root in the pod, no capabilities: cannot bind 443"
tcase 0 0 plain "$DEF" "$DEF" '[]' "$DEF" '[]' "root in the pod, the runtime defaults (DAC_OVERRIDE does not open node files)"
tcase 0 0 plain "$ALL" "$ALL" '[]' "$ALL" '[]' "root in the pod, every capability (all held in the pod's namespace)"
tcase 0 1 plain "$NBS" '[]' '[]' "$NBS" '[]' "root in the pod, no_new_privs: permitted only, effective at exec (euid 0)"
# non-root in the pod: node uid $B + 1000
tcase 1000 0 plain "$NBS" "$NBS" '[]' "$NBS" '[]' "uid 1000 (node $((B + 1000))) without ambient: nothing effective"
tcase 1000 0 plain "$NBS" "$NBS" "$NBS" "$NBS" "$NBS" "uid 1000 with ambient NET_BIND_SERVICE: binds 443"
tcase 1000 0 fcaps-v2 "$NBS" '[]' '[]' '[]' '[]' "uid 1000, v2 file caps +ep: honoured in any namespace"
tcase 1000 0 v3-mapped "$NBS" '[]' '[]' '[]' '[]' "uid 1000, v3 file caps, rootid = the pod's root ($B): honoured"
tcase 1000 0 v3-other "$NBS" '[]' '[]' '[]' '[]' "uid 1000, v3 file caps, rootid of another pod ($OTHER): ignored"
tcase 1000 1 v3-mapped "$NBS" '[]' '[]' '[]' '[]' "uid 1000, v3 rootid = pod root, under no_new_privs"
tcase 1000 0 setuid "$NBS" '[]' '[]' '[]' '[]' "uid 1000, set-uid to the pod's root: euid 0 in the pod, node $B"
tcase 70000 0 plain "$NBS" '[]' '[]' '[]' '[]' "uid 70000 has no mapping: runc refuses"
done_testing
