#!/usr/bin/env bash
# asan-too
# A malformed input gives exactly one line on stderr, naming the file (and
# the line when known) — never libfyaml's own multi-line report with source
# bytes and heap addresses before it.
source "$(dirname "$0")/../lib/tap.sh"
command -v tar >/dev/null || skip_all "tar is not installed"
tap_tmpdir
cd "$T" || exit 1

one_line() { # description, regex, command...
  local what=$1 re=$2; shift 2
  "$@" >/dev/null 2>err
  local rc=$?
  ok $((rc == 0)) "$what: fails"
  is "$(wc -l <err)" 1 "$what: one line on stderr"
  like "$(cat err)" "$re" "$what: names the file and the line"
  ! grep -q -e '<memory-@' -e '\^' err; ok $? "$what: nothing of libfyaml's own report"
}

mkdir -p b/rootfs
printf '{"root":{"path":"rootfs"},\n"process":{"args":["x" "y"]}}\n' >b/config.json
one_line "config.json" '^capscope explain oci: b/config\.json:2:[0-9]+: not valid JSON' \
  "$CAPSCOPE" explain oci b

printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: [\n' >bad.yaml
one_line "manifest" '^capscope explain pod: bad\.yaml:[0-9]+:[0-9]+: YAML' "$CAPSCOPE" explain pod bad.yaml

# One-line JSON: the manifest reader puts "--- " before a document that opens
# with '{' (docs/explain-pod.md, memory); columns on line 1 must still be the
# user's (these are what the reader gave before that change).
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"runAsUser":"abc"}}]}}\n' >one.json
one_line "one-line JSON, bad value" '^capscope explain pod: one\.json:1:134: spec\.containers\[0\]\.securityContext\.runAsUser: '"'"'abc'"'"' is quoted: a string to Kubernetes, not an integer; remove the quotes$' \
  "$CAPSCOPE" explain pod one.json
printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i",]}}\n' >syn.json
one_line "one-line JSON, syntax" '^capscope explain pod: syn\.json:1:103: kubectl reads a file that opens with .\{. as JSON values one after another and stops here \(a key \(a string\) was expected, not .\]..; ' \
  "$CAPSCOPE" explain pod syn.json

# kubectl splits a file into documents itself (apimachinery's YAMLReader,
# GuessJSONStream): a "---" line with more than a comment after it is
# refused (since 1.22; silently dropped before), and a file that opens with
# '{' is read as JSON values only. YAML reads all of these; the pod in them
# never reaches Kubernetes, so they are refused where kubectl stops.
J='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c","image":"i"}]}}'
printf -- '--- %s\n' "$J" >sep.yaml
one_line "JSON on a --- line" "^capscope explain pod: sep\.yaml:1:4: YAML: a line starting with '---' has more than a comment after it: kubectl refuses the file" \
  "$CAPSCOPE" explain pod sep.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n    a: "b\n---x"\nspec:\n  containers: [{name: c, image: i}]\n' >sep2.yaml
one_line "a quoted line starting ---x" "^capscope lint: sep2\.yaml:7:4: YAML: a line starting with '---'" "$CAPSCOPE" lint sep2.yaml
printf '%s\n---\n%s\n' "$J" "$J" >js.json
one_line "JSON, ---, JSON" "^capscope explain pod: js\.json:2:1: kubectl reads a file that opens with .\{. as JSON values" \
  "$CAPSCOPE" explain pod js.json
