#!/usr/bin/env bash
# asan-too
# Readers that accept what they do not understand (nineteenth pass, part D).
# - Every object of the pod spec at every depth against Kubernetes 1.32's
#   fields (lib/k8s/pod-schema.c, generated from k8s.io/api v0.32.9): an
#   unknown key in a volume, a probe, resources, affinity, a toleration...
#   was accepted in silence where kubectl's strict validation refuses the
#   pod; --validate=warn reads it as absent with one warning.
# - The apiVersions Kubernetes removed before 1.32 (and PodSecurityPolicy)
#   were read with 1.32's fields and rules: refused, saying what to write.
# - serve --scc FILE takes --validate as lint, explain pod and policy do.
# - An integer of 32 characters and more: the message says what it is.
source "$(dirname "$0")/../lib/tap.sh"
source "$(dirname "$0")/../lib/manifest-refused.sh"
source "$(dirname "$0")/serve-lib.sh"
tap_tmpdir
cd "$T" || exit 1


# Unknown keys at several depths, each at its line and column.
pod d1.yaml '' '  volumes: [{name: v, hostPth: {path: /}}]'
refused "depth 1: a volume" d1.yaml '9:23: spec\.volumes\[0\]\.hostPth: unknown field: not a field of core/v1 Volume in Kubernetes 1\.32'
pod d2.yaml '' '  volumes: [{name: v, hostPath: {path: /, typo: 1}}]'
refused "depth 2: a hostPath" d2.yaml '9:43: spec\.volumes\[0\]\.hostPath\.typo: unknown field: not a field of core/v1 HostPathVolumeSource'
pod d5.yaml '' '  volumes: [{name: v, projected: {sources: [{secret: {name: s, items: [{key: a, path: b, mod: 1}]}}]}}]'
refused "depth 5: a projected secret's item" d5.yaml '9:90: spec\.volumes\[0\]\.projected\.sources\[0\]\.secret\.items\[0\]\.mod: unknown field: not a field of core/v1 KeyToPath'
pod d6.yaml '' '  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b], extra: 1}]}]}}}'
refused "depth 6: affinity" d6.yaml '9:154: spec\.affinity\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchExpressions\[0\]\.extra: unknown field'
pod tol.yaml '' '  tolerations: [{key: a, effect: NoSchedule, tolerationSecond: 3}]'
refused "a toleration" tol.yaml '9:46: spec\.tolerations\[0\]\.tolerationSecond: unknown field: not a field of core/v1 Toleration'
pod probe.yaml '    livenessProbe: {httpGet: {path: /, port: 80, header: []}}'
refused "a probe's httpGet" probe.yaml '8:50: spec\.containers\[0\]\.livenessProbe\.httpGet\.header: unknown field: not a field of core/v1 HTTPGetAction'
pod res.yaml '    resources: {limits: {cpu: 1}, request: {cpu: 1}}'
refused "resources" res.yaml '8:35: spec\.containers\[0\]\.resources\.request: unknown field'
pod ef.yaml '    envFrom: [{configMapRef: {name: a, optinal: true}}]'
refused "envFrom" ef.yaml '8:40: spec\.containers\[0\]\.envFrom\[0\]\.configMapRef\.optinal: unknown field'
pod env.yaml '    env: [{name: a, valueFrom: {fieldRef: {fieldPath: a, apiVersio: v1}}}]'
refused "env valueFrom" env.yaml '8:58: spec\.containers\[0\]\.env\[0\]\.valueFrom\.fieldRef\.apiVersio: unknown field'
pod lc.yaml '    lifecycle: {preStop: {exec: {command: [a]}, foo: 1}}'
refused "lifecycle" lc.yaml '8:49: spec\.containers\[0\]\.lifecycle\.preStop\.foo: unknown field: not a field of core/v1 LifecycleHandler'
pod port.yaml '    ports: [{containerPort: 80, protocl: TCP}]'
refused "a port" port.yaml '8:33: spec\.containers\[0\]\.ports\[0\]\.protocl: unknown field'
pod init.yaml '' '  initContainers: [{name: i, image: i, startupProbe: {exec: {command: [a], cmd: 1}}}]'
refused "an init container's probe" init.yaml '9:76: spec\.initContainers\[0\]\.startupProbe\.exec\.cmd: unknown field'
pod eph.yaml '' '  ephemeralContainers: [{name: e, image: i, targetContainerName: a, readinessProbe: {tcpSocket: {port: 1, hots: a}}}]'
refused "an ephemeral container's probe" eph.yaml '9:107: spec\.ephemeralContainers\[0\]\.readinessProbe\.tcpSocket\.hots: unknown field'
pod evm.yaml '' '  volumes: [{name: v, ephemeral: {volumeClaimTemplate: {metadata: {labls: 1}, spec: {selector: {matchLabels: {a: b}, foo: 1}}}}}]'
refused "an ephemeral volume's metadata" evm.yaml '9:68: spec\.volumes\[0\]\.ephemeral\.volumeClaimTemplate\.metadata\.labls: unknown field: not a field of meta/v1 ObjectMeta'
pod evs.yaml '' '  volumes: [{name: v, ephemeral: {volumeClaimTemplate: {spec: {selector: {matchLabels: {a: b}, foo: 1}}}}}]'
refused "a claim template's selector" evs.yaml '9:96: spec\.volumes\[0\]\.ephemeral\.volumeClaimTemplate\.spec\.selector\.foo: unknown field: not a field of meta/v1 LabelSelector'
pod rc.yaml '' '  resourceClaims: [{name: a, source: {resourceClaimName: b}}]'
refused "a 1.30 field removed in 1.31" rc.yaml '9:30: spec\.resourceClaims\[0\]\.source: unknown field: not a field of core/v1 PodResourceClaim'
pod al.yaml '' '  volumes: [&v {name: v, hostPath: {path: /, x: 1}}]'
refused "behind an anchor" al.yaml '9:46: spec\.volumes\[0\]\.hostPath\.x: unknown field'
# another case: refused under warn too (no release makes it a field)
pod case.yaml '' '  volumes: [{name: v, hostPath: {Path: /}}]'
refused "another case" case.yaml '9:34: spec\.volumes\[0\]\.hostPath\.Path: unknown field: the API.s is "path"'
"$CAPSCOPE" lint --validate=warn case.yaml >out 2>err
is "$?" 2 "another case: refused under --validate=warn"
# shapes no release changes: refused in both modes
pod sh1.yaml '' '  tolerations: {key: a}'
refused "a mapping for a list" sh1.yaml '9:17: spec\.tolerations: expected a list'
pod sh2.yaml '' '  nodeSelector: [a]'
refused "a list for a map" sh2.yaml '9:18: spec\.nodeSelector: expected a mapping'
pod sh3.yaml '    livenessProbe: {exec: {command: [{a: 1}]}}'
refused "a mapping in a list of strings" sh3.yaml '8:39: spec\.containers\[0\]\.livenessProbe\.exec\.command\[0\]: expected a string or number'
pod sh4.yaml '    livenessProbe: {periodSeconds: {a: 1}}'
refused "a mapping for a number" sh4.yaml '8:37: spec\.containers\[0\]\.livenessProbe\.periodSeconds: expected a string, number or boolean'

