#!/usr/bin/env bash
# asan-too
# Keys that are not fields at all (eighteenth pass, part A): the pod spec,
# each container, metadata, a workload's own spec and the object itself
# are checked whole against Kubernetes 1.32's fields, as kubectl's default
# strict field validation checks them. `volumeMount:` in a container (a
# typo of volumeMounts), `foo: 1` in a pod spec, `replica:` in a
# Deployment's spec were read as absent and the pod predicted, where
# kubectl refuses it. Now one error at the key; --validate=warn reads such
# a key as absent with one warning on stderr each (a manifest for a newer
# cluster), while a key a release can never make a field (another case,
# another object's) is still refused.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/manifest-refused.sh"
tap_tmpdir
cd "$T" || exit 1

deploy() { # file, kind, apiVersion, the spec's lines before the template (indented 2)
  printf 'apiVersion: %s\nkind: %s\nmetadata: {name: d}\nspec:\n%s\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' "$3" "$2" "$4" >"$1"
}


pod vm.yaml '    volumeMount: [{name: v, mountPath: /v}]'
refused "volumeMount in a container" vm.yaml '8:5: spec\.containers\[0\]\.volumeMount: unknown field: not a field of a container in Kubernetes 1\.32'
pod foo.yaml '' '  foo: 1'
refused "foo in the pod spec" foo.yaml '9:3: spec\.foo: unknown field: not a field of a pod spec in Kubernetes 1\.32'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, label: {a: b}}\nspec:\n  containers: [{name: a, image: img}]\n' >meta.yaml
refused "label in metadata" meta.yaml '3:21: metadata\.label: unknown field: not a field of metadata'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspecs: {}\nspec:\n  containers: [{name: a, image: img}]\n' >top.yaml
refused "specs beside spec" top.yaml '4:1: specs: unknown field: not a field of a workload or Pod'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\ncontainers: [{name: a, image: img}]\nspec:\n  containers: [{name: a, image: img}]\n' >ctop.yaml
refused "containers at the top" ctop.yaml '4:1: containers: unknown field: a field of a pod spec'
deploy dep.yaml Deployment apps/v1 '  replica: 3'
refused "replica in a Deployment's spec" dep.yaml "5:3: spec\.replica: unknown field: not a field of a Deployment's spec"
deploy ds.yaml DaemonSet apps/v1 '  replicas: 3'
refused "replicas in a DaemonSet's spec" ds.yaml "5:3: spec\.replicas: unknown field: not a field of a DaemonSet's spec"
printf 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    metadata: {annotation: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' >tm.yaml
refused "annotation in the template's metadata" tm.yaml '6:16: spec\.template\.metadata\.annotation: unknown field'
printf 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      backofLimit: 1\n      template:\n        spec:\n          containers: [{name: a, image: img}]\n' >cj.yaml
refused "backofLimit in a CronJob's job spec" cj.yaml "8:7: spec\.jobTemplate\.spec\.backofLimit: unknown field: not a field of a Job's spec"

# --validate=warn: the key read as absent, one warning naming it; the rest as before
for cmd in "lint" "lint --json" "explain pod" "explain pod --json"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd --validate=warn vm.yaml >out 2>err
  rc=$?
  ok $((rc == 2)) "warn: $cmd: read (exit $rc)"
  is "$(wc -l <err)" 1 "warn: $cmd: one line on stderr"
  like "$(cat err)" "^capscope ${cmd%% --json}: warning: vm\.yaml:8:5: spec\.containers\[0\]\.volumeMount: not a field of a container in Kubernetes 1\.32: read as absent \(--validate=warn\)" "warn: $cmd: the warning"
  ok $(($(wc -c <out) == 0)) "warn: $cmd: a report on stdout"
done
"$CAPSCOPE" lint --json --validate warn vm.yaml 2>/dev/null | jq -e .summary >/dev/null
ok $? "warn: lint --json: stdout is JSON"
"$CAPSCOPE" lint --validate=strict --validate=warn vm.yaml >out 2>err
is "$?" 2 "--validate twice: exit 2"
like "$(head -1 err)" "^capscope lint: --validate given twice" "--validate twice: the usage error"
"$CAPSCOPE" explain pod --validate=ignore vm.yaml >out 2>err
is "$?" 2 "--validate=ignore: exit 2"
like "$(head -1 err)" "^capscope explain pod: --validate takes strict or warn, not 'ignore'" "--validate=ignore: refused, named"

# policy reads its manifests alike; an SCC file of --scc is read in the
# command's mode (it was read strict whatever --validate said)
"$CAPSCOPE" policy scc vm.yaml >out 2>err
is "$?" 2 "policy: volumeMount refused"
like "$(cat err)" '^capscope policy: vm\.yaml:8:5: spec\.containers\[0\]\.volumeMount: unknown field' "policy: at the key"
"$CAPSCOPE" policy scc --validate=warn vm.yaml >out 2>err
is "$?" 0 "policy --validate=warn: read"
like "$(cat err)" '^capscope policy: warning: vm\.yaml:8:5: spec\.containers\[0\]\.volumeMount: not a field' "policy --validate=warn: the warning"
printf 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: s, foo: 1}\nrunAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\n' >scc.yaml
for cmd in "lint" "explain pod"; do
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd --scc scc.yaml foo.yaml >out 2>err
  is "$?" 2 "$cmd --scc FILE: its unknown key refused"
  like "$(cat err)" 'scc\.yaml:3:21: metadata\.foo: unknown field' "$cmd --scc FILE: at the key"
  # shellcheck disable=SC2086
  "$CAPSCOPE" $cmd --validate=warn --scc scc.yaml foo.yaml >out 2>err
  ok $(($? == 2)) "$cmd --validate=warn --scc FILE: read"
  is "$(grep -c '^capscope '"$cmd"': warning: scc\.yaml:3:21: metadata\.foo: not a field' err)" 1 "$cmd --validate=warn --scc FILE: its warning"
  is "$(grep -c '^capscope '"$cmd"': warning: foo\.yaml:9:3: spec\.foo: not a field' err)" 1 "$cmd --validate=warn --scc FILE: the pod's warning"