# Go's decoder reads a key twice (the last wins): kubectl does not stop
# there, and the message must not say it does (capscope refuses it as before)
printf '{"apiVersion":"v1","kind":"Pod","kind":"Pod"}\n' >dup.json
one_line "a key twice in JSON" "^capscope lint: dup\\.json:1:33: JSON: duplicate key 'kind'$" "$CAPSCOPE" lint dup.json
printf '{apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: c, image: i}]}}\n' >flow.yaml
one_line "flow YAML opening with {" "^capscope lint: flow\.yaml:1:2: kubectl reads a file that opens with .\{. as JSON values" "$CAPSCOPE" lint flow.yaml
# kubectl splits at "---" lines only, at LF only, and go-yaml reads the
# first document of what it is handed: a document after "..." with no
# "---" line, or after a "---" that a CR alone puts on a line, never runs.
P='apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n  containers: [{name: c, image: i}]\n'
printf "$P...\n$P" a b >end.yaml
one_line "a document after ..." "^capscope lint: end\.yaml:7:1: YAML: a document after '\.\.\.' with no '---' line before it" "$CAPSCOPE" lint end.yaml
printf "$P" a | tr '\n' '\r' >cr.yaml && printf -- '---\r' >>cr.yaml && printf "$P" b | tr '\n' '\r' >>cr.yaml
one_line "--- after a CR alone" "^capscope lint: cr\.yaml:6:1: YAML: a document marker after a line break other than a line feed" "$CAPSCOPE" lint cr.yaml
# NEL, U+2028 and U+2029 end lines to YAML 1.1 (libfyaml, go-yaml) as a CR
# alone does, not to kubectl: a marker after one, or a document after a
# "..." that one ends, is in the first document kubectl hands go-yaml.
printf "$P" a | sed '$s/$/\xc2\x85---\xc2\x85/' >nel.yaml && printf "$P" b >>nel.yaml
one_line "--- after a NEL" "^capscope lint: nel\.yaml:6:1: YAML: a document marker after a line break other than a line feed" "$CAPSCOPE" lint nel.yaml
printf "$P" a | sed '$s/$/\xe2\x80\xa9---/' >ps.yaml && printf "$P" b >>ps.yaml
one_line "--- after a U+2029" "^capscope lint: ps\.yaml:6:1: YAML: a document marker after a line break other than a line feed" "$CAPSCOPE" lint ps.yaml
printf "$P...\xe2\x80\xa8$P" a b >endls.yaml
one_line "a document after ... and U+2028" "^capscope lint: endls\.yaml:7:1: YAML: a document after '\.\.\.' with no '---' line before it" "$CAPSCOPE" lint endls.yaml
# kubectl drops a '---' line whole, comment and all; YAML ends the comment
# at such a break and reads on: "kind: Pod" read here was never sent.
printf -- "--- #c\xc2\x85kind: Pod\n$P" x | sed '3d' >sepnel.yaml
one_line "text after a --- line's comment and a NEL" "^capscope lint: sepnel\.yaml:2:1: YAML: text after a '---' line's comment and a line break other than a line feed" "$CAPSCOPE" lint sepnel.yaml
printf -- "--- #c\rkind: Pod\n$P" x | sed '3d' >sepcr.yaml
one_line "text after a --- line's comment and a CR" "^capscope lint: sepcr\.yaml:2:1: YAML: text after a '---' line's comment" "$CAPSCOPE" lint sepcr.yaml
# The checks made before libfyaml reads the text count lines as it does
# (a CR alone ends one): a file of CR-ended lines was "line 1" there only.
printf "$P" x | sed 's/image: i/image: "\xff"/' | tr '\n' '\r' >crbad.yaml
one_line "not UTF-8 in a file of CR-ended lines" "^capscope lint: crbad\.yaml:5:34: not UTF-8 text \(byte 0xff\)" "$CAPSCOPE" lint crbad.yaml
# libfyaml skips a byte order mark that opens a token at the start of one
# of its buffers (every 64 KiB as the reader feeds it by the piece) and sets
# the column to 0: with a comment of this length before it, U+FEFF SYS_ADMIN
# (an unknown name to the runtime) was read as SYS_ADMIN. One after the
# text's start is refused, wherever it falls; one at the start is read.
BOM=$(printf '\xef\xbb\xbf')
{ printf '# %s\n---\n' "$(head -c 65401 /dev/zero | tr '\0' x)"
  printf '{apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {containers: [{name: c, image: i, securityContext: {capabilities: {add: [%sSYS_ADMIN]}}}]}}\n' "$BOM"; } >chop.yaml