# What stays read: maps of the user's keys, nulls, every field of a full pod.
pod ok.yaml '    resources: {limits: {cpu: 1, example.com/gpu: 2}, requests: ~}
    livenessProbe: {grpc: {port: 1, service: s}, httpGet: ~}
    lifecycle: {preStop: {sleep: {seconds: 1}}}
    volumeMounts: [{name: v, mountPath: /v, recursiveReadOnly: Disabled}]' '  nodeSelector: {a: b}
  volumes: [{name: v, csi: {driver: d, volumeAttributes: {any: thing}}}]
  overhead: {cpu: 1}
  topologySpreadConstraints: [{maxSkew: 1, topologyKey: k, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [a]}]'
"$CAPSCOPE" lint ok.yaml >out 2>err
is "$?" 0 "a pod of many objects, every key a field: read (exit 0)"
is "$(wc -c <err)" 0 "  ... nothing on stderr"

# --validate=warn: read as absent, one warning each, in the text's order.
pod w.yaml '    resources: {request: {cpu: 1}}' '  volumes: [{name: v, hostPath: {path: /, typo: 1}}]'
"$CAPSCOPE" lint --validate=warn w.yaml >out 2>err
is "$?" 0 "--validate=warn: read"
is "$(wc -l <err)" 2 "  ... two warnings"
like "$(sed -n 1p err)" "^capscope lint: warning: w\.yaml:8:17: spec\.containers\[0\]\.resources\.request: not a field of core/v1 ResourceRequirements in Kubernetes 1\.32: read as absent" "  ... the container's first"
like "$(sed -n 2p err)" "^capscope lint: warning: w\.yaml:9:43: spec\.volumes\[0\]\.hostPath\.typo: not a field of core/v1 HostPathVolumeSource" "  ... then the volume's"

# A Deployment's pod template is a pod spec as well.
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img, readinessProbe: {exec: {comand: [a]}}}]\n' >dep.yaml
refused "a Deployment's template" dep.yaml '9:66: spec\.template\.spec\.containers\[0\]\.readinessProbe\.exec\.comand: unknown field'

