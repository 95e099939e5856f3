#!/usr/bin/env bash
# asan-too
# Twentieth pass, part D: values the API server refuses in the fields
# capscope reads, and a DeploymentConfig's spec at every depth.
# - uids and gids outside 0-2147483647 (IsValidUserID / IsValidGroupID),
#   supplementalGroupsPolicy other than Merge or Strict, imagePullPolicy
#   other than Always, IfNotPresent or Never: lint found nothing or judged
#   the container as if it ran, explain said "not admitted" without a
#   place. Refused now at file:line:column with the field's path.
# - allowPrivilegeEscalation false beside privileged true or
#   capabilities.add CAP_SYS_ADMIN (ValidateSecurityContext) stays a
#   verdict, not a refusal of the file: explain says the API server rejects
#   the pod (exec error Forbidden), which is what the runtime matrices
#   (tests/truth/*-matrix.sh) compare with, and Podman, which has no API
#   server, runs such a container (the integrator's row of the pass).
# - An OpenShift DeploymentConfig's strategy and triggers (openshift/api
#   release-4.19 apps/v1 types.go): a key that is no field at any depth,
#   where they were checked at their first level only.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/manifest-refused.sh"
tap_tmpdir
cd "$T" || exit 1

range='Invalid value: %s: must be between 0 and 2147483647, inclusive \(the API server refuses the pod\)'

pod u1.yaml '    securityContext: {runAsUser: -1, privileged: true}'
refused "container runAsUser -1" u1.yaml "8:34: spec\.containers\[0\]\.securityContext\.runAsUser: $(printf "$range" -1)"
pod u2.yaml '    securityContext: {runAsGroup: 2147483648}'
refused "container runAsGroup 2^31" u2.yaml "8:35: spec\.containers\[0\]\.securityContext\.runAsGroup: $(printf "$range" 2147483648)"
pod u3.yaml '' '  securityContext: {runAsUser: 4294967296}'
refused "pod runAsUser 2^32" u3.yaml "9:32: spec\.securityContext\.runAsUser: $(printf "$range" 4294967296)"
pod u4.yaml '' '  securityContext: {runAsGroup: -2}'
refused "pod runAsGroup -2" u4.yaml "9:33: spec\.securityContext\.runAsGroup: $(printf "$range" -2)"
pod u5.yaml '' '  securityContext: {fsGroup: 4294967296}'
refused "pod fsGroup 2^32" u5.yaml "9:30: spec\.securityContext\.fsGroup: $(printf "$range" 4294967296)"
pod u6.yaml '' '  securityContext: {supplementalGroups: [5, -1]}'
refused "pod supplementalGroups -1" u6.yaml "9:45: spec\.securityContext\.supplementalGroups: $(printf "$range" -1)"
pod u7.yaml '' '  initContainers: [{name: i, image: i, securityContext: {runAsUser: -7}}]'
refused "init container runAsUser -7" u7.yaml "9:69: spec\.initContainers\[0\]\.securityContext\.runAsUser: $(printf "$range" -7)"
pod sgp.yaml '' '  securityContext: {supplementalGroupsPolicy: strict}'
refused "supplementalGroupsPolicy strict" sgp.yaml '9:47: spec\.securityContext\.supplementalGroupsPolicy: Unsupported value "strict": supported values: "Merge", "Strict"'
pod ipp.yaml '    imagePullPolicy: always'
refused "imagePullPolicy always" ipp.yaml '8:22: spec\.containers\[0\]\.imagePullPolicy: Unsupported value "always": supported values: "Always", "IfNotPresent", "Never"'
pod ape1.yaml '    securityContext: {privileged: true, allowPrivilegeEscalation: false}'
pod ape2.yaml '    securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN]}}'
for f in ape1.yaml:'privileged to true' ape2.yaml:'capabilities.add CAP_SYS_ADMIN'; do
  "$CAPSCOPE" explain pod "${f%%:*}" >out 2>err
  ok "$([ $? -eq 1 ] && [ ! -s err ] && grep -q "NOT ADMITTED: the API server rejects the pod: cannot set allowPrivilegeEscalation to false and ${f#*:}" out && echo 0 || echo 1)" \
    "${f%%:*}: allowPrivilegeEscalation false and ${f#*:}: read, a verdict of not admitted"
  "$CAPSCOPE" explain pod --json "${f%%:*}" >out 2>err
  is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["containers"][0]["exec"]["error"])' out)" Forbidden \
    "${f%%:*}: --json exec error Forbidden"
done

# The edges and the spellings the API server takes: read (exit 0 or 1, no refusal).
pod ok1.yaml '    imagePullPolicy: IfNotPresent
    securityContext: {runAsUser: 2147483647, runAsGroup: 0, allowPrivilegeEscalation: false, capabilities: {add: [SYS_ADMIN], drop: [ALL]}}' \
  '  securityContext: {fsGroup: 0, supplementalGroups: [2147483647], supplementalGroupsPolicy: Merge}'
