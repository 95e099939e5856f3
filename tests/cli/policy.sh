#!/usr/bin/env bash
# asan-too
# capscope policy on manifests: the SCC advice per pod and its reasons, exit
# codes, the custom SCC read back by explain pod (an independent consumer of
# the same admission model), and hostile names that must neither reach the
# terminal raw nor inject YAML keys. Generated policy texts are goldens
# (tests/cli/golden/policy-*); their decisions are checked by policy-corpus.
source "$(dirname "$0")/../lib/tap.sh"
data="$CAPSCOPE_TOP/tests/data/policy"
tap_tmpdir
command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null && have_yaml=1 || have_yaml=0

out=$("$CAPSCOPE" policy scc "$data/deploy.yaml"); rc=$?
is "$rc" 0 "scc: every pod of deploy.yaml is admitted by some built-in SCC"
like "$out" "Deployment shop/web .*least privileged built-in SCC: restricted-v2" "scc: web fits restricted-v2"
like "$out" "Pod shop/rooted .*nonroot .*running with the root UID is forbidden.*least|anyuid \(points [0-9]+, priority 10\): admits" "scc: rooted needs anyuid, nonroot says why not"
like "$out" "hostnetwork-v2 \(points [0-9]+, priority 0\): probe: capabilities.add: Invalid value: \"cap_net_raw\"" "scc: the host-network CronJob fails hostnetwork-v2 on its add only"
like "$out" "grant it: oc adm policy add-scc-to-user anyuid -z default -n shop" "scc: the grant command names the service account and namespace"

json=$("$CAPSCOPE" policy scc --json "$data/deploy.yaml")
if [ $have_yaml = 1 ]; then
  got=$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for p in d["pods"]:
    v = p["sccs"]
    i = [s["name"] for s in v].index(p["chosen"])
    # every SCC before the chosen one refuses with a reason; points never decrease
    assert all(not s["admits"] and s["reason"] for s in v[:i]), p["name"]
    assert all(a["points"] <= b["points"] for a, b in zip(v, v[1:])), p["name"]
    print(p["name"], p["chosen"], p["admitted_with_grant"])')
  is "$got" "web restricted-v2 restricted-v2
rooted anyuid anyuid
netdebug privileged privileged" "scc --json: chosen SCCs, each lower one refuses with a reason, order by points"
else
  skip "python3-yaml missing"
fi

# The SCCs added since OpenShift 4.6 (tests/data/policy/userns.yaml).
out=$("$CAPSCOPE" policy scc "$data/userns.yaml"); rc=$?
is "$rc" 0 "scc: every pod of userns.yaml is admitted by some built-in SCC"
like "$out" "Pod shop/app-in-userns .*least privileged built-in SCC: restricted-v3.*nothing to grant: every authenticated user may use restricted-v3" \
  "scc: a non-root uid in a user namespace fits restricted-v3, which system:authenticated has"
like "$out" "Pod ci/builder .*least privileged built-in SCC: nested-container.*add-scc-to-user nested-container -z buildah -n ci" \
  "scc: root in the pod with SETUID/SETGID fits nested-container"
like "$out" "Pod ci/root-on-node .*nested-container \(points 135020, priority 0\): spec.securityContext.hostUsers: Host Users must be set to false.*anyuid .*admits.*root in the pod, not on the node: with hostUsers: false, admitted by nested-container" \
  "scc: root on the node needs anyuid; with hostUsers: false nested-container would do"
json=$("$CAPSCOPE" policy scc --json "$data/userns.yaml")
like "$json" '"admits_in_user_namespace": "nested-container"' "scc --json: the user-namespace alternative"

cat >"$T/required.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: pinned
  annotations:
    openshift.io/required-scc: corp-special
spec:
  containers:
  - name: app
    image: x
YAML
out=$("$CAPSCOPE" policy scc "$T/required.yaml" 2>&1); rc=$?
is "$rc" 1 "scc: exit 1 when no built-in SCC admits the pod"
like "$out" "no built-in SCC admits this pod" "scc: says so"

printf 'kind: Pod\nmetadata: [\n' >"$T/bad.yaml"
"$CAPSCOPE" policy scc "$T/bad.yaml" >/dev/null 2>&1
is "$?" 2 "scc: exit 2 on a manifest that does not parse"

