#!/usr/bin/env bash
# asan-too
# explain pod on hostUsers: false pods: the kubelet's id block (--userns-base),
# both uids (in the pod and on the node) in text and JSON, the section saying
# where each capability acts, bind:443 in the pod's own netns, and Pod
# Security's user-namespace relaxation.
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
tap_tmpdir

pod() { # file hostUsers runAsUser add-list [extra securityContext]
  cat >"$1" <<Y
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
$([ -n "$2" ] && echo "  hostUsers: $2")
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: nginx
    image: nginx
    command: [/usr/sbin/nginx]
    securityContext:
      runAsUser: $3
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL], add: [$4]}
Y
}
pod "$T/root.yaml" false 0 NET_BIND_SERVICE
pod "$T/host.yaml" "" 0 NET_BIND_SERVICE
pod "$T/user.yaml" false 1000 NET_BIND_SERVICE
pod "$T/node.yaml" false 0 "NET_BIND_SERVICE, DAC_OVERRIDE, SYS_TIME, SYS_MODULE, SYS_ADMIN"

j() { # filter args…
  local f=$1; shift
  "$CAPSCOPE" explain pod --json "$@" 2>"$T/err" | jq -rc ".containers[0] | $f"
}

# the kubelet's first block: pod 0..65535 → node 65536..131071
is "$(j '.user_namespace.uid_map' "$T/root.yaml")" '[{"container_id":0,"host_id":65536,"size":65536}]' \
  "hostUsers: false: the kubelet's first 65536-id block, as linux.uidMappings"
is "$(j '.user_namespace.gid_map == .user_namespace.uid_map' "$T/root.yaml")" true "gidMappings equal uidMappings"
is "$(j '[.oci.uid, .oci.host_uid]' "$T/root.yaml")" '[0,65536]' "OCI process: uid 0 in the pod, 65536 on the node"
is "$(j '[.process.uids, .process.host_uids]' "$T/root.yaml")" '[[0,0,0,0],[65536,65536,65536,65536]]' \
  "the process: uids in the pod and on the node"
is "$(j '[.user_namespace.uid, .user_namespace.host_uid]' "$T/root.yaml")" '[0,65536]' "user_namespace: both uids"
is "$(j '.steps | map(select(.rule == "cri.userns-map")) | length' "$T/root.yaml")" 1 "a step says where the map comes from"
is "$(j '[.user_namespace.uid_map[0].host_id, .process.host_uids[1]]' --userns-base 196608 "$T/user.yaml")" '[196608,197608]' \
  "--userns-base 196608: uid 1000 in the pod is node uid 197608"

# no user namespace: no host ids, user_namespace null
is "$(j '[.user_namespace, .oci.host_uid, .process.host_uids]' "$T/host.yaml")" '[null,null,null]' \
  "hostUsers unset: no user namespace, no node view"

# where the capabilities act
is "$(j '.user_namespace.capabilities | map(.name + "=" + .scope + ":" + (.works | tostring)) | join(" ")' "$T/node.yaml")" \
  "CAP_DAC_OVERRIDE=mapped-ids:true CAP_NET_BIND_SERVICE=pod-namespaces:true CAP_SYS_MODULE=node-only:false CAP_SYS_ADMIN=partly:partly CAP_SYS_TIME=node-only:false" \
  "each effective capability: where it acts (lib/userns.c)"
like "$(j '.user_namespace.capabilities[] | select(.name == "CAP_SYS_MODULE") | .source' "$T/node.yaml")" "capable\\(CAP_SYS_MODULE\\)" \
  "SYS_MODULE cites the kernel's capable() check"

like "$(j '.verdicts[] | select(.capability == "SYS_TIME") | .why' "$T/node.yaml")" \
  "held in the pod's user namespace and the kernel checks it only in the node's .*capable\\(CAP_SYS_TIME\\).*never works from this pod" \
  "verdict: SYS_TIME is effective in the sets but never works from the pod"
like "$(j '.verdicts[] | select(.capability == "NET_BIND_SERVICE") | .why' "$T/node.yaml")" \
  "held in the pod's user namespace, it acts on what the pod owns: binds ports below 1024" \
  "verdict: NET_BIND_SERVICE acts on what the pod owns"
like "$(j '.verdicts[0].why' "$T/host.yaml")" "^effective: euid 0[^;]*$" "verdict without a user namespace: no such note"

# bind:443 works in the pod's netns
like "$(j '.checks[0] | [.ok, .why] | join(" ")' --check bind:443 "$T/root.yaml")" "^true .*pod's user namespace.*network namespace: the bind works there" \
  "bind:443 as root in the pod: works in the pod's own network namespace"
is "$(j '.checks[0].ok' --check bind:443 "$T/user.yaml")" false "bind:443 as uid 1000 without ambient: no"

# text: the UID column and the section
out=$("$CAPSCOPE" explain pod --check bind:443 "$T/root.yaml")
like "$out" "after execve +0 \\(node 65536\\)" "text: UID column shows the node's uid"
like "$out" "User namespace: pod ids 0-65535 are node ids 65536-131071; the process is uid 0 \\(node 65536\\)" "text: the mapping"
like "$out" "NET_BIND_SERVICE +inside the pod +binds ports below 1024 in the pod's own network namespace" "text: where NET_BIND_SERVICE acts"
like "$out" "Node-owned files show as owned by nobody \\(65534\\)" "text: node-owned files"
like "$("$CAPSCOPE" explain pod "$T/node.yaml")" "SYS_TIME +never +setting the clock" "text: SYS_TIME never works from the pod"
unlike=$("$CAPSCOPE" explain pod "$T/host.yaml")
case $unlike in *"User namespace:"*|*"(node "*) ok 1 "text without a user namespace: no section, plain uids" ;;
  *) ok 0 "text without a user namespace: no section, plain uids" ;; esac

# Pod Security (policy 1.35+): runAsUser 0 is restricted only with hostUsers: false
is "$(j '.admission.pod_security' "$T/root.yaml")" restricted "PSA: root in a user namespace meets restricted"
is "$(j '.admission.pod_security' "$T/host.yaml")" baseline "PSA: root on the node does not"

# --userns-base is what the kubelet can pick, nothing else
for bad in 0 1000 65537 100000 4294967295 -1 x; do
  "$CAPSCOPE" explain pod --userns-base "$bad" "$T/root.yaml" >"$T/out" 2>&1
  is "$?" 2 "--userns-base $bad: usage error"
done
like "$(cat "$T/out")" "--userns-base: 'x' is not a node uid" "…saying why"
"$CAPSCOPE" explain pod --userns-base 4294901760 "$T/root.yaml" >/dev/null
is "$?" 0 "--userns-base 4294901760: the last block"
done_testing