one_line "U+FEFF where libfyaml's buffer starts" "^capscope explain pod: chop\.yaml:3:129: YAML: a byte order mark \(U\+FEFF\) after the text's start" "$CAPSCOPE" explain pod chop.yaml
printf -- "---\n$BOM$P" a >bom2.yaml
one_line "U+FEFF opening a document" "^capscope lint: bom2\.yaml:2:1: YAML: a byte order mark" "$CAPSCOPE" lint bom2.yaml
printf "$BOM$P" a >bom0.yaml
"$CAPSCOPE" lint bom0.yaml >/dev/null 2>err
ok $? "a byte order mark at the start is read"
# kubectl cuts the stream at each '---' line and drops the line unless nothing
# came since the last cut: a '...' before any token of its piece is refused by
# go-yaml (kubectl 1.32: "did not find expected node content"); libfyaml read
# the pod. Kept '---' lines before the '...' are read by both.
printf "$P---\n# c\n...\n" a >end3.yaml
one_line "a pod, '---', a comment, '...'" "^capscope lint: end3\.yaml:8:1: YAML: '\.\.\.' before any document of the piece kubectl cuts" \
  "$CAPSCOPE" lint end3.yaml
printf "...\n---\n$P" a >end4.yaml
one_line "'...' opening the file" "^capscope lint: end4\.yaml:1:1: YAML: '\.\.\.' before any document" \
  "$CAPSCOPE" lint end4.yaml
printf -- "---\n...\n---\n$P---\n---\n...\n" a >end5.yaml
"$CAPSCOPE" lint end5.yaml >/dev/null 2>err
ok $? "'---' then '...' (the '---' kept): read"
printf "$P...\n# c\n%%YAML 1.1\n---\n$P" a b >end2.yaml
"$CAPSCOPE" lint end2.yaml >/dev/null 2>err
ok $? "'...', a comment, a directive, '---': read"
printf -- '--- # c\n%s\n---\t \n%s\n' "$J" "$J" >ok.yaml
"$CAPSCOPE" lint ok.yaml >/dev/null 2>err
ok $? "a comment and white space after --- are read (two pods)"