"$CAPSCOPE" lint ok1.yaml >out 2>err
ok "$([ $? -le 1 ] && [ ! -s err ] && echo 0 || echo 1)" "0 and 2147483647, Merge, IfNotPresent, SYS_ADMIN (not CAP_SYS_ADMIN) beside allowPrivilegeEscalation false: read"
pod ok2.yaml '    imagePullPolicy: ""'
"$CAPSCOPE" lint ok2.yaml >out 2>err
ok "$([ $? -le 1 ] && [ ! -s err ] && echo 0 || echo 1)" "an empty imagePullPolicy (defaulted before validation): read"

# A DeploymentConfig's own spec at every depth.
dc() { # file, the strategy's and triggers' lines (indented 2)
  printf 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: d}\nspec:\n  replicas: 1\n%s\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' "$2" >"$1"
}
known='unknown field: not a field of'
dc dc1.yaml '  strategy: {type: Rolling, rollingParams: {maxSurg: 1}}'
refused "a DeploymentConfig's rollingParams" dc1.yaml "6:45: spec\.strategy\.rollingParams\.maxSurg: $known apps\.openshift\.io/v1 RollingDeploymentStrategyParams"
dc dc2.yaml '  strategy: {type: Recreate, recreateParams: {pre: {failurePolicy: Abort, execNewPod: {command: [x], containerNam: a}}}}'
refused "a lifecycle hook's execNewPod" dc2.yaml "6:102: spec\.strategy\.recreateParams\.pre\.execNewPod\.containerNam: $known apps\.openshift\.io/v1 ExecNewPodHook"
dc dc3.yaml '  strategy: {type: Recreate, recreateParams: {mid: {failurePolicy: Retry, tagImages: [{containerName: a, to: {kinde: x}}]}}}'
refused "a tag hook's reference" dc3.yaml "6:111: spec\.strategy\.recreateParams\.mid\.tagImages\[0\]\.to\.kinde: $known core/v1 ObjectReference"
dc dc4.yaml '  strategy: {type: Custom, customParams: {image: x, environment: [{name: A, valu: b}]}}'
refused "a custom strategy's environment" dc4.yaml "6:77: spec\.strategy\.customParams\.environment\[0\]\.valu: $known core/v1 EnvVar"
dc dc5.yaml '  strategy: {type: Rolling, resources: {limit: {cpu: 1}}}'
refused "a strategy's resources" dc5.yaml "6:41: spec\.strategy\.resources\.limit: $known core/v1 ResourceRequirements"
dc dc6.yaml '  triggers: [{type: ImageChange, imageChangeParams: {automatic: true, containerNames: [a], from: {kind: ImageStreamTag, name: "i:latest"}, lastTrigered: x}}]'
refused "a trigger's imageChangeParams" dc6.yaml "6:140: spec\.triggers\[0\]\.imageChangeParams\.lastTrigered: $known apps\.openshift\.io/v1 DeploymentTriggerImageChangeParams"
dc dc7.yaml '  triggers: [{type: ConfigChange, imageChangeParam: {}}]'
refused "a trigger" dc7.yaml "6:35: spec\.triggers\[0\]\.imageChangeParam: $known apps\.openshift\.io/v1 DeploymentTriggerPolicy"
dc dc8.yaml '  strategy: {type: Rolling, rollingParams: [1]}'
refused "rollingParams a list" dc8.yaml "6:45: spec\.strategy\.rollingParams: expected a mapping"
dc dc9.yaml '  triggers: {type: ConfigChange}'
refused "triggers a mapping" dc9.yaml "6:14: spec\.triggers: expected a list"
dc dcok.yaml '  strategy:
    type: Rolling
    resources: {limits: {cpu: 1}}
    labels: {a: b}
    annotations: {a: b}
    activeDeadlineSeconds: 600
    rollingParams: {updatePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 600, maxUnavailable: 25%, maxSurge: 1,
      pre: {failurePolicy: Abort, execNewPod: {command: [x], env: [{name: A, value: b}], containerName: a, volumes: [v]}},
      post: {failurePolicy: Ignore, tagImages: [{containerName: a, to: {kind: ImageStreamTag, name: "i:t"}}]}}
  triggers:
  - type: ConfigChange
  - type: ImageChange
    imageChangeParams: {automatic: true, containerNames: [a], from: {kind: ImageStreamTag, name: "i:latest", namespace: n}, lastTriggeredImage: x}
  minReadySeconds: 1
  revisionHistoryLimit: 3
  test: false
  paused: false
  selector: {a: b}'
"$CAPSCOPE" lint dcok.yaml >out 2>err
ok "$([ $? -le 1 ] && [ ! -s err ] && echo 0 || echo 1)" "a DeploymentConfig with every field of its spec: read"
is "$(cat err)" "" "  ... nothing on stderr"
done_testing
