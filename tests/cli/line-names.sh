#!/usr/bin/env bash
# asan-too
# A name with text after it on a line the CLI lays out is shown by the rule
# of a cell (a space as \x20, other blanks as \uNNNN) and, in a list, with the
# list's own marks as \xNN (escape.h, cs_escape_item_dup): a capability
# named "X] drop [ALL" made "add [NET_ADMIN,X] drop [ALL] drop []", one named
# "A,SYS_ADMIN" read as two; the SCCs tried by explain pod --openshift kept
# the name's spaces ("zz  chosen" read as the SCC zz, chosen); the pod's,
# container's and entrypoint's names likewise before their own text.
source "$(dirname "$0")/../lib/tap.sh"
tap_tmpdir
cd "$T" || exit 1
EX=$CAPSCOPE_TOP/examples/pod

cat >pod.yaml <<'Y'
apiVersion: v1
kind: Pod
metadata: {name: "p (other.yaml:9)"}
spec:
  containers:
  - name: "c (init"
    image: img
    command: ["/bin/x, mode 4755"]
    securityContext:
      runAsUser: 1000
      capabilities: {add: [NET_ADMIN, "X] drop [ALL", "A,SYS_ADMIN", "B\u00a0C"]}
Y
"$CAPSCOPE" explain pod pod.yaml >out.txt 2>err.txt
is "$?" 1 "explain pod: runs"
is "$(grep -a '^  requested ' out.txt)" \
  '  requested  add [NET_ADMIN,X\x5d\x20drop\x20[ALL,A\x2cSYS_ADMIN,B\u00a0C] drop [] runAsUser 1000' \
  "the requested list: each item's spaces, blanks, ',' and ']' escaped"
like "$(head -1 out.txt)" '^Pod p\\x20\(other\.yaml:9\) \(pod\.yaml:[0-9]+\)$' "the pod's name before its file"
like "$(grep -a '^Container ' out.txt)" '^Container c\\x20\(init \(container, image img\)$' "the container's name"
sed '/^      capabilities:/s/, "X.*]}/]}/' pod.yaml >pod2.yaml
"$CAPSCOPE" explain pod pod2.yaml >out2.txt 2>err.txt
like "$(grep -a '^  Entrypoint: ' out2.txt)" '^  Entrypoint: /bin/x,\\x20mode\\x204755 ' "the entrypoint's name"

# an empty name, and a name of quotes: neither shown as no name (session 17)
sed '/^      capabilities:/s/{add: .*}/{add: ["", "\\"\\""], drop: [""]}/' pod.yaml >pod3.yaml
"$CAPSCOPE" explain pod pod3.yaml >out3.txt 2>err.txt
is "$(grep -a '^  requested ' out3.txt)" '  requested  add ["",\x22\x22] drop [""] runAsUser 1000' \
  "the requested list: an empty name as \"\", a name's quotes as \\x22"

# An SCC's name is a DNS-1123 subdomain, or the API server refuses the SCC
# (twenty-seventh pass): "zz  chosen" never reaches the list of SCCs tried.
sed 's/name: anyuid-netbind$/name: "zz  chosen"/' "$EX/anyuid-netbind-scc.yaml" >scc.yaml
grep -q 'zz  chosen' scc.yaml; ok $? "the SCC renamed"
"$CAPSCOPE" explain pod --openshift --scc scc.yaml "$EX/anyuid-netbind.yaml" >scc.txt 2>err.txt
is "$?:$(wc -l <err.txt)" "2:1" "explain pod --openshift: an SCC named \"zz  chosen\" is refused, one line"
like "$(cat err.txt)" 'metadata\.name: Invalid value "zz  chosen": a lowercase RFC 1123' "  at its name"
done_testing
