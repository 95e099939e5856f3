#!/usr/bin/env bash
# asan-too
# capscope lint: golden text, JSON and SARIF per rule (tests/data/lint/RULE.yaml
# → tests/cli/lint-golden/RULE.{txt,json,sarif}), SARIF checked against the
# official 2.1.0 schema, byte-identical re-runs, stable fingerprints, config and
# suppression, exit codes, and hostile input. Regenerate the goldens with
# CAPSCOPE_GOLDEN_UPDATE=1 and review the diff.
source "$(dirname "$0")/../lib/tap.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
tap_tmpdir
G=$CAPSCOPE_TOP/tests/cli/lint-golden
cd "$CAPSCOPE_TOP" || exit 1

# The escalation rule needs an image: a rootfs whose entrypoint is set-uid.
mkdir -p "$T/rootfs/bin" && cp /bin/true "$T/rootfs/bin/helper" && chmod 4755 "$T/rootfs/bin/helper"
args_for() {
  case $1 in
    escalation-entrypoint) echo "--rootfs $T/rootfs" ;;
    scc-not-admitted) echo "--openshift --uid-range 1000/100" ;;
    psa-level) echo "--psa-level restricted" ;;
  esac
}

golden() { # name format got
  local want=$G/$1.$2
  if [ -n "${CAPSCOPE_GOLDEN_UPDATE:-}" ]; then printf '%s\n' "$3" >"$want"; fi
  is "$3" "$(cat "$want")" "$1: $2 golden"
}

have_schema=0
python3 -c 'import jsonschema' 2>/dev/null && have_schema=1
sarif_valid() { # file
  python3 - "$CAPSCOPE_TOP/tests/data/sarif/sarif-schema-2.1.0.json" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validate(json.load(open(sys.argv[2])), schema,
                    format_checker=jsonschema.FormatChecker())
PY
}