# A workload's own spec at every depth (apps/v1, batch/v1).
wd() { # file, kind, the spec's lines before the template (indented 2)
  printf 'apiVersion: apps/v1\nkind: %s\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n%s\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' "$2" "$3" >"$1"
}
wd ru.yaml Deployment '  strategy: {type: RollingUpdate, rollingUpdate: {maxSurg: 1}}'
refused "a Deployment's rollingUpdate" ru.yaml '6:51: spec\.strategy\.rollingUpdate\.maxSurg: unknown field: not a field of apps/v1 RollingUpdateDeployment'
wd ds2.yaml DaemonSet '  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, foo: 2}}'
refused "a DaemonSet's rollingUpdate" ds2.yaml '6:76: spec\.updateStrategy\.rollingUpdate\.foo: unknown field: not a field of apps/v1 RollingUpdateDaemonSet'
wd vct.yaml StatefulSet '  volumeClaimTemplates: [{metadata: {name: v}, spec: {accessMode: [ReadWriteOnce]}}]'
refused "a StatefulSet's volumeClaimTemplates" vct.yaml '6:55: spec\.volumeClaimTemplates\[0\]\.spec\.accessMode: unknown field: not a field of core/v1 PersistentVolumeClaimSpec'
wd sel.yaml ReplicaSet '  minReadySeconds: 1'
sed -i 's/matchLabels: {a: b}}$/matchLabels: {a: b}, matchLabel: {}}/' sel.yaml
refused "a ReplicaSet's selector" sel.yaml '5:35: spec\.selector\.matchLabel: unknown field: not a field of meta/v1 LabelSelector'
printf 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {operator: In, values: [1], containerNam: a}}]}\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: a, image: img}]\n' >pfp.yaml
refused "a CronJob's Job's podFailurePolicy" pfp.yaml '8:92: spec\.jobTemplate\.spec\.podFailurePolicy\.rules\[0\]\.onExitCodes\.containerNam: unknown field: not a field of batch/v1 PodFailurePolicyOnExitCodesRequirement'
printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: c}\nspec:\n  successPolicy: {rules: [{succeededIndexes: "1", succeededCont: 1}]}\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: img}]\n' >sp.yaml
refused "a Job's successPolicy" sp.yaml '5:51: spec\.successPolicy\.rules\[0\]\.succeededCont: unknown field: not a field of batch/v1 SuccessPolicyRule'
wd vok.yaml StatefulSet '  volumeClaimTemplates: [{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: v}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0, maxUnavailable: 1}}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Delete}'
"$CAPSCOPE" lint vok.yaml >out 2>err
is "$?" 0 "a StatefulSet of many objects, every key a field: read (exit 0)"
is "$(wc -c <err)" 0 "  ... nothing on stderr"

# Metadata's ownerReferences and managedFields items, in every metadata.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: null\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: r, uid: u, controller: true, blockOwnerDeletion: true}]\n  managedFields: [{manager: kubectl, operation: Update, apiVersion: v1, time: "2024-01-01T00:00:00Z", fieldsType: FieldsV1, fieldsV1: {"f:metadata": {}}, subresource: ""}]\nspec:\n  containers: [{name: a, image: i}]\n' >meta-ok.yaml
"$CAPSCOPE" lint meta-ok.yaml >out 2>err
is "$?" 0 "kubectl get -o yaml's metadata: read (exit 0)"
sed 's/controller: true/controler: true/' meta-ok.yaml >or.yaml
refused "an ownerReference" or.yaml "6:78: metadata\.ownerReferences\[0\]\.controler: unknown field: not a field of meta/v1 OwnerReference"
sed 's/fieldsType: FieldsV1/fieldType: FieldsV1/' meta-ok.yaml >mf.yaml
refused "a managedFields entry" mf.yaml "7:103: metadata\.managedFields\[0\]\.fieldType: unknown field: not a field of meta/v1 ManagedFieldsEntry"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}, ownerReferences: [{nam: x}]}\n    spec:\n      containers: [{name: a, image: img}]\n' >tor.yaml
refused "a template's ownerReference" tor.yaml "7:51: spec\.template\.metadata\.ownerReferences\[0\]\.nam: unknown field"