"$CAPSCOPE" policy check --caps NET_BIND_SERVICE "$data/deploy.yaml" >"$T/check.out"; rc=$?
is "$rc" 1 "check: exit 1 when a pod asks for more"
is "$(grep -c '^allow' "$T/check.out")" 1 "check: only web stays within NET_BIND_SERVICE"
"$CAPSCOPE" policy check --caps NET_BIND_SERVICE,NET_RAW "$data/deploy.yaml" >/dev/null
is "$?" 1 "check: rooted drops nothing, so it is denied whatever is allowed"

# A single-pod file for custom-scc.
python3 - "$data/deploy.yaml" "$T/netdebug.yaml" <<'PY' 2>/dev/null || sed -n '/^kind: CronJob/,$p' "$data/deploy.yaml" | sed '1i apiVersion: batch/v1' >"$T/netdebug.yaml"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d["kind"] == "CronJob"]
yaml.safe_dump(docs[0], open(sys.argv[2], "w"))
PY
"$CAPSCOPE" policy custom-scc --name netdebug-scc "$T/netdebug.yaml" >"$T/scc.yaml"
is "$?" 0 "custom-scc: generated for the host-network CronJob"
like "$(cat "$T/scc.yaml")" "allowHostNetwork: true" "custom-scc: opens host network"
like "$(cat "$T/scc.yaml")" 'allowedCapabilities: \["cap_net_raw"\]' "custom-scc: allows the add exactly as spelt (SCC admission is case-sensitive)"
out=$("$CAPSCOPE" explain pod --scc "$T/scc.yaml" "$T/netdebug.yaml" 2>&1)
like "$out" "admitted by SCC netdebug-scc" "custom-scc: explain pod admits the CronJob under the generated SCC"
if [ $have_yaml = 1 ]; then
  got=$(python3 -c '
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
print([d["kind"] for d in docs])
print(docs[1]["rules"], docs[2]["subjects"], docs[2]["roleRef"]["name"] == docs[1]["metadata"]["name"])' "$T/scc.yaml")
  is "$got" "['SecurityContextConstraints', 'Role', 'RoleBinding']
[{'apiGroups': ['security.openshift.io'], 'resources': ['securitycontextconstraints'], 'resourceNames': ['netdebug-scc'], 'verbs': ['use']}] [{'kind': 'ServiceAccount', 'name': 'default', 'namespace': 'ops'}] True" "custom-scc: Role grants use of exactly that SCC to the pod's service account"
else
  skip "python3-yaml missing"
fi

# Hostile names: escaped on the terminal, one string each in YAML.
out=$("$CAPSCOPE" policy check --caps NET_RAW "$data/hostile.yaml" 2>&1)
case "$out" in *$'\e'*|*$'\a'*) ok 1 "check: no raw control byte reaches the terminal";; *) ok 0 "check: no raw control byte reaches the terminal";; esac
like "$out" 'evil\\x1b\[31m:\\x20x\\nkind:\\x20Secret' "check: the pod name is shown escaped (the item rule: a space as \\x20)"
# allowPrivilegeEscalation false in an SCC is also the default admission gives
# a container that leaves it unset (apiserver-library-go sccmatching
# provider.go mutateContainer): the output says which containers that changes.
cat >"$T/ape.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: unset
    image: x
    securityContext: {runAsUser: 1000660000, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
  - name: "set\nfalse"
    image: x
    securityContext: {runAsUser: 1000660000, allowPrivilegeEscalation: false}
YAML
"$CAPSCOPE" policy custom-scc --name ape "$T/ape.yaml" >"$T/ape-scc.yaml"
is "$?" 0 "custom-scc: generated for a pod that leaves allowPrivilegeEscalation unset"
is "$(grep -c '^# Containers that leave allowPrivilegeEscalation unset: "unset"\.$' "$T/ape-scc.yaml")" 1 \
  "custom-scc: names the container whose allowPrivilegeEscalation the SCC defaults to false"
is "$(grep -c '^#' "$T/ape-scc.yaml")" 6 "custom-scc: the note is comments only (no name can end it)"
# An add of CAP_SYS_ADMIN: the SCC's false default would make the API server
# refuse the admitted pod, so the SCC allows escalation.
cat >"$T/sysadmin.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  containers:
  - name: fuse
    image: x
    securityContext: {runAsUser: 1000660000, capabilities: {drop: [ALL], add: [CAP_SYS_ADMIN]}}
YAML
"$CAPSCOPE" policy custom-scc --name sa "$T/sysadmin.yaml" >"$T/sa-scc.yaml"
is "$?" 0 "custom-scc: generated for a pod adding CAP_SYS_ADMIN"
like "$(cat "$T/sa-scc.yaml")" "allowPrivilegeEscalation: true" "custom-scc: CAP_SYS_ADMIN keeps allowPrivilegeEscalation open"
out=$("$CAPSCOPE" explain pod --scc "$T/sa-scc.yaml" "$T/sysadmin.yaml" 2>&1)
case "$out" in *"API server rejects"*) ok 1 "custom-scc: explain pod finds no API refusal under the generated SCC";;
  *) ok 0 "custom-scc: explain pod finds no API refusal under the generated SCC";; esac
