#!/usr/bin/env bash
# asan-too
# Hostile quotes through every command's messages and prose, in text and
# JSON: a value a message or a model step quotes has that quote doubled
# (lib/msg-format.c), whichever path made the text (seventeenth pass, part
# D: cs_strf, snprintf, asprintf, the CLI's own messages and the model's
# steps each did it by hand, or not: `encode "a'b"` said 'a'b',
# `scan --fail-on "a'b"` and daemon.json's "(inside 'lo'g')" too).
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
has() { # got fixed-text description
  if [[ "$1" == *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3"; printf '#   got: %s\n#   want: %s\n' "${1:0:400}" "$2"; fi
}
hasnt() { # got fixed-text description
  if [[ "$1" != *"$2"* ]]; then ok 0 "$3"; else ok 1 "$3"; printf '#   got: %s\n' "${1:0:400}"; fi
}

err=$("$CAPSCOPE" encode "a'b" 2>&1)
has "$err" "encode: 'a''b': column 1: unknown capability 'a''b'" "encode: both quotations doubled"
touch f
err=$("$CAPSCOPE" file set "a'b" f 2>&1)
has "$err" "TEXT 'a''b': column 1:" "file set: the TEXT's quote doubled"
err=$("$CAPSCOPE" scan --fail-on "a'b" . 2>&1)
has "$err" "--fail-on: 'a''b' is not info" "scan: an option's value doubled (the CLI's messages)"
err=$("$CAPSCOPE" explain oci --caller "x'y" . 2>&1)
has "$err" "not 'x''y'" "explain oci: --caller's value doubled"
err=$("$CAPSCOPE" no-such"'"cmd 2>&1)
has "$err" "unknown command 'no-such''cmd'" "capscope: an unknown command doubled"

printf '{"lo'"'"'g": {"x'"'"'y": 1}}\n' >d.json
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n' >p.yaml
err=$("$CAPSCOPE" explain pod --runtime docker@20.10 --docker-config d.json p.yaml 2>&1)
has "$err" "(inside 'lo''g')" "explain pod: daemon.json's enclosing key doubled"

cat >q.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    openshift.io/required-scc: "re'q"
spec:
  containers:
  - name: c
    image: i
    securityContext:
      capabilities:
        add: ["X'Y", "Z\"W"]
YAML
# text, then every string of the JSON (Python reads it back)
strings_of() { python3 -c 'import json, sys
def walk(x):
    if isinstance(x, dict):
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
    elif isinstance(x, str): print(x)
walk(json.load(sys.stdin))'; }
for fmt in text json; do
  j=; [ $fmt = json ] && j=--json
  out=$("$CAPSCOPE" explain pod $j --openshift q.yaml 2>&1)
  [ $fmt = json ] && out=$(strings_of <<<"$out")
  has "$out" "requires SCC 're''q' (openshift.io/required-scc)" "explain pod $fmt: the SCC reason's quote doubled"
  has "$out" "adds capability \"Z\"\"W\" (not in the baseline list)" "explain pod $fmt: Pod Security's word doubled"
  out=$("$CAPSCOPE" explain pod $j --runtime containerd q.yaml 2>&1)
  [ $fmt = json ] && out=$(strings_of <<<"$out")
  has "$out" "'X''Y' becomes \"CAP_X'Y\"" "explain pod $fmt: containerd's step doubles each quote"
  has "$out" "'Z\"W' becomes \"CAP_Z\"\"W\"" "explain pod $fmt: and the other"
  has "$out" "not effective: 'X''Y' is not a capability name" "explain pod $fmt: the verdict doubles it"
  hasnt "$out" "'X''''Y'" "explain pod $fmt: never doubled twice"
done
# lint's own prose: a name that is no capability, and an SCC's name, are
# words of the sentence (lib/word.c), quoted when not plain: both imitated
# the words after them.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext: {capabilities: {add: ["X will not be effective: fake", SYS_ADMIN]}}\n' >l.yaml
# An SCC's name cannot be one since the twenty-seventh pass (a DNS-1123
# subdomain, or the API server refuses the SCC): refused at its name.
sed 's/^  name: restricted-v2$/  name: "zz: the pod is fine"/' "$CAPSCOPE_TOP/data/scc/restricted-v2.yaml" >scc.yaml
for fmt in text json; do
  j=; [ $fmt = json ] && j=--json
  out=$("$CAPSCOPE" lint $j l.yaml 2>&1)
  [ $fmt = json ] && out=$(strings_of <<<"$out")
  has "$out" '"X will not be effective: fake" will not be effective: ' "lint $fmt: an unknown name is a quoted word"
  out=$("$CAPSCOPE" lint $j --scc scc.yaml l.yaml 2>&1)
  is "$?:$(wc -l <<<"$out")" "2:1" "lint $fmt: an SCC named \"zz: the pod is fine\" is refused, one line"
  has "$out" 'scc.yaml:21:9: metadata.name: Invalid value "zz: the pod is fine": a lowercase RFC 1123' "lint $fmt: at its name"
done
done_testing