for f in tests/data/lint/*.yaml; do
  name=$(basename "$f" .yaml)
  [ "$name" = config ] && continue
  # shellcheck disable=SC2046
  set -- $(args_for "$name")
  txt=$("$CAPSCOPE" lint "$@" "$f" 2>&1); rc=$?
  golden "$name" txt "$txt"
  case $name in
    clean|dangerous-cap|missing-drop-all|cap-spelling) is "$rc" 0 "$name: exit 0 (no error-level finding)" ;;
    *) is "$rc" 1 "$name: exit 1 (findings at error)" ;;
  esac
  golden "$name" json "$("$CAPSCOPE" lint --json "$@" "$f" | jq -S .)"
  "$CAPSCOPE" lint --sarif "$@" "$f" >"$T/$name.sarif"
  golden "$name" sarif "$(cat "$T/$name.sarif")"
  "$CAPSCOPE" lint --sarif "$@" "$f" >"$T/$name.again"
  cmp -s "$T/$name.sarif" "$T/$name.again"; ok $? "$name: SARIF byte-identical on a re-run"
  if [ $have_schema = 1 ]; then
    sarif_valid "$T/$name.sarif" 2>"$T/err"; ok $? "$name: SARIF valid against the 2.1.0 schema"
    [ -s "$T/err" ] && sed 's/^/#   /' "$T/err" | tail -n 5
  else
    skip "$name: python3-jsonschema is not installed"
  fi
  if [ "$name" != clean ] && [ "$name" != suppressed ]; then
    is "$(jq -r '[.runs[0].results[] | select(.ruleId == "'"$name"'")] | length > 0' "$T/$name.sarif")" true \
      "$name: the rule fires"
  fi
done

# The reference article's pod: why it fails and how to fix it.
out=$("$CAPSCOPE" lint examples/pod/nonroot-netbind.yaml); rc=$?
is "$rc" 1 "nonroot-netbind: exit 1"
like "$out" "NET_BIND_SERVICE will not be effective: non-root uid 1000, no ambient set \[nonroot-no-ambient\]; fix: " \
  "nonroot-netbind: says why NET_BIND_SERVICE fails and names a fix"
like "$out" "nonroot-netbind.yaml:19:15 +error +cap-not-effective" "nonroot-netbind: points at the add entry"

# File capabilities on the entrypoint (setcap needs root and xattrs).
mkdir -p "$T/fcroot/bin" && cp /bin/true "$T/fcroot/bin/helper" && chmod 755 "$T/fcroot/bin/helper"
if [ "$(id -u)" -eq 0 ] && setcap cap_net_raw+ep "$T/fcroot/bin/helper" 2>/dev/null; then
  out=$("$CAPSCOPE" lint --rootfs "$T/fcroot" tests/data/lint/escalation-entrypoint.yaml)
  like "$out" "entrypoint /bin/helper has file capabilities NET_RAW: execve raises" \
    "escalation-entrypoint: file capabilities named"
  sed 's/    securityContext:/    securityContext:\n      allowPrivilegeEscalation: false/' \
    tests/data/lint/escalation-entrypoint.yaml >"$T/nnp.yaml"
  out=$("$CAPSCOPE" lint --rootfs "$T/fcroot" "$T/nnp.yaml")
  like "$out" "^0 finding" "allowPrivilegeEscalation: false: no escalation finding"
else
  skip "file capabilities: needs root and xattr support"
  skip "file capabilities: needs root and xattr support"
fi
# A "#!" entrypoint: execve ignores the script's own set-uid bit and file
# capabilities, and takes its interpreter's.
mkdir -p "$T/shroot/bin" && printf '#!/bin/capped\n' >"$T/shroot/bin/helper" && chmod 4755 "$T/shroot/bin/helper"
cp /bin/true "$T/shroot/bin/capped"
out=$("$CAPSCOPE" lint --rootfs "$T/shroot" tests/data/lint/escalation-entrypoint.yaml)
like "$out" "^0 finding" "escalation-entrypoint: a set-uid #! script raises nothing"
if [ "$(id -u)" -eq 0 ] && setcap cap_net_raw+ep "$T/shroot/bin/capped" 2>/dev/null; then
  out=$("$CAPSCOPE" lint --rootfs "$T/shroot" tests/data/lint/escalation-entrypoint.yaml)
  like "$out" 'entrypoint /bin/helper is a "#!" script whose interpreter /bin/capped has file capabilities NET_RAW' \
    "escalation-entrypoint: the #! interpreter's file capabilities named"
else
  skip "escalation-entrypoint: #! interpreter with file capabilities (needs root and xattrs)"
fi
out=$("$CAPSCOPE" lint tests/data/lint/escalation-entrypoint.yaml)
like "$out" "^0 finding" "escalation-entrypoint: silent without --rootfs or --image (nothing is known)"

# SARIF details GitHub needs.
S=$T/cap-not-effective.sarif
is "$(jq -r '.runs[0].tool.driver.rules | map(.properties["security-severity"] | type) | unique | join(",")' "$S")" string \
  "security-severity is a string"
is "$(jq -r '.runs[0].tool.driver.rules | map(.id) | join(",")' "$S")" \
  "cap-not-effective,dangerous-cap,missing-drop-all,privileged,escalation-entrypoint,scc-not-admitted,psa-level,cap-spelling" \
  "every rule in tool.driver.rules, in order"
is "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' "$S")" \
  "tests/data/lint/cap-not-effective.yaml" "artifact URI relative"
"$CAPSCOPE" lint --sarif "$CAPSCOPE_TOP/tests/data/lint/cap-not-effective.yaml" >"$T/abs.sarif"
is "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' "$T/abs.sarif")" \
  "tests/data/lint/cap-not-effective.yaml" "an absolute path below the current directory becomes relative"

# Fingerprints: the same across an unrelated edit that moves the object.
fp() { "$CAPSCOPE" lint --json "$1" | jq -r '[.findings[] | .rule + "=" + .fingerprint] | join(" ")'; }
{ printf '# a comment\n# and another\n---\nkind: ConfigMap\nmetadata: {name: x}\n---\n'; cat tests/data/lint/dangerous-cap.yaml; } >"$T/moved.yaml"
is "$(fp "$T/moved.yaml")" "$(fp tests/data/lint/dangerous-cap.yaml)" "fingerprints survive moving the object"
isnt_same=$(sed 's/name: dangerous/name: other/' tests/data/lint/dangerous-cap.yaml >"$T/renamed.yaml"; fp "$T/renamed.yaml")
ok $([ "$isnt_same" != "$(fp tests/data/lint/dangerous-cap.yaml)" ] && echo 0 || echo 1) "fingerprints differ for another object"

# Config file and --fail-on.
out=$("$CAPSCOPE" lint --json --config tests/data/lint/config.yaml tests/data/lint/dangerous-cap.yaml tests/data/lint/cap-spelling.yaml)
is "$(jq -r '[.findings[] | .rule + ":" + .level] | unique | join(",")' <<<"$out")" "dangerous-cap:error" \
  "config: cap-spelling off, dangerous-cap raised to error"
"$CAPSCOPE" lint tests/data/lint/dangerous-cap.yaml >/dev/null; is $? 0 "warnings only: exit 0 with --fail-on error"
"$CAPSCOPE" lint --fail-on warning tests/data/lint/dangerous-cap.yaml >/dev/null; is $? 1 "--fail-on warning: exit 1"
"$CAPSCOPE" lint --fail-on none tests/data/lint/privileged.yaml >/dev/null; is $? 0 "--fail-on none: exit 0"
printf 'rules:\n  cap-spelin: off\n' >"$T/typo.yaml"
out=$("$CAPSCOPE" lint --config "$T/typo.yaml" tests/data/lint/clean.yaml 2>&1); rc=$?
is "$rc" 2 "config with an unknown rule: exit 2"
like "$out" "typo.yaml:2:3: rules: unknown rule 'cap-spelin'" "config error names the line"
printf 'rules:\n  privileged: maybe\n' >"$T/lvl.yaml"
"$CAPSCOPE" lint --config "$T/lvl.yaml" tests/data/lint/clean.yaml >/dev/null 2>&1; is $? 2 "config with a bad level: exit 2"

# Usage and input errors: 2.
"$CAPSCOPE" lint >/dev/null 2>&1; is $? 2 "no FILE: exit 2"
"$CAPSCOPE" lint --psa-level strict x >/dev/null 2>&1; is $? 2 "bad --psa-level: exit 2"
"$CAPSCOPE" lint --json --sarif x >/dev/null 2>&1; is $? 2 "--json with --sarif: exit 2"
"$CAPSCOPE" lint "$T/none.yaml" >/dev/null 2>&1; is $? 2 "missing file: exit 2"
printf 'kind: Pod\nspec: [\n' >"$T/bad.yaml"
out=$("$CAPSCOPE" lint "$T/bad.yaml" 2>&1); is $? 2 "bad YAML: exit 2"
like "$out" "bad.yaml:" "bad YAML: the message names the file"

# stdin and directories: recursion, name order, extensions, symlinks not followed.
out=$("$CAPSCOPE" lint - <tests/data/lint/privileged.yaml); rc=$?
like "$out" "^-:14:11 +error +privileged" "stdin is read as -"
mkdir -p "$T/tree/b/deep" "$T/tree/a" "$T/outside"
cp tests/data/lint/privileged.yaml "$T/tree/b/deep/p.yml"
cp tests/data/lint/dangerous-cap.yaml "$T/tree/a/d.json.yaml"
cp tests/data/lint/privileged.yaml "$T/tree/a/notes.txt"
cp tests/data/lint/privileged.yaml "$T/tree/a/p.YAML"
cp tests/data/lint/privileged.yaml "$T/outside/secret.yaml"
printf 'replicaCount: 2\nimage: {tag: v1}\n' >"$T/tree/a/values.yaml"
ln -s "$T/outside" "$T/tree/link"
ln -s "$T/outside/secret.yaml" "$T/tree/l.txt"
out=$(cd "$T" && "$CAPSCOPE" lint --json tree)
is "$(jq -r '[.findings[].file] | unique | join(",")' <<<"$out")" "tree/a/d.json.yaml,tree/b/deep/p.yml" \
  "directory: *.yaml and *.yml found recursively; .txt, .YAML and symlinked entries skipped"
is "$(jq -r '[.summary.files, .summary.other_files] | join(" ")' <<<"$out")" "2 1" \
  "directory: two manifests read, a values.yaml without kind passed over"
"$CAPSCOPE" lint "$T/tree/a/values.yaml" >/dev/null 2>&1; is $? 2 "a file without kind named on the command line: exit 2"
# kubectl apply -f DIR reads .x.yaml, and with -R .d/x.yaml: both are read
# (they were skipped, a privileged Pod unseen: fifteenth pass); a link named
# like a manifest, whose target kubectl reads, is read when its target stays
# in the tree, refused naming it when not.
mkdir -p "$T/tree5/.d" "$T/tree6"
cp tests/data/lint/privileged.yaml "$T/tree5/.x.yaml"
cp tests/data/lint/privileged.yaml "$T/tree5/.d/x.yaml"
out=$(cd "$T" && "$CAPSCOPE" lint --json tree5)
is "$(jq -r '[.findings[].file] | unique | join(",")' <<<"$out")" "tree5/.d/x.yaml,tree5/.x.yaml" \
  "directory: dot files and dot directories read, as kubectl reads them"
cp tests/data/lint/privileged.yaml "$T/tree6/notes.txt"
ln -s notes.txt "$T/tree6/x.yaml"
mkdir -p "$T/tree6/sub" && ln -s ../notes.txt "$T/tree6/sub/y.yml"
out=$(cd "$T" && "$CAPSCOPE" lint --json tree6); rc=$?
is "$rc" 1 "directory: links named x.yaml to a file of the tree: read (exit 1: a privileged Pod)"
is "$(jq -r '[.findings[].file] | unique | join(",")' <<<"$out") $(jq -r '[.summary.files, .summary.same_files] | join(" ")' <<<"$out")" \
  "tree6/sub/y.yml 1 1" "... the file read once, named by the first name walked; the other counted"
# A directory mounted from a ConfigMap or Secret, as the kubelet's atomic
# writer lays it out: each key a link x.yaml -> ..data/x.yaml, ..data a link
# to the timestamped directory that holds the files. kubectl -f DIR reads the
# links; with -R it also reads ..TIMESTAMP/x.yaml (each Pod twice). lint
# failed on every such directory (fifteenth pass, second round); it reads
# each file once.
ts="..2026_11_30_23_00_00.123456789"
mkdir -p "$T/cm/$ts"
cp tests/data/lint/privileged.yaml "$T/cm/$ts/p.yaml"
cp tests/data/lint/dangerous-cap.yaml "$T/cm/$ts/d.json"
printf 'replicaCount: 2\n' >"$T/cm/$ts/values.yaml"
ln -s "$ts" "$T/cm/..data"
for k in p.yaml d.json values.yaml; do ln -s "..data/$k" "$T/cm/$k"; done
for given in cm cm/ "$T/cm"; do
  out=$(cd "$T" && "$CAPSCOPE" lint --json "$given"); rc=$?
  is "$rc" 1 "ConfigMap-style directory ($given): read, exit 1 (a privileged Pod)"
  is "$(jq -r '[.summary.files, .summary.other_files, .summary.same_files] | join(" ")' <<<"$out") $(jq -r '[.findings[].file] | unique | length' <<<"$out")" \
    "2 1 3 2" "... ($given) two manifests and a values.yaml read once each, three second names counted"
done
out=$("$CAPSCOPE" lint "$T/cm" 2>&1)
like "$out" "3 file\(s\) reached again \(by a link, a hard link, or named again\) read once" "... said in the text summary"
# Sixteenth pass, part H: the set of files read was the walk's, so a file
# named twice, or named beside its directory, was linted twice: each
# finding reported twice (2 errors for one privileged Pod).
for args in "cm/p.yaml cm/p.yaml" "cm cm/$ts/p.yaml" "cm/$ts/p.yaml cm"; do
  out=$(cd "$T" && "$CAPSCOPE" lint --json $args); rc=$?
  is "$rc:$(jq -r '[.summary.errors, ([.findings[] | select(.rule == "privileged")] | length)] | join(" ")' <<<"$out")" \
    "1:$(cd "$T" && "$CAPSCOPE" lint --json cm | jq -r '[.summary.errors, ([.findings[] | select(.rule == "privileged")] | length)] | join(" ")')" \
    "lint $args: each finding once, as for cm alone"
done
# A link that leaves the tree (climbing or absolute), dangles, loops or leads
# to a directory: one error naming it; never followed out, never skipped.
mkdir -p "$T/ln1/d" "$T/ln2" "$T/ln3" "$T/ln4" "$T/ln5/dir.d"
ln -s ../../outside/secret.yaml "$T/ln1/d/x.yaml"
ln -s "$T/outside/secret.yaml" "$T/ln2/x.yaml"
ln -s nothere.yaml "$T/ln3/x.yaml"
ln -s x.yaml "$T/ln4/y.yaml" && ln -s y.yaml "$T/ln4/x.yaml"
ln -s dir.d "$T/ln5/x.yaml"
mkdir -p "$T/ln6" && mkfifo "$T/ln6/f" && ln -s f "$T/ln6/x.yaml"
for c in "ln1/d/x.yaml:a symbolic link out of the tree" "ln2/x.yaml:a symbolic link out of the tree" \
  "ln3/x.yaml:a dangling symbolic link" "ln4/x.yaml:a symbolic link loop" \
  "ln5/x.yaml:a symbolic link to a directory" "ln6/x.yaml:a symbolic link to what is not a regular file"; do
  out=$("$CAPSCOPE" lint "$T/${c%%/*}" 2>&1); rc=$?
  is "$rc" 2 "directory ${c%%/*}: exit 2"
  like "$out" "${c%%:*}: ${c#*:}" "... ${c#*:}, naming the link"
  ! [[ "$out" =~ privileged|finding ]]; ok $? "... nothing read through it"
done
# kubectl -f DIR -R reads a file named .yaml, .yml or .json alone (its
# extension is its whole name), and .git/, .hg/ and .svn/ (a git checkout can
# hold .hg/ and .svn/): all were skipped, privileged Pods unseen (fifteenth
# pass, second round).
mkdir -p "$T/tree8/.git" "$T/tree8/.hg" "$T/tree8/.svn"
for f in .yaml .yml .json .git/x.yaml .hg/x.yaml .svn/x.yml; do
  cp tests/data/lint/privileged.yaml "$T/tree8/$f"
done
out=$(cd "$T" && "$CAPSCOPE" lint --json tree8)
is "$(jq -r '[.findings[].file] | unique | join(",")' <<<"$out")" \
  "tree8/.git/x.yaml,tree8/.hg/x.yaml,tree8/.json,tree8/.svn/x.yml,tree8/.yaml,tree8/.yml" \
  "directory: .yaml, .yml, .json alone and .git, .hg, .svn read, as kubectl -R reads them"
# What lint cannot read is an error naming it, never passed over: an entry
# of a directory it may list but not search (kubectl: "permission denied";
# lint said "0 object(s)", exit 0), a FIFO named like a manifest.
mkdir -p "$T/tree9/d" "$T/tree10"
cp tests/data/lint/privileged.yaml "$T/tree9/d/x.yaml"
chmod 644 "$T/tree9/d"
nodac() { if [ "$(id -u)" = 0 ]; then setpriv --bounding-set=-dac_override,-dac_read_search "$@"; else "$@"; fi; }
if command -v setpriv >/dev/null || [ "$(id -u)" != 0 ]; then
  out=$(nodac "$CAPSCOPE" lint "$T/tree9" 2>&1); rc=$?
  is "$rc" 2 "directory: an entry that cannot be looked at: exit 2"
  like "$out" "tree9/d/x.yaml: cannot read: Permission denied" "... naming it"
else
  skip "setpriv missing"; skip "setpriv missing"
fi
chmod 755 "$T/tree9/d"
mkfifo "$T/tree10/p.yaml"
out=$("$CAPSCOPE" lint "$T/tree10" 2>&1); rc=$?
is "$rc" 2 "directory: a FIFO named p.yaml: exit 2"
like "$out" "tree10/p.yaml: not a regular file" "... naming it"
# A kindless document beside a Pod is no values.yaml: kubectl refuses that
# document and still creates the Pod, so the file is not passed over (it
# was, the privileged Pod unread: fifteenth pass); nor is a List whose item
# has no kind.
mkdir -p "$T/tree2" "$T/tree3"
{ cat tests/data/lint/privileged.yaml; printf -- '---\nreplicaCount: 2\n'; } >"$T/tree2/mixed.yaml"
out=$("$CAPSCOPE" lint "$T/tree2" 2>&1); rc=$?
is "$rc" 2 "a tree's file with a Pod and a kindless document: exit 2"
like "$out" "mixed.yaml:$(($(wc -l <tests/data/lint/privileged.yaml) + 2)):1: kind: a document without a kind beside Kubernetes objects" \
  "... at the kindless document"
printf 'kind: List\nitems:\n- {kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, securityContext: {privileged: true}}]}}\n- {replicaCount: 2}\n' >"$T/tree3/l.yaml"
out=$("$CAPSCOPE" lint "$T/tree3" 2>&1); rc=$?
is "$rc" 2 "a tree's List with an item without kind: exit 2"
like "$out" "l.yaml:4:4: items\\[1\\]\\.kind: an item without a kind" "... at the item"

# Hostile input. Memory is capped at 1 GB of address space, except under
# ASan, which reserves terabytes of it for its shadow.
vlimit() { if [[ $CAPSCOPE == *asan* ]]; then "$@"; else (ulimit -v 1000000; "$@"); fi; }
python3 - "$T/alias.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("kind: Pod\nmetadata: {name: bomb}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
    for i in range(1, 12):
        f.write(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]\n")
    f.write("spec:\n  containers:\n  - name: c\n    command: *a11\n")
PY
out=$("$CAPSCOPE" lint "$T/alias.yaml" 2>&1); rc=$?
is "$rc" 2 "alias bomb: exit 2"
like "$out" "alias bomb|expands|alias" "alias bomb: a clear error"
python3 - "$T/big.yaml" <<'PY'
import sys
doc = "---\nkind: ConfigMap\nmetadata: {name: cm%d}\ndata: {k: \"%s\"}\n"
with open(sys.argv[1], "w") as f:
    i = 0
    while f.tell() < 50 * 1024 * 1024:
        f.write(doc % (i, "x" * 4000)); i += 1
PY
out=$(vlimit "$CAPSCOPE" lint "$T/big.yaml" 2>&1); rc=$?
is "$rc" 2 "50 MB multi-document file: exit 2"
like "$out" "larger than 16 MiB" "50 MB file: a clear error, within 1 GB of address space"
python3 - "$T/helm.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        kind = ["Deployment", "StatefulSet", "DaemonSet", "Job"][i % 4]
        api = "batch/v1" if kind == "Job" else "apps/v1"
        f.write(f"""---
# Source: chart/templates/w{i}.yaml
apiVersion: {api}
kind: {kind}
metadata:
  name: w{i}
  namespace: ns{i % 7}
spec:
  template:
    spec:
      containers:
      - name: c
        image: img{i}
        securityContext:
          capabilities:
            drop: [ALL]
            add: [{"SYS_ADMIN" if i % 10 == 0 else "NET_BIND_SERVICE"}]
""")
PY
out=$(vlimit "$CAPSCOPE" lint --json "$T/helm.yaml"); rc=$?
is "$rc" 0 "1,000 objects: exit 0 (warnings only)"
is "$(jq -r '[.summary.objects, ([.findings[] | select(.rule == "dangerous-cap")] | length)] | join(" ")' <<<"$out")" "1000 100" \
  "1,000 objects: every object read, SYS_ADMIN found in each tenth"

# Escaping: a hostile name cannot reach the terminal raw.
printf 'kind: Pod\nmetadata: {name: "x\\e[31mred"}\nspec: {containers: [{name: c, securityContext: {privileged: true}}]}\n' >"$T/esc.yaml"
out=$("$CAPSCOPE" lint "$T/esc.yaml")
like "$out" 'Pod/x\\x1b\[31mred:c' "text output escapes names"

# Runtimes upper-case a capability name with Go's strings.ToUpper: "\u017fys_admin"
# (long s) is CAP_SYS_ADMIN to them; lint said "not a capability name".
printf 'kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, securityContext: {runAsUser: 0, capabilities: {add: ["\xc5\xbfys_admin"]}}}]}\n' >"$T/longs.yaml"
out=$("$CAPSCOPE" lint --json "$T/longs.yaml")
is "$(jq -r '[.findings[].rule] | sort | join(" ")' <<<"$out")" "dangerous-cap missing-drop-all" \
  "a long-s capability name is read as the runtimes read it (SYS_ADMIN, no cap-not-effective)"
# Eleventh pass: columns are code points, said so (no columnKind left a
# consumer free to read them as UTF-16 units: one column off per emoji).
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: "\xc3\xa9\xf0\x9f\x98\x80", securityContext: {privileged: true}}\n' >"$T/u.yaml"
"$CAPSCOPE" lint --sarif "$T/u.yaml" >"$T/u.sarif"
is "$(jq -c '[.runs[0].columnKind, .runs[0].results[0].locations[0].physicalLocation.region.startColumn]' "$T/u.sarif")" \
  '["unicodeCodePoints",46]' "SARIF: the unit of columns is given (46, code points; UTF-16 units would be 47)"
# A container past the model's 256 groups has no verdicts to lint: the file's
# error, naming it (explain pod now reports it per container, eleventh pass).
printf 'kind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {supplementalGroups: [%s]}\n  containers: [{name: c}]\n' \
  "$(seq -s, 1 300)" >"$T/groups.yaml"
"$CAPSCOPE" lint "$T/groups.yaml" >/dev/null 2>"$T/groups.err"
is "$? $(cat "$T/groups.err")" \
  "2 capscope lint: $T/groups.yaml: container c: not modelled: supplementalGroups: more than 256 supplementary groups: the model holds at most 256" \
  "a container the model cannot follow: exit 2, one error naming it"
done_testing