# go-yaml's simple key: a key written without '?' has its ':' on the line it
# starts on, at most 1,024 characters from its start (a quote or an anchor
# included), or go-yaml, and so kubectl 1.32, refuses the file; libfyaml
# read them all. Each form at the first length kubectl refuses, and one
# shorter that both read.
H='apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n'
C='spec:\n  containers:\n  - name: c\n    image: i\n'
K=$(printf 'k%.0s' $(seq 1025))
printf "$H  labels:\n    %s: x\n$C" "$K" >key-block.yaml
one_line "a 1,025-character block key" "^capscope lint: key-block\.yaml:6:5: YAML: this key's ':' is on another line, or more than 1024 characters from the key's start: Kubernetes \(go-yaml\) refuses it" "$CAPSCOPE" lint key-block.yaml
printf "$H  labels:\n    \"%s\": x\n$C" "${K:2}" >key-quoted.yaml
one_line "a quoted key of 1,023 characters" "^capscope lint: key-quoted\.yaml:6:5: YAML: this key's ':'" "$CAPSCOPE" lint key-quoted.yaml
printf "$H  labels:\n    &a %s: x\n$C" "${K:3}" >key-anchor.yaml
one_line "an anchored key" "^capscope lint: key-anchor\.yaml:6:5: YAML: this key's ':'" "$CAPSCOPE" lint key-anchor.yaml
printf "$H  labels: {a: b, %s: x}\n$C" "$K" >key-flow.yaml
one_line "a long key in a flow mapping" "^capscope lint: key-flow\.yaml:5:18: YAML: this key's ':'" "$CAPSCOPE" lint key-flow.yaml
printf "$H  labels: {k\n    : x}\n$C" >key-break.yaml
one_line "a line break before ':' in a flow mapping" "^capscope lint: key-break\.yaml:5:12: YAML: this key's ':'" "$CAPSCOPE" lint key-break.yaml
J1='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{'
J2='}},"spec":{"containers":[{"name":"c","image":"i"}]}}'
printf -- "---\n$J1\"%s\":\"x\"$J2\n" "${K:2}" >key-json.yaml
one_line "JSON after ---, a key of 1,023 characters" "^capscope lint: key-json\.yaml:2:66: YAML: this key's ':'" "$CAPSCOPE" lint key-json.yaml
printf -- "---\n$J1\"k\"\n:\"x\"$J2\n" >key-json-break.yaml
one_line "JSON after ---, a line break before ':'" "^capscope lint: key-json-break\.yaml:2:66: YAML: this key's ':'" "$CAPSCOPE" lint key-json-break.yaml
# (twenty-eighth pass: labels' keys are qualified names to the API server
# and to capscope now; a pod's nodeSelector is a map capscope does not read)
printf "$H  annotations: {a, b\n    , c: d}\n$C  nodeSelector:\n    %s: x\n    ? %s\n    : y\n    ?\n      kk\n    : z\n" "${K:1}" "$K" >key-ok.yaml
"$CAPSCOPE" lint key-ok.yaml >/dev/null 2>err
ok $? "a 1,024-character key, complex keys ('?') of any length and line, flow keys without ':': read"
J3='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"nodeSelector":{'
J4='},"containers":[{"name":"c","image":"i"}]}}'
printf "$J3\"%s\"\n:\"x\"$J4\n" "$K" >key-ok.json
"$CAPSCOPE" lint key-ok.json >/dev/null 2>err
ok $? "a file opening with '{' (JSON to kubectl): a long key, ':' on the next line: read"
# go-yaml ends a plain scalar at '?' in a flow collection and reads a key
# there: {?privileged: true} is privileged: true to kubectl 1.32, and was the
# unknown key "?privileged" here (a privileged container read as plain)
printf "$H$C    securityContext: {?privileged: true}\n" >flow-q.yaml
one_line "'?' in a plain scalar in a flow mapping" "^capscope explain pod: flow-q\.yaml:9:23: YAML: a plain scalar holding '\?' or opening with ':' in a flow collection" "$CAPSCOPE" explain pod flow-q.yaml
printf "$H$C    securityContext:\n      ? [a]\n      : b\n      privileged: true\n" >coll-key.yaml
one_line "a sequence as a key" "^capscope explain pod: coll-key\.yaml:10:9: YAML: a sequence as a mapping's key: Kubernetes refuses it" "$CAPSCOPE" explain pod coll-key.yaml
printf "$H$C    args: [\"a?b\", 'c?']\n    env: [{name: q, value: x}]\n    command:\n    - sh?\n" >flow-q-ok.yaml
"$CAPSCOPE" lint flow-q-ok.yaml >/dev/null 2>err
ok $? "'?' quoted in a flow collection, or plain in block style: read"
# kubectl drops a byte order mark at a file's start before anything
# (cli-runtime's FileVisitor, unicode.BOMOverride): after one, JSON is JSON
# and a YAML key is checked from column 1 (the key went unchecked, the JSON
# refused as YAML, before)
printf "$BOM$J3\"%s\"\n:\"x\"$J4\n" "$K" >key-ok-bom.json
"$CAPSCOPE" lint key-ok-bom.json >/dev/null 2>err
ok $? "a byte order mark then JSON: a long key, ':' on the next line: read"
printf "$BOM%s: x\n$H$C" "$K" >key-bom.yaml
one_line "a byte order mark then a 1,025-character key" "^capscope lint: key-bom\.yaml:1:1: YAML: this key's ':'" "$CAPSCOPE" lint key-bom.yaml

mkdir img && printf 'hello' >img/f && tar -C img -cf img/l0.tar f &&
  printf '{"config": {"User": "x"' >img/cfg.json &&
  printf '[{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["l0.tar"]}]' >img/manifest.json &&
  tar -C img -cf img.tar manifest.json cfg.json l0.tar
one_line "image config" '^capscope scan: img\.tar: cfg\.json:[0-9]+:[0-9]+: not valid JSON' \
  "$CAPSCOPE" scan img.tar
# What go-yaml (Kubernetes) reads differently from a plain reading is
# refused where it is written, never taken as something else: a merge key
# (`<<: *privileged` would be ignored: a privileged container read as a
# plain one, lint silent), an explicit tag (`!!str 0` is a string to
# Kubernetes), a leading 0 (octal to YAML 1.1: 0777 is 511, not 777).
# The anchor is held by the pod's status, a field no reader takes (a
# top-level `x-base:` is not a field: refused since session 18, as kubectl).
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nstatus: &priv {privileged: true}\nspec:\n  containers:\n  - name: a\n    image: i\n    securityContext:\n      %s\n' "$1"; }
# What go-yaml v2 refuses after a tag or an anchor, and a directive before the
# first document (kubectl 1.32 refuses each; capscope read the privileged pod,
# the tag or anchor being in a field it does not read)
pod 'privileged: true' | sed 's/^metadata: {name: x}$/metadata: {name: x, labels: {a: !}}/' >tagend.yaml
one_line "a tag then '}'" "^capscope explain pod: tagend\.yaml:3:33: YAML: a tag not followed by a space or a line break" \
  "$CAPSCOPE" explain pod tagend.yaml
