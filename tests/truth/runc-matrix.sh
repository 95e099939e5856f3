#!/usr/bin/env bash
# Truth matrix: hundreds of generated OCI bundles run under the real runc,
# each with a static probe as entrypoint that prints its own /proc status;
# `capscope explain oci --json` must predict every uid, gid, group, the five
# sets, no_new_privs and every failure (EPERM, EACCES, ENOENT) exactly.
# Seeded: CAPSCOPE_MATRIX_SEED and CAPSCOPE_MATRIX_N reproduce or widen a run.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/runc-probe.sh"
runc_probe_needs setcap
STATE=$T/runc-state
mkdir -p "$STATE"
SEED=${CAPSCOPE_MATRIX_SEED:-20261129}
N=${CAPSCOPE_MATRIX_N:-300}
RANDOM=$SEED
echo "# seed $SEED, $N random cases"

POOL=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP
  CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_ADMIN CAP_SYS_RESOURCE CAP_SYS_PTRACE
  CAP_AUDIT_WRITE CAP_BPF CAP_CHECKPOINT_RESTORE)
NS_BASE=100000 # host uid of the container's root in user-namespace cases

# --- rootfs variants, built once per distinct entrypoint ----------------------
declare -A ROOTFS
rootfs_for() { # owner_uid owner_gid mode fcaps_text rootid userns → path in $R
  local key="$1:$2:$3:$4:$5:$6" dir
  if [ -n "${ROOTFS[$key]:-}" ]; then R=${ROOTFS[$key]}; return; fi
  dir=$T/rootfs-${#ROOTFS[@]}
  mkdir -p "$dir/bin" "$dir/proc" "$dir/dev"
  # In a user namespace runc works in the rootfs as the container's root.
  [ "$6" = 1 ] && chown -R "$NS_BASE:$NS_BASE" "$dir"
  cp "$PROBE" "$dir/bin/probe"
  chown "$1:$2" "$dir/bin/probe"
  if [ -n "$4" ]; then
    if [ "$5" != 0 ]; then setcap -n "$5" "$4" "$dir/bin/probe"; else setcap "$4" "$dir/bin/probe"; fi
  fi
  chmod "$3" "$dir/bin/probe"
  ROOTFS[$key]=$dir
  R=$dir
}

json_list() { # names… → ["A","B"]
  local out="" x
  for x in "$@"; do out+="${out:+,}\"$x\""; done
  printf '[%s]' "$out"
}

pick_subset() { # percent → names in $SUB
  SUB=()
  local c
  for c in "${POOL[@]}"; do
    [ $((RANDOM % 100)) -lt "$1" ] && SUB+=("$c")
  done
}

derive() { # base names in BASE, keep%, extra% → set JSON in $SETJ (or null)
  local c x=()
  if [ $((RANDOM % 12)) -eq 0 ]; then SETJ=null; return; fi
  for c in "${BASE[@]}"; do [ $((RANDOM % 100)) -lt "$1" ] && x+=("$c"); done
  for c in "${POOL[@]}"; do [ $((RANDOM % 100)) -lt "$2" ] && x+=("$c"); done
  [ $((RANDOM % 25)) -eq 0 ] && x+=("CAP_NOT_A_CAP")
  [ $((RANDOM % 25)) -eq 0 ] && x+=("cap_kill")
  SETJ=$(json_list "${x[@]}")
}

# --- one case -----------------------------------------------------------------
i=0
run_case() { # uid gid nnp userns entry bnd eff inh prm amb desc
  local uid=$1 gid=$2 nnp=$3 userns=$4 entry=$5 bnd=$6 eff=$7 inh=$8 prm=$9 amb=${10} desc=${11}
  local root=0 other=1234 fc="" rid=0 mode=0755 owner_u owner_g arg0=probe
  i=$((i + 1))
  [ "$userns" = 1 ] && root=$NS_BASE && other=$((NS_BASE + 1234))
  owner_u=$root owner_g=$root
  case $entry in
  plain) ;;
  fcaps-ep) fc="cap_net_bind_service,cap_net_raw+ep" ;;
  fcaps-p) fc="cap_net_bind_service,cap_chown+p" ;;
  fcaps-ei) fc="cap_net_bind_service,cap_kill+ei" ;;
  fcaps-pi) fc="cap_net_bind_service+pi" ;;
  fcaps-sysres) fc="cap_sys_resource,cap_net_bind_service+ep" ;;
  fcaps-empty) fc="=" ;;
  v3-mapped) fc="cap_net_bind_service,cap_setuid+ep"; rid=$NS_BASE ;;
  v3-unmapped) fc="cap_net_bind_service+ep"; rid=200000 ;;
  setuid-root) mode=4755 ;;
  setuid-hostroot) mode=4755; owner_u=0; owner_g=0 ;;
  setuid-fcaps) mode=4755; fc="cap_net_bind_service+ep" ;;
  setuid-other) mode=4755; owner_u=$other; owner_g=$other ;;
  setgid-other) mode=2755; owner_u=$other; owner_g=$other ;;
  noexec-other) mode=0700 ;;
  missing) arg0=no-such-probe ;;
  esac
  [ "$entry" = "fcaps-empty" ] && [ "$userns" = 1 ] && true
  rootfs_for "$owner_u" "$owner_g" "$mode" "$fc" "$rid" "$userns"
  local b=$T/b$i
  mkdir -p "$b"
  local ns='{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"}'
  local maps=""
  if [ "$userns" = 1 ]; then
    ns+=',{"type":"user"}'
    maps=",\"uidMappings\":[{\"containerID\":0,\"hostID\":$NS_BASE,\"size\":65536}],\"gidMappings\":[{\"containerID\":0,\"hostID\":$NS_BASE,\"size\":65536}]"
  fi
  local addg='[]'
  [ $((i % 3)) -eq 0 ] && addg='[5,27]'
  local capsj="{\"bounding\":$bnd,\"effective\":$eff,\"inheritable\":$inh,\"permitted\":$prm,\"ambient\":$amb}"
  [ $((i % 41)) -eq 0 ] && capsj=null
  cat >"$b/config.json" <<JSON
{"ociVersion":"1.0.2","root":{"path":"$R","readonly":true},
 "process":{"terminal":false,"user":{"uid":$uid,"gid":$gid,"additionalGids":$addg},
  "args":["$arg0"],"env":["PATH=/usr/bin:/bin"],"cwd":"/",
  "capabilities":$capsj,"noNewPrivileges":$([ "$nnp" = 1 ] && echo true || echo false)},
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
 "linux":{"namespaces":[$ns]$maps}}
