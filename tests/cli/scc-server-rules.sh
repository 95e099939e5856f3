#!/usr/bin/env bash
# An SCC file as the OpenShift API server validates the object
# (openshift/kubernetes customresourcevalidation/securitycontextconstraints
# ValidateSecurityContextConstraints, on the SCC SetDefaults_SCC has
# defaulted): before the twenty-seventh pass capscope read without a word a
# name that is no DNS-1123 subdomain, a negative priority, uid or id range
# bound, a capability both allowed (or added by default) and required to
# drop, '*' beside required drops, a default of privilege escalation the
# SCC forbids, 'none' beside other volumes, flex volumes no volume type lets
# in or without a driver, and users or groups of any type; it refused an id
# range without min or max, which the server reads as 0. Each refusal is one
# line at the field's line and column; each SCC the server takes is read.
# serve's refusal of an --scc file (and explain pod's of an --image-config
# file) did not name its option, as the other commands' did; --use of a name
# no SCC has granted nothing, without a word.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers: [{name: c, image: i}]' >pod.yaml
scc() { # NAME LINE... : an SCC named NAME (line 3), its other fields from line 6 on
  {
    printf '%s\n' 'apiVersion: security.openshift.io/v1' 'kind: SecurityContextConstraints'
    printf 'metadata: {name: %s}\n' "$1"
    printf '%s\n' 'runAsUser: {type: RunAsAny}' 'seLinuxContext: {type: RunAsAny}'
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@"
  } >scc.yaml
}
refused() { # WHERE FIELD WHAT NAME LINE...
  local where=$1 field=$2 what=$3
  shift 3
  scc "$@"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  local rc=$?
  is "$rc:$(wc -l <err)" "2:1" "$what: exit 2, one line"
  like "$(cat err)" "^capscope explain pod: --scc: scc\\.yaml:$where: $field: .*\\(the API server refuses the SCC\\)\$" \
    "  at $where, $field"
}
read_ok() { # WHAT NAME LINE...
  local what=$1
  shift
  scc "$@"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "$what: read ($(head -c 300 err))"
}

# metadata.name: NameIsDNSSubdomain
refused 3:18 'metadata\.name' "a name with capitals and '_'" Bad_Name
like "$(cat err)" 'Invalid value "Bad_Name": a lowercase RFC 1123 subdomain' "  in the server's words"
refused 3:18 'metadata\.name' "an empty label" a..b
refused 3:18 'metadata\.name' "a label ending in '-'" a-.b
refused 3:18 'metadata\.name' "ESC and a line feed" '"s\e[31m\nx"'
like "$(cat err)" 'Invalid value "s\\x1b\[31m\\nx"' "  escaped"
refused 3:18 'metadata\.name' "254 bytes" "$(printf 'a%.0s' $(seq 254))"
like "$(cat err)" 'must be no more than 253 characters' "  said so"
ok "$([ "$(wc -c <err)" -lt 400 ] && echo 0 || echo 1)" "  the name cut ($(wc -c <err) bytes)"
refused 3:18 'metadata\.name' "70 capitals" "$(printf 'A%.0s' $(seq 70))"
like "$(cat err)" '"A{48}\.\.\.": a lowercase RFC 1123 subdomain: lower-case letters, digits, .-. and ..., each part starting and ending with a letter or digit \(the API' \
  "  the name cut, the reason whole"
read_ok "253 bytes" "$(printf 'a%.0s' $(seq 253))"
read_ok "dots and dashes" a.b-c.d0

# priority, runAsUser.uid, id ranges: not negative, min <= max (absent = 0)
refused 6:11 priority "a negative priority" s 'priority: -1'
read_ok "priority 0" s 'priority: 0'
sed -i 's/^runAsUser: .*/runAsUser: {type: MustRunAs, uid: -1}/' scc.yaml
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
like "$(cat err)" '^capscope explain pod: --scc: scc\.yaml:4:35: runAsUser\.uid: Invalid value -1: uid cannot be negative' \
  "a negative uid: at it"
refused 6:43 'fsGroup\.ranges\[0\]\.min' "a negative min" s 'fsGroup: {type: MustRunAs, ranges: [{min: -5, max: 5}]}'
refused 6:62 'supplementalGroups\.ranges\[0\]\.max' "a negative max" s \
  'supplementalGroups: {type: MustRunAs, ranges: [{min: 5, max: -5}]}'
refused 6:61 'fsGroup\.ranges\[1\]\.min' "min above max" s 'fsGroup: {type: MustRunAs, ranges: [{min: 1, max: 2}, {min: 7, max: 5}]}'
refused 6:43 'fsGroup\.ranges\[0\]\.min' "min without max (0)" s 'fsGroup: {type: MustRunAs, ranges: [{min: 5}]}'
like "$(cat err)" 'an absent max is 0' "  said so"
read_ok "max without min (0 to 5)" s 'fsGroup: {type: MustRunAs, ranges: [{max: 5}]}'
read_ok "an empty range (0 to 0)" s 'supplementalGroups: {type: MustRunAs, ranges: [{}]}'

# capabilities: validateSCCCapsAgainstDrops, the wildcard rule (exact strings)
refused 6:29 'allowedCapabilities\[1\]' "allowed and required to drop" s \
  'allowedCapabilities: [KILL, NET_RAW]' 'requiredDropCapabilities: [NET_RAW]'
like "$(cat err)" 'Invalid value "NET_RAW": capability is listed in allowedCapabilities and requiredDropCapabilities' "  in the server's words"
refused 6:26 'defaultAddCapabilities\[0\]' "added by default and required to drop" s \
  'defaultAddCapabilities: [NET_RAW]' 'requiredDropCapabilities: [KILL, NET_RAW]'