pod 'privileged: true' | sed 's/^status: &priv {/status: \&priv{/' >anchorend.yaml
one_line "an anchor then '{'" "^capscope lint: anchorend\.yaml:4:9: YAML: an anchor or alias followed by '\{'" \
  "$CAPSCOPE" lint anchorend.yaml
{ printf '%%YAML 1.1\n---\n'; pod 'privileged: true'; } >directive.yaml
one_line "%YAML 1.1 before the first document" "^capscope lint: directive\.yaml:2:1: YAML: a directive \(%YAML, %TAG\) not after a" \
  "$CAPSCOPE" lint directive.yaml
# (in a map capscope does not read: a label's value is read now, and a tag
# where capscope reads is refused in words)
pod 'privileged: true' | sed 's/^spec:$/spec:\n  nodeSelector: {a: !x b}/' >tagok.yaml
"$CAPSCOPE" explain pod tagok.yaml >/dev/null 2>err
ok $? "a tag then a space: read"
pod '<<: *priv' >merge.yaml
one_line "merge key, explain" "^capscope explain pod: merge\.yaml:10:7: YAML: merge key '<<'" \
  "$CAPSCOPE" explain pod merge.yaml
one_line "merge key, lint" "^capscope lint: merge\.yaml:10:7: YAML: merge key '<<'" \
  "$CAPSCOPE" lint merge.yaml
pod 'runAsUser: !!str 0' >tag.yaml
one_line "explicit tag" "^capscope explain pod: tag\.yaml:10:[0-9]+: spec\.containers\[0\]\.securityContext\.runAsUser: YAML tag 'tag:yaml.org,2002:str'" \
  "$CAPSCOPE" explain pod tag.yaml
pod 'privileged: !!bool true' >tag2.yaml
one_line "explicit tag on a boolean" "^capscope lint: tag2\.yaml:10:[0-9]+: spec\.containers\[0\]\.securityContext\.privileged: YAML tag" "$CAPSCOPE" lint tag2.yaml
pod 'runAsUser: 0777' >octal.yaml
one_line "leading 0" "^capscope explain pod: octal\.yaml:10:18: spec\.containers\[0\]\.securityContext\.runAsUser: '0777' is octal" \
  "$CAPSCOPE" explain pod octal.yaml
# A key that is an alias or carries a tag: go-yaml reads the key it names
# (`*k : true` with `&k privileged` is privileged: true); it was ignored.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {k: &k privileged}}\nspec:\n  containers:\n  - name: a\n    image: i\n    securityContext:\n      *k : true\n' >aliaskey.yaml
one_line "alias as a key" "^capscope explain pod: aliaskey\.yaml:9:[0-9]+: YAML: an alias as a key" \
  "$CAPSCOPE" explain pod aliaskey.yaml
# int32 fields (an SCC's priority, ports): the API server refuses a number
# that does not fit; priority 2147483648 sorted the SCC first (eighth pass).
printf 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata: {name: x}\nrunAsUser: {type: RunAsAny}\nseLinuxContext: {type: RunAsAny}\nfsGroup: {type: RunAsAny}\nsupplementalGroups: {type: RunAsAny}\npriority: 2147483648\n' >bigprio.yaml
printf 'kind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: i}]}\n' >plainpod.yaml
one_line "SCC priority past int32" "^capscope explain pod: --scc: bigprio\.yaml:8:11: priority: 2147483648 does not fit the field's int32" \
  "$CAPSCOPE" explain pod --scc bigprio.yaml plainpod.yaml
printf 'kind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: a\n    image: i\n    ports: [{containerPort: 80, hostPort: 4294967296}]\n' >bigport.yaml
one_line "hostPort past int32" "^capscope lint: bigport\.yaml:7:[0-9]+: spec\.containers\[0\]\.ports\.hostPort: 4294967296 does not fit" \
  "$CAPSCOPE" lint bigport.yaml
