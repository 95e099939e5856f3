#!/usr/bin/env bash
# asan-too
# A key that is not a field of its object (seventeenth pass, part J): the
# API server's strict decoding, which kubectl asks for by default, refuses
# `SecurityContext:`, `Capabilities`, `runasuser`; capscope read each as
# absent and predicted a privileged container as a plain one (lint: one
# warning, exit 0). Now one error naming the file, line, column and field,
# nothing on stdout, in text and --json, for lint and explain pod; and a
# container restartPolicy the API server refuses.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/manifest-refused.sh"
tap_tmpdir
cd "$T" || exit 1

pod() { # file, the container's lines (indented 4)
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: img\n%s\n' "$2" >"$1"
}


pod sc.yaml '    SecurityContext: {privileged: true}'
refused "SecurityContext" sc.yaml '8:5: spec\.containers\[0\]\.SecurityContext: unknown field: the API.s is "securityContext"'
pod caps.yaml $'    securityContext:\n      Capabilities: {add: [SYS_ADMIN]}'
refused "Capabilities" caps.yaml '9:7: spec\.containers\[0\]\.securityContext\.Capabilities: unknown field: the API.s is "capabilities"'
pod user.yaml $'    securityContext: {runasuser: 0}'
refused "runasuser" user.yaml '8:23: spec\.containers\[0\]\.securityContext\.runasuser: unknown field'
pod priv.yaml '    privileged: true'
refused "privileged in the container" priv.yaml "8:5: spec\.containers\[0\]\.privileged: unknown field: a field of a container's securityContext"
pod rp.yaml '    restartPolicy: Always'
refused "restartPolicy on a container" rp.yaml '8:20: spec\.containers\[0\]\.restartPolicy: Forbidden'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: img, restartPolicy: OnFailure}]\n  containers: [{name: a, image: img}]\n' >irp.yaml
refused "restartPolicy OnFailure on an init container" irp.yaml '5:57: spec\.initContainers\[0\]\.restartPolicy: Unsupported value "OnFailure"'
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"i","securityContext":{"capabilities":{"add":["SYS_ADMIN"]},"Capabilities":{}}}]}}\n' >two.json
refused "Capabilities beside capabilities (JSON)" two.json '1:159: spec\.containers\[0\]\.securityContext\.Capabilities: unknown field'

# Twenty-seventh pass (integrator, part H's open end): the fields of an
# SCC and of a DeploymentConfig are OpenShift's, not Kubernetes 1.32's,
# and an unknown one is said so, refused or (warn) read as absent.
printf 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: x}\nrunAsUser: {type: RunAsAny, bogus: 1}\nseLinuxContext: {type: RunAsAny}\nfsGroup: {type: RunAsAny}\nsupplementalGroups: {type: RunAsAny}\nfrobnicate: true\n' >scc.yaml
"$CAPSCOPE" lint scc.yaml >out 2>err
like "$(cat err)" "scc\.yaml:8:1: frobnicate: unknown field: not a field of a SecurityContextConstraints in OpenShift's security\.openshift\.io/v1," \
  "an unknown key of an SCC: named as OpenShift's API, not Kubernetes 1.32"
"$CAPSCOPE" lint --validate warn scc.yaml >out 2>err
like "$(cat err)" "scc\.yaml:4:29: runAsUser\.bogus: not a field of an SCC's runAsUser in OpenShift's security\.openshift\.io/v1: read as absent" \
  "…and so under --validate=warn"
printf 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: d}\nspec:\n  frobnicate: 1\n  template:\n    spec:\n      containers: [{name: a, image: i}]\n' >dc.yaml
"$CAPSCOPE" lint dc.yaml >out 2>err
like "$(cat err)" "dc\.yaml:5:3: spec\.frobnicate: unknown field: not a field of a DeploymentConfig's spec in OpenShift's apps\.openshift\.io/v1," \
  "an unknown key of a DeploymentConfig's spec: OpenShift's apps.openshift.io/v1"

# the fields as written: read (a sidecar, fields capscope does not model)
pod good.yaml $'    securityContext: {capabilities: {drop: [ALL]}, runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: {type: RuntimeDefault}}\n    resources: {limits: {cpu: 1}}\n    livenessProbe: {exec: {command: [/bin/true]}}'
"$CAPSCOPE" lint good.yaml >out 2>err
is "$?" 0 "a pod of known fields: lint exit 0"
is "$(cat err)" "" "a pod of known fields: nothing on stderr"
"$CAPSCOPE" explain pod --json good.yaml >out 2>err
ok $((! $? == 2)) "a pod of known fields: explain pod reads it"
done_testing