refused 7:28 requiredDropCapabilities "'*' allowed beside required drops" s \
  'allowedCapabilities: ["*"]' 'requiredDropCapabilities: [KILL]'
read_ok "NET_RAW allowed, CAP_NET_RAW and ALL dropped (other strings)" s \
  'allowedCapabilities: [NET_RAW]' 'requiredDropCapabilities: [CAP_NET_RAW, ALL]'
read_ok "'*' allowed, no drops" s 'allowedCapabilities: ["*"]' 'requiredDropCapabilities: []'

# validateSCCDefaultAllowPrivilegeEscalation (an absent allow is true)
refused 7:34 defaultAllowPrivilegeEscalation "a default of true the SCC forbids" s \
  'allowPrivilegeEscalation: false' 'defaultAllowPrivilegeEscalation: true'
read_ok "a default of true alone" s 'defaultAllowPrivilegeEscalation: true'

# volumes as SetDefaults_SCC stores them, then the 'none' and flex rules (a
# list is placed at its first item, a mapping at its first key; an empty
# string one past its opening quote, where its text would start)
refused 6:11 volumes "'none' beside secret" s 'volumes: [none, secret]'
refused 6:11 volumes "'none' with allowHostDirVolumePlugin (hostPath added)" s 'volumes: [none]' \
  'allowHostDirVolumePlugin: true'
like "$(cat err)" 'allowHostDirVolumePlugin: true adds hostPath' "  said so"
read_ok "'none' twice (a set)" s 'volumes: [none, none]'
read_ok "'none' and hostPath without the flag (hostPath taken out)" s 'volumes: [none, hostPath]'
read_ok "an empty list" s 'volumes: []'
refused 7:23 allowedFlexVolumes "flex volumes without flexVolume or '*'" s 'volumes: [secret]' \
  'allowedFlexVolumes: [{driver: x}]'
refused 7:23 allowedFlexVolumes "flex volumes, '*' and the flag off but volumes ['none']" s 'volumes: []' \
  'allowedFlexVolumes: [{driver: x}]'
refused 7:31 'allowedFlexVolumes\[0\]\.driver' "an empty driver" s 'volumes: [flexVolume]' \
  'allowedFlexVolumes: [{driver: ""}]'
refused 9:3 'allowedFlexVolumes\[1\]\.driver' "an item without a driver" s 'volumes: ["*"]' \
  'allowedFlexVolumes:' '- {driver: a}' '- {}'
read_ok "flex volumes under '*'" s 'volumes: ["*"]' 'allowedFlexVolumes: [{driver: x}]'
read_ok "flex volumes, volumes absent ('*')" s 'allowedFlexVolumes: [{driver: x}]'

# users and groups: the CRD's lists of strings
scc s 'users: 5'
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope explain pod: --scc: scc.yaml:6:8: users: expected a list" "users not a list: refused"
scc s 'groups: [{a: b}]'
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope explain pod: --scc: scc.yaml:6:11: groups[0]: expected a string" "a group not a string: refused"

# lint's --scc, and an SCC document in the manifest after two others (its own lines)
scc s 'priority: -1'
"$CAPSCOPE" lint --scc scc.yaml pod.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope lint: --scc: scc.yaml:6:11: priority: Invalid value -1: priority cannot be negative (the API server refuses the SCC)" \
  "lint --scc: the same refusal"
timeout 10 "$CAPSCOPE" serve --no-inventory --listen 127.0.0.1:0 --scc scc.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope serve: --scc: scc.yaml:6:11: priority: Invalid value -1: priority cannot be negative (the API server refuses the SCC)" \
  "serve --scc: the same refusal, the option named as explain pod and lint name it"
# explain pod --image-config names its option too
printf '{"config": {"User": 5}}\n' >cfg.json
"$CAPSCOPE" explain pod --image-config cfg.json pod.yaml >/dev/null 2>err
like "$?:$(cat err)" "^2:capscope explain pod: --image-config: cfg\.json:1:" "explain pod --image-config: the option named before its file"
{ cat pod.yaml; echo ---; cat pod.yaml; echo ---; cat scc.yaml; } >all.yaml
"$CAPSCOPE" explain pod --openshift all.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope explain pod: all.yaml:16:11: priority: Invalid value -1: priority cannot be negative (the API server refuses the SCC)" \
  "an SCC in a stream: its line in the file"
# --use NAME of no SCC given: a grant of nothing (a misspelt "anyuidd" left
# anyuid "not allowed to use it", without a word): a usage error naming it
"$CAPSCOPE" explain pod --openshift --use anyuidd pod.yaml >/dev/null 2>err
is "$?:$(head -1 err)" "2:capscope explain pod: --use anyuidd: no SCC of that name was given (--scc, --openshift or a file with SCCs)" \
  "explain pod --use of no SCC given: refused, named"
"$CAPSCOPE" explain pod --openshift --use anyuid pod.yaml >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "explain pod --use of a built-in SCC: read"
sed -i 's/^priority: -1$/priority: 1/' scc.yaml
{ cat scc.yaml; echo ---; cat pod.yaml; } >with-scc.yaml
"$CAPSCOPE" explain pod --use s with-scc.yaml >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "explain pod --use of an SCC in the pod's file: read ($(head -c 200 err))"
timeout 10 "$CAPSCOPE" serve --no-inventory --listen 127.0.0.1:0 --openshift --use anyuidd >/dev/null 2>err
is "$?:$(head -1 err)" "2:capscope serve: --use anyuidd: no SCC of that name was given (--scc or --openshift)" \
  "serve --use of no SCC given: refused, named"
done_testing
