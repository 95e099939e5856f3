#!/usr/bin/env bash
# A Pod's, a workload's and its pod template's metadata as the API server
# checks it (the twenty-eighth pass, part H): ValidateObjectMeta's label
# keys and values, annotation keys and their total size, generateName,
# ownerReferences and finalizers; ValidatePodTemplateSpec's labels and
# annotations of a Deployment's, StatefulSet's, DaemonSet's, ReplicaSet's,
# Job's, CronJob's and ReplicationController's template. Before, each was
# read without a word and the pod explained as if it ran. The rules are
# the SCC's (cli/scc-metadata), one copy (lib/k8s/object-meta.c), so an
# SCC's finalizers and ownerReferences are checked here too. And
# validateHostUsers: hostUsers false with hostNetwork, hostPID or hostIPC.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
n_of() { printf "$1%.0s" $(seq "$2"); }
pod() { # METADATA [SPEC-LINE...]: a Pod whose metadata is METADATA (line 3)
  printf '%s\n' 'apiVersion: v1' 'kind: Pod' "metadata: $1" 'spec:' >p.yaml
  shift
  [ $# -gt 0 ] && printf '%s\n' "$@" >>p.yaml
  printf '%s\n' '  containers: [{name: c, image: i}]' >>p.yaml
}
refused() { # FILE WHERE FIELD OBJECT WHAT
  "$CAPSCOPE" explain pod "$1" >/dev/null 2>err
  is "$?:$(wc -l <err)" "2:1" "$5: exit 2, one line"
  like "$(cat err)" "^capscope explain pod: $1:$2: $3: .*\\(the API server refuses the $4\\)\$" \
    "  at $2, $3"
}
read_ok() { # FILE WHAT
  "$CAPSCOPE" explain pod "$1" >/dev/null 2>err
  ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "$2: read ($(head -c 300 err))"
}

# A Pod's own metadata
pod '{name: p, labels: {a: b, A_b.c-9: "", example.com/x: ok, e: ~}, annotations: {Example.COM/a: "any text: \e[31m"}}'
read_ok p.yaml "labels and annotations of every form the server takes"
pod '{name: p, labels: {-a: b}}'
refused p.yaml 3:30 'metadata\.labels\.-a' pod "a label key starting with '-'"
like "$(cat err)" "Invalid value \"-a\": name part must consist of alphanumeric characters" "  in the server's words"
pod '{name: p, labels: {a: "b-"}}'
refused p.yaml 3:33 'metadata\.labels\.a' pod "a label value ending in '-'"
pod "{name: p, labels: {a: $(n_of b 64)}}"
refused p.yaml 3:33 'metadata\.labels\.a' pod "a label value of 64 bytes"
like "$(cat err)" "must be no more than 63 characters" "  said so"
pod '{name: p, labels: {"a\e[31m": b}}'
refused p.yaml 3:30 'metadata\.labels\.a\\x1b\[31m' pod "ESC in a label key, escaped"
pod '{name: p, annotations: {a/b/c: d}}'
refused p.yaml 3:35 'metadata\.annotations\.a/b/c' pod "an annotation key with two slashes"
python3 -c "print('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: ' + 'x' * 262144 + '\nspec:\n  containers: [{name: c, image: i}]')" >big.yaml
refused big.yaml 6:5 'metadata\.annotations' pod "annotations of 262145 bytes"
like "$(cat err)" "Too long: must have at most 262144 bytes of keys and values, these have 262145" "  said so"
python3 -c "print('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a: ' + 'x' * 262143 + '\nspec:\n  containers: [{name: c, image: i}]')" >big.yaml
read_ok big.yaml "annotations of 262144 bytes"
pod '{generateName: Ab-}'
refused p.yaml 3:26 'metadata\.generateName' pod "generateName with a capital"
pod '{generateName: a.-}'
read_ok p.yaml "generateName a.- (the server masks its trailing dash)"
pod '{name: p, annotations: {"-x": 5}}'
"$CAPSCOPE" explain pod p.yaml >/dev/null 2>err
like "$(cat err)" 'metadata\.annotations\.-x: .*number' "a value of the wrong type said before the key (decoding comes first)"
# finalizers and ownerReferences
pod '{name: p, finalizers: [kubernetes, orphan, example.com/f]}'
read_ok p.yaml "standard and qualified finalizers"
pod '{name: p, finalizers: [foo]}'
refused p.yaml 3:34 'metadata\.finalizers\[0\]' pod "a bare finalizer that is no standard one"
like "$(cat err)" "name is neither a standard finalizer name nor is it fully qualified" "  in the server's words"
pod '{name: p, finalizers: [a/b/c]}'
refused p.yaml 3:34 'metadata\.finalizers\[0\]' pod "a finalizer with two slashes"
pod '{name: p, finalizers: [orphan, foregroundDeletion]}'
refused p.yaml 3:42 'metadata\.finalizers' pod "orphan beside foregroundDeletion"
own='apiVersion: apps/v1, kind: ReplicaSet, name: r, uid: "1"'
pod "{name: p, ownerReferences: [{$own, controller: true}, {apiVersion: v1, kind: Node, name: nd, uid: \"2\"}]}"
read_ok p.yaml "ownerReferences, one controller"
pod '{name: p, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: r}]}'
refused p.yaml 3:40 'metadata\.ownerReferences\[0\]\.uid' pod "an owner without a uid"
pod '{name: p, ownerReferences: [{apiVersion: "apps/", kind: ReplicaSet, name: r, uid: "1"}]}'
refused p.yaml 3:52 'metadata\.ownerReferences\[0\]\.apiVersion' pod "an owner's apiVersion without a version"
like "$(cat err)" "version must not be empty" "  said so"
pod '{name: p, ownerReferences: [{apiVersion: v1, kind: Event, name: e, uid: "1"}]}'
refused p.yaml 3:40 'metadata\.ownerReferences\[0\]' pod "an Event as owner"
pod "{name: p, ownerReferences: [{$own, controller: true}, {$own, controller: true}]}"
refused p.yaml 3:188 'metadata\.ownerReferences\[1\]\.controller' pod "two controllers"
like "$(cat err)" "Only one reference can have Controller set to true" "  in the server's words"

# A workload's own metadata and its template's, each kind
for kind in Deployment:apps/v1 StatefulSet:apps/v1 DaemonSet:apps/v1 ReplicaSet:apps/v1 \
  Job:batch/v1 ReplicationController:v1; do
  k=${kind%%:*}
  printf '%s\n' "apiVersion: ${kind#*:}" "kind: $k" 'metadata: {name: w, labels: {a: "-"}}' 'spec:' \
    '  template:' '    metadata: {labels: {app: x}}' '    spec: {containers: [{name: c, image: i}]}' >w.yaml
  refused w.yaml 3:33 'metadata\.labels\.a' "$k" "a $k's own label"
  printf '%s\n' "apiVersion: ${kind#*:}" "kind: $k" 'metadata: {name: w}' 'spec:' \
    '  template:' '    metadata: {labels: {app: x}, annotations: {"a b": c}}' \
    '    spec: {containers: [{name: c, image: i}]}' >w.yaml
  refused w.yaml 6:48 'spec\.template\.metadata\.annotations\.a b' "$k" "a $k's template annotation"
done
printf '%s\n' 'apiVersion: batch/v1' 'kind: CronJob' 'metadata: {name: w}' 'spec:' "  schedule: '* * * * *'" \
  '  jobTemplate:' '    spec:' '      template:' '        metadata: {labels: {_a: x}}' \
  '        spec: {containers: [{name: c, image: i}]}' >w.yaml
refused w.yaml 9:29 'spec\.jobTemplate\.spec\.template\.metadata\.labels\._a' CronJob "a CronJob's template label"
# lint and policy read the same
pod '{name: p, labels: {-a: b}}'
"$CAPSCOPE" lint p.yaml >/dev/null 2>err
is "$?:$(wc -l <err)" "2:1" "lint: refused, one line"
like "$(cat err)" '^capscope lint: p\.yaml:3:30: metadata\.labels\.-a: ' "  at the key"
"$CAPSCOPE" policy scc p.yaml >/dev/null 2>err
like "$?:$(cat err)" '^2:capscope policy: p\.yaml:3:30: metadata\.labels\.-a: ' "policy scc: refused at the key"

# An SCC's finalizers and ownerReferences (the twenty-seventh pass left them)
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers: [{name: c, image: i}]' >pod.yaml
printf '%s\n' 'apiVersion: security.openshift.io/v1' 'kind: SecurityContextConstraints' \
  'metadata: {name: s, finalizers: [foo]}' 'runAsUser: {type: RunAsAny}' 'seLinuxContext: {type: RunAsAny}' >scc.yaml
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
is "$?:$(wc -l <err)" "2:1" "an SCC's bare finalizer: exit 2, one line"
like "$(cat err)" '^capscope explain pod: --scc: scc\.yaml:3:34: metadata\.finalizers\[0\]: .*\(the API server refuses the SCC\)$' "  at the finalizer"
sed 's/finalizers: \[foo\]/ownerReferences: [{kind: X, name: x, uid: "1"}]/' scc.yaml >scc2.yaml
"$CAPSCOPE" explain pod --scc scc2.yaml pod.yaml >/dev/null 2>err
like "$?:$(cat err)" '^2:capscope explain pod: --scc: scc2\.yaml:3:[0-9]+: metadata\.ownerReferences\[0\]\.apiVersion: .*version must not be empty' "an SCC's owner without apiVersion"

# validateHostUsers
for ns in hostNetwork hostPID hostIPC; do
  pod '{name: p}' '  hostUsers: false' "  $ns: true"
  refused p.yaml "6:$((${#ns} + 5))" "spec\\.$ns" pod "hostUsers false with $ns"
  like "$(cat err)" 'Forbidden: when `hostUsers` is false' "  said so"
done
pod '{name: p}' '  hostUsers: true' '  hostNetwork: true'
read_ok p.yaml "hostUsers true with hostNetwork"
pod '{name: p}' '  hostUsers: false' '  hostNetwork: false'
read_ok p.yaml "hostUsers false with hostNetwork false"
printf '%s\n' 'apiVersion: apps/v1' 'kind: Deployment' 'metadata: {name: w}' 'spec:' '  template:' \
  '    spec: {hostUsers: false, hostPID: true, containers: [{name: c, image: i}]}' >w.yaml
refused w.yaml 6:39 'spec\.template\.spec\.hostPID' pod "a Deployment's template: hostUsers false with hostPID"
done_testing