done

# under warn, what no release makes a field is still refused
pod sc.yaml '    SecurityContext: {privileged: true}'
"$CAPSCOPE" lint --validate=warn sc.yaml >out 2>err
is "$?" 2 "warn: SecurityContext still refused"
like "$(cat err)" 'the API.s is "securityContext"' "warn: SecurityContext: the API's spelling"
pod priv.yaml '    privileged: true'
"$CAPSCOPE" explain pod --validate=warn priv.yaml >out 2>err
is "$?" 2 "warn: privileged in a container still refused"

# a hostile key: escaped in the warning as in the error
pod esc.yaml $'    "\\e[31mred\\u202e": 1'
"$CAPSCOPE" lint --validate=warn esc.yaml >out 2>err
ok "$(grep -c $'\e' err)" "warn: no ESC byte on stderr"
like "$(cat err)" 'spec\.containers\[0\]\.\\x1b\[31mred\\u202e: not a field' "warn: the key escaped"

# 150 unknown keys: 100 warnings and one line for the rest
{ printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: img\n'
  for i in $(seq 1 150); do printf '    k%d: 1\n' "$i"; done; } >many.yaml
"$CAPSCOPE" lint --validate=warn many.yaml >out 2>err
is "$(grep -c 'not a field of a container' err)" 100 "150 unknown keys: 100 warnings"
is "$(tail -1 err)" "capscope lint: warning: 50 more unknown fields read as absent" "150 unknown keys: the rest counted"

# every field of 1.32's objects read (a pod spec and container of them all)
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns, labels: {a: b}, annotations: {a: b}, generateName: g, finalizers: [example.com/x], ownerReferences: [], uid: u, resourceVersion: "1", generation: 1, creationTimestamp: null, managedFields: []}\nspec:\n  replicas: 1\n  selector: {matchLabels: {a: b}}\n  strategy: {type: Recreate}\n  minReadySeconds: 1\n  revisionHistoryLimit: 1\n  paused: false\n  progressDeadlineSeconds: 60\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      volumes: []\n      restartPolicy: Always\n      terminationGracePeriodSeconds: 1\n      dnsPolicy: ClusterFirst\n      nodeSelector: {a: b}\n      serviceAccountName: s\n      automountServiceAccountToken: false\n      enableServiceLinks: false\n      priority: 1\n      tolerations: []\n      topologySpreadConstraints: []\n      schedulingGates: []\n      resourceClaims: []\n      containers:\n      - {name: a, image: img, command: [x], args: [z], workingDir: /, ports: [], envFrom: [], env: [], resources: {}, resizePolicy: [], volumeMounts: [], volumeDevices: [], livenessProbe: {exec: {command: [x]}}, lifecycle: {}, terminationMessagePath: /t, terminationMessagePolicy: File, imagePullPolicy: Never, stdin: false, stdinOnce: false, tty: false}\nstatus: {}\n' >all.yaml
"$CAPSCOPE" lint all.yaml >out 2>err
is "$?" 0 "a workload of 1.32 fields: lint reads it"
is "$(cat err)" "" "a workload of 1.32 fields: nothing on stderr"
done_testing
