#!/usr/bin/env bash
# asan-too
# Names put into the snippets a user copies (explain pod's remedies, policy
# scc's `oc` line) are quoted for the snippet's language (escape.h,
# cs_quote_*_dup): a container command "/bin/x; touch PWNED" went into a
# Dockerfile RUN line as it was, a `"` ended the ENTRYPOINT's JSON string and
# added elements, a container name with ": " or `"` broke the YAML blocks,
# and a service account "sa`...`" or a namespace "$(...)" ran in the shell.
# Each snippet is checked by its own language's reader: the words, strings
# and scalars it yields are the manifest's own, and nothing more.
source "$(dirname "$0")/../lib/tap.sh"
python3 -c 'import yaml' 2>/dev/null || skip_all "needs python3 with yaml"
tap_tmpdir
cd "$T" || exit 1

cat >pod.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: "$(touch PWNED-ns)"}
spec:
  serviceAccountName: "sa`touch PWNED-sa` 'q' \"d\""
  containers:
  - name: "c\"]; x: [\"y #z\e[2J"
    image: img
    command: ["/bin/x; touch PWNED #\" \"evil\u202e\x9b", "a"]
    securityContext:
      runAsUser: 1000
      capabilities: {add: [NET_ADMIN]}
Y
ep=$'/bin/x; touch PWNED #" "evil\u202e\u009b'
cn=$'c"]; x: ["y #z\e[2J'

"$CAPSCOPE" explain pod pod.yaml >out.txt 2>err.txt
is "$?" 1 "explain pod: runs (exit 1: NET_ADMIN is not effective)"
raw_ctl out.txt; ok $((! $?)) "explain pod: no raw control byte"
ok "$(grep -qa $'\u202e\|\u009b' out.txt; echo $((! $?)))" "explain pod: no raw bidi or C1 character"

# Each RUN line is in the exec form (the name needs escapes, which dash, the
# image's /bin/sh, would not read: remedy-run-sh): three JSON strings, the
# last the entrypoint.
grep -a '^ *RUN \["setcap", "cap_net_admin+ep", \|^ *RUN \["chmod"' out.txt | sed 's/^ *RUN //' >run.json
is "$(wc -l <run.json)" 2 "explain pod: the setcap and chmod remedies name the entrypoint"
while read -r line; do
  got=$(python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print(len(a)); print(a[-1], end="")' "$line")
  is "$got" "$(printf "3\n%s" "$ep")" "RUN ${line%%,*}: three JSON strings, the last the entrypoint"
done <run.json
ls PWNED* >/dev/null 2>&1; ok $((! $?)) "nothing the names hold was run" # (ls fails: no file)

# The ENTRYPOINT is a JSON array ending with "--" and the entrypoint.
grep -a '^ *ENTRYPOINT ' out.txt | sed 's/^ *ENTRYPOINT //' >ep.json
got=$(python3 -c 'import json,sys; a=json.load(open("ep.json")); print(len(a)); print(a[-1], end="")')
is "$got" "$(printf '6\n%s' "$ep")" "ENTRYPOINT: six JSON strings, the last the entrypoint"

# The YAML blocks: the user-namespace pod and the custom SCC.
python3 - "$cn" <<'P' >yaml.txt
import sys, yaml
t = open("out.txt", encoding="utf-8").read().split("\n")
def block(first):
    i = next(k for k, l in enumerate(t) if l.strip() == first)
    ind = len(t[i]) - len(t[i].lstrip())
    out = []
    for l in t[i:]:
        if l.strip() == "---" or (l.strip() and len(l) - len(l.lstrip()) < ind):
            break
        out.append(l[ind:])
    return yaml.safe_load("\n".join(out))
pod = block("spec:")
scc = block("# SCC (grant it to the pod's service account with a Role 'use' rule)")
print(pod["spec"]["containers"][0]["name"] == sys.argv[1], list(pod["spec"]["containers"][0]))
print(scc["metadata"]["name"] == sys.argv[1] + "-caps", list(scc["metadata"]))
P
is "$(sed -n 1p yaml.txt)" "True ['name', 'securityContext']" "the user-namespace pod block: the container's name, no other key"
is "$(sed -n 2p yaml.txt)" "True ['name']" "the custom SCC block: '<container>-caps', no other key"

# policy scc's `oc` line: the shell reads the service account and namespace.
"$CAPSCOPE" policy scc pod.yaml >scc.txt 2>err.txt
is "$?" 0 "policy scc: runs"
line=$(grep -a 'grant it: oc ' scc.txt | sed 's/^ *grant it: //')
got=$(bash -c "set -- $line; printf '%s|' \"\$@\"")
is "$got" "oc|adm|policy|add-scc-to-user|privileged|-z|sa\`touch PWNED-sa\` 'q' \"d\"|-n|\$(touch PWNED-ns)|" \
  "policy scc: the oc line's words are the service account and namespace as written"
ls PWNED* >/dev/null 2>&1; ok $((! $?)) "nothing the oc line holds was run"
done_testing
