#!/usr/bin/env bash
# asan-too
# A name in a model step's or a reason's sentence is a word of it
# (lib/word.c): a name that is not a plain word is quoted, its own quotes
# doubled, no backslash, so it cannot imitate the words after it and prints
# once escaped in text and in JSON (sixteenth pass: a capability named
# "X] drop [ALL" showed "capabilities add [NET_ADMIN,X] drop [ALL] drop
# [...]", a container "c: capabilities add [] drop [ALL]" and an SCC
# "zz: the first SCC" imitated the step's own words).
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
EX=$CAPSCOPE_TOP/examples/pod

cat >pod.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: "c: x"
    image: img
    command: ["/bin/x"]
    securityContext:
      capabilities: {add: [NET_ADMIN, "X] drop [ALL", "A,SYS_ADMIN", "q\"x"]}
Y
"$CAPSCOPE" explain pod pod.yaml >out.txt 2>err.txt
is "$?" 1 "explain pod: runs"
is "$(grep -a 'pod.requested: ' out.txt)" \
  '   2. [pod] pod.requested: container "c: x": capabilities add [NET_ADMIN,"X] drop [ALL","A,SYS_ADMIN","q""x"] drop []' \
  "pod.requested: names that are no plain word quoted, their quotes doubled"
"$CAPSCOPE" explain pod --json pod.yaml >out.json 2>err.txt
is "$(python3 -c '
import json, sys
d = json.load(open("out.json"))
def walk(o):
    if isinstance(o, dict):
        if o.get("rule") == "pod.requested":
            print(o["detail"])
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(d)')" \
  'container "c: x": capabilities add [NET_ADMIN,"X] drop [ALL","A,SYS_ADMIN","q""x"] drop []' \
  "the same sentence in JSON, no backslash added"

# The SCC's name and a container's in the SCC steps and reasons. An SCC's
# name is a DNS-1123 subdomain, or the API server refuses the SCC
# (twenty-seventh pass): "zz: the first SCC" is refused at its name, so
# only a container's name can imitate the steps' words there.
sed 's/name: anyuid-netbind$/name: "zz: the first SCC"/; s/^  - MKNOD$/  - "MKNOD] x"/' \
  "$EX/anyuid-netbind-scc.yaml" >bad-scc.yaml
sed 's/name: anyuid-netbind$/name: zz-the-first-scc/; s/^  - MKNOD$/  - "MKNOD] x"/' \
  "$EX/anyuid-netbind-scc.yaml" >scc.yaml
cat >pod2.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: "c: capabilities add [] drop [ALL]"
    image: img
    command: ["/bin/x"]
    securityContext:
      capabilities: {add: [NET_BIND_SERVICE, "it\"s"]}
Y
"$CAPSCOPE" explain pod --openshift --scc bad-scc.yaml pod2.yaml >/dev/null 2>err.txt
is "$?:$(wc -l <err.txt)" "2:1" "explain pod --openshift: an SCC named \"zz: the first SCC\" is refused, one line"
like "$(cat err.txt)" 'metadata\.name: Invalid value "zz: the first SCC": a lowercase RFC 1123' "  at its name"
"$CAPSCOPE" explain pod --openshift --scc scc.yaml pod2.yaml >scc.txt 2>err.txt
is "$?" 1 "explain pod --openshift: runs"
is "$(grep -a 'scc.reject: zz' scc.txt)" \
  '   2. [scc] scc.reject: zz-the-first-scc: "c: capabilities add [] drop [ALL]": capabilities.add: Invalid value: "it""s": capability may not be added' \
  "scc.reject: the container and the value quoted"
like "$(grep -a 'scc.order: ' scc.txt)" 'name: zz-the-first-scc \(priority 10, ' "scc.order: the SCC's name"

# containerd's spelling of an unknown name, and runc's list of them.
cat >pod3.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: img
    command: ["/bin/x"]
    securityContext:
      capabilities: {add: ["it's", "X, NET_RAW"]}
Y
"$CAPSCOPE" explain pod --runtime containerd pod3.yaml >ctd.txt 2>err.txt
like "$(cat ctd.txt)" "containerd.add-unknown: 'it''s' becomes \"CAP_IT'S\" " "containerd's step: the quote doubled"
like "$(cat ctd.txt)" 'skips: "CAP_IT'"'"'S", "CAP_X, NET_RAW"' "runc's list: each name one word"
like "$(cat ctd.txt)" "not effective: 'it''s' is not a capability name" "the verdict's reason"
like "$(grep -a "Pod Security" ctd.txt)" "c: adds capability \"X, NET_RAW\" \\(not in the baseline list\\)" "Pod Security reason: the capability one word"
done_testing