JSON
  # runc decodes with Go's encoding/json, which takes a key in any case
  [ "${RESPELL:-0}" = 1 ] && sed -i -e 's/"capabilities"/"Capabilities"/' \
    -e 's/"noNewPrivileges"/"NoNewPrivileges"/' -e 's/"user"/"USER"/' -e 's/"bounding"/"Bounding"/' \
    -e 's/"permitted"/"PERMITTED"/' -e 's/"ambient"/"Ambient"/' "$b/config.json"
  local id="csm-$$-$i" real want got
  runc --root "$STATE" run --bundle "$b" "$id" >"$b/out" 2>"$b/err" </dev/null
  local rrc=$?
  [ "$rrc" -eq 0 ] || runc --root "$STATE" delete -f "$id" >/dev/null 2>&1
  if [ "$rrc" -eq 0 ] && grep -q '^CapEff:' "$b/out"; then
    real=$(awk -F'\t' '
      /^Uid:/ {u=$2" "$3" "$4" "$5} /^Gid:/ {g=$2" "$3" "$4" "$5}
      /^Groups:/ {gr=$2; sub(/ +$/, "", gr)}
      /^CapInh:/ {ci=$2} /^CapPrm:/ {cp=$2} /^CapEff:/ {ce=$2} /^CapBnd:/ {cb=$2} /^CapAmb:/ {ca=$2}
      /^NoNewPrivs:/ {n=$2}
      END {print "ok uid=" u " gid=" g " groups=" gr " inh=" ci " prm=" cp " eff=" ce " bnd=" cb " amb=" ca " nnp=" n}' "$b/out")
  else
    local e=OTHER
    if grep -qi 'operation not permitted' "$b/err"; then e=EPERM
    elif grep -qi 'permission denied' "$b/err"; then e=EACCES
    elif grep -qiE 'not found|no such file' "$b/err"; then e=ENOENT
    elif grep -qi 'invalid argument' "$b/err"; then e=EINVAL
    elif grep -qiE 'out of range|must be in range' "$b/err"; then e=ERANGE
    fi
    real="fail $e"
  fi
  want=$("$CAPSCOPE" explain oci --json "$b" 2>"$b/cs-err")
  got=$(printf '%s' "$want" | jq -r '
    def m: .mask | ltrimstr("0x");
    if .exec.ok then
      "ok uid=" + (.process.uids | map(tostring) | join(" ")) +
      " gid=" + (.process.gids | map(tostring) | join(" ")) +
      " groups=" + (.process.groups | sort | map(tostring) | join(" ")) +
      " inh=" + (.process.caps.inheritable | m) + " prm=" + (.process.caps.permitted | m) +
      " eff=" + (.process.caps.effective | m) + " bnd=" + (.process.caps.bounding | m) +
      " amb=" + (.process.caps.ambient | m) + " nnp=" + (if .process.no_new_privs then "1" else "0" end)
    else "fail " + .exec.error end' 2>&1)
  if [ "$got" == "$real" ]; then
    ok 0 "case $i: $desc"
  else
    ok 1 "case $i: $desc"
    echo "#   bundle $b"
    echo "#   runc:     $real"
    echo "#   capscope: $got"
    sed 's/^/#   runc stderr: /' "$b/err" | head -n 3
  fi
  [ "${KEEP:-0}" = 1 ] || rm -rf "$b"
}

# --- fixed corner cases, then the seeded random space -----------------------------
NBS='["CAP_NET_BIND_SERVICE"]'
run_case 1000 1000 0 0 plain "$NBS" "$NBS" '[]' "$NBS" '[]' "article: non-root, NET_BIND_SERVICE in B/P/E, no ambient"
run_case 1000 1000 0 0 plain "$NBS" "$NBS" "$NBS" "$NBS" "$NBS" "article fix: ambient"
run_case 1000 1000 0 0 fcaps-ep "$NBS" "$NBS" '[]' "$NBS" '[]' "article fix: file caps +ep (NET_RAW missing from B → EPERM)"
run_case 1000 1000 0 0 fcaps-ep '["CAP_NET_BIND_SERVICE","CAP_NET_RAW"]' '[]' '[]' '[]' '[]' "file caps +ep, all of fP in B"
run_case 1000 1000 0 0 plain "$NBS" '[]' '[]' '[]' "$NBS" "ambient without P/I: skipped silently"
run_case 1000 1000 0 0 plain "$NBS" '[]' '["CAP_NET_BIND_SERVICE","CAP_SYS_ADMIN"]' '[]' '[]' "inheritable outside bounding: capset EPERM"
run_case 1000 1000 0 0 plain "$NBS" '["CAP_NET_BIND_SERVICE"]' '[]' '[]' '[]' "effective outside permitted: capset EPERM"
run_case 0 0 0 0 plain "$NBS" '[]' '[]' '[]' '[]' "root gets the bounding set at exec"
run_case 0 0 1 0 plain '["CAP_NET_BIND_SERVICE","CAP_CHOWN"]' "$NBS" '[]' "$NBS" '[]' "root under no_new_privs keeps only P"
run_case 1000 1000 0 0 setuid-root "$NBS" '[]' '[]' '[]' '[]' "set-uid root"
run_case 1000 1000 1 0 setuid-root "$NBS" '[]' '[]' '[]' '[]' "set-uid root under no_new_privs"
run_case 1000 1000 0 0 setuid-fcaps '["CAP_NET_BIND_SERVICE","CAP_CHOWN"]' '[]' '[]' '[]' '[]' "set-uid root + file caps: file caps win"
run_case 1000 1000 0 1 v3-mapped '["CAP_NET_BIND_SERVICE","CAP_SETUID"]' '[]' '[]' '[]' '[]' "user ns: v3 rootid = container root"
run_case 1000 1000 0 1 v3-unmapped "$NBS" "$NBS" "$NBS" "$NBS" "$NBS" "user ns: v3 rootid of another ns, ambient kept"
run_case 1000 1000 0 0 v3-mapped '["CAP_NET_BIND_SERVICE","CAP_SETUID"]' '[]' '[]' '[]' '[]' "host ns: v3 rootid 100000 ignored"
run_case 1000 1000 0 0 fcaps-empty "$NBS" "$NBS" "$NBS" "$NBS" "$NBS" "empty file caps clear ambient"
run_case 1000 1000 0 0 noexec-other "$NBS" '[]' '[]' '[]' '[]' "mode 0700 root-owned: EACCES"
run_case 0 0 0 0 missing "$NBS" '[]' '[]' '[]' '[]' "missing entrypoint: ENOENT"
run_case 3000000000 1000 0 0 plain "$NBS" '[]' '[]' '[]' '[]' "uid above 2^31-1: runc refuses"
run_case 1000 1000 0 0 fcaps-sysres '["CAP_NET_BIND_SERVICE","CAP_SYS_RESOURCE"]' '[]' '[]' '[]' '[]' "file caps for a cap the caller's bounding lacks"

# The same with the keys respelt in other cases (fifth pass: they were
# ignored, so capscope predicted no capabilities, no no_new_privs, uid 0)
RESPELL=1
run_case 1000 1000 1 0 plain "$NBS" "$NBS" '[]' "$NBS" "$NBS" "keys respelt: ambient, no_new_privs"
run_case 1000 1000 0 0 fcaps-ep '["CAP_NET_BIND_SERVICE","CAP_NET_RAW"]' '[]' '[]' '[]' '[]' "keys respelt: file caps +ep"
RESPELL=0

ENTRIES=(plain plain plain fcaps-ep fcaps-p fcaps-ei fcaps-pi fcaps-empty fcaps-sysres v3-mapped
  v3-unmapped setuid-root setuid-hostroot setuid-fcaps setuid-other setgid-other noexec-other)
UIDS=(0 0 1000 1000 65534 1234)
for ((k = 0; k < N; k++)); do
  uid=${UIDS[RANDOM % ${#UIDS[@]}]}
  gid=$uid
  [ $((RANDOM % 4)) -eq 0 ] && gid=$(( (uid + 1) % 2000 ))
  nnp=$((RANDOM % 3 == 0 ? 1 : 0))
  userns=$((RANDOM % 10 < 3 ? 1 : 0))
  entry=${ENTRIES[RANDOM % ${#ENTRIES[@]}]}
  pct=(15 35 60)
  pick_subset "${pct[RANDOM % 3]}"
  BASE=("${SUB[@]}")
  derive 90 6; bnd=$SETJ
  derive 60 3; prm=$SETJ
  derive 60 2; inh=$SETJ
  derive 50 2; eff=$SETJ
  derive 50 2; amb=$SETJ
  run_case "$uid" "$gid" "$nnp" "$userns" "$entry" "$bnd" "$eff" "$inh" "$prm" "$amb" \
    "uid=$uid gid=$gid nnp=$nnp userns=$userns entry=$entry"
done
done_testing
