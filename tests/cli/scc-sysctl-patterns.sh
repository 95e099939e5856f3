#!/usr/bin/env bash
# An SCC's allowedUnsafeSysctls and forbiddenSysctls as the API server
# validates them (openshift/apiserver-library-go validateSCCSysctls and
# validatePodSecurityPolicySysctlListsDoNotOverlap): an SCC file holding an
# empty item, a pattern with a control character or a line feed, 5,000
# bytes, '*' beside others, or an allowed pattern a forbidden one covers was
# read without a word and admitted or refused pods by it (twenty-sixth pass,
# part A); such an SCC cannot exist in a cluster. Refused at the item, in one
# line. The pattern rule is checked against the server's regular expression
# (Go's RE2; Python's re agrees on it) over generated patterns.
source "$(dirname "$0")/../lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
tap_tmpdir
cd "$T" || exit 1
printf '%s\n' 'kind: Pod' 'metadata: {name: p}' 'spec:' '  securityContext:' \
  '    sysctls: [{name: net.core.somaxconn, value: "1"}]' '  containers: [{name: c, image: i}]' >pod.yaml
scc() { # allowed forbidden (JSON lists)
  python3 - "$1" "$2" <<'PY'
import json, sys
s = {"apiVersion": "security.openshift.io/v1", "kind": "SecurityContextConstraints",
     "metadata": {"name": "s"}, "runAsUser": {"type": "RunAsAny"},
     "seLinuxContext": {"type": "RunAsAny"}, "fsGroup": {"type": "RunAsAny"},
     "supplementalGroups": {"type": "RunAsAny"}, "groups": ["system:authenticated"],
     "allowedUnsafeSysctls": json.loads(sys.argv[1]), "forbiddenSysctls": json.loads(sys.argv[2])}
open("scc.yaml", "w").write(json.dumps(s, indent=1) + "\n")
PY
}
refused() { # allowed forbidden field what
  scc "$1" "$2"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  local rc=$?
  is "$rc:$(wc -l <err)" "2:1" "$4: exit 2, one line"
  like "$(cat err)" "^capscope explain pod: --scc: scc\\.yaml:[0-9]+:[0-9]+: $3: .*\\(the API server refuses the SCC\\)\$" "  at $3, the server's refusal"
}
refused '["net.core.x", ""]' '[]' 'allowedUnsafeSysctls\[1\]' "an empty allowed item"
refused '[]' '["net.\u001b[31mcore\n*"]' 'forbiddenSysctls\[0\]' "a forbidden pattern with ESC and a line feed"
like "$(cat err)" 'Invalid value "net\.\\x1b\[31mcore\\n\*"' "  escaped"
refused "[\"$(printf 'a%.0s' $(seq 1 5000))\"]" '[]' 'allowedUnsafeSysctls\[0\]' "a 5,000-byte pattern"
ok "$([ "$(wc -c <err)" -lt 600 ] && echo 0 || echo 1)" "  its line cut ($(wc -c <err) bytes)"
refused '["*", "net.x"]' '[]' 'allowedUnsafeSysctls' "'*' beside another"
refused '["net.core.*"]' '["net.*"]' 'allowedUnsafeSysctls\[0\]' "an allowed pattern a forbidden one covers"
refused '["net.*"]' '["kernel.x", "net.core.x"]' 'forbiddenSysctls\[1\]' "a forbidden name an allowed pattern covers"
refused '["kernel.msgmax"]' '["kernel.msgmax"]' 'allowedUnsafeSysctls\[0\]' "the same name in both"
refused '["net/core/x"]' '[]' 'allowedUnsafeSysctls\[0\]' "a slash (an SCC's patterns take dots alone)"
for ok in '["net.core.somaxconn"]|[]' '["net.*"]|["kernel.*"]' '["*"]|[]' '[]|["*"]' '["net.core.a-*"]|["net.ipv4.*"]' '["kernel.msg*"]|["kernel.sem"]'; do
  scc "${ok%|*}" "${ok#*|}"
  "$CAPSCOPE" explain pod --scc scc.yaml pod.yaml >/dev/null 2>err
  ok "$([ $? -ne 2 ] && echo 0 || echo 1)" "allowed ${ok%|*}, forbidden ${ok#*|}: read ($(head -c 200 err))"
done
# the rule against the server's regular expression
out=$(python3 - "$CAPSCOPE" <<'PY'
import json, random, re, subprocess, sys
seg = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
rx = re.compile("(" + seg + "\\.)*" + "([a-z0-9][-_a-z0-9]*)?[a-z0-9*]")
r = random.Random(26)
alpha = "ab09-_.*/A "
pats = ["*", "a*", "a-*", "-a", "a.", ".a", "a..b", "a.*", "a.b*", "*.a", "a*b", "a_", "a.-b", "a.b-", "a/b"]
pats += ["".join(r.choice(alpha) for _ in range(r.randint(1, 7))) for _ in range(300)]
bad = 0
for i, p in enumerate(pats):
    want = bool(rx.fullmatch(p)) and len(p) <= 253
    s = {"apiVersion": "security.openshift.io/v1", "kind": "SecurityContextConstraints",
         "metadata": {"name": "s"}, "runAsUser": {"type": "RunAsAny"},
         "seLinuxContext": {"type": "RunAsAny"}, "fsGroup": {"type": "RunAsAny"},
         "supplementalGroups": {"type": "RunAsAny"}, "forbiddenSysctls": [p]}
    open("scc.yaml", "w").write(json.dumps(s) + "\n")
    e = subprocess.run([sys.argv[1], "explain", "pod", "--scc", "scc.yaml", "pod.yaml"], capture_output=True).stderr
    got = b"forbiddenSysctls[0]" not in e
    if got != want:
        bad += 1
        print("# %r: server %s, capscope %s" % (p, want, got))
print("%d patterns, %d differ" % (len(pats), bad))
PY
)
like "$(tail -1 <<<"$out")" "^[0-9]+ patterns, 0 differ\$" "the pattern rule is the server's expression ($(tail -1 <<<"$out"))"
[[ $out == *'#'* ]] && printf '%s\n' "$out" | grep '^#' | head -20
done_testing
