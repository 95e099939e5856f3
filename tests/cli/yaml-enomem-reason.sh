#!/usr/bin/env bash
# A failed allocation is said as one, never as a fault of the file or a
# different reading of it (twenty-sixth pass, part C). Each allocation of
# `lint` and `explain pod` failing alone (tests/lib/failalloc.c,
# CS_FAILALLOC_SPAN=1) must give the whole answer or one line saying
# memory ran out, exit 2. Before: libfyaml's own failures, which it
# records no error for, were "YAML: syntax error" (381 of 675 allocations
# of lint of a small pod); the JSON checker's were "kubectl reads a file
# that opens with '{' as JSON values one after another and stops here (out
# of memory)"; `lint` with no --scc said "--scc: scc: out of memory"; and
# a JSON pod whose stream check failed was read as YAML 1.1 instead, a NEL
# in its command folded into a space: exit 1 and the answer for another
# command. libfyaml's own crash (fy_parse_input_append) is counted apart.
source "$(dirname "$0")/../lib/tap.sh"
source "$CAPSCOPE_TOP/tests/lib/failalloc.sh"
failalloc_setup
command -v python3 >/dev/null || skip_all "needs python3"

# memory RC: the whole answer, or one line that says memory ran out
memory() {
  if [ "$1" = "$GOOD_RC" ] && cmp -s "$T/out" "$T/good" && cmp -s "$T/err" "$T/good.err"; then
    echo whole
  elif [ "$1" = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] &&
    grep -qE ': (out of memory|cannot read: Cannot allocate memory)$' "$T/err" &&
    ! grep -qE -e '--scc' "$T/err"; then
    echo said
  elif [ "$1" = 139 ]; then
    echo crashed
  else
    echo bad
  fi
}

printf '%s\n' 'apiVersion: v1' 'kind: Pod' 'metadata:' '  name: p' 'spec:' '  securityContext:' \
  '    sysctls:' '    - {name: net.core.somaxconn, value: "1024"}' \
  '    - {name: net.ipv4.ip_unprivileged_port_start, value: "80"}' '  containers:' '  - name: c' \
  '    image: x' '    securityContext:' '      runAsUser: 1000' '      capabilities:' \
  '        add: [NET_BIND_SERVICE]' '        drop: [ALL]' >"$T/pod.yaml"
python3 - "$T/nel.json" <<'PY'
import json, sys
p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
    {"name": "c", "image": "i", "command": ["/bin/a\u0085b"],
     "securityContext": {"runAsUser": 1000, "capabilities": {"add": ["NET_ADMIN"]}}}]}}
open(sys.argv[1], "w").write(json.dumps(p, ensure_ascii=False))
PY

failalloc_table memory <<EOF2
lint of a YAML pod	lint --allowed-unsafe-sysctls net.core.* $T/pod.yaml
explain pod of a JSON pod	explain pod $T/nel.json
lint of a JSON pod	lint $T/nel.json
EOF2
done_testing
