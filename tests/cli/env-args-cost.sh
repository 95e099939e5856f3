#!/usr/bin/env bash
# $(NAME) in a container's args (twenty-fourth pass): the kubelet's
# expansion looked each name up by a backward scan of env, bounded at 64
# lookups a word but not over the words, so N args each naming one of N env
# entries cost N^2 (10,000 / 40,000: lint 0.30 / 4.20 s, explain pod 15,000
# / 60,000 2.17 / 35.8 s). The words are now expanded against the env names
# sorted once (lib/k8s/kubelet-env.c). Counted here, never timed:
# callgrind's instructions for lint of 1,000 and 4,000 (the ratio was 12
# before the fix; linear is 4), and the expansions themselves.
. "$(dirname "$0")/../lib/tap.sh"
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
  ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      "${CAPSCOPE_DYN:-$CAPSCOPE}" lint "$1" 2>&1 >/dev/null |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  a=$(ir p1000.json)
  b=$(ir p4000.json)
  echo "# instructions: 1,000 args and env entries $a, 4,000 $b"
  ok "$(python3 -c 'import sys; a, b = map(int, sys.argv[1:]); sys.exit(0 if b <= 4.8 * a else 1)' \
    "${a:-0}" "${b:-1}"; echo $?)" "4,000 args and env entries cost at most 4.8x the instructions of 1,000"
fi
done_testing