# go-yaml refuses an alias with no anchor before it (libfyaml took the one
# after: the first container was read as privileged) and an anchored node
# that holds its own alias, and %YAML other than 1.1 (eighth pass).
printf 'kind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: a\n    image: i\n    securityContext: *sc\n  - name: b\n    image: i\n    securityContext: &sc {privileged: true}\n' >fwdalias.yaml
one_line "alias before its anchor" "^capscope explain pod: fwdalias\.yaml:7:[0-9]+: YAML: unknown anchor 'sc' referenced" \
  "$CAPSCOPE" explain pod fwdalias.yaml
printf 'kind: Pod\nmetadata: {name: x}\nspec: &s\n  x: *s\n  containers: [{name: a, image: i}]\n' >selfalias.yaml
one_line "alias inside its anchor" "^capscope lint: selfalias\.yaml:4:[0-9]+: YAML: anchor 's' value contains itself" \
  "$CAPSCOPE" lint selfalias.yaml
printf '%%YAML 1.2\n---\nkind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, image: i}]}\n' >yaml12.yaml
one_line "%YAML 1.2" "^capscope explain pod: yaml12\.yaml:2:1: YAML: %YAML 1\.2: Kubernetes reads YAML 1\.1" \
  "$CAPSCOPE" explain pod yaml12.yaml
pod '? !!binary cHJpdmlsZWdlZA==
      : true' >tagkey.yaml
one_line "tag on a key" "^capscope lint: tagkey\.yaml:10:[0-9]+: YAML: a tag on a key" \
  "$CAPSCOPE" lint tagkey.yaml
for f in .INF .NAN -.INF; do
  pod "capabilities: {add: [$f]}" >float.yaml
  one_line "$f in a list of names" "^capscope lint: float\.yaml:10:[0-9]+: .*add\[0\]: '$f' is a number to Kubernetes" \
    "$CAPSCOPE" lint float.yaml
done
# A quoted value in a boolean or integer field is a string to Kubernetes, and a
# YAML 1.1 number not written in decimal is a number: said so, not "expected
# a boolean (true or false), got 'true'" (seventh pass)
pod 'runAsNonRoot: "true"' >qb.yaml
one_line "quoted boolean" "^capscope lint: qb\.yaml:10:[0-9]+: .*runAsNonRoot: 'true' is quoted: a string to Kubernetes, not a boolean; remove the quotes$" \
  "$CAPSCOPE" lint qb.yaml
for f in 0x10 1e3 0b11; do
  pod "runAsUser: $f" >hex.yaml
  one_line "runAsUser $f" "^capscope lint: hex\.yaml:10:[0-9]+: .*runAsUser: '$f' is a number to Kubernetes \(YAML 1\.1\), but not written as a plain decimal integer; write it so$" \
    "$CAPSCOPE" lint hex.yaml
done
# go-yaml v2 reads these as numbers (resolve.go): refused in a list of names
for f in 1_000 0o17 .5 0b-1 -.Inf 1e3; do
  pod "capabilities: {add: [$f]}" >num.yaml
  one_line "$f is a number" "^capscope lint: num\.yaml:10:[0-9]+: .*add\[0\]: '$f' is a number to Kubernetes" \
    "$CAPSCOPE" lint num.yaml
done
# ... and these as strings: an address, a version, a date, a range, a float
# out of range were refused as "a number to Kubernetes" (fifth pass)
{
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: 10.0.0.1}\nspec:\n  containers:\n'
  for n in 1.2.3 2001-12-14 1-2 1e999 -.nan 0x 1:20; do printf '  - {name: %s, image: i, args: [%s]}\n' "$n" "$n"; done
} >strs.yaml
"$CAPSCOPE" explain pod --json strs.yaml >strs.json 2>strs.err
ok $? "strings that look like numbers are read as go-yaml reads them"
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["containers"][0]["pod"], *[c["name"] for c in d["containers"]])' strs.json)
is "$got" "10.0.0.1 1.2.3 2001-12-14 1-2 1e999 -.nan 0x 1:20" "  ... with their text as written"
pod 'runAsUser: -0' >zero.yaml
"$CAPSCOPE" explain pod zero.yaml >/dev/null
ok $? "a plain 0, -0 is still a number"
# libfyaml 0.7.12 writes through NULL or frees twice on some texts with a
# complex key and a tab ("? b:<TAB>?", "? b:<TAB>:?"): such a text is refused
# before it parses, one line, never SIGSEGV.
printf '? b:\t?\n' >segv.yaml
one_line "tab after a complex key (NULL write), lint" "^capscope lint: segv\\.yaml:1:5: a tab in a text with a complex key" \
  "$CAPSCOPE" lint segv.yaml