like "$out" "admitted by SCC sa" "custom-scc: …and admits it"
sed 's/runAsUser: 1000660000,/runAsUser: 1000660000, allowPrivilegeEscalation: false,/' "$T/sysadmin.yaml" >"$T/sysadmin2.yaml"
out=$("$CAPSCOPE" policy custom-scc --name sa "$T/sysadmin2.yaml" 2>&1 >"$T/sa2.yaml"); rc=$?
is "$rc" 2 "custom-scc: a pod the API server refuses after admission gets no SCC"
like "$out" "cannot set allowPrivilegeEscalation to false and capabilities.add CAP_SYS_ADMIN" "custom-scc: says why"
is "$(wc -c <"$T/sa2.yaml")" 0 "custom-scc: nothing written for it"
# File capabilities under the SCC's no_new_privs (needs root for setcap): the
# bit the container adds is permitted before execve, so +ep on the entrypoint
# still grants it (pP' &= old pP keeps it) and the pod binds 443.
if [ "$(id -u)" -eq 0 ] && command -v setcap >/dev/null; then
  EX="$CAPSCOPE_TOP/examples/pod"
  "$EX/make-images.sh" "$T/img" >/dev/null
  F=(--json --rootfs "$T/img/nc-capset" --image-config "$EX/images/nc-capset.json" --check bind:443)
  is "$("$CAPSCOPE" explain pod "${F[@]}" --openshift --scc "$T/ape-scc.yaml" "$T/ape.yaml" | jq -r '.containers[0] | [.admission.scc, .oci.no_new_privs, .process.caps.effective.names[0], .checks[0].ok] | map(tostring) | join(" ")')" \
    "ape true CAP_NET_BIND_SERVICE true" "custom-scc: no_new_privs, yet the +ep file cap grants the added bit and 443 binds"
else
  skip "needs root and setcap"
fi

out=$("$CAPSCOPE" policy custom-scc --name h "$data/hostile.yaml" 2>&1); rc=$?
is "$rc" 2 "custom-scc: an add that is no capability name is an input error"
case "$out" in *$'\e'*|*$'\a'*) ok 1 "custom-scc: the error is escaped";; *) ok 0 "custom-scc: the error is escaped";; esac
sed 's/add: \["NET_RAW.*/add: ["NET_RAW"]/' "$data/hostile.yaml" >"$T/hostile2.yaml"
# Eleventh pass: the pod's namespace ("ns\nfoo: bar") went into the Role as
# written (one YAML string, but no namespace the API server takes); names a
# generator writes are now checked as Kubernetes checks them.
out=$("$CAPSCOPE" policy custom-scc --name h "$T/hostile2.yaml" 2>&1 >"$T/h.yaml"); rc=$?
is "$rc" 2 "custom-scc: a pod whose namespace is no namespace name is refused"
like "$out" "namespace: 'ns\\\\nfoo: bar' is not a namespace name" "custom-scc: the error names the field and the escaped value"
is "$(wc -c <"$T/h.yaml")" 0 "custom-scc: nothing written"
# --namespace: a wildcard to Kyverno and Gatekeeper, refused in a VAP's
# selector; "" matched no namespace (a policy enforcing nothing).
for sub in vap kyverno gatekeeper; do
  for ns in '' 'shop*' '*' 'a.b' 'Shop' "$(printf 'n%.0s' {1..64})"; do
    out=$("$CAPSCOPE" policy $sub --name p --caps NET_RAW --namespace "$ns" 2>&1); rc=$?
    is "$rc" 2 "$sub --namespace '$ns': refused"
  done
  like "$("$CAPSCOPE" policy $sub --name p --caps NET_RAW --namespace "$(printf 'n%.0s' {1..63})")" "nnn" "$sub: a 63-character namespace is taken"
