#!/usr/bin/env bash
# An SCC's metadata as ValidateObjectMeta checks it (the twenty-seventh
# pass, part H): label keys (a qualified name: an optional DNS-1123 prefix
# and '/', a name of at most 63 alphanumerics, '-', '_' and '.', ending in
# alphanumerics) and values (at most 63 bytes, the same characters, or
# empty), annotation keys (a qualified name, lower-cased first) and their
# total size (262144 bytes of keys and values), generateName (a DNS-1123
# subdomain once a trailing '-' is masked). Before, each was read without a
# word: an SCC the server refuses admitted pods. An SCC with generateName
# and no name is named at random by the server: refused in words. lint
# --use NAME of no SCC of the set nor of any linted file granted nothing
# without a word; explain pod and serve refused it. runAsGroup, no field of
# any SecurityContextConstraints, is refused in both validation modes.
# Annotation keys are lowered by Go's strings.ToLower (the twenty-eighth
# pass, part D): KELVIN SIGN and U+0130 become 'k' and 'i', which the server
# takes; capscope refused them.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  containers: [{name: c, image: i}]' >pod.yaml
scc() { # METADATA LINE... : an SCC whose metadata is METADATA (line 3)
  {
    printf '%s\n' 'apiVersion: security.openshift.io/v1' 'kind: SecurityContextConstraints'
    printf 'metadata: %s\n' "$1"
    printf '%s\n' 'runAsUser: {type: RunAsAny}' 'seLinuxContext: {type: RunAsAny}'
    shift
    [ $# -gt 0 ] && printf '%s\n' "$@"
  } >scc.yaml
}
refused() { # WHERE FIELD WHAT METADATA
  scc "$4"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  is "$?:$(wc -l <err)" "2:1" "$3: exit 2, one line"
  like "$(cat err)" "^capscope explain pod: --scc: scc\\.yaml:$1: $2: .*\\(the API server refuses the SCC\\)\$" \
    "  at $1, $2"
}
read_ok() { # WHAT METADATA
  scc "$2"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "$1: read ($(head -c 300 err))"
}
n_of() { printf "$1%.0s" $(seq "$2"); }

# labels: keys
read_ok "labels of every form the server takes" '{name: s, labels: {a: b, A_b.c-9: "", example.com/x: ok, e: ~}}'
refused 3:30 'metadata\.labels\.-a' "a label key starting with '-'" '{name: s, labels: {-a: b}}'
like "$(cat err)" "Invalid value \"-a\": name part must consist of alphanumeric characters" "  in the server's words"
refused 3:30 'metadata\.labels\.a_' "a label key ending in '_'" '{name: s, labels: {a_: b}}'
refused 3:30 'metadata\.labels\./a' "an empty prefix" '{name: s, labels: {"/a": b}}'
like "$(cat err)" "prefix part must be non-empty" "  said so"
refused 3:30 'metadata\.labels\.a/' "an empty name part" '{name: s, labels: {a/: b}}'
like "$(cat err)" "name part must be non-empty" "  said so"
refused 3:30 'metadata\.labels\.Example\.com/a' "a prefix with capitals" '{name: s, labels: {"Example.com/a": b}}'
refused 3:30 'metadata\.labels\.a/b/c' "two slashes" '{name: s, labels: {a/b/c: d}}'
refused 3:30 'metadata\.labels\.a\.\.b/c' "a prefix with an empty label" '{name: s, labels: {a..b/c: d}}'
refused 3:30 "metadata\\.labels\\.a{64}" "a name part of 64 bytes" "{name: s, labels: {$(n_of a 64): b}}"
like "$(cat err)" "name part must be no more than 63 characters" "  said so"
read_ok "a name part of 63 bytes, a prefix of 253" "{name: s, labels: {$(n_of a 63): b, $(n_of b 253)/c: d}}"
refused 3:30 'metadata\.labels\.b{64}\.\.\.' "a prefix of 254 bytes" "{name: s, labels: {$(n_of b 254)/c: d}}"
refused 3:30 'metadata\.labels\.a\\x1b\[31m' "ESC in a key, escaped" '{name: s, labels: {"a\e[31m": b}}'
# labels: values
refused 3:33 'metadata\.labels\.a' "a value ending in '-'" '{name: s, labels: {a: "b-"}}'
like "$(cat err)" 'Invalid value "b-": a valid label must be an empty string or consist of alphanumeric' "  in the server's words"
refused 3:33 'metadata\.labels\.a' "a value of 64 bytes" "{name: s, labels: {a: $(n_of v 64)}}"
like "$(cat err)" "must be no more than 63 characters" "  said so"
read_ok "a value of 63 bytes" "{name: s, labels: {a: $(n_of v 63)}}"
refused 3:33 'metadata\.labels\.a' "a value with a space" '{name: s, labels: {a: "b c"}}'
scc '{name: s, labels: {a: 5}}'
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
like "$?:$(cat err)" "^2:capscope explain pod: --scc: scc\\.yaml:3:33: metadata\\.labels\\.a: '5' is a number" "a value that is a number: refused"
# annotations: keys lower-cased, values free, 262144 bytes in all
read_ok "annotation keys with capitals in the prefix, any value" '{name: s, annotations: {"Example.COM/a": "any text: here", b: ""}}'
# Go's strings.ToLower, which ValidateAnnotations applies to the whole key,
# lowers U+212A (KELVIN SIGN) to 'k' and U+0130 to 'i' (simple case
# mapping): the server takes such keys, and counts the name part's length
# after lowering; labels are not lowered, and U+212B (ANGSTROM SIGN) lowers
# to a letter outside ASCII.
K=$'\u212a' I=$'\u0130' A=$'\u212b'
read_ok "an annotation key with KELVIN SIGN in its prefix" "{name: s, annotations: {\"${K}8s.io/a\": v}}"
read_ok "an annotation key of U+0130" "{name: s, annotations: {\"$I\": v}}"
read_ok "an annotation name part of 40 KELVIN SIGNs (120 bytes, 40 lowered)" "{name: s, annotations: {\"$(n_of "$K" 40)\": v}}"
refused 3:30 "metadata\\.labels\\.$K" "a label key of KELVIN SIGN (labels are not lowered)" "{name: s, labels: {\"$K\": v}}"
refused 3:35 "metadata\\.annotations\\.$A" "an annotation key of ANGSTROM SIGN" "{name: s, annotations: {\"$A\": v}}"
refused 3:35 'metadata\.annotations\.a/b/c' "an annotation key with two slashes" '{name: s, annotations: {a/b/c: d}}'
refused 3:35 'metadata\.annotations\.-x' "an annotation key starting with '-'" '{name: s, annotations: {-x: d}}'
read_ok "annotations of 262144 bytes" "{name: s, annotations: {a: $(n_of b 131071), c: $(n_of d 131071)}}"
refused 3:35 'metadata\.annotations' "annotations of 262145 bytes" "{name: s, annotations: {a: $(n_of b 131071), c: $(n_of d 131072)}}"
like "$(cat err)" "Too long: must have at most 262144 bytes of keys and values, these have 262145" "  said so"
# generateName
read_ok "generateName ending in '-', beside a name" '{name: s, generateName: s-}'
read_ok "generateName 'a.-' (the server masks its last two bytes)" '{name: s, generateName: a.-}'
refused 3:35 'metadata\.generateName' "generateName '-'" '{name: s, generateName: "-"}'
refused 3:35 'metadata\.generateName' "generateName 'Ab-'" '{name: s, generateName: Ab-}'
read_ok "generateName 'A-' (its two last bytes masked: 'a')" '{name: s, generateName: A-}'
refused 3:35 'metadata\.generateName' "generateName 'a..b-'" '{name: s, generateName: a..b-}'
scc '{generateName: s-}'
"$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
is "$?:$(cat err)" "2:capscope explain pod: --scc: scc.yaml:3:26: metadata.name: SecurityContextConstraints has generateName and no name: the API server names it at random (the prefix and five characters), which capscope cannot predict; give metadata.name" \
  "generateName and no name: refused in words, at generateName"
# the same checks in lint and in an SCC of a manifest
scc '{name: s, labels: {a: "b-"}}'
"$CAPSCOPE" lint --scc scc.yaml pod.yaml >/dev/null 2>err
like "$?:$(cat err)" "^2:capscope lint: --scc: scc\\.yaml:3:33: metadata\\.labels\\.a: " "lint --scc: refused"
{ cat pod.yaml; echo ---; cat scc.yaml; } >all.yaml
"$CAPSCOPE" lint all.yaml >/dev/null 2>err
like "$?:$(cat err)" "^2:capscope lint: all\\.yaml:8:33: metadata\\.labels\\.a: " "an SCC in a linted stream: refused at its line"

# runAsGroup: a field of no SCC (openshift/api security/v1), of a pod's
# securityContext: refused in both modes (a release that added it would
# constrain the pod's group; read as absent the answer could be wrong)
for v in strict warn; do
  scc '{name: s}' 'runAsGroup: {type: MustRunAs, ranges: [{min: 5, max: 5}]}'
  "$CAPSCOPE" explain pod --validate=$v --scc scc.yaml pod.yaml >/dev/null 2>err
  is "$?:$(cat err)" "2:capscope explain pod: --scc: scc.yaml:6:1: runAsGroup: unknown field: a field of a container's securityContext, not of this object; kubectl's strict field validation refuses the object" \
    "runAsGroup in an SCC, --validate=$v: refused"
done

# lint --use NAME: each name an SCC of the set or of a linted file
scc '{name: mine}'
{ cat scc.yaml; echo ---; cat pod.yaml; } >with-scc.yaml
"$CAPSCOPE" lint --openshift --use anyuidd pod.yaml >out 2>err
is "$?:$(head -1 err):$(wc -c <out)" "2:capscope lint: --use anyuidd: no SCC of that name was given (--scc, --openshift or a linted file with SCCs):0" \
  "lint --use of no SCC given: refused, named, no report"
"$CAPSCOPE" lint --openshift --use anyuid pod.yaml >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "lint --use of a built-in SCC: read"
"$CAPSCOPE" lint --scc scc.yaml --use mine pod.yaml >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "lint --use of an --scc SCC: read"
"$CAPSCOPE" lint --openshift --use mine pod.yaml with-scc.yaml >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "lint --use of an SCC of one linted file: read ($(head -c 200 err))"
mkdir -p d && cp with-scc.yaml d/ && cp pod.yaml d/
"$CAPSCOPE" lint --openshift --use mine d >/dev/null 2>err
ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "lint --use of an SCC of a file in a walked tree: read ($(head -c 200 err))"
"$CAPSCOPE" lint --openshift --use mine --use minee with-scc.yaml >/dev/null 2>err
is "$?:$(head -1 err)" "2:capscope lint: --use minee: no SCC of that name was given (--scc, --openshift or a linted file with SCCs)" \
  "lint: the second --use, a typo: refused, named"
"$CAPSCOPE" lint --openshift --use $'x\e[31m' pod.yaml >/dev/null 2>err
is "$?:$(head -1 err)" '2:capscope lint: --use x\x1b[31m: no SCC of that name was given (--scc, --openshift or a linted file with SCCs)' \
  "lint --use: the name escaped"
done_testing