# Removed apiVersions: refused, with the release and what to write.
wl() { # file, apiVersion, kind
  printf 'apiVersion: %s\nkind: %s\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' "$2" "$3" >"$1"
}
for v in "extensions/v1beta1 Deployment 1.16 apps/v1" "apps/v1beta1 StatefulSet 1.16 apps/v1" \
  "apps/v1beta2 DaemonSet 1.16 apps/v1" "apps/v1beta2 ReplicaSet 1.16 apps/v1"; do
  set -- $v
  wl rm.yaml "$1" "$2"
  refused "$1 $2" rm.yaml "1:13: apiVersion: ${1//./\\.} $2 was removed in Kubernetes ${3//./\\.}: a 1\\.32 API server refuses it .*write ${4//./\\.}\$"
done
printf 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: img, securityContext: {privileged: true}}]\n' >cj.yaml
refused "batch/v1beta1 CronJob" cj.yaml '1:13: apiVersion: batch/v1beta1 CronJob was removed in Kubernetes 1\.25: .*write batch/v1$'
printf 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\nspec:\n  privileged: true\n  defaultAddCapabilities: [SYS_ADMIN]\n' >psp.yaml
refused "PodSecurityPolicy" psp.yaml '1:13: apiVersion: policy/v1beta1 PodSecurityPolicy was removed in Kubernetes 1\.25: .*does not model its admission'
printf 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1beta2\n  kind: Deployment\n  metadata: {name: d}\n  spec:\n    template:\n      spec:\n        containers: [{name: a, image: img}]\n' >list.yaml
refused "a removed version in a List" list.yaml '4:15: apiVersion: apps/v1beta2 Deployment was removed'
wl new.yaml apps/v2 Deployment
refused "a version 1.32 does not serve" new.yaml "1:13: apiVersion: 'apps/v2' serves no Deployment in Kubernetes 1\.32, whose apiVersions capscope knows \(apps/v1 serves it\)"
# a beta's own field is none of apps/v1's
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  rollbackTo: {revision: 1}\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' >rb.yaml
refused "rollbackTo in apps/v1" rb.yaml "5:3: spec\.rollbackTo: unknown field: not a field of a Deployment's spec"
printf 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  templateGeneration: 1\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: img}]\n' >tg.yaml
refused "templateGeneration in apps/v1" tg.yaml "5:3: spec\.templateGeneration: unknown field: not a field of a DaemonSet's spec"

# An integer of 32 characters and more: what it is, not "expected an integer".
pod long.yaml "    securityContext: {runAsUser: $(printf '%040d' 7)}"
refused "40 characters of octal 7" long.yaml "8:34: spec\.containers\[0\]\.securityContext\.runAsUser: '0{39}7' \(40 characters\) is a number to Kubernetes \(YAML 1\.1\), but capscope reads only plain decimal integers of up to 31 characters"
pod longx.yaml "    securityContext: {runAsUser: x$(printf '%040d' 7)}"
refused "41 characters, no number" longx.yaml "8:34: spec\.containers\[0\]\.securityContext\.runAsUser: expected an integer, got 'x0{39}\.\.\.' \(41 characters\)"

# serve --scc FILE: strict by default (not started, at the key), --validate=warn
# reads the key as absent and says so at start.
printf 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: mine}\nallowPrivilegedContainer: false\nrunAsUser: {type: MustRunAsRange}\nseLinuxContext: {type: MustRunAs}\nfsGroup: {type: RunAsAny}\nsupplementalGroups: {type: RunAsAny}\nallowHostNetworks: true\n' >scc.yaml
"$CAPSCOPE" serve --no-inventory --listen 127.0.0.1:0 --scc scc.yaml >out 2>err
is "$?" 2 "serve --scc with an unknown key: not started (exit 2)"
like "$(cat err)" "^capscope serve: --scc: scc\.yaml:9:1: allowHostNetworks: unknown field: not a field of a SecurityContextConstraints" "  ... at its line and column"
if serve_start w --no-inventory --scc scc.yaml --validate=warn; then
  ok 0 "serve --scc --validate=warn: started"
  like "$(cat "$T/w.log")" "capscope serve: warning: scc\.yaml:9:1: allowHostNetworks: not a field of a SecurityContextConstraints in OpenShift's security\.openshift\.io/v1: read as absent" "  ... the key said at start"
  serve_stop w
else
  ok 1 "serve --scc --validate=warn: started"
  ok 1 "  ... the key said at start"
fi
"$CAPSCOPE" serve --no-inventory --validate=warn >out 2>err
is "$?" 2 "serve --validate without --scc: a usage error"
like "$(head -1 err)" "^capscope serve: --validate is for the files of --scc" "  ... saying so"
"$CAPSCOPE" serve --no-inventory --scc scc.yaml --validate=ignore >out 2>err
is "$?" 2 "serve --validate=ignore: a usage error"
like "$(head -1 err)" "^capscope serve: --validate takes strict or warn, not 'ignore'" "  ... saying so"
done_testing