done
out=$("$CAPSCOPE" policy custom-scc --name p --service-account 'a b' "$data/deploy.yaml" 2>&1); rc=$?
is "$rc" 2 "custom-scc --service-account 'a b': refused"
for n in 'a..b' 'a.-b' 'a-.b'; do
  "$CAPSCOPE" policy vap --name "$n" --caps NET_RAW >/dev/null 2>&1
  is "$?" 2 "vap --name '$n': refused (each label of a DNS-1123 name has its own ends)"
done
# Sixteenth pass, part H: "an option that would do nothing is a usage
# error"; these were taken and changed nothing in the output.
P=$data/deploy.yaml
for args in "vap --name p --caps NET_RAW --service-account sa" \
            "kyverno --name p --caps NET_RAW --service-account sa" \
            "gatekeeper --name p --caps NET_RAW --uid-range 1/2" \
            "vap --name p --caps NET_RAW --uid-range 1/2" \
            "check --caps NET_RAW --namespace ns $P" \
            "check --caps NET_RAW --service-account sa $P" \
            "check --caps NET_RAW --uid-range 1/2 $P" \
            "scc --namespace ns $P" "scc --service-account sa $P"; do
  out=$("$CAPSCOPE" policy $args 2>&1 >/dev/null); rc=$?
  is "$rc" 2 "policy $args: refused"
  like "$(head -n1 <<<"$out")" "is for " "policy $args: says which commands take it"
done
for args in "vap --name p --caps NET_RAW --namespace ns" \
            "custom-scc --name p --namespace ns --service-account sa --uid-range 1000660000/10000 $T/netdebug.yaml" \
            "scc --namespace ns --service-account sa --profile $data/trace-netbind.json" \
            "scc --uid-range 1000/2000 $P"; do
  "$CAPSCOPE" policy $args >/dev/null 2>&1; rc=$?
  ok $([ "$rc" -ne 2 ]; echo $?) "policy $args: still taken"
done
# check with --caps and --profile: the profile was read and not used.
out=$("$CAPSCOPE" policy check --caps NET_RAW --profile "$data/trace-netbind.json" "$P" 2>&1 >/dev/null); rc=$?
is "$rc:$(head -n1 <<<"$out")" "2:capscope policy: check takes --caps or --profile, not both" \
  "check --caps --profile: usage error"
# Kyverno (a policy name is a label value in its reports) and Gatekeeper (a
# Constraint's name, the template's CRD plural) take at most 63 characters;
# a longer DNS-1123 name was written and refused at apply. A VAP takes 253.
n63=$(printf 'n%.0s' {1..63}); n64=${n63}n
for sub in kyverno gatekeeper; do
  out=$("$CAPSCOPE" policy $sub --name "$n64" --caps NET_RAW 2>&1); rc=$?
  is "$rc" 2 "$sub --name of 64 characters: refused"
  like "$out" "name: .* at most 63 characters" "$sub --name of 64: says why"
  is "$(grep -c . <<<"$out")" 1 "$sub --name of 64: nothing written but the one message"
  like "$("$CAPSCOPE" policy $sub --name "$n63" --caps NET_RAW)" "$n63" "$sub --name of 63: taken"
done
like "$("$CAPSCOPE" policy vap --name "$n64" --caps NET_RAW)" "$n64" "vap --name of 64: taken"
# A file named twice was judged twice (each pod printed twice); read once.
P1=$CAPSCOPE_TOP/examples/pod/nonroot-netbind.yaml
one=$("$CAPSCOPE" policy check --caps NET_RAW --json "$P1" | jq '.pods | length')
two=$("$CAPSCOPE" policy check --caps NET_RAW --json "$P1" "$(dirname "$P1")/../pod/$(basename "$P1")" | jq '.pods | length')
is "$one:$two" "1:1" "check FILE FILE (two names): its pod judged once"
# Twentieth pass, part E: restricted-v2 defaults allowPrivilegeEscalation to
# false (no_new_privs) in every container that leaves it unset; the advice
# said only "restricted-v2".
cat >"$T/nnp.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: nnp
spec:
  containers:
  - name: loose
    image: x
  - name: pinned
    image: x
    securityContext:
      allowPrivilegeEscalation: false
  - name: also-loose
    image: x