printf 'rules:\n  ? b: c\n    d:\t|\n' >segv2.yaml
one_line "tab after a complex key (NULL write), lint --config" "^capscope lint: --config: segv2\\.yaml:3:7: a tab" \
  "$CAPSCOPE" lint --config segv2.yaml segv.yaml
printf '? b:\t:?\n' >free.yaml
one_line "tab after a complex key (double free), explain pod" "^capscope explain pod: free\\.yaml:1:5: a tab in a text" \
  "$CAPSCOPE" explain pod free.yaml
# The same after a line break of YAML 1.1's (U+2028, NEL) or after a
# value indicator on the line, which the session-10 check missed (SIGSEGV;
# libFuzzer, session 13). Line 2: YAML 1.1 starts one after U+2028 and NEL,
# and the check counts lines as libfyaml does.
printf '\342\200\250? b:\t:?\n' >ls.yaml
one_line "complex key after U+2028, explain pod" "^capscope explain pod: ls\\.yaml:2:5: a tab in a text with a complex key" \
  "$CAPSCOPE" explain pod ls.yaml
printf '\302\205? b:\t:?\n' >nel.yaml
one_line "complex key after NEL, lint" "^capscope lint: nel\\.yaml:2:5: a tab in a text with a complex key" \
  "$CAPSCOPE" lint nel.yaml
printf '#r?  o:e\n:   ?\t[a]x:d:\t\t:\t\taPo &?  :r~ s o[[[ ?[' >mid.yaml
one_line "complex key after ':' on its line, lint" "^capscope lint: mid\\.yaml:2:6: a tab in a text with a complex key" \
  "$CAPSCOPE" lint mid.yaml
# (in block style: in a flow mapping go-yaml ends the scalar at '?', and
# kubectl 1.32 refuses the file, as capscope does now)
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    why: Why? Because\nspec:\t{containers: [{name: a, image: i}]}\n' >why.yaml
"$CAPSCOPE" explain pod why.yaml >/dev/null 2>&1
ok $? "a '?' inside a plain scalar is no complex key: a tab there is still read"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\t{name: t}\nspec: {containers: [{name: a, image: i}]}\n' >tab.yaml
"$CAPSCOPE" explain pod tab.yaml >/dev/null 2>&1
ok $? "a tab as a separator without a complex key is still read"
# go-yaml names anchors and aliases with ASCII letters, digits, '-' and '_'
# only, and reads an empty, '~' or 'null' key as nil, which Kubernetes
# refuses: both were read here (kubectl 1.32 refuses each file below).
pod 'privileged: false' | sed 's/&priv/\&priv.x/' >anchor.yaml
one_line "anchor name" "^capscope lint: anchor\.yaml:4:9: YAML: an anchor or alias name" \
  "$CAPSCOPE" lint anchor.yaml
pod 'runAsUser: 0' | sed 's/^metadata: {name: x}/metadata: {name: x, ~: y}/' >nullkey.yaml
one_line "null key" "^capscope explain pod: nullkey\.yaml:3:21: YAML: a null key" \
  "$CAPSCOPE" explain pod nullkey.yaml
# Session 27, part B (libFuzzer, fuzz-ydoc-tabs): nested flow collections,
# tabs and a single-quoted scalar never closed; libfyaml 0.7.12 showing
# that error while the tab check scanned (not collecting it) read past its
# input: SEGV in fy_diag_error_atom_display, for lint and explain pod
cp "$CAPSCOPE_TOP/tests/fuzz/corpus/ydoc-tabs/flow-scalar-diag" flow.yaml
one_line "an unclosed quote among flow collections and tabs" \
  "^capscope lint: flow\.yaml:1:238: YAML: a single-quoted value with no closing \"'\" \\(it runs on to the end of the text\\): close it\$" "$CAPSCOPE" lint flow.yaml
"$CAPSCOPE" explain pod flow.yaml >/dev/null 2>&1
is "$?" 2 "... explain pod: exit 2, no crash"
done_testing
