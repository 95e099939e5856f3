#!/usr/bin/env bash
# $(NAME) in a container's args (twenty-fourth pass): the kubelet's
# expansion looked each name up by a backward scan of env, bounded at 64
# lookups a word but not over the words, so N args each naming one of N env
# entries cost N^2 (10,000 / 40,000: lint 0.30 / 4.20 s, explain pod 15,000
# / 60,000 2.17 / 35.8 s). The words are now expanded against the env names
# sorted once (lib/k8s/kubelet-env.c). Counted here, never timed:
# callgrind's instructions for lint of 1,000 and 4,000 (the ratio was 8.7
# before the fix; linear is 4), and the expansions themselves.
. "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/callgrind.sh"
command -v python3 >/dev/null || skip_all "needs python3"
tap_tmpdir
cd "$T" || exit 1

pod() { # N: command /bin/$(E{N-1}), args $(E0)..$(E{N-1}), env E0..E{N-1}, each E_i's value "v_i"
  python3 - "$1" <<'PY'
import json, sys
n = int(sys.argv[1])
c = {"name": "c", "image": "i", "command": ["/bin/$(E%d)" % (n - 1)],
     "env": [{"name": "E%d" % i, "value": "v%d" % i} for i in range(n)],
     "args": ["$(E%d)" % i for i in range(n)],
     "securityContext": {"capabilities": {"drop": ["ALL"]}}}
print(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                  "spec": {"containers": [c]}}))
PY
}
pod 1000 >p1000.json
pod 4000 >p4000.json

# the expansion is the one the scan gave: the command names the last entry
# (the args are compared with the scan's expansions in unit/test-kubelet)
"$CAPSCOPE" explain pod --json p4000.json >out.json 2>err
rc=$?
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "explain pod of 4,000 args naming 4,000 env entries: answered (exit $rc)"
is "$(python3 -c 'import json; print(json.load(open("out.json"))["containers"][0]["exec"]["path"])')" \
  /bin/v3999 "the command /bin/\$(E3999) is expanded to /bin/v3999"

if ! command -v valgrind >/dev/null; then
  skip "needs valgrind (callgrind counts the work)"
elif grep -q __asan_init "${CAPSCOPE_DYN:-$CAPSCOPE}" 2>/dev/null; then
  skip "an ASan build: valgrind cannot run it"
else
  a=$(callgrind_ir lint p1000.json)
  b=$(callgrind_ir lint p4000.json)
  echo "# instructions: 1,000 args and env entries $a, 4,000 $b"
  ok "$(callgrind_within "$a" "$b" 4.8)" "4,000 args and env entries cost at most 4.8x the instructions of 1,000"
fi
done_testing