YAML
out=$("$CAPSCOPE" policy scc "$T/nnp.yaml"); rc=$?
is "$rc" 0 "scc: the nnp pod is admitted"
like "$out" "least privileged built-in SCC: restricted-v2" "scc: nnp fits restricted-v2"
like "$out" "restricted-v2 sets allowPrivilegeEscalation: false in loose, also-loose \(unset in the pod\):.*no_new_privs" \
  "scc: says restricted-v2 sets no_new_privs in the containers that leave allowPrivilegeEscalation unset"
[[ "$out" =~ false\ in\ [^\(]*pinned ]]; ok $((! $?)) "scc: not in the container that sets it itself"
like "$out" "needs allowPrivilegeEscalation: true, which restricted-v2 refuses" "scc: says what a container that needs escalation must do"
json=$("$CAPSCOPE" policy scc --json "$T/nnp.yaml")
is "$(printf '%s' "$json" | jq -c '.pods[0].no_new_privs_by_default')" '["loose","also-loose"]' \
  "scc --json: no_new_privs_by_default names them"
cat >"$T/esc.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: esc
spec:
  containers:
  - name: app
    image: x
    securityContext:
      allowPrivilegeEscalation: false
YAML
out=$("$CAPSCOPE" policy scc "$T/esc.yaml")
[[ "$out" == *"sets allowPrivilegeEscalation"* ]]; ok $((! $?)) "scc: no note when every container sets the field"
# Twenty-fifth pass, part A: vap, kyverno and gatekeeper of a manifest
# left an added name that is no capability, and ALL, out of the allowed
# list with nothing said (exit 0): a policy that denies the pod it was made
# from. Refused now, as custom-scc refuses the name (whose message named no
# file: "custom-scc: 4:81: ...").
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {containers: [{name: c, image: i, securityContext: {capabilities: {add: ["NET_RAW", "%s"]}}}]}\n' BOGUS >"$T/bogus.yaml"
sed 's/BOGUS/all/' "$T/bogus.yaml" >"$T/all.yaml"
for k in vap kyverno gatekeeper custom-scc; do
  err=$("$CAPSCOPE" policy "$k" --name n "$T/bogus.yaml" 2>&1 >/dev/null); rc=$?
  is "$rc:$err" "2:capscope policy: $k: $T/bogus.yaml:4:91: capabilities.add[1]: container c adds \"BOGUS\", which is no capability name" \
    "$k: a name that is no capability refused, at the file, line and column"
done
for k in vap kyverno gatekeeper; do
  err=$("$CAPSCOPE" policy "$k" --name n "$T/all.yaml" 2>&1 >/dev/null); rc=$?
  is "$rc:$err" "2:capscope policy: $k: $T/all.yaml:4:91: capabilities.add[1]: container c adds \"all\": these policies never allow ALL; name the capabilities it needs (--caps)" \
    "$k: ALL refused (the policy never allows it)"
done
"$CAPSCOPE" policy custom-scc --name n "$T/all.yaml" | grep -q '^allowedCapabilities: \["NET_RAW", "all"\]$'
ok $? "custom-scc: ALL is allowed by an SCC, as before"
# A refusal about what the pod says names its file and the pod's place
# (it named neither: "custom-scc: namespace: 'x' is not a namespace name").
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: "a_b"}\nspec: {containers: [{name: c, image: i}]}\n' >"$T/ns.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {serviceAccountName: "S_A", containers: [{name: c, image: i}]}\n' >"$T/sa.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >"$T/nons.yaml"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, annotations: {openshift.io/required-scc: other}}\nspec: {containers: [{name: c, image: i}]}\n' >"$T/rs.yaml"
for f in ns sa nons rs; do
  err=$("$CAPSCOPE" policy custom-scc --name n "$T/$f.yaml" 2>&1 >/dev/null)
  like "$err" "^capscope policy: custom-scc: $T/$f\\.yaml:1:1: " "custom-scc, $f: the pod's file and place named"
done
err=$("$CAPSCOPE" policy custom-scc --name n --namespace ns --service-account sa "$T/sa.yaml" 2>&1 >/dev/null)
is "$err" "" "custom-scc: the options' names stand for the pod's"
done_testing
