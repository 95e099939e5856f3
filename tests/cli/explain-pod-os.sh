#!/usr/bin/env bash
# asan-too
# explain pod and lint: spec.os (twelfth adversarial pass, part A). A pod
# with spec.os.name windows is refused by the kubelet of a Linux node
# (PodOSNotSupported) and must not be predicted as running with Linux
# credentials; the API server refuses Linux-only securityContext fields on
# it, and an unknown os name; Pod Security relaxes its three Windows checks.
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "needs jq"
tap_tmpdir
cd "$T" || exit 1

# pod FILE OS [CTR-SC]
pod() {
  cat >"$1" <<Y
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  os: {name: $2}
  securityContext: {runAsNonRoot: true}
  containers:
  - name: c
    image: x
    command: [/bin/app]
    securityContext: {${3:-}}
Y
}

pod win.yaml windows
"$CAPSCOPE" explain pod --json win.yaml >win.json
is "$?" 1 "a windows pod: exit 1 (not created)"
is "$(jq -r '.containers[0] | "\(.exec.error) \(.process)"' win.json)" "PodOSNotSupported null" \
  "…the kubelet of a Linux node refuses it: no process predicted"
is "$(jq -r '.containers[0].admission.pod_security' win.json)" "restricted" \
  "…Pod Security: restricted (no capabilities, seccomp or privilege-escalation check on Windows)"
for rt in containerd crio; do
  "$CAPSCOPE" explain pod --json --runtime "$rt" win.yaml >w2.json
  is "$(jq -r '.containers[0].exec.error' w2.json)" "PodOSNotSupported" "…on $rt too"
done

pod lin.yaml linux "runAsUser: 1000"
"$CAPSCOPE" explain pod --json lin.yaml >lin.json
is "$?" 0 "the same pod with os linux: runs"
is "$(jq -r '.containers[0].admission.pod_security' lin.json)" "baseline" "…and is baseline"

pod capw.yaml windows "capabilities: {add: [SYS_ADMIN]}"
"$CAPSCOPE" explain pod capw.yaml >out 2>err
is "$?" 2 "capabilities on a windows pod: exit 2"
like "$(cat err)" "capw.yaml:11:38: spec.containers\[0\].securityContext.capabilities: cannot be set for a windows pod" \
  "…one error at the field, as the API server refuses it"
is "$(wc -c <out)" 0 "…nothing on stdout"
"$CAPSCOPE" lint capw.yaml >/dev/null 2>err
like "$(cat err)" "capw.yaml:11:38: .*windows pod" "…lint refuses it the same way"

# the pod's label kubernetes.io/os, compared with the node's first
# (rejectPodAdmissionBasedOnOSSelector): a Deployment's template label
cat >lab.yaml <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, labels: {kubernetes.io/os: linux}}
spec:
  template:
    metadata:
      labels: {app: x, kubernetes.io/os: windows}
    spec:
      containers:
      - {name: c, image: x, command: [/bin/app], securityContext: {runAsUser: 1000}}
Y
"$CAPSCOPE" explain pod --json lab.yaml >lab.json
is "$(jq -r '.containers[0] | "\(.exec.error) \(.process)"' lab.json)" "PodOSSelectorNodeLabelDoesNotMatch null" \
  "a template labelled kubernetes.io/os: windows: the kubelet of a Linux node refuses it"
sed -i 's/os: windows}/os: linux}/' lab.yaml
"$CAPSCOPE" explain pod --json lab.yaml >lab.json
is "$(jq -r '.containers[0].exec.error' lab.json)" "null" "…labelled linux: runs"

pod bad.yaml Linux
"$CAPSCOPE" explain pod bad.yaml >/dev/null 2>err
like "$(cat err)" "bad.yaml:5:14: spec.os.name: Unsupported value \"Linux\"" "an os name the API server does not know: refused at its line"
done_testing
